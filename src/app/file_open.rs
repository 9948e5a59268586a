//! "Open file…" that always works: the native dialog when the system has one, else an in-app
//! path field (current directory shown, Tab completes); the file is read on the worker, and the
//! outcome is shown next to the button. Both start in the directory of the session's last
//! opened file.

use super::files::{DialogMode, Picked, pick_file_native, resolve, tab_complete};
use super::shared::Ctx;
use super::tasks::read_text_file;
use super::widgets::{BAD, GOOD, esc};
use egui::{RichText, Ui};
use std::any::Any;
use std::path::{Path, PathBuf};

/// The path field's placeholder when the opener names no file of its own.
const ANY_FILE: &str = "/path/to/file or ~/…";

/// One "Open file…" button of a pane, with its path field and last outcome.
pub struct FileOpener {
    /// Which of the pane's openers this is (a pane may have several).
    slot: usize,
    /// The path field's placeholder ("/path/to/.env or ~/…").
    hint: &'static str,
    /// Fill the path field with the session's last directory when it next shows.
    prefill: bool,
    /// The typed path while the path field is shown.
    pub path: Option<String>,
    /// The last outcome (text, is an error), shown next to the button.
    pub last: Option<(String, bool)>,
    /// A dialog or a read is running.
    pub busy: bool,
    /// Hand back the chosen path instead of reading it (Decode: the file is routed like a
    /// dropped one, so a HAR of any size is streamed).
    route: bool,
}

impl Default for FileOpener {
    fn default() -> Self {
        FileOpener::new(0)
    }
}

/// The result of an opener's job; a pane hands it back to [`FileOpener::finish`].
pub struct FileJob {
    slot: usize,
    outcome: Outcome,
    /// The directory of the file read (the next dialog or path field starts there).
    dir: Option<PathBuf>,
}

/// How an opener's job ended: no file chosen, no dialog on this system, or the file read.
enum Outcome {
    Cancelled,
    NoDialog,
    Read(Result<(String, String), String>),
    /// A routing opener's file, not read: it exists and is a regular file.
    Path(PathBuf),
}

impl FileJob {
    /// Which opener of the pane started it.
    pub fn slot(&self) -> usize {
        self.slot
    }

    /// The directory of the file this job read, if it read one.
    pub fn opened_dir(&self) -> Option<&std::path::Path> {
        match self.outcome {
            Outcome::Read(Ok(_)) | Outcome::Path(_) => self.dir.as_deref(),
            _ => None,
        }
    }

    /// The job if `result` is one, else `result` back.
    pub fn from_any(result: Box<dyn Any + Send>) -> Result<FileJob, Box<dyn Any + Send>> {
        result.downcast::<FileJob>().map(|job| *job)
    }
}

impl FileOpener {
    /// An opener; `slot` tells a pane's openers apart.
    pub fn new(slot: usize) -> FileOpener {
        FileOpener {
            slot,
            hint: ANY_FILE,
            prefill: false,
            path: None,
            last: None,
            busy: false,
            route: false,
        }
    }

    /// An opener that hands back the chosen path ([`FileOpener::finish_routed`]) for the
    /// window to route like a dropped file, instead of reading it.
    pub fn routing(slot: usize) -> FileOpener {
        FileOpener {
            route: true,
            ..FileOpener::new(slot)
        }
    }

    /// The same opener with a path field placeholder that fits what it opens
    /// ("/path/to/jwks.json or ~/…").
    pub fn with_hint(self, hint: &'static str) -> FileOpener {
        FileOpener { hint, ..self }
    }

    /// The button (labelled `label`), the path field when shown, and the last outcome.
    pub fn ui(&mut self, ui: &mut Ui, ctx: &mut Ctx<'_>, label: &str) {
        ui.horizontal_wrapped(|ui| {
            let clicked = ui
                .add_enabled(!self.busy, egui::Button::new(label))
                .clicked();
            if clicked {
                self.start(ctx);
            }
            if self.path.is_none()
                && ctx.shared.dialogs == DialogMode::Native
                && ui
                    .small_button("Type a path…")
                    .on_hover_text("Type the file's path instead of using the system's dialog")
                    .clicked()
            {
                self.show_path_field();
            }
            if self.busy {
                ui.spinner();
            }
            if let Some((text, is_error)) = &self.last {
                ui.label(RichText::new(esc(text)).color(if *is_error { BAD } else { GOOD }));
            }
        });
        if self.path.is_some() {
            self.path_field_ui(ui, ctx);
        }
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) {
        self.last = None;
        if ctx.shared.dialogs == DialogMode::PathField {
            self.show_path_field();
            return;
        }
        self.busy = true;
        let (slot, route) = (self.slot, self.route);
        let start_dir = ctx.shared.last_dir.clone();
        ctx.spawn(move || match pick_file_native(start_dir) {
            Picked::Path(path) => open_job(slot, &path, route),
            Picked::Cancelled => FileJob {
                slot,
                outcome: Outcome::Cancelled,
                dir: None,
            },
            Picked::NoDialog => FileJob {
                slot,
                outcome: Outcome::NoDialog,
                dir: None,
            },
        });
    }

    fn show_path_field(&mut self) {
        if self.path.is_none() {
            self.path = Some(String::new());
            self.prefill = true;
        }
    }

    fn path_field_ui(&mut self, ui: &mut Ui, ctx: &mut Ctx<'_>) {
        let id = ui.scope_id().with(("open_path", self.slot));
        if std::mem::take(&mut self.prefill)
            && let (Some(path), Some(dir)) = (&mut self.path, &ctx.shared.last_dir)
            && path.is_empty()
        {
            *path = dir.display().to_string();
            if !path.ends_with(std::path::MAIN_SEPARATOR) {
                path.push(std::path::MAIN_SEPARATOR);
            }
        }
        let Some(path) = &mut self.path else { return };
        let completed = tab_complete(ui, id, path);
        let mut open = false;
        let mut close = false;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("File path to open");
            let field = ui
                .add(
                    egui::TextEdit::singleline(path)
                        .id(id)
                        .hint_text(self.hint)
                        .desired_width(320.0),
                )
                .labelled_by(l.id);
            if completed {
                field.request_focus();
            }
            open = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            open |= ui
                .add_enabled(
                    !self.busy && !path.trim().is_empty(),
                    egui::Button::new("Open"),
                )
                .clicked();
            close = ui.button("Close").clicked();
        });
        super::files::relative_hint_ui(ui);
        if close {
            self.path = None;
        } else if open && !self.busy && !path.trim().is_empty() {
            let file = resolve(path);
            self.busy = true;
            let (slot, route) = (self.slot, self.route);
            ctx.spawn(move || open_job(slot, &file, route));
        }
    }

    /// Applies a finished job of this opener; returns the file read (name, text), if any.
    pub fn finish(&mut self, job: FileJob) -> Option<(String, String)> {
        self.busy = false;
        match job.outcome {
            Outcome::Cancelled => {
                self.last = Some(("no file chosen".into(), false));
                None
            }
            Outcome::NoDialog => {
                self.show_path_field();
                self.last = Some((
                    "no file dialog on this system (no xdg-desktop-portal or zenity): type the path below, or drop the file on the window".into(),
                    true,
                ));
                None
            }
            Outcome::Read(Ok((name, text))) => {
                self.path = None;
                self.last = Some((format!("opened {name}"), false));
                Some((name, text))
            }
            Outcome::Read(Err(e)) => {
                self.last = Some((e, true));
                None
            }
            Outcome::Path(path) => {
                self.path = None;
                self.last = Some((format!("opened {}", file_name(&path)), false));
                None
            }
        }
    }

    /// Applies a finished job of a [`FileOpener::routing`] opener; returns the chosen file's
    /// path, if any, for the window to route like a dropped file.
    pub fn finish_routed(&mut self, job: FileJob) -> Option<PathBuf> {
        let path = match &job.outcome {
            Outcome::Path(path) => Some(path.clone()),
            _ => None,
        };
        let _ = self.finish(job);
        path
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The job for a chosen file, remembering its directory: read (with the key-file size cap),
/// or for a routing opener its path, when it is a regular file (a FIFO or a directory is
/// refused here).
fn open_job(slot: usize, path: &Path, route: bool) -> FileJob {
    let outcome = if !route {
        Outcome::Read(read_text_file(path))
    } else {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => Outcome::Path(path.to_path_buf()),
            Ok(_) => Outcome::Read(Err(format!(
                "cannot read {}: not a regular file",
                file_name(path)
            ))),
            Err(e) => Outcome::Read(Err(format!("cannot read {}: {e}", file_name(path)))),
        }
    };
    FileJob {
        slot,
        outcome,
        dir: path.parent().map(Path::to_path_buf),
    }
}
