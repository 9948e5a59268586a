//! The Mint pane: anon / service_role / authenticated tokens from a ring key or a secret, and
//! re-signing the current token's payload with another key.
//!
//! The output always matches the inputs: every change re-mints in `update` (microseconds for
//! HS/ES/EdDSA; RSA signs on the worker, and a late result for older inputs is dropped), and
//! invalid inputs replace the old token with the error, next to the field that caused it.
//!
//! This module holds the pane's state and logic; `view` draws it, `hooks` is how the window
//! drives it ([`PaneView`](crate::app::pane::PaneView)), and `minted` describes a made token.

mod hooks;
mod minted;
mod view;

use crate::app::clipboard::fingerprint;
use crate::app::clock_note::ClockCheck;
use crate::app::ring_view::RingRows;
use crate::app::shared::{Ctx, KeyRing};
use crate::jose::b64::SecretEncoding;
use crate::jose::input::clean_token_input;
use crate::jose::keys::{Key, KeyMaterial, secret_key};
use crate::jose::secret::SecretString;
use crate::jose::sign::resign;
use crate::jose::token::Jws;
use crate::supabase::mint::{MintRequest, MintRole, mint, parse_expiry, parse_extra_claims};
use crate::supabase::roles::demo_secret_key as demo_secret;
use minted::{Field, FieldError, Minted, Outcome, fail, resign_expiry_warning};

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

/// The signing inputs, compared each update to see whether they changed.
#[derive(Clone, Copy, PartialEq)]
struct KeyInputs {
    signer: Signer,
    allow_demo_secret: bool,
    secret: [u8; 32],
    ring_rev: Option<u64>,
}

/// The mint inputs.
struct MintInputs {
    role: MintRole,
    fields: [String; 5],
    key: KeyInputs,
}

/// The re-sign inputs.
struct ResignInputs {
    token: String,
    key: KeyInputs,
}

/// What this pane's background jobs (RSA signing) return.
enum Job {
    Minted(u64, Result<Minted, FieldError>),
    Resigned(u64, Result<Minted, FieldError>),
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
    /// The user picked the signer (or typed a secret): it is no longer chosen for them (a ring
    /// key when the ring has one that signs).
    pub signer_chosen: bool,
    /// Secret text when signing with a secret.
    pub secret: SecretString,
    /// Show the secret.
    pub show_secret: bool,
    /// Sign with a public demo secret anyway (local testing only); off by default.
    pub allow_demo_secret: bool,
    /// The token for the current inputs, or why not (`None` while RSA signs).
    pub output: Outcome,
    /// Token to re-sign (the current token).
    pub resign_input: String,
    /// The re-signed token or why not (`None` when there is nothing to re-sign).
    pub resign_output: Outcome,
    /// Why re-signing this token keeps a short or past expiry.
    pub resign_warning: Option<String>,
    /// The system clock check.
    pub clock: ClockCheck,
    /// The ring, described for the signer list.
    pub(super) ring_rows: RingRows,
    /// The generation of the RSA mint in flight.
    pub(super) minting: Option<u64>,
    /// The generation of the RSA re-sign in flight.
    pub(super) resigning: Option<u64>,
    generation: u64,
    mint_seen: Option<MintInputs>,
    resign_seen: Option<ResignInputs>,
    /// The token revision `resign_input` was copied from.
    seen_token: Option<u64>,
    /// A command recorded while drawing, applied in `update`.
    pub(super) command: Option<Command>,
    /// The extra claims text last read for its "role" and that role (see [`MintPane::role_claim`]).
    extra_role: Option<(String, Option<String>)>,
}

/// What the buttons ask for.
pub(super) enum Command {
    /// Mint again now (a fresh iat).
    Mint,
    /// Re-sign again now.
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
            signer_chosen: false,
            secret: SecretString::default(),
            show_secret: false,
            allow_demo_secret: false,
            output: None,
            resign_input: String::new(),
            resign_output: None,
            resign_warning: None,
            clock: ClockCheck::default(),
            ring_rows: RingRows::default(),
            minting: None,
            resigning: None,
            generation: 0,
            mint_seen: None,
            resign_seen: None,
            seen_token: None,
            command: None,
            extra_role: None,
        }
    }
}

fn non_empty(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn is_rsa(key: &Key) -> bool {
    matches!(key.material, KeyMaterial::Rsa { .. })
}

impl MintPane {
    /// The minted token, if there is one for the current inputs.
    pub fn token(&self) -> Option<&str> {
        match &self.output {
            Some(Ok(m)) => Some(m.token.expose()),
            _ => None,
        }
    }

    /// The re-signed token, if there is one for the current inputs.
    pub fn resigned_token(&self) -> Option<&str> {
        match &self.resign_output {
            Some(Ok(m)) => Some(m.token.expose()),
            _ => None,
        }
    }

    /// Falls back to the secret when the chosen ring key went away.
    fn clamp_key_choice(&mut self, ring: &KeyRing) {
        if let Signer::Ring(id) = self.signer
            && ring.get(id).is_none()
        {
            self.signer = Signer::Secret;
        }
    }

    /// For a user who has not chosen a signer and typed no secret: a ring key that signs (the
    /// newest that is not a public demo secret, else the first), not an empty secret field.
    fn default_signer(&mut self, ring: &KeyRing) {
        if self.signer_chosen || self.signer != Signer::Secret || !self.secret.expose().is_empty() {
            return;
        }
        let signers = || ring.entries.iter().filter(|e| e.key.has_private());
        let private = signers().rev().find(|e| demo_secret(&e.key).is_none());
        if let Some(entry) = private.or_else(|| signers().next()) {
            self.signer = Signer::Ring(entry.id);
        }
    }

    fn key_inputs(&self, ring: &KeyRing) -> KeyInputs {
        KeyInputs {
            signer: self.signer,
            allow_demo_secret: self.allow_demo_secret,
            secret: fingerprint(self.secret.expose()),
            ring_rev: matches!(self.signer, Signer::Ring(_)).then_some(ring.rev),
        }
    }

    fn text_fields(&self) -> [&String; 5] {
        [
            &self.iss,
            &self.project_ref,
            &self.sub,
            &self.expiry,
            &self.extra,
        ]
    }

    fn mint_inputs(&self, ring: &KeyRing) -> MintInputs {
        MintInputs {
            role: self.role,
            fields: self.text_fields().map(String::clone),
            key: self.key_inputs(ring),
        }
    }

    fn resign_inputs(&self, ring: &KeyRing) -> ResignInputs {
        ResignInputs {
            token: self.resign_input.clone(),
            key: self.key_inputs(ring),
        }
    }

    /// The role claim the token will carry: the extra claims' "role" when they set one (they
    /// override the preset), else the preset's. The extra claims are read again only when
    /// their text changed.
    pub fn role_claim(&mut self) -> String {
        let fresh = self
            .extra_role
            .as_ref()
            .is_some_and(|(text, _)| *text == self.extra);
        if !fresh {
            let role = serde_json::from_str::<serde_json::Value>(&self.extra)
                .ok()
                .and_then(|v| v.get("role")?.as_str().map(str::to_string));
            self.extra_role = Some((self.extra.clone(), role));
        }
        self.extra_role
            .as_ref()
            .and_then(|(_, role)| role.clone())
            .unwrap_or_else(|| self.role.claim().to_string())
    }

    /// Whether the shown token was minted from the inputs as they are (compared in place: this
    /// runs every frame).
    fn mint_is_current(&self, key: &KeyInputs) -> bool {
        self.mint_seen.as_ref().is_some_and(|seen| {
            seen.role == self.role && seen.key == *key && seen.fields.iter().eq(self.text_fields())
        })
    }

    /// Whether the re-signed token was made from the inputs as they are.
    fn resign_is_current(&self, key: &KeyInputs) -> bool {
        self.resign_seen
            .as_ref()
            .is_some_and(|seen| seen.key == *key && seen.token == self.resign_input)
    }

    /// The key to sign with; a public demo secret only when allowed for local testing.
    fn signing_key(&self, ring: &KeyRing) -> Result<Key, FieldError> {
        let key = self.chosen_key(ring)?;
        match demo_secret(&key) {
            Some(what) if !self.allow_demo_secret => Err(fail(
                Field::DemoSecret,
                format!(
                    "The signing secret is {what}: anyone can forge tokens with it, so Mint refuses it. Generate a new secret in Keys, or allow it below for local testing only."
                ),
            )),
            _ => Ok(key),
        }
    }

    /// What the chosen signing key is, when it is a public demo secret ("the public demo
    /// JWT_SECRET from …"); shown beside a token minted with it.
    pub fn demo_signer(&self, ring: &KeyRing) -> Option<&'static str> {
        self.chosen_key(ring).ok().as_ref().and_then(demo_secret)
    }

    fn chosen_key(&self, ring: &KeyRing) -> Result<Key, FieldError> {
        match self.signer {
            Signer::Secret if self.secret.expose().is_empty() => Err(fail(
                Field::NeedsKey,
                "enter the secret (JWT_SECRET) or pick a key from the ring to mint",
            )),
            Signer::Secret => secret_key(self.secret.expose(), SecretEncoding::Text)
                .map_err(|e| fail(Field::Key, e)),
            Signer::Ring(id) => ring
                .get(id)
                .map(|r| r.key.clone())
                .ok_or_else(|| fail(Field::Key, "that key is no longer in the ring")),
        }
    }

    fn request(&self, now: i64) -> Result<MintRequest, FieldError> {
        let extra = if self.extra.trim().is_empty() {
            Default::default()
        } else {
            parse_extra_claims(&self.extra).map_err(|e| fail(Field::Extra, e))?
        };
        let expires_in = parse_expiry(&self.expiry).map_err(|e| fail(Field::Expiry, e))?;
        expires_in.expiry(now).map_err(|e| fail(Field::Expiry, e))?;
        Ok(MintRequest {
            role: self.role,
            issuer: non_empty(&self.iss),
            project_ref: non_empty(&self.project_ref),
            subject: non_empty(&self.sub),
            expires_in,
            extra,
            now,
        })
    }

    /// Mints a token from the fields now, on this thread (RSA included).
    pub fn mint(&mut self, now: i64, ring: &KeyRing) {
        let prepared = self.prepare_mint(now, ring);
        self.output = Some(prepared.and_then(|(req, key)| sign_mint(&req, &key)));
    }

    /// Records the inputs being minted (a job for older ones is dropped) and builds the request
    /// and the key from them.
    fn prepare_mint(&mut self, now: i64, ring: &KeyRing) -> Result<(MintRequest, Key), FieldError> {
        self.mint_seen = Some(self.mint_inputs(ring));
        self.generation += 1;
        self.minting = None;
        self.request(now)
            .and_then(|req| Ok((req, self.signing_key(ring)?)))
    }

    /// Mints for the current inputs: inline, or on the worker for RSA.
    fn start_mint(&mut self, ctx: &mut Ctx<'_>) {
        match self.prepare_mint(ctx.now(), &ctx.shared.ring) {
            Ok((req, key)) if is_rsa(&key) => {
                let generation = self.generation;
                self.output = None;
                self.minting = Some(generation);
                ctx.spawn(move || Job::Minted(generation, sign_mint(&req, &key)));
            }
            Ok((req, key)) => self.output = Some(sign_mint(&req, &key)),
            Err(e) => self.output = Some(Err(e)),
        }
    }

    /// Re-signs the token to re-sign for the current inputs.
    fn start_resign(&mut self, ctx: &mut Ctx<'_>) {
        let ring = &ctx.shared.ring;
        self.resign_seen = Some(self.resign_inputs(ring));
        self.generation += 1;
        self.resigning = None;
        self.resign_warning = None;
        if self.resign_input.trim().is_empty() {
            self.resign_output = None;
            return;
        }
        let jws = match clean_token_input(&self.resign_input)
            .and_then(|c| Jws::parse_unverified(&c.token))
        {
            Ok(jws) => jws,
            Err(e) => {
                self.resign_output = Some(Err(fail(Field::Token, e)));
                return;
            }
        };
        if let Ok(claims) = jws.claims() {
            self.resign_warning = resign_expiry_warning(&claims, ctx.now());
        }
        match self.signing_key(ring) {
            Ok(key) if is_rsa(&key) => {
                let generation = self.generation;
                self.resign_output = None;
                self.resigning = Some(generation);
                ctx.spawn(move || Job::Resigned(generation, sign_resign(&jws, &key)));
            }
            Ok(key) => self.resign_output = Some(sign_resign(&jws, &key)),
            Err(e) => self.resign_output = Some(Err(e)),
        }
    }
}

fn sign_mint(req: &MintRequest, key: &Key) -> Result<Minted, FieldError> {
    mint(req, key, None)
        .map(Minted::new)
        .map_err(|e| fail(Field::Output, e))
}

fn sign_resign(jws: &Jws, key: &Key) -> Result<Minted, FieldError> {
    resign(jws, key, None)
        .map(Minted::new)
        .map_err(|e| fail(Field::Output, e))
}
