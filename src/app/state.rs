//! All of the window's state, the actions the UI emits, and the one place that applies them.

use super::clipboard::{ClipboardBackend, PendingClear, SystemClipboard, fingerprint};
use super::decode::DecodeState;
use super::doctor::DoctorState;
use super::jwks::JwksState;
use super::keys::KeysState;
use super::mint::MintState;
use super::pane::Pane;
use super::tasks::{
    OpenTarget, TaskResult, Tasks, pick_and_read, read_text_file, save_with_dialog,
};
use super::verify::VerifyState;
use crate::core::keys::{Key, KeySet, KeySetShape, load_keys};
use crate::core::secret::SecretString;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// Light, dark, or what the system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// The only state that is saved between sessions. Nothing secret belongs here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Colour theme.
    pub theme: ThemeChoice,
    /// The pane open at exit.
    pub last_pane: Pane,
    /// The last JWKS URL / project ref fetched (public information).
    pub last_jwks_url: String,
    /// Wipe copied secrets from the clipboard after a while.
    pub clipboard_auto_clear: bool,
    /// After how many seconds.
    pub clipboard_clear_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: ThemeChoice::System,
            last_pane: Pane::Decode,
            last_jwks_url: String::new(),
            clipboard_auto_clear: true,
            clipboard_clear_secs: 60,
        }
    }
}

/// A key available to every pane for this session (never saved).
pub struct RingKey {
    /// The key.
    pub key: Key,
    /// Where it came from: "generated ES256", "imported from key.pem".
    pub label: String,
}

/// A one-line message at the bottom of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The text.
    pub text: String,
    /// Shown in the error colour.
    pub is_error: bool,
}

/// What the UI asks for. The UI never changes state itself beyond its text fields.
pub enum Action {
    /// Show another pane.
    SwitchPane(Pane),
    /// Text pasted with Ctrl+V while no field had focus: decode it.
    PasteToDecode(String),
    /// The Decode input changed.
    DecodeChanged,
    /// Load the JWKS pane's pasted text.
    LoadJwksPaste,
    /// Fetch the JWKS URL field.
    FetchJwks,
    /// Forget the running fetch.
    CancelFetch,
    /// Re-run the Verify pane.
    VerifyChanged,
    /// Generate a key with the Keys pane's choices.
    Generate,
    /// Import the Keys pane's pasted text into the key ring.
    ImportPastedKeys,
    /// Remove a key from the ring.
    RemoveRingKey(usize),
    /// Mint a token with the Mint pane's fields.
    Mint,
    /// Re-sign the Mint pane's pasted token.
    Resign,
    /// Run the Doctor's checks.
    RunDoctor,
    /// Plan a key rotation in the Doctor pane.
    PlanRotation,
    /// Copy a value; `secret` starts the auto-clear countdown.
    Copy {
        /// The text.
        text: String,
        /// Whether it is secret (keys, secrets, service_role tokens).
        secret: bool,
    },
    /// Save a value to a file through the native dialog.
    Save {
        /// Suggested file name.
        name: String,
        /// Contents.
        contents: SecretString,
    },
    /// Open a file through the native dialog.
    Open(OpenTarget),
    /// A file dropped onto the window: (name, text or error).
    Dropped(Result<(String, String), String>),
    /// Change the theme.
    SetTheme(ThemeChoice),
}

/// The whole window.
pub struct AppState {
    /// Saved settings.
    pub settings: Settings,
    /// The visible pane.
    pub pane: Pane,
    /// A fixed clock (tests, screenshots); `None` reads the system clock.
    pub fixed_now: Option<i64>,
    /// Decode pane.
    pub decode: DecodeState,
    /// JWKS pane.
    pub jwks: JwksState,
    /// Verify pane.
    pub verify: VerifyState,
    /// Keys pane.
    pub keys: KeysState,
    /// Mint pane.
    pub mint: MintState,
    /// Doctor pane.
    pub doctor: DoctorState,
    /// The session's key ring.
    pub ring: Vec<RingKey>,
    /// Bottom-line message.
    pub status: Option<Status>,
    /// Copied secret waiting to be wiped.
    pub pending_clear: Option<PendingClear>,
    /// The clipboard.
    pub clipboard: Box<dyn ClipboardBackend>,
    /// Background jobs.
    pub tasks: Tasks,
    /// Jobs running (for spinners).
    pub busy: Busy,
}

/// Which background jobs are running.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Busy {
    /// Key generation.
    pub generating: bool,
    /// The fetch generation running, if any.
    pub fetching: Option<u64>,
    /// A file dialog is open.
    pub dialog: bool,
}

impl AppState {
    /// Fresh state with the given settings and the system clipboard.
    pub fn new(settings: Settings) -> AppState {
        AppState {
            pane: settings.last_pane,
            jwks: JwksState {
                url: settings.last_jwks_url.clone(),
                ..JwksState::default()
            },
            settings,
            fixed_now: None,
            decode: DecodeState::default(),
            verify: VerifyState::default(),
            keys: KeysState::default(),
            mint: MintState::default(),
            doctor: DoctorState::default(),
            ring: Vec::new(),
            status: None,
            pending_clear: None,
            clipboard: Box::new(SystemClipboard::default()),
            tasks: Tasks::default(),
            busy: Busy::default(),
        }
    }

    /// Seconds since 1970: the fixed clock if set, else the system's.
    pub fn now(&self) -> i64 {
        self.fixed_now.unwrap_or_else(crate::core::system_now)
    }

    /// The keys Decode and Verify can use: the loaded JWKS plus the key ring.
    pub fn available_keys(&self) -> Vec<(String, KeySet)> {
        let mut out = Vec::new();
        if let Some(loaded) = &self.jwks.loaded {
            out.push((format!("JWKS ({})", loaded.source), loaded.set.clone()));
        }
        for entry in &self.ring {
            out.push((
                entry.label.clone(),
                KeySet::single(entry.key.clone(), KeySetShape::SingleJwk),
            ));
        }
        out
    }

    fn say(&mut self, text: impl Into<String>, is_error: bool) {
        self.status = Some(Status {
            text: text.into(),
            is_error,
        });
    }

    /// Adds keys to the ring and refreshes the panes that use it.
    pub fn add_to_ring(&mut self, keys: Vec<Key>, label: &str) {
        let n = keys.len();
        for key in keys {
            let kind = key.kind_label();
            self.ring.push(RingKey {
                key,
                label: format!("{kind} — {label}"),
            });
        }
        self.say(format!("{n} key(s) added to the key ring ({label})"), false);
        self.refresh_derived();
    }

    /// Recomputes everything derived from keys (Decode's verdict, Verify, Mint's key list).
    pub fn refresh_derived(&mut self) {
        let now = self.now();
        let keys = self.available_keys();
        self.decode.recompute(now, &keys);
        self.verify.recompute(now, &keys);
        self.mint.clamp_key_choice(self.ring.len());
    }

    /// Applies one action. `ctx` is used to start background jobs and set the theme.
    pub fn handle(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::SwitchPane(p) => {
                self.pane = p;
                self.settings.last_pane = p;
            }
            Action::PasteToDecode(text) => {
                self.decode.input = text;
                self.pane = Pane::Decode;
                self.refresh_derived();
            }
            Action::DecodeChanged | Action::VerifyChanged => self.refresh_derived(),
            Action::LoadJwksPaste => {
                let text = self.jwks.paste.clone();
                self.jwks.load_text(&text, "pasted JSON");
                self.refresh_derived();
            }
            Action::FetchJwks => self.start_fetch(ctx),
            Action::CancelFetch => {
                self.busy.fetching = None;
                self.jwks.generation += 1;
                self.say("fetch cancelled", false);
            }
            Action::Generate => self.start_generate(ctx),
            Action::ImportPastedKeys => {
                let text = self.keys.import_text.clone();
                self.import_keys(&text, "pasted");
            }
            Action::RemoveRingKey(i) => {
                if i < self.ring.len() {
                    self.ring.remove(i);
                    self.refresh_derived();
                }
            }
            Action::Mint => {
                let now = self.now();
                self.mint.mint(now, &self.ring);
            }
            Action::Resign => self.mint.resign(&self.ring),
            Action::RunDoctor => {
                let now = self.now();
                self.doctor.run(now);
            }
            Action::PlanRotation => {
                let now = self.now();
                self.doctor.plan_rotation(now);
            }
            Action::Copy { text, secret } => self.copy(&text, secret),
            Action::Save { name, contents } => {
                self.busy.dialog = true;
                self.tasks.spawn(ctx, move || {
                    TaskResult::FileSaved(save_with_dialog(&name, &contents))
                });
            }
            Action::Open(target) => {
                self.busy.dialog = true;
                self.tasks
                    .spawn(ctx, move || TaskResult::FileOpened(target, pick_and_read()));
            }
            Action::Dropped(result) => self.route_file(OpenTarget::Auto, result),
            Action::SetTheme(t) => {
                self.settings.theme = t;
                apply_theme(ctx, t);
            }
        }
    }

    /// Applies finished background jobs.
    pub fn poll_tasks(&mut self) {
        for result in self.tasks.poll() {
            self.apply_task(result);
        }
    }

    /// Applies one finished job (also used by tests after `Tasks::wait_one`).
    pub fn apply_task(&mut self, result: TaskResult) {
        match result {
            TaskResult::KeyGenerated(result) => {
                self.busy.generating = false;
                match *result {
                    Ok(key) => {
                        self.keys.generated = Some(key.clone());
                        self.keys.refresh_outputs(self.now());
                        let label = format!("generated {}", key.alg.as_deref().unwrap_or("key"));
                        self.add_to_ring(vec![key], &label);
                    }
                    Err(e) => self.say(format!("key generation failed: {e}"), true),
                }
            }
            TaskResult::JwksFetched {
                url,
                generation,
                result,
            } => {
                if self.busy.fetching != Some(generation) {
                    return;
                }
                self.busy.fetching = None;
                match result {
                    Ok(set) => {
                        self.jwks.set_loaded(set, url.clone());
                        self.say(format!("fetched {url}"), false);
                    }
                    Err(e) => {
                        self.jwks.error = Some(e.clone());
                        self.say(format!("fetch failed: {e}"), true);
                    }
                }
                self.refresh_derived();
            }
            TaskResult::FileOpened(target, result) => {
                self.busy.dialog = false;
                self.route_file(target, result);
            }
            TaskResult::FileSaved(result) => {
                self.busy.dialog = false;
                match result {
                    Ok(path) => self.say(format!("saved to {path}"), false),
                    Err(e) => self.say(e, true),
                }
            }
        }
    }

    /// Wipes the clipboard when a copied secret's countdown ends (if it still holds it).
    pub fn tick_clipboard(&mut self, now: Instant) {
        let Some(pending) = &self.pending_clear else {
            return;
        };
        if now < pending.deadline {
            return;
        }
        let still_ours = self
            .clipboard
            .get_text()
            .is_ok_and(|t| fingerprint(&t) == pending.fingerprint);
        if still_ours {
            let _ = self.clipboard.clear();
            self.say("clipboard cleared", false);
        }
        self.pending_clear = None;
    }

    fn copy(&mut self, text: &str, secret: bool) {
        match self.clipboard.set_text(text) {
            Ok(()) => {
                if secret && self.settings.clipboard_auto_clear {
                    self.pending_clear = Some(PendingClear::new(
                        text,
                        self.settings.clipboard_clear_secs,
                        Instant::now(),
                    ));
                    self.say(
                        format!(
                            "copied (secret: the clipboard is cleared in {} s)",
                            self.settings.clipboard_clear_secs
                        ),
                        false,
                    );
                } else {
                    self.say("copied", false);
                }
            }
            Err(e) => self.say(e, true),
        }
    }

    fn import_keys(&mut self, text: &str, label: &str) {
        match load_keys(text) {
            Ok(set) => {
                self.keys.import_error = None;
                self.add_to_ring(set.keys, label);
            }
            Err(e) => {
                self.keys.import_error = Some(e.to_string());
                self.say(format!("import failed: {e}"), true);
            }
        }
    }

    fn start_generate(&mut self, ctx: &egui::Context) {
        if self.busy.generating {
            return;
        }
        self.busy.generating = true;
        let (alg, kid) = self.keys.choice();
        self.tasks.spawn(ctx, move || {
            TaskResult::KeyGenerated(Box::new(crate::core::keys::generate(alg, kid)))
        });
    }

    fn start_fetch(&mut self, ctx: &egui::Context) {
        let url = match crate::fetch::jwks_url_for(&self.jwks.url) {
            Ok(url) => url,
            Err(e) => {
                self.jwks.error = Some(e.clone());
                self.say(e, true);
                return;
            }
        };
        self.settings.last_jwks_url = self.jwks.url.trim().to_string();
        self.jwks.generation += 1;
        let generation = self.jwks.generation;
        self.busy.fetching = Some(generation);
        self.jwks.error = None;
        self.tasks.spawn(ctx, move || TaskResult::JwksFetched {
            url: url.to_string(),
            generation,
            result: crate::fetch::fetch_jwks(&url),
        });
    }

    /// Sends a file's contents where they belong: token → Decode, key set → JWKS,
    /// single key / PEM → key ring.
    fn route_file(&mut self, target: OpenTarget, result: Result<(String, String), String>) {
        let (name, text) = match result {
            Ok(ok) => ok,
            Err(e) => return self.say(e, true),
        };
        match (target, super::route::classify(&text)) {
            (OpenTarget::Jwks, _) | (OpenTarget::Auto, super::route::Content::KeySet) => {
                self.jwks.paste = text.clone();
                self.jwks.load_text(&text, &name);
                self.pane = Pane::Jwks;
                self.refresh_derived();
            }
            (OpenTarget::KeyImport, _) | (OpenTarget::Auto, super::route::Content::Key) => {
                self.pane = Pane::Keys;
                self.import_keys(&text, &format!("imported from {name}"));
            }
            (OpenTarget::Doctor(kind), _)
            | (OpenTarget::Auto, super::route::Content::Config(kind)) => {
                *self.doctor.text_mut(kind) = text;
                self.pane = Pane::Doctor;
                let now = self.now();
                self.doctor.run(now);
                self.say(format!("{name} loaded as {}", kind.label()), false);
            }
            (OpenTarget::Auto, super::route::Content::Token(token)) => {
                self.decode.input = token;
                self.pane = Pane::Decode;
                self.refresh_derived();
                self.say(format!("decoding the token from {name}"), false);
            }
            (OpenTarget::Auto, super::route::Content::Unknown) => {
                self.say(
                    format!("{name}: not a token, key, key set or .env with a token in it"),
                    true,
                );
            }
        }
    }

    /// Reads a dropped file (path first; the size is checked before reading).
    pub fn read_dropped(file: &dyn egui::DroppedFile) -> Result<(String, String), String> {
        read_text_file(file.path())
    }
}

/// Sets egui's theme from the setting.
pub fn apply_theme(ctx: &egui::Context, theme: ThemeChoice) {
    ctx.set_theme(match theme {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    });
}
