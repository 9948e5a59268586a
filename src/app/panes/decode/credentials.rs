//! "Paste anything" in the window: every credential the core's recogniser finds in a paste (a
//! cookie, a session, a redirect URL, a curl command, a HAR file) as its own card with its
//! source, the findings about the combination, and a share-safe report to copy.

use super::token_check::{TokenCheck, token_check_ui};
use crate::app::shared::Ctx;
use crate::app::vocab::Action;
use crate::app::widgets::{BAD, GOOD, WARN, count, esc, note_ui};
use crate::inspect::report::{kind_label, report_lines};
use crate::inspect::{CredentialKind, recognise, request_findings};
use crate::jose::classified::Classified;
use crate::jose::keys::KeySet;
use crate::jose::token::Jws;
use crate::safe_text::redact::fingerprint;
use crate::supabase::doctor::{Finding, Severity};
use egui::{RichText, Ui};

/// One credential, ready to draw (computed once per paste).
pub struct Card {
    /// "[2] cookie sb-abc-auth-token → access_token — JWT".
    pub title: String,
    /// What it is, in plain words.
    pub explanation: String,
    /// Remarks from reading it.
    pub notes: Vec<String>,
    /// For a JWT: "role anon · expires in 3 days"; else the value, or its fingerprint when secret.
    pub summary: String,
    /// The JWT itself, to decode or verify on its own, and what the key ring says of it.
    pub jwt: Option<(String, TokenCheck)>,
}

/// What a paste holds when it is more than one bare token.
pub struct CredentialsView {
    /// "a curl command (bash quoting)".
    pub shape: String,
    /// The credentials, in order.
    pub cards: Vec<Card>,
    /// Whether the combination can work.
    pub findings: Vec<Finding>,
    /// `supajwt inspect --redact`'s text: safe to attach to a ticket.
    pub redacted_report: String,
    /// "+ N more, not shown" when the paste held more credentials than one paste reports.
    pub omitted: Option<String>,
}

impl CredentialsView {
    /// Reads a paste, checking its tokens against the ring's `keys`; `None` when it holds one
    /// JWT and nothing to say about it (`Bearer …`, `ANON_KEY=…`: Decode shows that token as it
    /// always did) or nothing the recogniser knows.
    pub fn from_paste(text: &str, now: i64, keys: &[(String, KeySet)]) -> Option<CredentialsView> {
        let inspection = recognise(text).ok()?;
        let findings = request_findings(&inspection, now);
        let creds = &inspection.credentials;
        let one_jwt = creds.len() == 1 && creds[0].kind == CredentialKind::Jwt;
        if creds.is_empty() || (one_jwt && findings.is_empty()) {
            return None;
        }
        let cards = creds
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (summary, jwt) = match c.kind {
                    CredentialKind::Jwt => (
                        jwt_summary(&c.value, now),
                        Some((c.value.clone(), TokenCheck::of(&c.value, keys, now))),
                    ),
                    CredentialKind::SbPublishable => (c.value.clone(), None),
                    _ => (format!("secret value, {}", fingerprint(&c.value)), None),
                };
                Card {
                    title: format!("[{}] {} — {}", i + 1, c.source, kind_label(c.kind)),
                    // The window's words for a JWT: what the ring says is on the card, and
                    // Verify is a button, not a command to type.
                    explanation: if c.kind == CredentialKind::Jwt {
                        "a JWT.".into()
                    } else {
                        c.explain()
                    },
                    notes: c.notes.clone(),
                    summary,
                    jwt,
                }
            })
            .collect();
        let redacted_report = report_lines(&inspection, &findings, now, true).join("\n");
        Some(CredentialsView {
            shape: inspection.shape.clone(),
            omitted: inspection.omitted_line(),
            cards,
            findings,
            redacted_report,
        })
    }
}

fn jwt_summary(token: &str, now: i64) -> String {
    let Ok(jws) = Jws::parse_unverified(token) else {
        return "not decodable".into();
    };
    let report = crate::supabase::claims::claims_report(&jws, now);
    let role = report
        .fields
        .iter()
        .find(|(k, _)| k == "role")
        .map_or("no role".to_string(), |(_, v)| format!("role {v}"));
    let exp = report
        .times
        .iter()
        .find(|t| t.name == "exp")
        .map_or("no exp".to_string(), |t| t.relative.clone());
    format!(
        "{} · {role} · {exp} · {}",
        jws.alg_name().unwrap_or("no alg"),
        fingerprint(token)
    )
}

/// Draws the cards, the findings and the "Copy redacted report" button.
pub fn credentials_ui(ui: &mut Ui, view: &CredentialsView, ctx: &mut Ctx<'_>) {
    ui.horizontal_wrapped(|ui| {
        ui.strong(esc(&format!(
            "{} in {}",
            count(view.cards.len(), "credential", "credentials"),
            view.shape
        )));
        if ui
            .button("Copy redacted report")
            .on_hover_text("The same text as `supajwt inspect --redact`: secrets become sha256 fingerprints, emails and phones are masked.")
            .clicked()
        {
            ctx.send(Action::Copy(Classified::Public(view.redacted_report.clone())));
        }
    });
    if let Some(more) = &view.omitted {
        ui.label(RichText::new(esc(more)).color(WARN));
    }
    for card in &view.cards {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.strong(esc(&card.title));
            ui.label(esc(&card.explanation));
            for note in &card.notes {
                ui.label(RichText::new(esc(&format!("note: {note}"))).color(WARN));
            }
            ui.monospace(esc(&card.summary));
            if let Some((jwt, check)) = &card.jwt {
                let name = format!("[{}]", card_number(&card.title));
                token_check_ui(ui, ctx, jwt, check, &name);
            }
        });
    }
    findings_ui(ui, &view.findings);
}

fn card_number(title: &str) -> &str {
    title
        .split(']')
        .next()
        .map_or("", |s| s.trim_start_matches('['))
}

/// Findings, coloured by severity.
pub fn findings_ui(ui: &mut Ui, findings: &[Finding]) {
    for f in findings {
        let color = match f.severity {
            Severity::Error | Severity::Critical => BAD,
            Severity::Warning => WARN,
            Severity::Info => GOOD,
        };
        note_ui(
            ui,
            Some(color),
            &format!("{} {}: {}", f.severity.label(), f.code, f.title),
        );
        if !f.detail.is_empty() {
            ui.label(esc(&f.detail));
        }
        if !f.fix.is_empty() {
            ui.label(RichText::new(esc(&format!("fix: {}", f.fix))).italics());
        }
    }
}
