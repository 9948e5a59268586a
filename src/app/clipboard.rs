//! The system clipboard behind a small trait (so tests can use a memory clipboard), with the
//! auto-clear countdown for secrets and service_role tokens. A secret is copied with the
//! password-manager hint, so clipboard managers keep it out of their history.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// What a copied value is, for the clipboard managers that keep a history (Klipper, GNOME
/// extensions, Windows clipboard history and cloud sync, macOS clipboard tools).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    /// A public value: it may stay in the history.
    Public,
    /// A secret: copied with the password-manager hint that history keepers honour (on Linux
    /// the `x-kde-passwordManagerHint` target with the value `secret`, on Windows the
    /// exclude-from-history and exclude-from-cloud formats, on macOS
    /// `org.nspasteboard.ConcealedType`).
    Secret,
}

impl CopyKind {
    /// [`CopyKind::Secret`] when `secret`, else [`CopyKind::Public`].
    pub fn of(secret: bool) -> CopyKind {
        if secret {
            CopyKind::Secret
        } else {
            CopyKind::Public
        }
    }
}

/// Where copied text goes.
pub trait ClipboardBackend {
    /// Puts text on the clipboard, with the password-manager hint when `kind` is a secret.
    fn set_text(&mut self, text: &str, kind: CopyKind) -> Result<(), String>;
    /// Reads the clipboard's text.
    fn get_text(&mut self) -> Result<String, String>;
    /// Empties the clipboard.
    fn clear(&mut self) -> Result<(), String>;
}

/// The system clipboard through arboard, opened lazily. On X11 the copied text lives as long as
/// this object (the app), so it is kept for the whole session.
#[derive(Default)]
pub struct SystemClipboard {
    inner: Option<arboard::Clipboard>,
}

impl SystemClipboard {
    fn open(&mut self) -> Result<&mut arboard::Clipboard, String> {
        if self.inner.is_none() {
            let cb = arboard::Clipboard::new().map_err(|e| {
                format!(
                    "no system clipboard is available ({e}); select the text and copy it by hand"
                )
            })?;
            self.inner = Some(cb);
        }
        self.inner
            .as_mut()
            .ok_or_else(|| "no clipboard".to_string())
    }
}

impl ClipboardBackend for SystemClipboard {
    fn set_text(&mut self, text: &str, kind: CopyKind) -> Result<(), String> {
        let set = self.open()?.set();
        let set = match kind {
            CopyKind::Secret => exclude_from_history(set),
            CopyKind::Public => set,
        };
        set.text(text.to_string())
            .map_err(|e| format!("copy failed: {e}"))
    }
    fn get_text(&mut self) -> Result<String, String> {
        self.open()?.get_text().map_err(|e| e.to_string())
    }
    fn clear(&mut self) -> Result<(), String> {
        self.open()?.clear().map_err(|e| e.to_string())
    }
}

/// The hint that keeps a secret out of clipboard histories, where arboard has one (Linux X11
/// and Wayland: `x-kde-passwordManagerHint`).
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
))]
fn exclude_from_history(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtLinux;
    set.exclude_from_history()
}

/// Windows: out of the clipboard history and of cloud clipboard sync.
#[cfg(windows)]
fn exclude_from_history(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtWindows;
    set.exclude_from_history().exclude_from_cloud()
}

/// macOS: `org.nspasteboard.ConcealedType`.
#[cfg(target_os = "macos")]
fn exclude_from_history(set: arboard::Set<'_>) -> arboard::Set<'_> {
    use arboard::SetExtApple;
    set.exclude_from_history()
}

/// Elsewhere arboard knows no such hint.
#[cfg(any(
    target_os = "android",
    target_os = "emscripten",
    not(any(unix, windows))
))]
fn exclude_from_history(set: arboard::Set<'_>) -> arboard::Set<'_> {
    set
}

/// A clipboard in memory, for tests and for machines without one. Its clones share the
/// contents: a test keeps one and gives the window another, then reads what was copied and
/// how it was marked.
#[derive(Default, Clone)]
pub struct MemoryClipboard {
    contents: Arc<Mutex<Option<(String, CopyKind)>>>,
}

impl MemoryClipboard {
    /// How the text on it was marked when copied (`None` when empty).
    pub fn kind(&self) -> Option<CopyKind> {
        self.with(|c| c.as_ref().map(|(_, kind)| *kind))
    }

    fn with<R>(&self, f: impl FnOnce(&mut Option<(String, CopyKind)>) -> R) -> R {
        f(&mut self.contents.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl ClipboardBackend for MemoryClipboard {
    fn set_text(&mut self, text: &str, kind: CopyKind) -> Result<(), String> {
        self.with(|c| *c = Some((text.to_string(), kind)));
        Ok(())
    }
    fn get_text(&mut self) -> Result<String, String> {
        self.with(|c| c.as_ref().map(|(text, _)| text.clone()))
            .ok_or_else(|| "empty".into())
    }
    fn clear(&mut self) -> Result<(), String> {
        self.with(|c| *c = None);
        Ok(())
    }
}

/// A copied secret waiting to be wiped from the clipboard.
#[derive(Debug, Clone)]
pub struct PendingClear {
    /// When to wipe it.
    pub deadline: Instant,
    /// A fingerprint of what was copied, so text the user copied since is left alone.
    pub fingerprint: [u8; 32],
}

impl PendingClear {
    /// A countdown of `secs` for `text` (at most an hour: a larger value from a damaged
    /// settings file cannot overflow the clock).
    pub fn new(text: &str, secs: u64, now: Instant) -> Self {
        let secs = secs.min(*super::vocab::settings::CLEAR_SECS_RANGE.end());
        PendingClear {
            deadline: now.checked_add(Duration::from_secs(secs)).unwrap_or(now),
            fingerprint: fingerprint(text),
        }
    }

    /// Seconds left, rounded up.
    pub fn remaining(&self, now: Instant) -> u64 {
        let left = self.deadline.saturating_duration_since(now);
        left.as_secs() + u64::from(left.subsec_nanos() > 0)
    }
}

/// SHA-256 of the text: the pending clear keeps this, not the secret.
pub fn fingerprint(text: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).into()
}

/// How the last copy went: the Copy button whose value it was says "Copied!" (or that it
/// failed) on itself. Holds a fingerprint, not the text.
#[derive(Debug, Clone)]
pub struct CopyOutcome {
    /// [`fingerprint`] of the copied text.
    pub fingerprint: [u8; 32],
    /// When it was copied.
    pub at: Instant,
    /// Why it failed, if it did.
    pub error: Option<String>,
}
