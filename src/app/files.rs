//! Files without surprises: whether a native file dialog can appear at all (xdg-desktop-portal or
//! zenity), the dialog itself (blocking: run it on the worker), completing a typed path (Tab in
//! a path field), writing a file — private values with mode 0600 — and the save waiting for a
//! path and how a save job ended.

use crate::jose::classified::Classified;
use egui::Ui;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How the window asks for a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DialogMode {
    /// The system's dialog (xdg-desktop-portal, else zenity); falls back to the path field
    /// when it cannot appear.
    #[default]
    Native,
    /// The in-app path field only (no portal and no zenity, `SUPAJWT_FILE_DIALOG=path`, tests).
    PathField,
}

/// Set to `path` to always use the in-app path field instead of the system's file dialog.
pub const DIALOG_VAR: &str = "SUPAJWT_FILE_DIALOG";

/// A dialog that answers "nothing chosen" faster than this never appeared.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(300);

impl DialogMode {
    /// The path field when asked for (`SUPAJWT_FILE_DIALOG=path`) or when nothing can show a
    /// dialog (no D-Bus session for the portal and no zenity on the `PATH`); else native.
    pub fn detect() -> DialogMode {
        if std::env::var(DIALOG_VAR).is_ok_and(|v| v.eq_ignore_ascii_case("path")) {
            return DialogMode::PathField;
        }
        if cfg!(target_os = "linux")
            && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
            && !on_path("zenity")
        {
            return DialogMode::PathField;
        }
        DialogMode::Native
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// What the native dialog gave.
#[derive(Debug)]
pub enum Picked {
    /// A path.
    Path(PathBuf),
    /// The user closed the dialog.
    Cancelled,
    /// No dialog appeared (it answered at once): ask for a path in the window.
    NoDialog,
}

fn picked(path: Option<PathBuf>, started: Instant) -> Picked {
    match path {
        Some(p) => Picked::Path(p),
        None if started.elapsed() < NO_DIALOG_WITHIN => Picked::NoDialog,
        None => Picked::Cancelled,
    }
}

/// A native dialog that starts in `dir` when one is given (the session's last directory).
fn dialog_in(dir: Option<PathBuf>) -> rfd::FileDialog {
    match dir {
        Some(dir) => rfd::FileDialog::new().set_directory(dir),
        None => rfd::FileDialog::new(),
    }
}

/// Shows the native open dialog, starting in `dir` (blocking: call it from a job).
pub fn pick_file_native(dir: Option<PathBuf>) -> Picked {
    let started = Instant::now();
    picked(dialog_in(dir).pick_file(), started)
}

/// Shows the native save dialog, starting in `dir` (blocking: call it from a job).
pub fn pick_save_native(suggested_name: &str, dir: Option<PathBuf>) -> Picked {
    let started = Instant::now();
    picked(
        dialog_in(dir).set_file_name(suggested_name).save_file(),
        started,
    )
}

/// The directory relative paths are read from.
pub fn current_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// A typed path as a path: `~/` is the home directory, relative paths start at the current one.
pub fn resolve(typed: &str) -> PathBuf {
    let typed = typed.trim();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let path = match (typed.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(typed),
    };
    if path.is_absolute() {
        path
    } else {
        current_dir().join(path)
    }
}

/// The most names a completion looks at (a huge directory stays quick).
const COMPLETION_SCAN: usize = 10_000;

/// Completes the last component of `typed` as far as it is unambiguous in its directory
/// (a unique directory gets its `/`). `None` when there is nothing to add.
pub fn complete_path(typed: &str) -> Option<String> {
    let (dir_part, prefix) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = if dir_part.is_empty() {
        current_dir()
    } else {
        resolve(dir_part)
    };
    let mut matches: Vec<(String, bool)> = Vec::new();
    for entry in std::fs::read_dir(dir).ok()?.take(COMPLETION_SCAN).flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.')) {
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            matches.push((name, is_dir));
        }
    }
    let common = match matches.as_slice() {
        [] => return None,
        [(name, is_dir)] => format!("{name}{}", if *is_dir { "/" } else { "" }),
        [(first, _), rest @ ..] => {
            let mut common = first.clone();
            for (name, _) in rest {
                let len = common
                    .char_indices()
                    .zip(name.chars())
                    .take_while(|((_, a), b)| a == b)
                    .last()
                    .map_or(0, |((i, a), _)| i + a.len_utf8());
                common.truncate(len);
            }
            common
        }
    };
    (common.len() > prefix.len()).then(|| format!("{dir_part}{common}"))
}

/// Writes `contents` to `path`. A [`Classified::Secret`] (keys, secrets, service_role tokens)
/// gets mode 0600: a new file is created so, an existing one is narrowed to it (never widened).
/// Refuses anything that is not a regular file (a FIFO would block the writer). Returns what to
/// show.
pub fn write_file(path: &Path, contents: &Classified) -> Result<String, String> {
    let private = contents.is_secret();
    let shown = path.display().to_string();
    let fail = |e: std::io::Error| format!("cannot write {shown}: {e}");
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(format!("cannot write {shown}: not a regular file"));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        if std::fs::metadata(path).is_ok() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
        }
    }
    let mut file = options.open(path).map_err(fail)?;
    std::io::Write::write_all(&mut file, contents.expose().as_bytes()).map_err(fail)?;
    Ok(if private && cfg!(unix) {
        format!("saved to {shown} (private: mode 0600)")
    } else {
        format!("saved to {shown}")
    })
}

/// The line under a path field: what a relative path is relative to.
pub fn relative_hint_ui(ui: &mut egui::Ui) {
    ui.label(
        egui::RichText::new(format!(
            "relative to {} (Tab completes)",
            super::widgets::esc(&current_dir().display().to_string())
        ))
        .small()
        .weak(),
    );
}

/// A save waiting for the user to type a path (no dialog on this system).
pub struct PendingSave {
    /// The suggested file name (also names the Save button it came from).
    pub name: String,
    /// The directory the native dialog starts in (the session's last one).
    pub dir: Option<PathBuf>,
    /// What to write (a secret is written with mode 0600).
    pub contents: Classified,
    /// The typed path.
    pub path: String,
}

/// How a save job ended.
pub enum SaveOutcome {
    /// Written (the message to show) or failed (why); for the file name suggested.
    Done {
        /// The suggested name.
        name: String,
        /// "saved to PATH (private: mode 0600)" or why not.
        result: Result<String, String>,
    },
    /// No dialog appeared: ask for a path in the window.
    NoDialog(PendingSave),
}

impl PendingSave {
    /// A save of `contents`, suggesting `name` in `dir` (the session's last directory), else in
    /// the current one.
    pub fn new(name: String, contents: Classified, dir: Option<PathBuf>) -> PendingSave {
        let path = dir
            .clone()
            .unwrap_or_else(current_dir)
            .join(&name)
            .display()
            .to_string();
        PendingSave {
            name,
            dir,
            contents,
            path,
        }
    }
}

/// Completes the path in the field `id` when Tab is pressed in it; true when it did.
pub fn tab_complete(ui: &mut Ui, id: egui::Id, path: &mut String) -> bool {
    let focused = ui.memory(|m| m.has_focus(id));
    if !focused || !ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Tab)) {
        return false;
    }
    let Some(completed) = complete_path(path) else {
        return true;
    };
    *path = completed;
    if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), id) {
        let end = egui::text::CCursor::new(path.chars().count());
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::one(end)));
        state.store(ui.ctx(), id);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dialog_that_answers_at_once_never_appeared() {
        assert!(matches!(picked(None, Instant::now()), Picked::NoDialog));
        if let Some(long_ago) = Instant::now().checked_sub(Duration::from_secs(2)) {
            assert!(matches!(picked(None, long_ago), Picked::Cancelled));
        }
        let path = PathBuf::from("/tmp/x.json");
        assert!(matches!(
            picked(Some(path), Instant::now()),
            Picked::Path(_)
        ));
    }

    #[test]
    fn completes_the_unique_prefix() {
        let Ok(dir) = tempfile::tempdir() else { return };
        for name in ["jwks-one.json", "jwks-two.json", "other.pem"] {
            assert!(std::fs::write(dir.path().join(name), "x").is_ok());
        }
        assert!(std::fs::create_dir(dir.path().join("subdir")).is_ok());
        let base = format!("{}/", dir.path().display());
        assert_eq!(
            complete_path(&format!("{base}j")),
            Some(format!("{base}jwks-"))
        );
        assert_eq!(
            complete_path(&format!("{base}o")),
            Some(format!("{base}other.pem"))
        );
        assert_eq!(
            complete_path(&format!("{base}s")),
            Some(format!("{base}subdir/"))
        );
        assert_eq!(complete_path(&format!("{base}jwks-")), None);
        assert_eq!(complete_path(&format!("{base}zzz")), None);
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_0600_and_fifos_are_refused() {
        use crate::jose::secret::SecretString;
        use std::os::unix::fs::PermissionsExt;
        let Ok(dir) = tempfile::tempdir() else { return };
        let path = dir.path().join("key.pem");
        assert!(std::fs::write(&path, "old").is_ok());
        assert!(std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).is_ok());
        let said = write_file(
            &path,
            &Classified::Secret(SecretString::new("secret".into())),
        );
        assert_eq!(
            said,
            Ok(format!("saved to {} (private: mode 0600)", path.display()))
        );
        let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600));
        let public = dir.path().join("jwks.json");
        assert!(write_file(&public, &Classified::Public("{}".into())).is_ok());
        let fifo = dir.path().join("fifo");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            let err = write_file(&fifo, &Classified::Secret(SecretString::new("x".into())));
            assert!(err.is_err_and(|e| e.contains("not a regular file")));
        }
    }
}
