//! The Mint pane: anon / service_role / authenticated tokens from a ring key or a secret, and
//! re-signing an existing token's payload with another key.

use super::pane::{Intent, PaneInfo, PaneView};
use super::settings::Settings;
use super::shared::{Ctx, KeyRing};
use super::state::Action;
use super::widgets::{
    BAD, json_view_ui, secret_field_ui, text_area_ui, text_field_ui, value_block_ui,
};
use crate::core::b64::SecretEncoding;
use crate::core::input::clean_token_input;
use crate::core::keys::{Key, secret_key};
use crate::core::mint::{MintRequest, MintRole, mint, parse_expiry, parse_extra_claims, resign};
use crate::core::secret::SecretString;
use crate::core::token::Jws;
use egui::{RichText, Ui};

/// The expiry presets.
pub const EXPIRY_PRESETS: [&str; 6] = ["1h", "1d", "30d", "1y", "5y", "10y"];

/// Which key signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Signer {
    /// The secret typed in the pane.
    #[default]
    Secret,
    /// A key of the ring, by id.
    Ring(u64),
}

/// The Mint pane.
pub struct MintPane {
    /// Preset.
    pub role: MintRole,
    /// iss (empty = default).
    pub iss: String,
    /// Project ref (empty = none).
    pub project_ref: String,
    /// sub for user tokens (empty = random UUID).
    pub sub: String,
    /// Expiry text (a preset or custom like 90d).
    pub expiry: String,
    /// Extra claims JSON.
    pub extra: String,
    /// Signing key.
    pub signer: Signer,
    /// Secret text when signing with a secret.
    pub secret: SecretString,
    /// Show the secret.
    pub show_secret: bool,
    /// The minted token or why not.
    pub output: Option<Result<String, String>>,
    /// Token to re-sign.
    pub resign_input: String,
    /// The re-signed token or why not.
    pub resign_output: Option<Result<String, String>>,
    /// A command recorded while drawing, applied in `update`.
    command: Option<Command>,
    /// The token revision `resign_input` was copied from.
    seen_token: Option<u64>,
}

enum Command {
    Mint,
    Resign,
}

impl Default for MintPane {
    fn default() -> Self {
        MintPane {
            role: MintRole::Anon,
            iss: String::new(),
            project_ref: String::new(),
            sub: String::new(),
            expiry: "10y".into(),
            extra: "{}".into(),
            signer: Signer::Secret,
            secret: SecretString::default(),
            show_secret: false,
            output: None,
            resign_input: String::new(),
            resign_output: None,
            command: None,
            seen_token: None,
        }
    }
}

fn non_empty(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl MintPane {
    /// Falls back to the secret when the chosen ring key went away.
    fn clamp_key_choice(&mut self, ring: &KeyRing) {
        if let Signer::Ring(id) = self.signer
            && ring.get(id).is_none()
        {
            self.signer = Signer::Secret;
        }
    }

    /// Checks the extra-claims JSON (shown live under the editor).
    pub fn extra_error(&self) -> Option<String> {
        if self.extra.trim().is_empty() {
            return None;
        }
        parse_extra_claims(&self.extra).err().map(|e| e.to_string())
    }

    fn signing_key(&self, ring: &KeyRing) -> Result<Key, String> {
        match self.signer {
            Signer::Secret if self.secret.expose().is_empty() => {
                Err("enter the secret (JWT_SECRET) or pick a key from the ring".into())
            }
            Signer::Secret => {
                secret_key(self.secret.expose(), SecretEncoding::Text).map_err(|e| e.to_string())
            }
            Signer::Ring(id) => ring
                .get(id)
                .map(|r| r.key.clone())
                .ok_or_else(|| "that key is no longer in the ring".into()),
        }
    }

    /// Mints a token from the fields.
    pub fn mint(&mut self, now: i64, ring: &KeyRing) {
        self.output = Some(self.try_mint(now, ring));
    }

    fn try_mint(&self, now: i64, ring: &KeyRing) -> Result<String, String> {
        let key = self.signing_key(ring)?;
        let extra = if self.extra.trim().is_empty() {
            Default::default()
        } else {
            parse_extra_claims(&self.extra).map_err(|e| e.to_string())?
        };
        let request = MintRequest {
            role: self.role,
            issuer: non_empty(&self.iss),
            project_ref: non_empty(&self.project_ref),
            subject: non_empty(&self.sub),
            expires_in: parse_expiry(&self.expiry).map_err(|e| e.to_string())?,
            extra,
            now,
        };
        mint(&request, &key, None).map_err(|e| e.to_string())
    }

    /// Re-signs the pasted token's payload with the chosen key.
    pub fn resign(&mut self, ring: &KeyRing) {
        self.resign_output = Some(self.signing_key(ring).and_then(|key| {
            let jws = clean_token_input(&self.resign_input)
                .and_then(|c| Jws::parse_unverified(&c.token))
                .map_err(|e| e.to_string())?;
            resign(&jws, &key, None).map_err(|e| e.to_string())
        }));
    }

    fn env_name(&self) -> &'static str {
        match self.role {
            MintRole::Anon => "ANON_KEY",
            MintRole::ServiceRole => "SERVICE_ROLE_KEY",
            MintRole::Authenticated => "USER_ACCESS_TOKEN",
        }
    }
}

impl PaneInfo for MintPane {
    const TITLE: &'static str = "Mint";
    const BLURB: &'static str =
        "Make anon / service_role / authenticated tokens, or re-sign a token with another key.";
    fn new(_settings: &Settings) -> Self {
        MintPane::default()
    }
}

impl PaneView for MintPane {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut Ctx<'_>) {
        mint_ui(ui, self, ctx);
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        let ring = &ctx.shared.ring;
        self.clamp_key_choice(ring);
        if self.seen_token != Some(ctx.shared.token.rev) {
            self.seen_token = Some(ctx.shared.token.rev);
            self.resign_input.clone_from(&ctx.shared.token.text);
        }
        match self.command.take() {
            Some(Command::Mint) => self.mint(ctx.now(), ring),
            Some(Command::Resign) => self.resign(ring),
            None => {}
        }
    }

    fn on_intent(&mut self, intent: &Intent, _ctx: &mut Ctx<'_>) {
        if let Intent::MintRole(role) = intent {
            self.role = *role;
            self.output = None;
        }
    }
}

fn mint_ui(ui: &mut Ui, m: &mut MintPane, ctx: &mut Ctx<'_>) {
    ui.horizontal(|ui| {
        ui.label("Role:");
        ui.selectable_value(&mut m.role, MintRole::Anon, "anon");
        ui.selectable_value(&mut m.role, MintRole::ServiceRole, "service_role");
        ui.selectable_value(&mut m.role, MintRole::Authenticated, "authenticated (user)");
    });
    if m.role == MintRole::ServiceRole {
        ui.label(
            RichText::new("service_role bypasses Row Level Security — keep it server-side.")
                .color(BAD),
        );
    }
    text_field_ui(
        ui,
        "iss",
        &mut m.iss,
        "default: supabase (user tokens with a ref: https://<ref>.supabase.co/auth/v1)",
    );
    text_field_ui(
        ui,
        "Project ref",
        &mut m.project_ref,
        "optional, adds \"ref\"",
    );
    if m.role == MintRole::Authenticated {
        text_field_ui(ui, "sub (user id)", &mut m.sub, "default: a random UUID");
    }
    ui.horizontal(|ui| {
        ui.label("Expires in:");
        for p in EXPIRY_PRESETS {
            if ui.selectable_label(m.expiry == p, p).clicked() {
                m.expiry = p.to_string();
            }
        }
    });
    text_field_ui(ui, "Custom expiry", &mut m.expiry, "90d, 12h, 3600");
    text_area_ui(
        ui,
        "Extra claims (JSON object, overrides the preset)",
        &mut m.extra,
        "{\"email\":\"a@example.com\"}",
        2,
    );
    if let Some(e) = m.extra_error() {
        ui.label(RichText::new(super::widgets::esc(&e)).color(BAD));
    }
    signer_ui(ui, m, &ctx.shared.ring);
    if ui.button(RichText::new("Mint token").strong()).clicked() {
        m.command = Some(Command::Mint);
    }
    match &m.output {
        Some(Ok(token)) => {
            let secret = m.role == MintRole::ServiceRole;
            value_block_ui(ui, ctx, "Token", token, secret, "token.jwt");
            let line = format!("{}={token}", m.env_name());
            ui.horizontal(|ui| {
                if ui.button(format!("Copy as {}=…", m.env_name())).clicked() {
                    ctx.send(Action::Copy {
                        text: SecretString::new(line.clone()),
                        secret,
                    });
                }
                if ui.button("Open in Decode").clicked() {
                    ctx.send(Action::OpenToken {
                        text: token.clone(),
                        pane: super::pane::Pane::Decode,
                    });
                }
            });
            if let Ok(claims) = Jws::parse_unverified(token).and_then(|j| j.claims()) {
                ui.collapsing("Decoded payload", |ui| {
                    json_view_ui(ui, &serde_json::Value::Object(claims))
                });
            }
        }
        Some(Err(e)) => {
            ui.label(RichText::new(super::widgets::esc(e)).color(BAD));
        }
        None => {}
    }
    ui.separator();
    ui.strong("Re-sign an existing token (rotation): same payload, new key");
    if text_area_ui(ui, "Token to re-sign", &mut m.resign_input, "eyJ…", 2).changed() {
        ctx.send(Action::SetToken(m.resign_input.clone()));
    }
    if ui.button("Re-sign with the key above").clicked() {
        m.command = Some(Command::Resign);
    }
    match &m.resign_output {
        Some(Ok(token)) => value_block_ui(ui, ctx, "Re-signed token", token, false, "resigned.jwt"),
        Some(Err(e)) => {
            ui.label(RichText::new(super::widgets::esc(e)).color(BAD));
        }
        None => {}
    }
}

fn signer_ui(ui: &mut Ui, m: &mut MintPane, ring: &KeyRing) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Sign with:");
        ui.selectable_value(&mut m.signer, Signer::Secret, "a secret (HS256)");
        for entry in ring.entries.iter().filter(|e| e.key.has_private()) {
            let label = super::widgets::esc(&entry.label()).into_owned();
            ui.selectable_value(&mut m.signer, Signer::Ring(entry.id), label);
        }
    });
    if m.signer == Signer::Secret {
        secret_field_ui(ui, "Signing secret", &mut m.secret, &mut m.show_secret);
    }
}
