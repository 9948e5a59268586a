//! A key of the session's ring and where it came from: the words Keys, JWKS, the Doctor and
//! the window use to add keys to the ring, and Mint and Verify to pick them.

use crate::jose::keys::Key;

/// Where a ring key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    /// Generated in the Keys pane.
    Generated,
    /// Imported from a paste or a file (its name).
    Imported(String),
    /// Part of a key set loaded in the JWKS pane (file name, "pasted JSON" or URL).
    Jwks(String),
    /// Read from the Doctor's configuration (the variable).
    Config(String),
}

impl KeyOrigin {
    /// "generated", "imported from key.pem", "JWKS https://…", "config JWT_SECRET".
    pub fn describe(&self) -> String {
        match self {
            KeyOrigin::Generated => "generated".into(),
            KeyOrigin::Imported(from) => format!("imported from {from}"),
            KeyOrigin::Jwks(from) => format!("JWKS {from}"),
            KeyOrigin::Config(from) => format!("config {from}"),
        }
    }
}

/// One key of the session's ring (never saved).
pub struct RingKey {
    /// Stable for the session: Mint's signer and Remove refer to keys by it.
    pub id: u64,
    /// The key.
    pub key: Key,
    /// Where it came from.
    pub origin: KeyOrigin,
}

impl RingKey {
    /// "ES256 — generated".
    pub fn label(&self) -> String {
        format!("{} — {}", self.key.kind_label(), self.origin.describe())
    }
}
