//! A decoded token drawn: the dangers first, the expiry headline, what the loaded keys say,
//! the notes, the header and claims beside the payload, and the token with Copy and Save.

use super::DecodedView;
use crate::app::key_verdict::{KeyVerdict, Tone};
use crate::app::shared::Ctx;
use crate::app::value_block::value_block_ui;
use crate::app::vocab::{Action, Intent, Pane};
use crate::app::widgets::{BAD, GOOD, WARN, esc, note_ui};
use crate::jose::classified::Shown;
use crate::supabase::claims::{ClaimsReport, Severity, TimeStatus};
use egui::text::LayoutJob;
use egui::{RichText, Ui};
use std::sync::Arc;

/// Draws a decoded token.
pub fn decoded_ui(ui: &mut Ui, view: &DecodedView, ctx: &mut Ctx<'_>) {
    // The dangers (a public demo key, an unsigned token) come first, above the expiry.
    for note in view
        .report
        .notes
        .iter()
        .filter(|n| n.severity == Severity::Danger)
    {
        ui.label(
            RichText::new(esc(&note.text))
                .color(BAD)
                .size(17.0)
                .strong(),
        );
    }
    if let Some((color, text)) = &view.headline {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(esc(text)).color(*color).size(20.0).strong());
            if let Some(role) = view.renew
                && ui
                    .button(format!("Mint a new {} key…", role.claim()))
                    .clicked()
            {
                ctx.send(Action::Go {
                    pane: Pane::Mint,
                    intent: Intent::MintRole(role),
                });
            }
        });
    }
    if !view.cleaned.removed.is_empty() {
        let from = view
            .cleaned
            .label
            .as_deref()
            .map(|l| format!(" (from {l})"))
            .unwrap_or_default();
        ui.label(
            RichText::new(esc(&format!(
                "Removed {}{from}.",
                view.cleaned.removed.join(", ")
            )))
            .weak(),
        );
    }
    key_verdict_ui(ui, &view.verdict, ctx);
    for dup in &view.report.duplicates {
        note_ui(ui, Some(BAD), &format!("Warning: {}", dup.warning()));
    }
    for note in &view.report.notes {
        let color = match note.severity {
            Severity::Info => None,
            Severity::Warning => Some(WARN),
            Severity::Danger => continue, // shown first
        };
        note_ui(ui, color, &note.text);
    }
    ui.separator();
    crate::app::layout::columns_or_stack_ui(
        ui,
        crate::app::layout::TWO_COLUMNS_MIN_WIDTH,
        |ui| {
            ui.strong("Header");
            json_job_ui(ui, &view.header_job);
            ui.add_space(8.0);
            claims_table_ui(ui, &view.report, view.headline.is_some());
        },
        |ui| {
            ui.strong("Payload");
            match &view.payload_job {
                Ok(job) => json_job_ui(ui, job),
                Err(e) => note_ui(ui, Some(BAD), e),
            }
        },
    );
    ui.separator();
    let secret = view
        .report
        .fields
        .iter()
        .any(|(k, v)| k == "role" && v == "service_role");
    value_block_ui(
        ui,
        ctx,
        "Token",
        Shown::by(&view.jws.compact, secret),
        "token.jwt",
    );
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("Signature: {} bytes", view.jws.signature.len())).weak());
        crate::app::sql_copy::copy_as_sql_ui(ui, ctx, || {
            view.jws.claims().ok().map(std::borrow::Cow::Owned)
        });
    });
}

/// The times and fields; `warned`: the headline above warns about this token's times, so a
/// still-valid `exp` is shown in the warning colour too (not green under an orange headline).
fn claims_table_ui(ui: &mut Ui, report: &ClaimsReport, warned: bool) {
    if report.times.is_empty() && report.fields.is_empty() {
        return;
    }
    ui.strong("Claims");
    egui::Grid::new("claims_grid")
        .num_columns(2)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for t in &report.times {
                ui.monospace(&t.name);
                match &t.value {
                    Err(e) => {
                        ui.label(RichText::new(esc(e)).color(BAD));
                    }
                    Ok(_) => {
                        let color = match t.status {
                            Some(TimeStatus::Expired) => Some(BAD),
                            Some(TimeStatus::ExpiresSoon | TimeStatus::InFuture) => Some(WARN),
                            Some(TimeStatus::Valid) if warned && t.name == "exp" => Some(WARN),
                            Some(TimeStatus::Valid) => Some(GOOD),
                            _ => None,
                        };
                        ui.vertical(|ui| {
                            let rel = RichText::new(&t.relative).strong();
                            ui.label(if let Some(c) = color {
                                rel.color(c)
                            } else {
                                rel
                            });
                            // Local time only when it differs (on a UTC machine it is the same).
                            let when = if t.local == t.utc {
                                t.utc.clone()
                            } else {
                                format!("{}  ·  {}", t.utc, t.local)
                            };
                            ui.label(RichText::new(when).small());
                        });
                    }
                }
                ui.end_row();
            }
            for (k, v) in &report.fields {
                ui.monospace(esc(k));
                ui.label(esc(v));
                ui.end_row();
            }
        });
}

/// A cached highlighted JSON view.
fn json_job_ui(ui: &mut Ui, job: &Arc<LayoutJob>) {
    ui.add(egui::Label::new(egui::WidgetText::LayoutJob(Arc::clone(job))).selectable(true));
}

/// The signature verdict from the loaded keys, with a one-click jump to Verify.
fn key_verdict_ui(ui: &mut Ui, verdict: &KeyVerdict, ctx: &mut Ctx<'_>) {
    let (tone, headline, lines) = verdict.describe();
    let color = match tone {
        Tone::Good => GOOD,
        Tone::Warn => WARN,
        Tone::Bad => BAD,
        Tone::Neutral => ui.visuals().weak_text_color(),
    };
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(2.0, color))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let head = RichText::new(esc(&headline)).size(18.0).strong();
            ui.label(if tone == Tone::Neutral {
                head
            } else {
                head.color(color)
            });
            for line in &lines {
                ui.label(esc(line));
            }
        });
    let with_ring = matches!(
        verdict,
        KeyVerdict::Valid { .. } | KeyVerdict::ClaimsFail { .. } | KeyVerdict::Refused { .. }
    );
    if ui
        .button("Verify this token…")
        .on_hover_text("Open Verify with this token: give a secret or key, set iss/aud checks.")
        .clicked()
    {
        ctx.send(Action::Go {
            pane: Pane::Verify,
            intent: Intent::VerifyToken { with_ring },
        });
    }
}
