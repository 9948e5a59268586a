//! The Verify pane: a token, a key source, the checks; one big verdict with the reason.

use crate::app::pane::{PaneInfo, PaneView};
use crate::app::shared::Ctx;
use crate::app::vocab::{Action, Intent, Settings};
use crate::app::widgets::{
    cut_oversized, esc, secret_field_ui, text_area_ui, text_field_ui, verdict_lines_ui,
};
use crate::jose::alg::Alg;
use crate::jose::b64::SecretEncoding;
use crate::jose::error::CoreError;
use crate::jose::input::clean_token_input;
use crate::jose::keys::{KeySet, KeySetShape, load_keys, secret_key};
use crate::jose::secret::SecretString;
use crate::jose::token::Jws;
use crate::jose::verify::{VerifyOptions, verify_with_sources};
use database::{DbSection, database_ui};
use egui::{RichText, Ui};
pub use outcome::Outcome;
use outcome::{loaded_refusal, near_misses};

pub mod database;
mod outcome;

/// Where the Verify pane takes its key from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeySource {
    /// A shared secret typed in.
    #[default]
    Secret,
    /// Pasted PEM, JWK, JWKS or JWT_KEYS.
    Pasted,
    /// The JWKS pane's set and the key ring.
    Loaded,
}

/// The Verify pane.
pub struct VerifyPane {
    /// The token.
    pub token: String,
    /// Key source.
    pub source: KeySource,
    /// The user picked the key source (or a jump did): it is no longer chosen for them (the key
    /// ring when it has keys, else the secret).
    pub source_chosen: bool,
    /// Secret text.
    pub secret: SecretString,
    /// Show the secret.
    pub show_secret: bool,
    /// How the secret text becomes bytes.
    pub encoding: SecretEncoding,
    /// Pasted key text.
    pub key_text: SecretString,
    /// Allowed algorithms; empty means what the key allows.
    pub algs: Vec<Alg>,
    /// Leeway in seconds (text field).
    pub leeway: String,
    /// Required issuer.
    pub iss: String,
    /// Required audience.
    pub aud: String,
    /// The verdict.
    pub outcome: Option<Outcome>,
    /// A field changed: recompute at the next update.
    pub dirty: bool,
    /// The (token, key ring) revisions the verdict was computed from.
    seen: Option<(u64, u64)>,
    /// What a database sees for the token (never saved).
    pub database: DbSection,
}

impl Default for VerifyPane {
    fn default() -> Self {
        VerifyPane {
            token: String::new(),
            source: KeySource::default(),
            source_chosen: false,
            secret: SecretString::default(),
            show_secret: false,
            encoding: SecretEncoding::Text,
            key_text: SecretString::default(),
            algs: Vec::new(),
            leeway: "0".into(),
            iss: String::new(),
            aud: String::new(),
            outcome: None,
            dirty: false,
            seen: None,
            database: DbSection::default(),
        }
    }
}

impl VerifyPane {
    /// Re-runs verification with the current fields.
    pub fn recompute(&mut self, now: i64, loaded: &[(String, KeySet)]) {
        if let Some(size) = cut_oversized(&mut self.token, crate::jose::input::MAX_INPUT_BYTES) {
            let e = CoreError::TooLarge {
                size,
                limit: crate::jose::input::MAX_INPUT_BYTES,
            };
            self.outcome = Some(Outcome::refused(
                "REJECTED — not a readable token",
                vec![e.to_string()],
            ));
            return;
        }
        self.outcome = if self.token.trim().is_empty() {
            None
        } else {
            Some(self.check(now, loaded))
        };
    }

    fn options(&self) -> Result<VerifyOptions, String> {
        let leeway = self.leeway.trim();
        let leeway = if leeway.is_empty() {
            0
        } else {
            leeway
                .parse()
                .map_err(|_| format!("leeway \"{leeway}\" is not a number of seconds"))?
        };
        crate::jose::verify::check_leeway(leeway)?;
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(VerifyOptions {
            algorithms: self.algs.clone(),
            leeway,
            issuer: opt(&self.iss),
            audience: opt(&self.aud),
        })
    }

    fn key_sets(&self, loaded: &[(String, KeySet)]) -> Result<Vec<(String, KeySet)>, String> {
        match self.source {
            KeySource::Secret if self.secret.expose().is_empty() => {
                Err("enter the secret (JWT_SECRET)".into())
            }
            KeySource::Secret => secret_key(self.secret.expose(), self.encoding)
                .map(|k| {
                    vec![(
                        "the secret".to_string(),
                        KeySet::single(k, KeySetShape::Secret),
                    )]
                })
                .map_err(|e| e.to_string()),
            KeySource::Pasted if self.key_text.expose().trim().is_empty() => {
                Err("paste a PEM, JWK, JWKS, JWT_KEYS or OpenSSH public key (a shared secret goes in the Secret field)".into())
            }
            KeySource::Pasted => load_keys(self.key_text.expose())
                .map(|s| vec![("the pasted key".to_string(), s)])
                .map_err(|e| crate::app::hints::core_error_text(&e)),
            KeySource::Loaded if loaded.is_empty() => {
                Err("no keys loaded: use the JWKS pane or add keys in the Keys pane".into())
            }
            KeySource::Loaded => Ok(loaded.to_vec()),
        }
    }

    fn check(&self, now: i64, loaded: &[(String, KeySet)]) -> Outcome {
        let token = match clean_token_input(&self.token)
            .and_then(|c| Jws::parse_unverified(&c.token))
        {
            Ok(t) => t,
            Err(e) => {
                return Outcome::refused("REJECTED — not a readable token", vec![e.to_string()]);
            }
        };
        let options = match self.options() {
            Ok(o) => o,
            Err(e) => return Outcome::problem(e),
        };
        let sets = match self.key_sets(loaded) {
            Ok(s) => s,
            Err(e) => return Outcome::problem(e),
        };
        let (source, e) = match verify_with_sources(&token, &sets, &options, now) {
            Ok((source, v)) => {
                let mut detail: Vec<String> =
                    v.leeway_reliance.iter().map(|r| r.describe()).collect();
                detail.push(format!(
                    "{} signature by {} ({source}); claims OK",
                    v.alg, v.key
                ));
                detail.extend(v.notes.iter().map(|n| format!("Note: {n}")));
                let headline = match v.leeway_reliance {
                    Some(_) => "VALID only because of the leeway",
                    None => "VALID",
                };
                return Outcome {
                    valid: true,
                    headline: headline.into(),
                    detail,
                    near_misses: Vec::new(),
                    ring_verifies: None,
                };
            }
            Err(failure) => failure,
        };
        let mut outcome = match self.source {
            // Several sources: say which key should have matched, or that none could check it.
            KeySource::Loaded => loaded_refusal(&token, &sets, &options, now),
            _ if sets.len() > 1 => {
                Outcome::refused("REJECTED", vec![format!("{e} (first tried: {source})")])
            }
            _ => Outcome::refused("REJECTED", vec![e.to_string()]),
        };
        outcome.near_misses = near_misses(&token, &sets, &options);
        if self.source != KeySource::Loaded
            && let Ok((name, _)) = verify_with_sources(&token, loaded, &options, now)
        {
            outcome.detail.push(format!(
                "The key ring's {name} verifies this token — switch to it."
            ));
            outcome.ring_verifies = Some(name);
        }
        outcome
    }

    /// Chooses the key source for a user who has not: the key ring when it has keys (not an
    /// empty secret field), else the secret.
    fn default_source(&mut self, ring_has_keys: bool) {
        if self.source_chosen {
            return;
        }
        match self.source {
            KeySource::Secret if ring_has_keys && self.secret.expose().is_empty() => {
                self.source = KeySource::Loaded;
            }
            KeySource::Loaded if !ring_has_keys => self.source = KeySource::Secret,
            _ => {}
        }
    }
}

impl PaneInfo for VerifyPane {
    const TITLE: &'static str = "Verify";
    const BLURB: &'static str = "Check a token's signature and claims against a secret, PEM, JWK or JWKS, with the reason when it fails.";
    fn new(_settings: &Settings) -> Self {
        VerifyPane::default()
    }
}

impl PaneView for VerifyPane {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut Ctx<'_>) {
        verify_ui(ui, self, ctx);
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.database.update(&self.token, ctx);
        let revs = (ctx.shared.token.rev, ctx.shared.ring.rev);
        if self.seen == Some(revs) && !self.dirty {
            return;
        }
        if self.seen.map(|s| s.0) != Some(revs.0) {
            self.token.clone_from(&ctx.shared.token.text);
        }
        self.seen = Some(revs);
        self.dirty = false;
        self.default_source(!ctx.shared.ring.is_empty());
        self.recompute(ctx.now(), &ctx.shared.ring.key_sets());
    }

    fn on_task(&mut self, result: Box<dyn std::any::Any + Send>, _ctx: &mut Ctx<'_>) {
        if let Ok(job) = result.downcast::<database::Job>() {
            self.database.finish(*job);
        }
    }

    fn online(&self) -> Option<String> {
        self.database.online()
    }

    fn busy(&self) -> Option<&'static str> {
        self.database.running.map(|_| "Online: asking the database")
    }

    fn on_intent(&mut self, intent: &Intent, _ctx: &mut Ctx<'_>) {
        if let Intent::VerifyToken { with_ring } = intent {
            if *with_ring {
                self.source = KeySource::Loaded;
                self.source_chosen = true;
            }
            self.dirty = true;
        }
    }
}

fn verify_ui(ui: &mut Ui, v: &mut VerifyPane, ctx: &mut Ctx<'_>) {
    let token_changed = text_area_ui(ui, "Token to verify", &mut v.token, "eyJ…", 2).changed();
    if token_changed {
        ctx.send(Action::SetToken(v.token.clone()));
    }
    let mut changed = false;
    let ring = ring_label(ctx.shared.ring.len());
    ui.horizontal(|ui| {
        ui.label("Key:");
        for (choice, label) in [
            (KeySource::Secret, "Secret"),
            (KeySource::Pasted, "PEM / JWK / JWKS"),
            (KeySource::Loaded, ring.as_str()),
        ] {
            let choice = ui.selectable_value(&mut v.source, choice, label);
            v.source_chosen |= choice.clicked();
            changed |= choice.changed();
        }
    });
    match v.source {
        KeySource::Secret => {
            if secret_field_ui(ui, "Secret", &mut v.secret, &mut v.show_secret).changed() {
                v.source_chosen = true;
                changed = true;
            }
            ui.horizontal(|ui| {
                ui.label("Read the secret as:");
                for enc in [
                    SecretEncoding::Text,
                    SecretEncoding::Base64,
                    SecretEncoding::Base64Url,
                    SecretEncoding::Hex,
                ] {
                    changed |= ui
                        .selectable_value(&mut v.encoding, enc, enc.label())
                        .changed();
                }
            });
        }
        KeySource::Pasted => {
            changed |= text_area_ui(
                ui,
                "Key (PEM, JWK, JWKS or JWT_KEYS)",
                &mut v.key_text,
                "-----BEGIN PUBLIC KEY----- … or {\"keys\":[…]}",
                3,
            )
            .changed();
        }
        KeySource::Loaded => {
            ui.label(
                RichText::new("The keys generated or imported in Keys, the JWKS pane's set and the Doctor's configuration:")
                    .weak(),
            );
            for e in &ctx.shared.ring.entries {
                ui.label(RichText::new(format!("• {}", esc(&e.label()))).weak());
            }
        }
    }
    ui.collapsing("Checks: algorithms, leeway, issuer, audience", |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label("Allowed algorithms (none ticked = what the key allows):");
            for alg in Alg::ALL {
                let mut on = v.algs.contains(&alg);
                if ui.checkbox(&mut on, alg.name()).changed() {
                    v.algs.retain(|a| *a != alg);
                    if on {
                        v.algs.push(alg);
                    }
                    changed = true;
                }
            }
        });
        changed |= text_field_ui(ui, "Leeway (seconds)", &mut v.leeway, "0").changed();
        changed |= text_field_ui(
            ui,
            "Required iss",
            &mut v.iss,
            "e.g. supabase or https://<ref>.supabase.co/auth/v1",
        )
        .changed();
        changed |= text_field_ui(ui, "Required aud", &mut v.aud, "e.g. authenticated").changed();
    });
    if changed {
        v.dirty = true;
    }
    ui.add_space(8.0);
    match &v.outcome {
        None => {
            ui.label(
                RichText::new("Paste a token and give a key: the verdict appears here.").weak(),
            );
        }
        Some(o) => {
            verdict_lines_ui(ui, o.valid, &o.headline, &o.lines());
            if o.ring_verifies.is_some() && ui.button("Switch to the key ring").clicked() {
                v.source = KeySource::Loaded;
                v.source_chosen = true;
                v.dirty = true;
            }
        }
    }
    ui.add_space(8.0);
    database_ui(ui, &mut v.database);
}

/// "Key ring (2 keys)": the Loaded keys choice, named after what it holds.
fn ring_label(keys: usize) -> String {
    let s = if keys == 1 { "" } else { "s" };
    format!("Key ring ({keys} key{s})")
}
