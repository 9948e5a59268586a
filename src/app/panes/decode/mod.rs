//! The Decode pane: paste a token, see its header, claims, times, Supabase meaning, and whether
//! any loaded key verifies it.

mod credentials;

use crate::app::key_verdict::{KeyVerdict, Tone};
use crate::app::pane::{PaneInfo, PaneView};
use crate::app::shared::Ctx;
use crate::app::value_block::value_block_ui;
use crate::app::vocab::{Action, Content, Intent, Pane, Settings};
use crate::app::widgets::{
    BAD, GOOD, WARN, cut_oversized, esc, highlight_json, note_ui, text_area_ui, verdict_ui,
};
use crate::jose::classified::Shown;
use crate::jose::error::CoreError;
use crate::jose::input::{CleanedToken, MAX_INPUT_BYTES, clean_token_input};
use crate::jose::keys::KeySet;
use crate::jose::token::Jws;
use crate::jose::verify::VerifyOptions;
use crate::safe_text::escape::pretty_json;
use crate::supabase::claims::{
    ClaimsReport, Severity, TimeStatus, claims_report, validity_headline,
};
use crate::supabase::mint::MintRole;
use credentials::{CredentialsView, HarView, credentials_ui, har_ui};
use egui::text::LayoutJob;
use egui::{Color32, RichText, Ui};
use std::sync::Arc;

/// The Decode pane: its copy of the current token and what is derived from it.
#[derive(Default)]
pub struct DecodePane {
    /// The pasted text.
    pub input: String,
    /// The decoded token, or why it is not one.
    pub view: Option<Result<DecodedView, CoreError>>,
    /// Every credential in the paste, when it is more than one bare token (a cookie, a curl
    /// command, a session…): cards, findings, the redacted report.
    pub credentials: Option<CredentialsView>,
    /// The summary of a dropped HAR file.
    pub har: Option<HarView>,
    /// The (token, key ring) revisions and dark mode the view was computed from.
    seen: Option<(u64, u64, bool)>,
}

/// A decoded token with everything shown about it.
pub struct DecodedView {
    /// What the cleanup removed.
    pub cleaned: CleanedToken,
    /// The token.
    pub jws: Jws,
    /// The claims report.
    pub report: ClaimsReport,
    /// What the loaded keys say about the signature.
    pub verdict: KeyVerdict,
    /// The expiry headline shown first: (colour, text).
    pub headline: Option<(Color32, String)>,
    /// The role to mint a replacement for, when an anon / service_role key expired or expires soon.
    pub renew: Option<MintRole>,
    /// Whether the JSON below was highlighted for a dark theme (recomputed when it changes,
    /// never while drawing).
    pub highlighted_dark: bool,
    /// The highlighted header JSON.
    header_job: Arc<LayoutJob>,
    /// The highlighted payload JSON, or why the payload is not claims.
    payload_job: Result<Arc<LayoutJob>, String>,
}

impl DecodePane {
    /// Re-decodes the input against the keys available now, highlighting the JSON for a dark
    /// or light theme.
    pub fn recompute(&mut self, now: i64, keys: &[(String, KeySet)], dark: bool) {
        self.credentials = None;
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
        self.credentials = CredentialsView::from_paste(&self.input, now);
        let mut view = decode(&self.input, now, keys, dark);
        // A paste that is not one token (a curl command, a cookie): decode its first JWT.
        if view.is_err()
            && let Some(jwt) = self
                .credentials
                .as_ref()
                .and_then(|c| c.cards.iter().find_map(|card| card.jwt.clone()))
        {
            view = decode(&jwt, now, keys, dark);
        }
        self.view = Some(view);
    }
}

fn decode(
    input: &str,
    now: i64,
    keys: &[(String, KeySet)],
    dark: bool,
) -> Result<DecodedView, CoreError> {
    let cleaned = clean_token_input(input)?;
    let jws = Jws::parse_unverified(&cleaned.token)?;
    let report = claims_report(&jws, now);
    let verdict = KeyVerdict::of(&jws, keys, &VerifyOptions::default(), now);
    let json_job = |v: serde_json::Value| Arc::new(highlight_json(&pretty_json(&v), dark));
    let header_job = json_job(serde_json::Value::Object(jws.header.clone()));
    let payload_job = jws
        .claims()
        .map(|c| json_job(serde_json::Value::Object(c)))
        .map_err(|e| e.to_string());
    let headline = jws
        .claims()
        .ok()
        .and_then(|c| validity_headline(&c, now))
        .map(|h| {
            let color = match h.severity() {
                Severity::Danger => BAD,
                _ => WARN,
            };
            (color, h.text())
        });
    let renew = headline.as_ref().and_then(|_| role_to_renew(&report));
    Ok(DecodedView {
        cleaned,
        jws,
        report,
        verdict,
        headline,
        renew,
        highlighted_dark: dark,
        header_job,
        payload_job,
    })
}

/// The anon / service_role preset to mint again for this token, from its role claim.
fn role_to_renew(report: &ClaimsReport) -> Option<MintRole> {
    let role = report.fields.iter().find(|(k, _)| k == "role")?;
    match role.1.as_str() {
        "anon" => Some(MintRole::Anon),
        "service_role" => Some(MintRole::ServiceRole),
        _ => None,
    }
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
        if let Some(har) = &self.har {
            let mut close = false;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                close = ui.button("Close the HAR summary").clicked();
                har_ui(ui, har);
            });
            if close {
                self.har = None;
            }
            ui.separator();
        }
        if let Some(creds) = &self.credentials {
            credentials_ui(ui, creds, ctx);
            ui.separator();
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
        let dark = ctx.egui().global_style().visuals.dark_mode;
        let seen = (ctx.shared.token.rev, ctx.shared.ring.rev, dark);
        if self.seen == Some(seen) {
            return;
        }
        self.seen = Some(seen);
        self.input.clone_from(&ctx.shared.token.text);
        self.recompute(ctx.now(), &ctx.shared.ring.key_sets(), dark);
    }

    fn accepts(&self, content: &Content) -> bool {
        matches!(content, Content::Token(_))
    }

    fn on_task(&mut self, result: Box<dyn std::any::Any + Send>, ctx: &mut Ctx<'_>) {
        if let Ok(har) = result.downcast::<HarView>() {
            let text = match &har.error {
                Some(e) => e.clone(),
                None => format!(
                    "{}: {} Supabase request(s)",
                    har.name,
                    har.requests.len() + har.more
                ),
            };
            ctx.send(Action::Say {
                text,
                is_error: har.error.is_some(),
            });
            self.har = Some(*har);
        }
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

    fn on_intent(&mut self, intent: &Intent, ctx: &mut Ctx<'_>) {
        if let Intent::ReadHar(path) = intent {
            let (path, now) = (path.clone(), ctx.now());
            ctx.spawn(move || HarView::scan(&path, now));
        }
    }
}

fn decoded_ui(ui: &mut Ui, view: &DecodedView, ctx: &mut Ctx<'_>) {
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
            Severity::Danger => Some(BAD),
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
