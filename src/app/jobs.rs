//! The parts of [`AppState::handle`] that start or finish background work: key generation,
//! JWKS fetches, file dialogs and dropped files, and the clipboard countdown.

use super::clipboard::{PendingClear, fingerprint};
use super::pane::Pane;
use super::state::AppState;
use super::tasks::{OpenTarget, TaskResult, read_text_file};
use crate::core::keys::load_keys;
use std::time::Instant;

impl AppState {
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
            TaskResult::SelftestDone(checks) => {
                self.about.running = false;
                self.about.checks = Some(checks);
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

    pub(super) fn copy(&mut self, text: &str, secret: bool) {
        match self.clipboard.set_text(text) {
            Ok(()) => {
                if secret && self.settings.clipboard_auto_clear {
                    let pending =
                        PendingClear::new(text, self.settings.clipboard_clear_secs, Instant::now());
                    let secs = pending.remaining(Instant::now());
                    self.pending_clear = Some(pending);
                    self.say(
                        format!("copied (secret: the clipboard is cleared in {secs} s)"),
                        false,
                    );
                } else {
                    self.say("copied", false);
                }
            }
            Err(e) => self.say(e, true),
        }
    }

    pub(super) fn import_keys(&mut self, text: &str, label: &str) {
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

    pub(super) fn start_generate(&mut self, ctx: &egui::Context) {
        if self.busy.generating {
            return;
        }
        self.busy.generating = true;
        let (alg, kid) = self.keys.choice();
        self.tasks.spawn(ctx, move || {
            TaskResult::KeyGenerated(Box::new(crate::core::keys::generate(alg, kid)))
        });
    }

    pub(super) fn start_fetch(&mut self, ctx: &egui::Context) {
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
    pub(super) fn route_file(
        &mut self,
        target: OpenTarget,
        result: Result<(String, String), String>,
    ) {
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
