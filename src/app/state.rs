//! The window's state (the panes, the shared part, the About dialog) and the one place that
//! applies the [`Action`]s that change shared state.

use super::about::AboutState;
use super::files::PendingSave;
use super::pane::PaneView;
use super::registry::Panes;
use super::shared::{Ctx, Shared};
use super::tasks::{TaskResult, read_text_file};
use super::vocab::settings::apply_theme;
use super::vocab::{Action, Intent, Pane, Settings};

/// The whole window.
pub struct AppState {
    /// The visible pane.
    pub pane: Pane,
    /// Every pane's own state.
    pub panes: Panes,
    /// What the panes share.
    pub shared: Shared,
    /// The About / Self-test dialog.
    pub about: AboutState,
}

impl AppState {
    /// Fresh state with the given settings and the system clipboard.
    pub fn new(settings: Settings) -> AppState {
        AppState {
            pane: settings.last_pane,
            panes: Panes::new(&settings),
            shared: Shared::new(settings),
            about: AboutState::default(),
        }
    }

    /// Shows in the status area what was wrong with the saved settings (and what was reset).
    pub fn report_setting_notes(&mut self, notes: &[String]) {
        if !notes.is_empty() {
            self.shared
                .say(format!("settings: {}", notes.join("; ")), true);
        }
    }

    /// Applies actions, then lets every pane catch up with what changed (its `update`), and
    /// applies what those updates asked for, until nothing is left (at most a few rounds).
    pub fn handle_all(&mut self, mut actions: Vec<Action>, ctx: &egui::Context) {
        for _ in 0..4 {
            for action in actions.drain(..) {
                self.handle(action, ctx);
            }
            for &pane in Pane::ALL {
                actions.extend(self.in_pane(pane, ctx, |view, c| view.update(c)));
            }
            if actions.is_empty() {
                return;
            }
        }
    }

    /// Applies one action. `ctx` starts background jobs and sets the theme.
    pub fn handle(&mut self, action: Action, ctx: &egui::Context) {
        let shared = &mut self.shared;
        match action {
            Action::SwitchPane(p) => {
                self.pane = p;
                shared.settings.last_pane = p;
            }
            Action::SetToken(text) => shared.set_token(text),
            Action::OpenToken { text, pane } => {
                shared.set_token(text);
                self.pane = pane;
            }
            Action::Go { pane, intent } => {
                self.pane = pane;
                for action in self.in_pane(pane, ctx, |view, c| view.on_intent(&intent, c)) {
                    self.handle(action, ctx);
                }
            }
            Action::AddKeys { set, origin } => {
                let n = set.keys.len();
                let from = origin.describe();
                shared.ring.add(set, origin);
                let keys = super::widgets::count(n, "key", "keys");
                shared.say(format!("{keys} added to the key ring ({from})"), false);
            }
            Action::RemoveRingKey(id) => shared.ring.remove(id),
            Action::ClearRing => {
                shared.ring.clear();
                shared.say("key ring cleared", false);
            }
            Action::Copy(value) => self.copy(value.as_shown()),
            Action::Save { name, contents } => {
                let save = PendingSave::new(name, contents, shared.last_dir.clone());
                shared.saves.start(shared.dialogs, &shared.tasks, ctx, save);
            }
            Action::SaveToPath => shared.saves.write_pending(&shared.tasks, ctx),
            Action::CancelSave => {
                if let Some(save) = shared.saves.pending.take() {
                    shared.saves.last = Some((save.name, "not saved".into(), false));
                }
            }
            Action::Say { text, is_error } => shared.say(text, is_error),
            Action::RememberDir(dir) => shared.last_dir = Some(dir),
            Action::Dropped(path) if is_har(&path) => {
                shared.last_dir = path.parent().map(std::path::Path::to_path_buf);
                // A HAR can be hundreds of MiB: Decode streams it from the file on the worker.
                let intent = Intent::ReadHar(path);
                self.handle(
                    Action::Go {
                        pane: Pane::Decode,
                        intent,
                    },
                    ctx,
                );
            }
            Action::Dropped(path) => {
                shared.last_dir = path.parent().map(std::path::Path::to_path_buf);
                shared
                    .tasks
                    .spawn(ctx, move || TaskResult::FileRead(read_text_file(&path)));
            }
            Action::Route { name, text } => self.route(&name, text, ctx),
            Action::RememberJwksUrl(url) => shared.settings.last_jwks_url = url,
            Action::SetTheme(t) => {
                shared.settings.theme = t;
                apply_theme(ctx, t);
            }
            Action::OpenAbout => self.about.open = true,
            Action::CloseAbout => self.about.open = false,
            Action::RunSelftest => {
                if !self.about.running {
                    self.about.running = true;
                    let clock = crate::selftest::SelftestClock {
                        now: shared.now(),
                        build_time: crate::build_info::build_time(),
                        give_time: None,
                    };
                    shared.tasks.spawn(ctx, move || {
                        TaskResult::SelftestDone(crate::selftest::run_selftest(clock))
                    });
                }
            }
        }
    }

    /// Lets one pane act with its [`Ctx`] (an update, a finished job, an intent, a file) and
    /// returns the actions it sent, for the caller to apply.
    pub(super) fn in_pane(
        &mut self,
        pane: Pane,
        ctx: &egui::Context,
        act: impl FnOnce(&mut dyn PaneView, &mut Ctx<'_>),
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let mut c = Ctx::new(&self.shared, &mut actions, ctx, pane);
        act(self.panes.get_mut(pane), &mut c);
        actions
    }

    /// Sends a file's text to the pane that takes its content (token → Decode, key set →
    /// JWKS, key → Keys, configuration → Doctor) and shows that pane.
    fn route(&mut self, name: &str, text: String, ctx: &egui::Context) {
        let content = super::vocab::route::classify(&text);
        let Some(&pane) = Pane::ALL
            .iter()
            .find(|&&p| self.panes.get(p).accepts(&content))
        else {
            return self.shared.say(
                format!(
                    "{}: not a token, key, key set, configuration or .env with a token in it",
                    super::widgets::esc(name)
                ),
                true,
            );
        };
        self.pane = pane;
        for action in self.in_pane(pane, ctx, |view, c| view.receive(content, name, text, c)) {
            self.handle(action, ctx);
        }
    }
}

/// A `.har` file (by extension: its text is too big to classify by content).
fn is_har(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("har"))
}
