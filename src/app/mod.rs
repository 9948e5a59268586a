//! The desktop window (eframe/egui, glow renderer): a tab per [`Pane`], all calling the core.
//! Each pane owns its state and implements [`PaneView`]; what panes share (the current token,
//! the key ring, the clock, the clipboard, the worker) is [`Shared`], which a pane reads through
//! [`Ctx`] and changes only by sending [`Action`]s, applied in one place ([`AppState::handle`]).
//!
//! The window's modules are layers, bottom up; each imports only the layers below it (and the
//! crate's lower layers: `jose`, `supabase`, `inspect`, `fetch`, `selftest`, `safe_text`):
//!
//! 1. **Vocabulary** (`vocab/`): the words everything above shares: the pane ids ([`Pane`],
//!    `Pane::ALL`), [`Action`] and [`Intent`], [`Content`] and [`ConfigKind`], [`KeyOrigin`] and
//!    [`RingKey`], and what is saved ([`Settings`]). It names nothing else of the window.
//! 2. **Widgets and shared state**: the plain widgets (`widgets`, `layout`, `secret_text`); the
//!    shared state and its machinery ([`Shared`] and [`Ctx`] in `shared`, over `clipboard`,
//!    `tasks`, `files` and `file_save`); the widgets that read it (`value_block`, `file_open`,
//!    `ring_view`, `clock_note`); what panes share (`key_verdict`; `hints`, the window's words
//!    for a core error); and the two traits a pane implements (`pane`: `PaneInfo` and
//!    [`PaneView`]).
//! 3. **Panes** (`panes/<pane>/`): one folder each, with its private helpers. A pane never
//!    imports another pane or the registry; it opens another pane by its id, with
//!    [`Action::Go`].
//! 4. **Registry** (`registry`): the one list of the panes: the type behind each id, its title,
//!    blurb and shortcut, and every pane's state (`Panes`).
//! 5. **Root**: this module (the window, the tab and status bars), `state` ([`AppState`], where
//!    actions are applied), `jobs` (finished jobs, the clipboard countdown) and `about`.
//!
//! Adding a pane is a folder under `panes/`, its id in `vocab/pane_id.rs` and one registry line.

mod about;
mod clipboard;
mod clock_note;
mod file_open;
mod file_save;
mod files;
mod hints;
mod jobs;
mod key_verdict;
mod layout;
mod pane;
mod panes;
mod registry;
mod ring_view;
mod secret_text;
mod shared;
mod sql_copy;
mod state;
mod tasks;
mod value_block;
mod vocab;
mod widgets;

pub use clipboard::{ClipboardBackend, CopyKind, MemoryClipboard, SystemClipboard};
pub use files::DialogMode;
pub use pane::PaneView;
pub use registry::{DoctorTab, MintSigner, VerifyKeySource};
pub use shared::{Ctx, Shared};
pub use state::AppState;
pub use tasks::TaskResult;
pub use vocab::{Action, ConfigKind, Intent, KeyOrigin, Pane, RingKey, Settings, ThemeChoice};

use egui::{RichText, Ui};
use std::process::ExitCode;
use std::time::Instant;

const SETTINGS_KEY: &str = "supajwt-settings";

/// Set `SUPAJWT_PROBE_FIRST_FRAME=1` to print the time from process start to the first rendered
/// frame and exit (`=blank` does the same with an empty window, as the baseline): used by
/// `tests/perf/measure.sh`.
const PROBE_VAR: &str = "SUPAJWT_PROBE_FIRST_FRAME";

/// Opens the main window and runs until it is closed.
pub fn run_app() -> ExitCode {
    let started = Instant::now();
    let probe = std::env::var(PROBE_VAR).ok();
    crate::fetch::install_tls_provider();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("supajwt — Supabase JWTs and keys, offline")
            .with_app_id("supajwt")
            .with_inner_size([1180.0, 800.0])
            .with_min_inner_size([640.0, 420.0])
            .with_icon(app_icon())
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "supajwt",
        options,
        Box::new(|cc| {
            let (settings, setting_notes) = cc
                .storage
                .and_then(|s| s.get_string(SETTINGS_KEY))
                .map(|text| Settings::from_stored(&text))
                .unwrap_or_default();
            vocab::settings::apply_theme(&cc.egui_ctx, settings.theme);
            if let Some(mode) = probe {
                let state = AppState::new(Settings::default());
                return Ok(Box::new(FirstFrameProbe {
                    started,
                    blank: mode == "blank",
                    state,
                }));
            }
            let mut state = AppState::new(settings);
            state.report_setting_notes(&setting_notes);
            Ok(Box::new(SupajwtApp { state }))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "error: cannot open the window: {e}\nThe command-line tools work without a display: supajwt --help"
            );
            ExitCode::from(2)
        }
    }
}

/// The window icon, from `assets/icon.png`.
fn app_icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).unwrap_or_default()
}

/// The eframe application: the state plus persistence of [`Settings`].
pub struct SupajwtApp {
    /// Everything the window shows.
    pub state: AppState,
}

impl eframe::App for SupajwtApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        root_ui(ui, &mut self.state);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.state.shared.settings);
    }
}

/// Measures the time to the first frame, then closes the window.
struct FirstFrameProbe {
    started: Instant,
    blank: bool,
    state: AppState,
}

impl eframe::App for FirstFrameProbe {
    // A measurement for the test harness, of numbers only: no input reaches it.
    #[allow(clippy::disallowed_macros)]
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        if self.blank {
            egui::CentralPanel::default().show(ui, |_| {});
        } else {
            root_ui(ui, &mut self.state);
        }
        println!(
            "first_frame_ms {:.1}",
            self.started.elapsed().as_secs_f64() * 1000.0
        );
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// Draws the whole window and applies the actions it produced. Tests drive this directly.
pub fn root_ui(ui: &mut Ui, state: &mut AppState) {
    let ctx = ui.ctx().clone();
    state.poll_tasks(&ctx);
    state.tick_clipboard(Instant::now());
    let mut actions = global_input(&ctx);
    egui::Panel::top("tabs").show(ui, |ui| top_bar_ui(ui, state, &mut actions));
    egui::Panel::bottom("status").show(ui, |ui| status_bar_ui(ui, state));
    egui::CentralPanel::default().show(ui, |ui| {
        ui.label(RichText::new(state.pane.blurb()).weak());
        ui.add_space(4.0);
        let pane = state.pane;
        let mut c = Ctx::new(&state.shared, &mut actions, &ctx, pane);
        let view = state.panes.get_mut(pane);
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| view.ui(ui, &mut c));
    });
    about::about_window_ui(&ctx, &state.about, &mut actions);
    file_save::save_window_ui(&ctx, &mut state.shared.saves, &mut actions);
    state.handle_all(actions, &ctx);
    let busy = Pane::ALL
        .iter()
        .any(|&p| state.panes.get(p).busy().is_some());
    if busy || state.about.running {
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }
    if let Some(p) = &state.shared.pending_clear {
        let left = p.deadline.saturating_duration_since(Instant::now());
        ctx.request_repaint_after(left.min(std::time::Duration::from_secs(1)));
    }
}

/// Ctrl+1..6, Ctrl+V with no field focused, and dropped files.
fn global_input(ctx: &egui::Context) -> Vec<Action> {
    let mut actions = Vec::new();
    let nothing_focused = ctx.memory(|m| m.focused().is_none());
    ctx.input(|i| {
        for &pane in Pane::ALL {
            if i.modifiers.command && i.key_pressed(pane.shortcut()) {
                actions.push(Action::SwitchPane(pane));
            }
        }
        if nothing_focused {
            for event in &i.events {
                if let egui::Event::Paste(text) = event {
                    actions.push(Action::OpenToken {
                        text: text.clone(),
                        pane: Pane::Decode,
                    });
                }
            }
        }
        for file in &i.raw.dropped_files {
            actions.push(Action::Dropped(file.path().to_path_buf()));
        }
    });
    actions
}

fn top_bar_ui(ui: &mut Ui, state: &mut AppState, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(RichText::new("supajwt").strong());
        ui.add_space(12.0);
        for (i, &pane) in Pane::ALL.iter().enumerate() {
            let tab = ui
                .selectable_label(state.pane == pane, RichText::new(pane.title()).size(16.0))
                .on_hover_text(format!("{} (Ctrl+{})", pane.blurb(), i + 1));
            if tab.clicked() {
                actions.push(Action::SwitchPane(pane));
            }
        }
        // Right-aligned when they fit on the tabs' line; else they wrap to the next one.
        if ui.available_width() >= TOP_BAR_RIGHT_WIDTH {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                window_controls_ui(ui, state, actions);
            });
        } else {
            window_controls_ui(ui, state, actions);
        }
    });
}

/// The width About, Settings and Theme need on the tabs' line.
const TOP_BAR_RIGHT_WIDTH: f32 = 300.0;

/// About / Self-test, Settings and the theme switch.
fn window_controls_ui(ui: &mut Ui, state: &mut AppState, actions: &mut Vec<Action>) {
    if ui.small_button("About / Self-test").clicked() {
        actions.push(Action::OpenAbout);
    }
    ui.menu_button("Settings", |ui| settings_ui(ui, &mut state.shared.settings));
    let (label, tip) = match state.shared.settings.theme {
        ThemeChoice::System => ("Theme: system", ThemeChoice::Dark),
        ThemeChoice::Dark => ("Theme: dark", ThemeChoice::Light),
        ThemeChoice::Light => ("Theme: light", ThemeChoice::System),
    };
    if ui.small_button(label).clicked() {
        actions.push(Action::SetTheme(tip));
    }
}

/// The clipboard setting (saved between sessions; nothing secret).
fn settings_ui(ui: &mut Ui, settings: &mut Settings) {
    ui.checkbox(
        &mut settings.clipboard_auto_clear,
        "Clear copied secrets from the clipboard",
    );
    ui.add_enabled_ui(settings.clipboard_auto_clear, |ui| {
        ui.horizontal(|ui| {
            let l = ui.label("after");
            ui.add(
                egui::DragValue::new(&mut settings.clipboard_clear_secs)
                    .range(vocab::settings::CLEAR_SECS_RANGE)
                    .suffix(" s"),
            )
            .labelled_by(l.id);
        });
    });
    ui.label(RichText::new("Only the theme, the last pane, the last JWKS URL and this setting are saved; never keys, secrets or tokens.").small().weak());
}

fn status_bar_ui(ui: &mut Ui, state: &AppState) {
    let shared = &state.shared;
    ui.horizontal_wrapped(|ui| {
        let busy = Pane::ALL.iter().find_map(|&p| state.panes.get(p).busy());
        let online = Pane::ALL.iter().find_map(|&p| state.panes.get(p).online());
        match (busy, online) {
            (Some(what), _) => {
                ui.spinner();
                ui.label(RichText::new(format!("• {what}")).color(widgets::WARN));
            }
            (None, Some(online)) => {
                ui.label(RichText::new(format!("• {}", widgets::esc(&online))).color(widgets::WARN))
                    .on_hover_text("This session fetched a JWKS or asked a database; everything else works without a network.");
            }
            (None, None) => {
                ui.label(RichText::new("• Offline").color(widgets::GOOD))
                    .on_hover_text(
                        "Everything works without a network; only an explicit JWKS fetch goes online.",
                    );
            }
        }
        ui.separator();
        ui.label(format!(
            "{} in the ring",
            widgets::count(shared.ring.len(), "key", "keys")
        ));
        if let Some(p) = &shared.pending_clear {
            ui.separator();
            ui.label(
                RichText::new(format!(
                    "clipboard clears in {} s",
                    p.remaining(Instant::now())
                ))
                .color(widgets::WARN),
            );
        }
        if let Some(status) = shared.last_status() {
            ui.separator();
            ui.menu_button(format!("History ({})", shared.status.len()), |ui| {
                status_history_ui(ui, shared);
            })
            .response
            .on_hover_text("The last messages, newest first");
            ui.label(status_text(status));
        }
    });
}

fn status_text(status: &shared::Status) -> RichText {
    let text = RichText::new(widgets::esc(&status.text));
    if status.is_error {
        text.color(widgets::BAD)
    } else {
        text
    }
}

/// The status history (the last [`shared::STATUS_HISTORY`] messages), newest first.
fn status_history_ui(ui: &mut Ui, shared: &Shared) {
    ui.strong("Status history (newest first)");
    egui::ScrollArea::vertical()
        .max_height(320.0)
        .show(ui, |ui| {
            ui.set_max_width(560.0);
            for status in shared.status.iter().rev() {
                ui.add(egui::Label::new(status_text(status)).wrap());
            }
        });
}
