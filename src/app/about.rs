//! The About / Self-test dialog: what this build is (`supajwt version --verbose`) and the same
//! checks as `supajwt selftest`, run off the UI thread.

use super::vocab::Action;
use super::widgets;
use crate::selftest::{Check, CheckStatus, all_passed};
use egui::{RichText, Ui};

/// The dialog's state.
#[derive(Debug, Default)]
pub struct AboutState {
    /// The dialog is shown.
    pub open: bool,
    /// The self-test is running.
    pub running: bool,
    /// The last self-test's results.
    pub checks: Option<Vec<Check>>,
}

/// Draws the dialog when it is open.
pub fn about_window_ui(ctx: &egui::Context, about: &AboutState, actions: &mut Vec<Action>) {
    if !about.open {
        return;
    }
    let mut open = true;
    egui::Window::new("About supajwt")
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_width(560.0)
        .show(ctx, |ui| about_ui(ui, about, actions));
    if !open {
        actions.push(Action::CloseAbout);
    }
}

fn about_ui(ui: &mut Ui, about: &AboutState, actions: &mut Vec<Action>) {
    egui::Grid::new("build facts")
        .num_columns(2)
        .show(ui, |ui| {
            for (name, value) in crate::build_info::verbose_lines() {
                ui.label(RichText::new(name).strong());
                ui.add(egui::Label::new(value).wrap());
                ui.end_row();
            }
        });
    ui.separator();
    ui.label("The self-test checks that this copy computes correctly: known answers for every algorithm, sign-verify with fresh keys, the random generator and the clock. Nothing leaves the machine.");
    ui.horizontal(|ui| {
        let button = ui.add_enabled(!about.running, egui::Button::new("Run self-test"));
        if button.clicked() {
            actions.push(Action::RunSelftest);
        }
        if about.running {
            ui.spinner();
            ui.label("running...");
        }
    });
    let Some(checks) = &about.checks else {
        return;
    };
    let failed = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .count();
    let summary = if all_passed(checks) {
        RichText::new(format!("All {} checks passed", checks.len())).color(widgets::GOOD)
    } else {
        RichText::new(format!(
            "{failed} of {} checks FAILED: do not use this copy",
            checks.len()
        ))
        .color(widgets::BAD)
    };
    ui.label(summary.strong());
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .show(ui, |ui| {
            for c in checks {
                let (mark, color) = match c.status {
                    CheckStatus::Pass => ("ok", widgets::GOOD),
                    CheckStatus::Warn => ("WARN", widgets::WARN),
                    CheckStatus::Fail => ("FAIL", widgets::BAD),
                };
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(mark).color(color).strong());
                    ui.label(format!("{}: {}", c.name, c.detail));
                });
            }
        });
}
