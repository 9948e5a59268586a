//! The system clipboard behind a small trait (so tests can use a memory clipboard), with the
//! auto-clear countdown for secrets and service_role tokens.

use std::time::{Duration, Instant};

/// Where copied text goes.
pub trait ClipboardBackend {
    /// Puts text on the clipboard.
    fn set_text(&mut self, text: &str) -> Result<(), String>;
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
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        self.open()?
            .set_text(text.to_string())
            .map_err(|e| format!("copy failed: {e}"))
    }
    fn get_text(&mut self) -> Result<String, String> {
        self.open()?.get_text().map_err(|e| e.to_string())
    }
    fn clear(&mut self) -> Result<(), String> {
        self.open()?.clear().map_err(|e| e.to_string())
    }
}

/// A clipboard in memory, for tests and for machines without one.
#[derive(Default)]
pub struct MemoryClipboard {
    /// What was copied last.
    pub text: Option<String>,
}

impl ClipboardBackend for MemoryClipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        self.text = Some(text.to_string());
        Ok(())
    }
    fn get_text(&mut self) -> Result<String, String> {
        self.text.clone().ok_or_else(|| "empty".into())
    }
    fn clear(&mut self) -> Result<(), String> {
        self.text = None;
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
