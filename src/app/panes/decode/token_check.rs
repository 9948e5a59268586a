//! One token among several (a credential card, a HAR request): what the key ring says of it,
//! in a line that names the ring key that verifies it, with its Decode and Verify buttons.

use crate::app::key_verdict::{KeyVerdict, Tone};
use crate::app::shared::Ctx;
use crate::app::vocab::{Action, Intent, Pane};
use crate::app::widgets::{BAD, GOOD, WARN, esc};
use crate::jose::keys::KeySet;
use crate::jose::token::Jws;
use crate::jose::verify::VerifyOptions;
use egui::{RichText, Ui};

/// What the key ring says of one token, computed once per token and ring change.
#[derive(Debug, Clone)]
pub struct TokenCheck {
    /// How it is shown.
    pub tone: Tone,
    /// "Signature verifies: ES256 signature by … — from generated key …", "Not verified".
    pub text: String,
    /// A ring key checked it (Verify opens on the key ring).
    pub with_ring: bool,
}

impl TokenCheck {
    /// Checks `token` against the ring's keys (the same verdict as Decode's banner).
    pub fn of(token: &str, keys: &[(String, KeySet)], now: i64) -> TokenCheck {
        let Ok(jws) = Jws::parse_unverified(token) else {
            return TokenCheck {
                tone: Tone::Bad,
                text: "Not a readable token".into(),
                with_ring: false,
            };
        };
        let verdict = KeyVerdict::of(&jws, keys, &VerifyOptions::default(), now);
        let with_ring = matches!(
            verdict,
            KeyVerdict::Valid { .. } | KeyVerdict::ClaimsFail { .. } | KeyVerdict::Refused { .. }
        );
        let (tone, headline, lines) = verdict.describe();
        let text = match (&verdict, lines.first()) {
            // Nothing was checked: say so plainly; the Verify button is the way on.
            (KeyVerdict::NoKeys | KeyVerdict::NotChecked { .. }, _) => "Not verified".into(),
            (_, Some(line)) => format!("{headline}: {line}"),
            (_, None) => headline,
        };
        TokenCheck {
            tone,
            text,
            with_ring,
        }
    }
}

/// The check's line and the token's Decode and Verify buttons; `name` tells the buttons apart
/// for a screen reader ("#2 header authorization").
pub fn token_check_ui(ui: &mut Ui, ctx: &mut Ctx<'_>, token: &str, check: &TokenCheck, name: &str) {
    ui.horizontal_wrapped(|ui| {
        let text = RichText::new(esc(&check.text));
        ui.label(match check.tone {
            Tone::Good => text.color(GOOD),
            Tone::Warn => text.color(WARN),
            Tone::Bad => text.color(BAD),
            Tone::Neutral => text,
        });
        if ui
            .small_button("Decode")
            .accessible_name(format!("Decode {name}"))
            .on_hover_text("Show this token in Decode (it becomes the current token)")
            .clicked()
        {
            ctx.send(Action::SetToken(token.to_string()));
        }
        if ui
            .small_button("Verify")
            .accessible_name(format!("Verify {name}"))
            .on_hover_text("Open Verify with this token")
            .clicked()
        {
            ctx.send(Action::SetToken(token.to_string()));
            ctx.send(Action::Go {
                pane: Pane::Verify,
                intent: Intent::VerifyToken {
                    with_ring: check.with_ring,
                },
            });
        }
    });
}
