//! Finished background jobs coming back to the window, and the clipboard with its countdown.

use super::clipboard::{CopyKind, CopyOutcome, PendingClear, fingerprint};
use super::file_open::FileJob;
use super::state::AppState;
use super::tasks::TaskResult;
use super::vocab::Action;
use crate::jose::classified::Shown;
use std::time::Instant;

impl AppState {
    /// Applies every job that finished since the last frame.
    pub fn poll_tasks(&mut self, ctx: &egui::Context) {
        for result in self.shared.tasks.poll() {
            self.apply_task(result, ctx);
        }
    }

    /// Applies one finished job (also used by tests after `Tasks::wait_one`).
    pub fn apply_task(&mut self, result: TaskResult, ctx: &egui::Context) {
        match result {
            TaskResult::Pane { pane, result } => {
                let opened = result
                    .downcast_ref::<FileJob>()
                    .and_then(FileJob::opened_dir);
                if let Some(dir) = opened {
                    self.handle(Action::RememberDir(dir.to_path_buf()), ctx);
                }
                let actions = self.in_pane(pane, ctx, |view, c| view.on_task(result, c));
                self.handle_all(actions, ctx);
            }
            TaskResult::FileRead(Ok((name, text))) => {
                self.handle_all(vec![Action::Route { name, text }], ctx);
            }
            TaskResult::FileRead(Err(e)) => self.shared.say(e, true),
            TaskResult::FileSaved(outcome) => {
                if let Some((text, is_error)) = self.shared.saves.finish(outcome) {
                    self.shared.say(text, is_error);
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
        let shared = &mut self.shared;
        let Some(pending) = &shared.pending_clear else {
            return;
        };
        if now < pending.deadline {
            return;
        }
        let still_ours = shared
            .clipboard
            .get_text()
            .is_ok_and(|t| fingerprint(&t) == pending.fingerprint);
        if still_ours {
            let _ = shared.clipboard.clear();
            shared.say("clipboard cleared", false);
        }
        shared.pending_clear = None;
    }

    pub(super) fn copy(&mut self, value: Shown<'_>) {
        let (text, secret) = (value.expose(), value.is_secret());
        let shared = &mut self.shared;
        // A secret carries the password-manager hint: clipboard histories skip it.
        let result = shared.clipboard.set_text(text, CopyKind::of(secret));
        shared.last_copy = Some(CopyOutcome {
            fingerprint: fingerprint(text),
            at: Instant::now(),
            error: result.as_ref().err().cloned(),
        });
        match result {
            Ok(()) => {
                if secret && shared.settings.clipboard_auto_clear {
                    let pending = PendingClear::new(
                        text,
                        shared.settings.clipboard_clear_secs,
                        Instant::now(),
                    );
                    let secs = pending.remaining(Instant::now());
                    shared.pending_clear = Some(pending);
                    shared.say(
                        format!("copied (secret: the clipboard is cleared in {secs} s)"),
                        false,
                    );
                } else {
                    shared.say("copied", false);
                }
            }
            Err(e) => shared.say(e, true),
        }
    }
}
