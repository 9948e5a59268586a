//! Rewriting a user's config file (the stack's `.env`) in place, for `supajwt key … --write`
//! and the window's Save: a `.env.bak.<UTC time>` backup first, then a temporary file renamed
//! over the original, ending `0600`. On any failure the original is left untouched.

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

/// Replaces the contents of `path`, which must still read `old`, with `new`; `now` (seconds
/// since 1970) names the backup.
pub fn rewrite(path: &Path, old: &str, new: &str, now: i64) -> Result<Rewritten, RewriteError> {
    let _ = (old, new, now);
    Err(RewriteError(format!(
        "{}: writing in place is not implemented yet",
        path.display()
    )))
}
