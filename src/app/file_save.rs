//! "Save…" that always works: the native dialog when the system has one, else a small window
//! with a path field; private values are written 0600; the outcome is shown next to the Save
//! button that started it (and in the status history).

use super::files::{
    DialogMode, PendingSave, Picked, SaveOutcome, pick_save_native, tab_complete, write_file,
};
use super::tasks::TaskResult;
use super::vocab::Action;
use super::widgets::{BAD, GOOD, esc};
use egui::{RichText, Ui};

/// The saves of the session: the one waiting for a path and the last outcome.
#[derive(Default)]
pub struct Saves {
    /// A save waiting for a path.
    pub pending: Option<PendingSave>,
    /// The last outcome: (suggested file name, text, is an error).
    pub last: Option<(String, String, bool)>,
    /// A save is running.
    pub busy: bool,
}

impl Saves {
    /// Starts a save: the native dialog on the worker, or the path field at once.
    pub fn start(
        &mut self,
        shared_dialogs: DialogMode,
        tasks: &super::tasks::Tasks,
        egui: &egui::Context,
        save: PendingSave,
    ) {
        self.last = None;
        if shared_dialogs == DialogMode::PathField {
            self.pending = Some(save);
            return;
        }
        self.busy = true;
        tasks.spawn(egui, move || {
            TaskResult::FileSaved(match pick_save_native(&save.name, save.dir.clone()) {
                Picked::Path(path) => SaveOutcome::Done {
                    result: write_file(&path, &save.contents),
                    name: save.name,
                },
                Picked::Cancelled => SaveOutcome::Done {
                    name: save.name,
                    result: Err("not saved: no file chosen".into()),
                },
                Picked::NoDialog => SaveOutcome::NoDialog(save),
            })
        });
    }

    /// Writes the pending save to its typed path (on the worker).
    pub fn write_pending(&mut self, tasks: &super::tasks::Tasks, egui: &egui::Context) {
        let Some(save) = self.pending.take() else {
            return;
        };
        self.busy = true;
        tasks.spawn(egui, move || {
            let path = super::files::resolve(&save.path);
            TaskResult::FileSaved(SaveOutcome::Done {
                result: write_file(&path, &save.contents),
                name: save.name,
            })
        });
    }

    /// Applies a finished save job; returns the status line to add (text, is an error).
    pub fn finish(&mut self, outcome: SaveOutcome) -> Option<(String, bool)> {
        self.busy = false;
        match outcome {
            SaveOutcome::Done { name, result } => {
                let (text, is_error) = match result {
                    Ok(text) => (text, false),
                    Err(e) => (e, true),
                };
                self.last = Some((name, text.clone(), is_error));
                Some((text, is_error))
            }
            SaveOutcome::NoDialog(save) => {
                self.pending = Some(save);
                None
            }
        }
    }
}

/// The outcome of the last save started by the Save button for `file_name`, next to it.
pub fn save_result_ui(ui: &mut Ui, saves: &Saves, file_name: &str) {
    if let Some((name, text, is_error)) = &saves.last
        && name == file_name
    {
        ui.label(RichText::new(esc(text)).color(if *is_error { BAD } else { GOOD }));
    }
}

/// The window asking where to save, when no native dialog can appear.
pub fn save_window_ui(ctx: &egui::Context, saves: &mut Saves, actions: &mut Vec<Action>) {
    let busy = saves.busy;
    let Some(save) = &mut saves.pending else {
        return;
    };
    let mut open = true;
    let title = format!("Save {}", esc(&save.name));
    egui::Window::new(title)
        .id(egui::Id::unique("save_path_window"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.label("No file dialog on this system: type where to save.");
            if save.contents.is_secret() {
                ui.label(
                    RichText::new("Private value: the file is written with mode 0600.")
                        .color(super::widgets::WARN),
                );
            }
            let id = ui.scope_id().with("save_path");
            let completed = tab_complete(ui, id, &mut save.path);
            let mut go = false;
            ui.horizontal(|ui| {
                let l = ui.label("File path to save to");
                let field = ui
                    .add(
                        egui::TextEdit::singleline(&mut save.path)
                            .id(id)
                            .desired_width(360.0),
                    )
                    .labelled_by(l.id);
                if completed {
                    field.request_focus();
                }
                go = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            });
            super::files::relative_hint_ui(ui);
            ui.horizontal(|ui| {
                go |= ui
                    .add_enabled(
                        !busy && !save.path.trim().is_empty(),
                        egui::Button::new("Save"),
                    )
                    .clicked();
                if ui.button("Cancel").clicked() {
                    actions.push(Action::CancelSave);
                }
            });
            if go {
                actions.push(Action::SaveToPath);
            }
        });
    if !open {
        actions.push(Action::CancelSave);
    }
}
