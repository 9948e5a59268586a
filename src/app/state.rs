//! All of the window's state, the actions the UI emits, and the one place that applies them.

use super::about::AboutState;
use super::clipboard::{ClipboardBackend, PendingClear, SystemClipboard};
use super::decode::DecodeState;
use super::doctor::DoctorState;
use super::jwks::JwksState;
use super::keys::KeysState;
use super::mint::MintState;
use super::pane::Pane;
pub use super::settings::{Settings, ThemeChoice, apply_theme};
use super::tasks::{OpenTarget, TaskResult, Tasks, pick_and_read, save_with_dialog};
use super::verify::VerifyState;
use crate::core::keys::{Key, KeySet, KeySetShape};
use crate::core::secret::SecretString;

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
    /// Show the About / Self-test dialog.
    OpenAbout,
    /// Close it.
    CloseAbout,
    /// Run the self-test (off the UI thread).
    RunSelftest,
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
    /// The About / Self-test dialog.
    pub about: AboutState,
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
            about: AboutState::default(),
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

    /// Shows in the status area what was wrong with the saved settings (and what was reset).
    pub fn report_setting_notes(&mut self, notes: &[String]) {
        if !notes.is_empty() {
            self.say(format!("settings: {}", notes.join("; ")), true);
        }
    }

    pub(super) fn say(&mut self, text: impl Into<String>, is_error: bool) {
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
                self.import_keys(text.expose(), "pasted");
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
            Action::OpenAbout => self.about.open = true,
            Action::CloseAbout => self.about.open = false,
            Action::RunSelftest => {
                if !self.about.running {
                    self.about.running = true;
                    let clock = crate::core::selftest::SelftestClock {
                        now: self.now(),
                        build_time: crate::build_info::build_time(),
                    };
                    self.tasks.spawn(ctx, move || {
                        TaskResult::SelftestDone(crate::core::selftest::run_selftest(clock))
                    });
                }
            }
        }
    }
}
