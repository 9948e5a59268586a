//! What panes and the window ask of each other: [`Action`]s change the shared state (applied in
//! one place, `AppState::handle`), and an [`Intent`] is what a jump to another pane asks of it.

use super::pane_id::Pane;
use super::ring::KeyOrigin;
use super::settings::ThemeChoice;
use crate::jose::classified::Classified;
use crate::jose::keys::KeySet;
use std::path::PathBuf;

/// What panes and the window ask of the shared state. A pane's own fields change in the pane.
pub enum Action {
    /// Show another pane.
    SwitchPane(Pane),
    /// Make this the current token (every pane sees it).
    SetToken(String),
    /// Make this the current token and show it in a pane (Decode, Verify, Mint).
    OpenToken {
        /// The token text.
        text: String,
        /// Where to look at it.
        pane: Pane,
    },
    /// Show a pane and hand it an [`Intent`] (a one-click fix from a finding).
    Go {
        /// The pane to show.
        pane: Pane,
        /// What it should do.
        intent: Intent,
    },
    /// Add keys to the ring.
    AddKeys {
        /// The keys (a loaded JWKS keeps its unreadable entries for kid lookups).
        set: KeySet,
        /// Where they came from.
        origin: KeyOrigin,
    },
    /// Remove a ring key by id.
    RemoveRingKey(u64),
    /// Empty the ring.
    ClearRing,
    /// Copy a value; `secret` starts the auto-clear countdown.
    /// A [`Classified::Secret`] (keys, secrets, service_role tokens) is wiped from the
    /// clipboard after the countdown.
    Copy(Classified),
    /// Save a value to a file (the native dialog, else the in-app path field).
    Save {
        /// Suggested file name.
        name: String,
        /// Contents: a [`Classified::Secret`] (keys, secrets, service_role tokens) is written
        /// with mode 0600.
        contents: Classified,
    },
    /// Write the save waiting in the path window to its typed path.
    SaveToPath,
    /// Drop the save waiting in the path window.
    CancelSave,
    /// A message for the status history.
    Say {
        /// The text.
        text: String,
        /// Shown as an error.
        is_error: bool,
    },
    /// A file dropped onto the window: read it off the UI thread, then route it.
    Dropped(PathBuf),
    /// A file's text to route by content to the pane that takes it.
    Route {
        /// File name (or "pasted text").
        name: String,
        /// Its text.
        text: String,
    },
    /// Remember the directory of a file opened or dropped: the next file dialog or path field
    /// starts there (for the session only).
    RememberDir(PathBuf),
    /// Remember the JWKS URL for the next session.
    RememberJwksUrl(String),
    /// Change the theme.
    SetTheme(ThemeChoice),
    /// Show the About / Self-test dialog.
    OpenAbout,
    /// Close it.
    CloseAbout,
    /// Run the self-test (off the UI thread).
    RunSelftest,
}

/// What a one-click jump from a finding (or the window, for a dropped HAR) asks of the pane it
/// opens. The inputs it carries are in the shared state (the current token, the key ring) or in
/// the intent itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Verify: check the current token (with the ring's keys when `with_ring`).
    VerifyToken {
        /// Select "Loaded keys" as the key source.
        with_ring: bool,
    },
    /// Mint: prepare a new token for this role (e.g. after an expired or wrong-role key).
    MintRole(crate::supabase::mint::MintRole),
    /// Mint: re-sign the current token with another key.
    ResignToken,
    /// Doctor: open the rotation assistant.
    Rotate,
    /// Keys: choose this algorithm for the next key (a finding's "Generate a new secret…").
    GenerateKey(crate::jose::alg::Alg),
    /// Decode: summarise a dropped HAR file, streamed from its path on the worker (it can be
    /// hundreds of MiB: too big to read into the window and classify by content).
    ReadHar(PathBuf),
}
