//! The Decode pane: paste a token, see its header, claims, times, Supabase meaning, and whether
//! any loaded key verifies it.

mod credentials;
mod har;
mod token_check;
mod view;

use crate::app::file_open::{FileJob, FileOpener};
use crate::app::key_verdict::KeyVerdict;
use crate::app::pane::{PaneInfo, PaneView};
use crate::app::shared::Ctx;
use crate::app::vocab::{Action, Content, Intent, Settings};
use crate::app::widgets::{
    BAD, WARN, count, cut_oversized, highlight_json, text_area_ui, verdict_ui,
};
use crate::jose::error::CoreError;
use crate::jose::input::{CleanedToken, MAX_INPUT_BYTES, clean_token_input};
use crate::jose::keys::KeySet;
use crate::jose::token::Jws;
use crate::jose::verify::VerifyOptions;
use crate::safe_text::escape::pretty_json;
use crate::supabase::claims::{ClaimsReport, Severity, claims_report, validity_headline};
use crate::supabase::mint::MintRole;
use credentials::{CredentialsView, credentials_ui};
use egui::text::LayoutJob;
use egui::{Color32, RichText, Ui};
use har::{HarView, har_ui};
use std::sync::Arc;
use view::decoded_ui;

/// The Decode pane: its copy of the current token and what is derived from it.
pub struct DecodePane {
    /// The pasted text.
    pub input: String,
    /// The decoded token, or why it is not one.
    pub view: Option<Result<DecodedView, CoreError>>,
    /// Every credential in the paste, when it is more than one bare token (a cookie, a curl
    /// command, a session…): cards, findings, the redacted report.
    pub credentials: Option<CredentialsView>,
    /// The summary of a dropped, opened or pasted HAR file.
    pub har: Option<HarView>,
    /// The input was a HAR, now shown above: `update` empties the input (a HAR is not a token).
    har_pasted: bool,
    /// "Open file…": the chosen file is routed like a dropped one (a HAR is streamed here).
    pub opener: FileOpener,
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

impl Default for DecodePane {
    fn default() -> Self {
        DecodePane {
            input: String::new(),
            view: None,
            credentials: None,
            har: None,
            har_pasted: false,
            opener: FileOpener::routing(0),
            seen: None,
        }
    }
}

impl DecodePane {
    /// Re-decodes the input against the keys available now, highlighting the JSON for a dark
    /// or light theme. A pasted HAR is read like a dropped one: its per-request summary.
    pub fn recompute(&mut self, now: i64, keys: &[(String, KeySet)], dark: bool) {
        self.credentials = None;
        if let Some(har) = HarView::from_paste(&self.input, now) {
            // Like a dropped HAR: its per-request summary, and the input left for a token.
            self.har = Some(har);
            self.har_pasted = true;
            self.input.clear();
        }
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
        self.credentials = CredentialsView::from_paste(&self.input, now, keys);
        let mut view = decode(&self.input, now, keys, dark);
        // A paste that is not one token (a curl command, a cookie): decode its first JWT.
        if view.is_err()
            && let Some(jwt) = self.credentials.as_ref().and_then(|c| {
                c.cards
                    .iter()
                    .find_map(|card| card.jwt.as_ref().map(|(t, _)| t.clone()))
            })
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
        self.opener.ui(ui, ctx, "Open file…");
        if let Some(har) = &self.har {
            let mut close = false;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                close = ui.button("Close the HAR summary").clicked();
                har_ui(ui, har, ctx);
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
            None if self.har.is_some() => {}
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
        let keys = ctx.shared.ring.key_sets();
        self.recompute(ctx.now(), &keys, dark);
        if let Some(har) = &mut self.har {
            har.check_tokens(ctx.shared.ring.rev, &keys, ctx.now());
        }
        if std::mem::take(&mut self.har_pasted)
            && let Some(har) = &self.har
        {
            ctx.send(Action::SetToken(String::new()));
            ctx.send(Action::Say {
                text: format!(
                    "pasted HAR: {}",
                    count(
                        har.requests.len() + har.more,
                        "Supabase request",
                        "Supabase requests"
                    )
                ),
                is_error: false,
            });
        }
    }

    fn accepts(&self, content: &Content) -> bool {
        matches!(content, Content::Token(_))
    }

    fn on_task(&mut self, result: Box<dyn std::any::Any + Send>, ctx: &mut Ctx<'_>) {
        let result = match FileJob::from_any(result) {
            Ok(job) => {
                // Like a drop: a HAR comes back here streamed, anything else goes where its
                // content belongs.
                if let Some(path) = self.opener.finish_routed(job) {
                    ctx.send(Action::Dropped(path));
                }
                return;
            }
            Err(other) => other,
        };
        if let Ok(mut har) = result.downcast::<HarView>() {
            let ring = &ctx.shared.ring;
            har.check_tokens(ring.rev, &ring.key_sets(), ctx.now());
            let text = match &har.error {
                Some(e) => e.clone(),
                None => format!(
                    "{}: {}",
                    har.name,
                    count(
                        har.requests.len() + har.more,
                        "Supabase request",
                        "Supabase requests"
                    )
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

    fn busy(&self) -> Option<&'static str> {
        self.opener.busy.then_some("opening a file")
    }

    fn on_intent(&mut self, intent: &Intent, ctx: &mut Ctx<'_>) {
        if let Intent::ReadHar(path) = intent {
            let (path, now) = (path.clone(), ctx.now());
            ctx.spawn(move || HarView::scan(&path, now));
        }
    }
}
