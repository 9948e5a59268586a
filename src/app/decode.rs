//! The Decode pane: paste a token, see its header, claims, times, Supabase meaning, and whether
//! any loaded key verifies it.

use super::pane::{PaneInfo, PaneView};
use super::route::Content;
use super::settings::Settings;
use super::shared::Ctx;
use super::state::Action;
use super::widgets::{
    BAD, GOOD, WARN, cut_oversized, esc, json_view_ui, note_ui, text_area_ui, value_block_ui,
    verdict_ui,
};
use crate::core::claims::{ClaimsReport, Severity, TimeStatus, claims_report};
use crate::core::error::CoreError;
use crate::core::input::{CleanedToken, MAX_INPUT_BYTES, clean_token_input};
use crate::core::keys::KeySet;
use crate::core::token::Jws;
use crate::core::verify::{VerifyOptions, verify_with_sources};
use egui::{RichText, Ui};

/// The Decode pane: its copy of the current token and what is derived from it.
#[derive(Default)]
pub struct DecodePane {
    /// The pasted text.
    pub input: String,
    /// The decoded token, or why it is not one.
    pub view: Option<Result<DecodedView, CoreError>>,
    /// The (token, key ring) revisions the view was computed from.
    seen: Option<(u64, u64)>,
}

/// A decoded token with everything shown about it.
pub struct DecodedView {
    /// What the cleanup removed.
    pub cleaned: CleanedToken,
    /// The token.
    pub jws: Jws,
    /// The claims report.
    pub report: ClaimsReport,
    /// Whether a loaded key verifies it: (key source, verdict); `None` when no keys are loaded.
    pub verdict: Option<(String, Result<String, CoreError>)>,
}

impl DecodePane {
    /// Re-decodes the input against the keys available now.
    pub fn recompute(&mut self, now: i64, keys: &[(String, KeySet)]) {
        if let Some(size) = cut_oversized(&mut self.input, MAX_INPUT_BYTES) {
            self.view = Some(Err(CoreError::TooLarge {
                size,
                limit: MAX_INPUT_BYTES,
            }));
            return;
        }
        if self.input.trim().is_empty() {
            self.view = None;
            return;
        }
        self.view = Some(decode(&self.input, now, keys));
    }
}

fn decode(input: &str, now: i64, keys: &[(String, KeySet)]) -> Result<DecodedView, CoreError> {
    let cleaned = clean_token_input(input)?;
    let jws = Jws::parse_unverified(&cleaned.token)?;
    let report = claims_report(&jws, now);
    let verdict = if keys.is_empty() {
        None
    } else {
        Some(
            match verify_with_sources(&jws, keys, &VerifyOptions::default(), now) {
                Ok((source, v)) => (source, Ok(format!("{} signature by {}", v.alg, v.key))),
                Err((source, e)) => (source, Err(e)),
            },
        )
    };
    Ok(DecodedView {
        cleaned,
        jws,
        report,
        verdict,
    })
}

impl PaneInfo for DecodePane {
    const TITLE: &'static str = "Decode";
    const BLURB: &'static str = "Paste a token (Bearer ..., ANON_KEY=... lines are fine): header, claims, times, Supabase role.";
    fn new(_settings: &Settings) -> Self {
        DecodePane::default()
    }
}

impl PaneView for DecodePane {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut Ctx<'_>) {
        let hint = "eyJhbGciOi… or ANON_KEY=eyJ… or Authorization: Bearer eyJ…";
        let response = text_area_ui(ui, "Token", &mut self.input, hint, 3);
        if response.changed() {
            ctx.send(Action::SetToken(self.input.clone()));
        }
        match &self.view {
            None => {
                ui.label(
                    RichText::new(
                        "Paste a token above, drop a file on the window, or press Ctrl+V anywhere.",
                    )
                    .weak(),
                );
            }
            Some(Err(e)) => {
                verdict_ui(ui, false, "Not a readable token", &e.to_string());
            }
            Some(Ok(view)) => decoded_ui(ui, view, ctx),
        }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        let revs = (ctx.shared.token.rev, ctx.shared.ring.rev);
        if self.seen == Some(revs) {
            return;
        }
        self.seen = Some(revs);
        self.input.clone_from(&ctx.shared.token.text);
        self.recompute(ctx.now(), &ctx.shared.ring.key_sets());
    }

    fn accepts(&self, content: &Content) -> bool {
        matches!(content, Content::Token(_))
    }

    fn receive(&mut self, content: Content, name: &str, _text: String, ctx: &mut Ctx<'_>) {
        if let Content::Token(token) = content {
            ctx.send(Action::SetToken(token));
            ctx.send(Action::Say {
                text: format!("decoding the token from {name}"),
                is_error: false,
            });
        }
    }
}

fn decoded_ui(ui: &mut Ui, view: &DecodedView, ctx: &mut Ctx<'_>) {
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
    match &view.verdict {
        None => note_ui(
            ui,
            Some(WARN),
            "Signature NOT checked: load a JWKS or add a key in the Keys pane (or use Verify).",
        ),
        Some((source, Ok(text))) => verdict_ui(
            ui,
            true,
            "Signature verifies",
            &format!("{text} — from {source}"),
        ),
        Some((source, Err(e))) => {
            let from = if source.is_empty() {
                String::new()
            } else {
                format!(" (checked against {source})")
            };
            verdict_ui(
                ui,
                false,
                "Rejected by the loaded keys",
                &format!("{e}{from}"),
            );
        }
    }
    for dup in &view.report.duplicates {
        note_ui(ui, Some(BAD), &format!("Warning: {}", dup.warning()));
    }
    for note in &view.report.notes {
        let color = match note.severity {
            Severity::Info => None,
            Severity::Warning => Some(WARN),
            Severity::Danger => Some(BAD),
        };
        note_ui(ui, color, &note.text);
    }
    ui.separator();
    super::layout::columns_or_stack_ui(
        ui,
        super::layout::TWO_COLUMNS_MIN_WIDTH,
        |ui| {
            ui.strong("Header");
            json_view_ui(ui, &serde_json::Value::Object(view.jws.header.clone()));
            ui.add_space(8.0);
            claims_table_ui(ui, &view.report);
        },
        |ui| {
            ui.strong("Payload");
            match view.jws.claims() {
                Ok(claims) => json_view_ui(ui, &serde_json::Value::Object(claims)),
                Err(e) => note_ui(ui, Some(BAD), &e.to_string()),
            }
        },
    );
    ui.separator();
    let secret = view
        .report
        .fields
        .iter()
        .any(|(k, v)| k == "role" && v == "service_role");
    value_block_ui(ui, ctx, "Token", &view.jws.compact, secret, "token.jwt");
    ui.label(RichText::new(format!("Signature: {} bytes", view.jws.signature.len())).weak());
}

fn claims_table_ui(ui: &mut Ui, report: &ClaimsReport) {
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
                            ui.label(RichText::new(format!("{}  ·  {}", t.utc, t.local)).small());
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
