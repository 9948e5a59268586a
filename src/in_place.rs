//! Rewriting a user's config file (the stack's `.env`) in place, for `supajwt key … --write`
//! and the window's Save: a `.env.bak.<UTC time>` backup first, then a temporary file renamed
//! over the original, ending `0600`. On any failure the original is left untouched.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

/// What a successful rewrite did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The file rewritten.
    pub path: PathBuf,
    /// The backup of its old contents.
    pub backup: PathBuf,
}

/// Why a rewrite was refused or failed; the file is untouched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RewriteError(pub String);

/// The most backups of one second kept side by side (`.bak.<time>`, `.bak.<time>.1`, …).
const MAX_BACKUPS: u32 = 100;

/// Replaces the contents of `path`, which must still read `old`, with `new`; `now` (seconds
/// since 1970) names the backup. A symbolic link is followed: its target is rewritten and the
/// link kept. Refused, with the file untouched, when the file is not a regular file, is marked
/// read-only, no longer reads `old`, or its directory cannot be written.
pub fn rewrite(path: &Path, old: &str, new: &str, now: i64) -> Result<Rewritten, RewriteError> {
    let shown = path.display();
    let fail = |what: String| RewriteError(format!("{shown}: {what}; the file is untouched"));
    let target = std::fs::canonicalize(path).map_err(|e| fail(format!("cannot open it: {e}")))?;
    let meta = std::fs::metadata(&target).map_err(|e| fail(format!("cannot read it: {e}")))?;
    if !meta.is_file() {
        return Err(fail(
            "is not a regular file, so it cannot be rewritten in place".into(),
        ));
    }
    if read_only(&meta) {
        return Err(fail(format!(
            "is read-only (mode {}): make it writable (chmod u+w {shown}) to have it rewritten",
            mode_text(&meta)
        )));
    }
    // Opening for writing (nothing written, no truncation) checks what the mode bits do not:
    // ownership, ACLs, a read-only mount.
    if let Err(e) = OpenOptions::new().write(true).open(&target) {
        return Err(fail(format!("cannot be written: {e}")));
    }
    let (dir, name) = match (target.parent(), target.file_name()) {
        (Some(d), Some(n)) => (d.to_path_buf(), n.to_string_lossy().into_owned()),
        _ => return Err(fail("has no directory to write the new file in".into())),
    };
    let dir_meta = std::fs::metadata(&dir)
        .map_err(|e| fail(format!("cannot read its directory {}: {e}", dir.display())))?;
    if read_only(&dir_meta) {
        return Err(fail(format!(
            "its directory {} is read-only (mode {}): the backup and the new file are written next to it; make it writable (chmod u+w {})",
            dir.display(),
            mode_text(&dir_meta),
            dir.display()
        )));
    }
    check_unchanged(&target, old).map_err(fail)?;

    let backup = create_backup(&dir, &name, now)
        .map_err(|(p, e)| fail(format!("cannot write the backup {}: {e}", p.display())))?;
    let cleanup = |tmp: Option<&Path>| {
        if let Some(t) = tmp {
            let _ = std::fs::remove_file(t);
        }
        let _ = std::fs::remove_file(&backup.0);
    };
    if let Err(e) = write_synced(&backup.1, old.as_bytes(), &meta) {
        cleanup(None);
        return Err(fail(format!(
            "cannot write the backup {}: {e}",
            backup.0.display()
        )));
    }
    drop(backup.1);
    let (tmp_path, tmp) = match create_temp(&dir, &name) {
        Ok(t) => t,
        Err((p, e)) => {
            cleanup(None);
            return Err(fail(format!(
                "cannot create the new file {} next to it: {e}",
                p.display()
            )));
        }
    };
    if let Err(e) = write_synced(&tmp, new.as_bytes(), &meta) {
        cleanup(Some(&tmp_path));
        return Err(fail(format!("cannot write {}: {e}", tmp_path.display())));
    }
    drop(tmp);
    // Last look before the rename: another program may have written it meanwhile.
    if let Err(e) = check_unchanged(&target, old) {
        cleanup(Some(&tmp_path));
        return Err(fail(e));
    }
    if let Err(e) = std::fs::rename(&tmp_path, &target) {
        cleanup(Some(&tmp_path));
        return Err(fail(format!("cannot replace it: {e}")));
    }
    sync_dir(&dir);
    Ok(Rewritten {
        path: path.to_path_buf(),
        backup: backup.0,
    })
}

/// The file's bytes are still `old`.
fn check_unchanged(target: &Path, old: &str) -> Result<(), String> {
    let mut now = Vec::new();
    File::open(target)
        .and_then(|mut f| f.read_to_end(&mut now))
        .map_err(|e| format!("cannot read it again: {e}"))?;
    if now != old.as_bytes() {
        return Err(
            "changed since supajwt read it (another program or editor wrote it): run the command again to plan from what it holds now".into(),
        );
    }
    Ok(())
}

/// `<name>.bak.<UTC time>`, created new (never an existing backup: `.1`, `.2`, … are added).
fn create_backup(dir: &Path, name: &str, now: i64) -> Result<(PathBuf, File), (PathBuf, String)> {
    let stamp = jiff::Timestamp::from_second(now)
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|_| now.to_string());
    let base = format!("{name}.bak.{stamp}");
    for n in 0..MAX_BACKUPS {
        let candidate = if n == 0 {
            dir.join(&base)
        } else {
            dir.join(format!("{base}.{n}"))
        };
        match create_new(&candidate) {
            Ok(f) => return Ok((candidate, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err((candidate, e.to_string())),
        }
    }
    Err((
        dir.join(format!("{base}.{MAX_BACKUPS}")),
        format!("{MAX_BACKUPS} backups of this second exist already"),
    ))
}

/// `.<name>.supajwt-<pid>-<n>.tmp` in the same directory (so the rename stays on one file system).
fn create_temp(dir: &Path, name: &str) -> Result<(PathBuf, File), (PathBuf, String)> {
    let pid = std::process::id();
    for n in 0..MAX_BACKUPS {
        let candidate = dir.join(format!(".{name}.supajwt-{pid}-{n}.tmp"));
        match create_new(&candidate) {
            Ok(f) => return Ok((candidate, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err((candidate, e.to_string())),
        }
    }
    Err((
        dir.join(format!(".{name}.supajwt-{pid}.tmp")),
        "too many temporary files of this process exist already".into(),
    ))
}

/// A new file only its owner may read (`0600` on unix), never one that exists.
fn create_new(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Writes `bytes`, makes the file `0600` and owned like the original (when allowed), syncs it.
fn write_synced(file: &File, bytes: &[u8], original: &std::fs::Metadata) -> std::io::Result<()> {
    let mut f = file;
    f.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        match std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())) {
            Err(e) if e.kind() != ErrorKind::PermissionDenied => return Err(e),
            _ => {}
        }
    }
    #[cfg(not(unix))]
    let _ = original;
    file.sync_all()
}

/// Makes the rename durable (unix; elsewhere the rename is left to the file system).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Marked read-only: no write bit at all on unix (checked explicitly: root may write a `0444`
/// file, but the user marked it read-only), the read-only attribute elsewhere.
fn read_only(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o222 == 0
    }
    #[cfg(not(unix))]
    meta.permissions().readonly()
}

fn mode_text(meta: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        format!("{:04o}", meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    if meta.permissions().readonly() {
        "read-only".into()
    } else {
        "writable".into()
    }
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    const OLD: &str = "# keep me\r\nA='1'\nJWT_KEYS=[]\nB=2";
    const NEW: &str = "# keep me\r\nA='1'\nJWT_KEYS=[{}]\nB=2";
    const NOW: i64 = 1_796_638_500; // 2026-12-07T10:15:00Z

    fn env_in(dir: &Path, mode: u32) -> PathBuf {
        let p = dir.join(".env");
        std::fs::write(&p, OLD).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        p
    }

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    /// The refusal's message, with the file and its directory as they were.
    fn refused(dir: &Path, p: &Path, old: &str) -> String {
        let before = std::fs::metadata(p).unwrap().modified().unwrap();
        let listing = |d: &Path| {
            let mut v: Vec<_> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            v.sort();
            v
        };
        let files = listing(dir);
        let e = rewrite(p, old, NEW, NOW).unwrap_err().0;
        assert_eq!(std::fs::read_to_string(p).unwrap(), OLD, "{e}");
        assert_eq!(std::fs::metadata(p).unwrap().modified().unwrap(), before);
        assert_eq!(listing(dir), files, "no backup or temporary file left: {e}");
        assert!(e.contains("the file is untouched"), "{e}");
        e
    }

    #[test]
    fn rewrites_with_a_backup_and_ends_0600() {
        let dir = tempfile::tempdir().unwrap();
        let p = env_in(dir.path(), 0o644);
        let done = rewrite(&p, OLD, NEW, NOW).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), NEW);
        assert_eq!(mode(&p), 0o600);
        assert_eq!(done.backup, dir.path().join(".env.bak.20261207T101500Z"));
        assert_eq!(std::fs::read_to_string(&done.backup).unwrap(), OLD);
        assert_eq!(mode(&done.backup), 0o600);
        // A second write in the same second keeps the first backup.
        let again = rewrite(&p, NEW, OLD, NOW).unwrap();
        assert_eq!(again.backup, dir.path().join(".env.bak.20261207T101500Z.1"));
        assert_eq!(std::fs::read_to_string(&done.backup).unwrap(), OLD);
        assert_eq!(std::fs::read_to_string(&again.backup).unwrap(), NEW);
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 3, "no temporary file left");
    }

    #[test]
    fn a_symlink_stays_a_link_to_the_rewritten_target() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let target = env_in(&real, 0o600);
        let link = dir.path().join("link.env");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let done = rewrite(&link, OLD, NEW, NOW).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), NEW);
        assert_eq!(done.path, link);
        assert_eq!(done.backup, real.join(".env.bak.20261207T101500Z"));
    }

    #[test]
    fn refuses_a_changed_a_read_only_or_a_special_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = env_in(dir.path(), 0o600);
        let e = refused(dir.path(), &p, "A=0\n");
        assert!(e.contains("changed since supajwt read it"), "{e}");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
        let e = refused(dir.path(), &p, OLD);
        assert!(
            e.contains("read-only (mode 0444)") && e.contains("chmod u+w"),
            "{e}"
        );
        let e = rewrite(dir.path(), OLD, NEW, NOW).unwrap_err().0;
        assert!(e.contains("is not a regular file"), "{e}");
    }

    #[test]
    fn refuses_a_read_only_directory() {
        let dir = tempfile::tempdir().unwrap();
        let p = env_in(dir.path(), 0o600);
        let ro = std::fs::Permissions::from_mode(0o555);
        std::fs::set_permissions(dir.path(), ro).unwrap();
        let e = refused(dir.path(), &p, OLD);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(e.contains("is read-only (mode 0555)"), "{e}");
    }
}
