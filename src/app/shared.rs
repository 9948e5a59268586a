//! What the panes share: the current token, the key ring, the clock, the status history, the
//! clipboard and the background worker ([`Shared`]), and the narrow view a pane gets of it while
//! it draws ([`Ctx`]).

use super::clipboard::{ClipboardBackend, CopyOutcome, PendingClear, SystemClipboard};
use super::tasks::{TaskResult, Tasks};
use super::vocab::{Action, KeyOrigin, Pane, RingKey, Settings};
use crate::jose::keys::{Key, KeySet, KeySetShape};
use std::any::Any;

/// The token every pane starts from: pasted in Decode, Verify, Mint's re-sign or the Doctor, it
/// becomes the current one everywhere (each pane can still edit its copy).
#[derive(Default)]
pub struct CurrentToken {
    /// The text as pasted (may carry `Bearer `, `ANON_KEY=`, quotes).
    pub text: String,
    /// Bumped on every change, so panes know when to re-read it.
    pub rev: u64,
}

/// The session's keys: generated, imported, loaded from a JWKS or a configuration.
#[derive(Default)]
pub struct KeyRing {
    /// The keys, oldest first.
    pub entries: Vec<RingKey>,
    /// Bumped on every change.
    pub rev: u64,
    next_id: u64,
    /// The loaded JWKS's entries that could not be read (a token naming their kid gets their
    /// error) and its warnings.
    jwks_rest: Option<KeySet>,
}

impl KeyRing {
    /// Adds keys. Keys of a new JWKS replace those of the previous JWKS (one set loaded at a
    /// time), and a key already in the ring with the same origin is not added twice.
    pub fn add(&mut self, set: KeySet, origin: KeyOrigin) {
        let keys = set.keys;
        if matches!(origin, KeyOrigin::Jwks(_)) {
            self.entries
                .retain(|e| !matches!(e.origin, KeyOrigin::Jwks(_)));
            self.jwks_rest = Some(KeySet {
                keys: Vec::new(),
                shape: set.shape,
                warnings: set.warnings,
                unreadable: set.unreadable,
            });
        }
        if let KeyOrigin::Config(_) = origin {
            self.entries.retain(|e| e.origin != origin);
        }
        for key in keys {
            self.next_id += 1;
            self.entries.push(RingKey {
                id: self.next_id,
                key,
                origin: origin.clone(),
            });
        }
        self.rev += 1;
    }

    /// Removes one key.
    pub fn remove(&mut self, id: u64) {
        self.entries.retain(|e| e.id != id);
        self.rev += 1;
    }

    /// Empties the ring.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.jwks_rest = None;
        self.rev += 1;
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the ring is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A key by id.
    pub fn get(&self, id: u64) -> Option<&RingKey> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The keys as verification sources: a loaded JWKS is one set (so its kids select among
    /// its keys), every other key is a set of its own.
    pub fn key_sets(&self) -> Vec<(String, KeySet)> {
        let mut out: Vec<(String, KeySet)> = Vec::new();
        let mut jwks: Option<(String, Vec<Key>)> = None;
        for e in &self.entries {
            match &e.origin {
                KeyOrigin::Jwks(from) => jwks
                    .get_or_insert_with(|| (format!("JWKS ({from})"), Vec::new()))
                    .1
                    .push(e.key.clone()),
                _ => out.push((
                    e.label(),
                    KeySet::single(e.key.clone(), KeySetShape::SingleJwk),
                )),
            }
        }
        if let Some((name, keys)) = jwks {
            let rest = self.jwks_rest.as_ref();
            let set = KeySet {
                keys,
                shape: rest.map_or(KeySetShape::Jwks, |r| r.shape),
                warnings: rest.map(|r| r.warnings.clone()).unwrap_or_default(),
                unreadable: rest.map(|r| r.unreadable.clone()).unwrap_or_default(),
            };
            out.insert(0, (name, set));
        }
        out
    }
}

/// One message of the status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The text.
    pub text: String,
    /// Shown in the error colour.
    pub is_error: bool,
}

/// How many status messages are kept.
pub const STATUS_HISTORY: usize = 50;

/// Everything shared between panes.
pub struct Shared {
    /// Saved settings.
    pub settings: Settings,
    /// A fixed clock (tests, screenshots); `None` reads the system clock.
    pub fixed_now: Option<i64>,
    /// The current token.
    pub token: CurrentToken,
    /// The key ring.
    pub ring: KeyRing,
    /// Status messages, oldest first (the bar shows the last).
    pub status: Vec<Status>,
    /// A copied secret waiting to be wiped.
    pub pending_clear: Option<PendingClear>,
    /// How the last copy went (the Copy button shows it).
    pub last_copy: Option<CopyOutcome>,
    /// The clipboard.
    pub clipboard: Box<dyn ClipboardBackend>,
    /// The background worker's channel.
    pub tasks: Tasks,
    /// Whether Open/Save use the system's dialog or the in-app path field.
    pub dialogs: super::files::DialogMode,
    /// The save waiting for a path and the last save's outcome.
    pub saves: super::file_save::Saves,
    /// The directory of the last file opened or dropped this session: the next file dialog or
    /// path field starts there (never saved).
    pub last_dir: Option<std::path::PathBuf>,
}

impl Shared {
    /// Fresh shared state with the system clipboard.
    pub fn new(settings: Settings) -> Shared {
        Shared {
            settings,
            fixed_now: None,
            token: CurrentToken::default(),
            ring: KeyRing::default(),
            status: Vec::new(),
            pending_clear: None,
            last_copy: None,
            clipboard: Box::new(SystemClipboard::default()),
            tasks: Tasks::default(),
            dialogs: super::files::DialogMode::detect(),
            saves: super::file_save::Saves::default(),
            last_dir: None,
        }
    }

    /// Seconds since 1970: the fixed clock if set, else the system's.
    pub fn now(&self) -> i64 {
        self.fixed_now.unwrap_or_else(crate::jose::time::system_now)
    }

    /// The last status message.
    pub fn last_status(&self) -> Option<&Status> {
        self.status.last()
    }

    /// Adds a status message to the history.
    pub fn say(&mut self, text: impl Into<String>, is_error: bool) {
        if self.status.len() >= STATUS_HISTORY {
            self.status.remove(0);
        }
        self.status.push(Status {
            text: text.into(),
            is_error,
        });
    }

    /// Replaces the current token.
    pub fn set_token(&mut self, text: String) {
        if self.token.text != text {
            self.token.text = text;
            self.token.rev += 1;
        }
    }
}

/// What a pane sees while it draws or updates: the shared state (read only), a sender for
/// [`Action`]s, and the background worker.
pub struct Ctx<'a> {
    /// The shared state.
    pub shared: &'a Shared,
    actions: &'a mut Vec<Action>,
    egui: &'a egui::Context,
    pane: Pane,
}

impl<'a> Ctx<'a> {
    /// A context for `pane`.
    pub fn new(
        shared: &'a Shared,
        actions: &'a mut Vec<Action>,
        egui: &'a egui::Context,
        pane: Pane,
    ) -> Ctx<'a> {
        Ctx {
            shared,
            actions,
            egui,
            pane,
        }
    }

    /// Asks for a change of shared state (applied after the frame, in one place).
    pub fn send(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// The clock.
    pub fn now(&self) -> i64 {
        self.shared.now()
    }

    /// Runs `job` on the background worker; its result comes back to this pane's
    /// [`PaneView::on_task`](super::pane::PaneView::on_task).
    pub fn spawn<T: Any + Send>(&self, job: impl FnOnce() -> T + Send + 'static) {
        let pane = self.pane;
        self.shared
            .tasks
            .spawn(self.egui, move || TaskResult::Pane {
                pane,
                result: Box::new(job()),
            });
    }

    /// The egui context (repaint requests).
    pub fn egui(&self) -> &egui::Context {
        self.egui
    }
}
