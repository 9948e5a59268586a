//! The signing-key lifecycle of a self-hosted stack: every key its `.env` holds (`JWT_KEYS`,
//! `JWT_JWKS`, `JWT_SECRET`), each one's state (signing, standby, previously used, verify-only
//! with unknown history, legacy secret) from GoTrue's one-signer rule and the `# supajwt:`
//! records ([`records`]), which of the stack's API keys it signed, and ([`matrix`]) which
//! service accepts which token class. Pure: the `.env` text and the clock are parameters.

pub mod add;
mod guard;
pub mod matrix;
pub mod plan;
pub mod promote;
pub mod records;
pub mod revoke;
pub mod safe_times;

use crate::jose::b64::SecretEncoding;
use crate::jose::error::CoreError;
use crate::jose::keys::{Key, KeySet, KeySetShape, load_keys, secret_key, thumbprint};
use crate::jose::sign::default_alg;
use crate::jose::token::Jws;
use crate::jose::verify::verify_signature;
use crate::supabase::doctor::Config;
use records::{Event, Record, parse_records};
use serde::Serialize;

/// The API keys of a stack that are JWTs, in the order they are shown.
pub const STACK_TOKENS: [&str; 4] = [
    "ANON_KEY",
    "SERVICE_ROLE_KEY",
    "ANON_KEY_ASYMMETRIC",
    "SERVICE_ROLE_KEY_ASYMMETRIC",
];

/// `JWT_EXPIRY` when the `.env` does not set it (GoTrue's default).
pub const DEFAULT_JWT_EXPIRY: i64 = 3600;

/// Where a key is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    /// GoTrue signs with it (`"sign"` in `key_ops`, or the secret when `JWT_KEYS` is empty).
    Signing,
    /// Verify-only, recorded as published before it signs.
    Standby,
    /// Verify-only, recorded as having signed before.
    PreviouslyUsed,
    /// Verify-only with no record: history unknown.
    VerifyOnly,
    /// The kid-less shared secret (`JWT_SECRET`, HS256), not signing.
    LegacySecret,
}

impl KeyState {
    /// The stable name (`previously_used`).
    pub fn name(self) -> &'static str {
        match self {
            KeyState::Signing => "signing",
            KeyState::Standby => "standby",
            KeyState::PreviouslyUsed => "previously_used",
            KeyState::VerifyOnly => "verify_only",
            KeyState::LegacySecret => "legacy_secret",
        }
    }
}

/// One key of the stack.
#[derive(Debug, Clone)]
pub struct StackKey {
    /// The key (private when `JWT_KEYS` or `JWT_SECRET` holds it).
    pub key: Key,
    /// Declared `alg`, else the family default.
    pub alg: String,
    /// RFC 7638 thumbprint.
    pub thumbprint: String,
    /// Its state.
    pub state: KeyState,
    /// When it entered that state, when recorded.
    pub since: Option<i64>,
    /// When it stopped signing, when recorded.
    pub stopped_signing: Option<i64>,
    /// The variables that hold it: `JWT_KEYS`, `JWT_JWKS`, `JWT_SECRET`.
    pub held_in: Vec<&'static str>,
    /// The stack's API keys it signed ([`STACK_TOKENS`]).
    pub signed: Vec<&'static str>,
}

impl StackKey {
    /// The kid, or the first 8 characters of the thumbprint: how the key is named.
    pub fn name(&self) -> String {
        self.key
            .kid
            .clone()
            .unwrap_or_else(|| self.thumbprint.chars().take(8).collect())
    }
}

/// The keys of a stack and what the lifecycle needs beside them.
#[derive(Debug, Clone)]
pub struct Stack {
    /// Every key, `JWT_KEYS` order first, then keys only in `JWT_JWKS`, then `JWT_SECRET`.
    pub keys: Vec<StackKey>,
    /// `JWT_EXPIRY` (seconds).
    pub jwt_expiry: i64,
    /// The records read.
    pub records: Vec<Record>,
}

fn where_(config: &Config, var: &str) -> String {
    config
        .vars
        .get(var)
        .map_or_else(|| var.to_string(), |v| format!("{var} ({})", v.source))
}

/// A set from `JWT_KEYS` (array) or `JWT_JWKS` (object); unset, empty or `[]`: none.
fn key_var(config: &Config, var: &str, shape: KeySetShape) -> Result<Vec<Key>, CoreError> {
    let Some(text) = config.get(var) else {
        return Ok(vec![]);
    };
    let bad = |why: String| CoreError::InvalidOption(format!("{}: {why}", where_(config, var)));
    let inner = text.trim().trim_start_matches('[').trim_end_matches(']');
    if shape == KeySetShape::JwtKeysArray && inner.trim().is_empty() {
        return Ok(vec![]);
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Err(e) => {
            return Err(bad(format!(
                "is not valid JSON ({e}); GoTrue and the services refuse to start on it: fix the quoting (single quotes around the whole value) or regenerate it"
            )));
        }
        Ok(v)
            if v.get("keys")
                .and_then(|k| k.as_array())
                .is_some_and(Vec::is_empty) =>
        {
            return Ok(vec![]);
        }
        Ok(_) => {}
    }
    let set = load_keys(text).map_err(|e| bad(e.to_string()))?;
    if set.shape != shape {
        return Err(bad(format!(
            "is a {}, not the {} it must be",
            set.shape.label(),
            shape.label()
        )));
    }
    if let Some((kid, e)) = set.unreadable.first() {
        let which = kid
            .as_ref()
            .map_or(String::new(), |k| format!(" (kid \"{k}\")"));
        return Err(bad(format!("a key{which} is unreadable: {e}")));
    }
    Ok(set.keys)
}

fn signs(key: &Key) -> bool {
    key.key_ops
        .as_ref()
        .is_some_and(|o| o.iter().any(|x| x == "sign"))
}

/// The key with `key_ops` / `use` cleared: what checks a signature it made in the past.
fn bare(key: &Key) -> Key {
    Key {
        key_ops: None,
        key_use: None,
        ..key.clone()
    }
}

/// Reads the keys of the stack whose `.env` is `env` and was loaded into `config`.
pub fn read_stack(env: &str, config: &Config) -> Result<Stack, CoreError> {
    let private = key_var(config, "JWT_KEYS", KeySetShape::JwtKeysArray)?;
    let public = key_var(config, "JWT_JWKS", KeySetShape::Jwks)?;
    let signers: Vec<&Key> = private.iter().filter(|k| signs(k)).collect();
    if !private.is_empty() && signers.len() != 1 {
        let names: Vec<String> = signers
            .iter()
            .map(|k| k.kid.clone().unwrap_or_else(|| thumbprint(k)))
            .collect();
        let what = if signers.is_empty() {
            "has no signing key (no key has \"sign\" in key_ops); GoTrue refuses to start: \"no signing key detected\"".to_string()
        } else {
            format!(
                "has {} signing keys ({}); GoTrue refuses to start: \"multiple signing keys detected, only 1 signing key is supported\". Keep \"sign\" in the key_ops of one only",
                signers.len(),
                names.join(", ")
            )
        };
        return Err(CoreError::InvalidOption(format!(
            "{} {what}",
            where_(config, "JWT_KEYS")
        )));
    }
    let secret = match config.get("JWT_SECRET") {
        Some(s) => Some(secret_key(s, SecretEncoding::Text).map_err(|e| {
            CoreError::InvalidOption(format!("{}: {e}", where_(config, "JWT_SECRET")))
        })?),
        None => None,
    };
    let jwt_expiry = match config.get("JWT_EXPIRY") {
        None => DEFAULT_JWT_EXPIRY,
        Some(t) => t
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| *s > 0)
            .ok_or_else(|| {
                CoreError::InvalidOption(format!(
                    "{} is \"{t}\", not a number of seconds",
                    where_(config, "JWT_EXPIRY")
                ))
            })?,
    };
    if private.is_empty() && public.is_empty() && secret.is_none() {
        return Err(CoreError::InvalidOption(
            "the .env sets none of JWT_SECRET, JWT_KEYS and JWT_JWKS: there is no key to list"
                .into(),
        ));
    }
    let mut keys: Vec<StackKey> = Vec::new();
    let sources = private
        .iter()
        .map(|k| ("JWT_KEYS", k))
        .chain(public.iter().map(|k| ("JWT_JWKS", k)))
        .chain(secret.iter().map(|k| ("JWT_SECRET", k)));
    for (var, key) in sources {
        let print = thumbprint(key);
        if let Some(known) = keys.iter_mut().find(|k| k.thumbprint == print) {
            if !known.held_in.contains(&var) {
                known.held_in.push(var);
            }
            if private.is_empty() && var == "JWT_SECRET" {
                known.state = KeyState::Signing;
            }
            continue;
        }
        let state = if signs(key) || (private.is_empty() && var == "JWT_SECRET") {
            KeyState::Signing
        } else if key.kty() == "oct" && key.kid.is_none() {
            KeyState::LegacySecret
        } else {
            KeyState::VerifyOnly
        };
        keys.push(StackKey {
            alg: key
                .alg
                .clone()
                .or_else(|| default_alg(key).ok().map(|a| a.name().to_string()))
                .unwrap_or_default(),
            key: key.clone(),
            thumbprint: print,
            state,
            since: None,
            stopped_signing: None,
            held_in: vec![var],
            signed: vec![],
        });
    }
    for k in &mut keys {
        k.signed = signed_by(config, &k.key);
    }
    let records = parse_records(env)?;
    let mut stack = Stack {
        keys,
        jwt_expiry,
        records: records.clone(),
    };
    for r in &records {
        match stack.matching(&r.key).as_slice() {
            [i] => {
                let i = *i;
                apply(&mut stack.keys[i], r);
            }
            [] => {} // a key no longer in the .env (revoked): history only
            many => {
                return Err(CoreError::InvalidOption(format!(
                    ".env line {}: the record names \"{}\", which fits {} keys: write the kid or more of the thumbprint",
                    r.line,
                    r.key,
                    many.len()
                )));
            }
        }
    }
    Ok(stack)
}

/// A record's effect on the key it names (later records win).
fn apply(k: &mut StackKey, r: &Record) {
    match (k.state, r.event) {
        (KeyState::Signing, Event::Signing) => k.since = Some(r.at),
        (KeyState::Signing, _) => {}
        (_, Event::StoppedSigning) => {
            k.stopped_signing = Some(r.at);
            if k.state != KeyState::LegacySecret {
                k.state = KeyState::PreviouslyUsed;
                k.since = Some(r.at);
            }
        }
        (KeyState::LegacySecret, _) => {}
        (_, Event::Standby) => {
            k.state = KeyState::Standby;
            k.since = Some(r.at);
        }
        (_, Event::PreviouslyUsed) => {
            k.state = KeyState::PreviouslyUsed;
            k.since = Some(r.at);
        }
        // It signed once and no longer does, stop time not recorded.
        (_, Event::Signing) => {
            k.state = KeyState::PreviouslyUsed;
            k.since = None;
        }
    }
}

/// The stack's API keys whose signature `key` verifies (claims and expiry not checked).
fn signed_by(config: &Config, key: &Key) -> Vec<&'static str> {
    let set = KeySet::single(bare(key), KeySetShape::Pem);
    STACK_TOKENS
        .into_iter()
        .filter(|var| {
            config
                .get(var)
                .and_then(|t| Jws::parse_unverified(t.trim()).ok())
                .is_some_and(|jws| verify_signature(&jws, &set, &[]).is_ok())
        })
        .collect()
}

impl Stack {
    /// The key named `id`: its kid, else a unique prefix of its thumbprint.
    pub fn find(&self, id: &str) -> Result<&StackKey, CoreError> {
        self.index(id).map(|i| &self.keys[i])
    }

    /// The keys whose kid is `id`, else those whose thumbprint starts with it.
    fn matching(&self, id: &str) -> Vec<usize> {
        let by_kid: Vec<usize> = (0..self.keys.len())
            .filter(|i| self.keys[*i].key.kid.as_deref() == Some(id))
            .collect();
        if !by_kid.is_empty() {
            return by_kid;
        }
        (0..self.keys.len())
            .filter(|i| !id.is_empty() && self.keys[*i].thumbprint.starts_with(id))
            .collect()
    }

    fn index(&self, id: &str) -> Result<usize, CoreError> {
        let found = self.matching(id);
        if let [i] = found.as_slice() {
            return Ok(*i);
        }
        let names = || {
            self.keys
                .iter()
                .map(|k| format!("{} ({})", k.name(), k.state.name()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let by_kid = found
            .iter()
            .filter(|i| self.keys[**i].key.kid.as_deref() == Some(id))
            .count();
        if by_kid > 1 {
            return Err(CoreError::InvalidOption(format!(
                "{} keys have the kid \"{id}\": name one by a prefix of its thumbprint ({})",
                by_kid,
                self.keys
                    .iter()
                    .filter(|k| k.key.kid.as_deref() == Some(id))
                    .map(|k| k.thumbprint.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        match found.as_slice() {
            [i] => Ok(*i),
            [] => Err(CoreError::InvalidOption(format!(
                "no key has the kid or a thumbprint starting \"{id}\"; the keys are: {}",
                names()
            ))),
            many => Err(CoreError::InvalidOption(format!(
                "\"{id}\" starts the thumbprint of {} keys: give more characters ({})",
                many.len(),
                names()
            ))),
        }
    }

    /// The signing key.
    pub fn signing(&self) -> Option<&StackKey> {
        self.keys.iter().find(|k| k.state == KeyState::Signing)
    }
}
