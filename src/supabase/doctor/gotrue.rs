//! GoTrue (supabase/auth) as it reads its keys and checks an incoming token. Read from
//! supabase/auth at bc32168 (2026-08): `internal/conf/configuration.go` (`ApplyDefaults`,
//! `applyDefaultsJWTPrivateKey`), `internal/conf/jwk.go` (`JwtKeysDecoder`, `GetSigningJwk`,
//! `FindPublicKeyByKid`), `internal/api/auth.go` (`parseJWTClaims`), `internal/api/jwks.go`
//! (`WellKnownJwks`) and `internal/tokens/service.go` (the `kid` header of signed tokens):
//!
//! - `GOTRUE_JWT_KEYS` (a JSON array; unset or `[]`: none) is stored by kid. With none, the
//!   secret becomes the only key, stored under `GOTRUE_JWT_KEY_ID`, and the tokens GoTrue signs
//!   carry that kid (no `kid` when the key ID is empty).
//! - The signing key is the one whose `key_ops` holds `sign`; `GOTRUE_JWT_KEY_ID` never picks it.
//! - Valid methods: `GOTRUE_JWT_VALID_METHODS`, else the `alg` of every key. The method check
//!   runs before any key lookup ("signing method ES256 is invalid").
//! - An incoming token's string kid naming a key → that key; kid = `GOTRUE_JWT_KEY_ID` → the
//!   secret; else HS256 → the secret; else "unrecognized JWT kid <kid> for algorithm <alg>".
//! - `/.well-known/jwks.json` publishes the public part of every non-`oct` key.

use super::Config;
use super::finding::{Finding, Severity};
use super::finding_code::FindingCode;
use super::verdict::{ServiceVerdict, check_with, refused, unknown};
use crate::jose::alg::Alg;
use crate::jose::b64::SecretEncoding;
use crate::jose::keys::{Key, KeySet, KeySetShape, load_keys, secret_key};
use crate::jose::token::Jws;

const S: &str = "GoTrue";

/// GoTrue's key configuration as the auth container receives it.
pub struct GoTrue {
    /// `GOTRUE_JWT_KEYS` as read: `Ok(None)` when unset, empty or `[]`; `Err` when GoTrue
    /// would refuse to start on it.
    keys: Result<Option<KeySet>, String>,
    /// `GOTRUE_JWT_KEY_ID` (empty when unset).
    key_id: String,
    /// `GOTRUE_JWT_SECRET`.
    secret: Option<Key>,
    /// `GOTRUE_JWT_VALID_METHODS` when set.
    explicit_methods: Option<Vec<String>>,
}

/// The value the auth container gets as `var` (compose), else the `.env`'s `top`.
fn received(config: &Config, var: &str, top: &str) -> Option<String> {
    let value = if config.compose.is_some() {
        config.service_var("auth", var).map(|v| v.value.clone())
    } else {
        config
            .get(var)
            .or_else(|| config.get(top))
            .map(str::to_string)
    };
    value.filter(|v| !v.trim().is_empty())
}

impl GoTrue {
    /// Reads the auth service's `GOTRUE_JWT_*` (or, without a compose file, the `.env`).
    pub fn read(config: &Config) -> GoTrue {
        let keys = match received(config, "GOTRUE_JWT_KEYS", "JWT_KEYS") {
            None => Ok(None),
            Some(t)
                if t.trim()
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .trim()
                    .is_empty() =>
            {
                Ok(None)
            }
            Some(t) => match load_keys(&t) {
                Ok(set) if set.shape == KeySetShape::JwtKeysArray => Ok(Some(set)),
                Ok(set) => Err(format!(
                    "GOTRUE_JWT_KEYS is a {}, not the JSON array GoTrue reads",
                    set.shape.label()
                )),
                Err(e) => Err(format!("GOTRUE_JWT_KEYS is unreadable: {e}")),
            },
        };
        GoTrue {
            keys,
            key_id: received(config, "GOTRUE_JWT_KEY_ID", "GOTRUE_JWT_KEY_ID").unwrap_or_default(),
            secret: received(config, "GOTRUE_JWT_SECRET", "JWT_SECRET")
                .and_then(|s| secret_key(&s, SecretEncoding::Text).ok()),
            explicit_methods: received(
                config,
                "GOTRUE_JWT_VALID_METHODS",
                "GOTRUE_JWT_VALID_METHODS",
            )
            .map(|m| m.split(',').map(|x| x.trim().to_string()).collect()),
        }
    }

    fn key_list(&self) -> &[Key] {
        match &self.keys {
            Ok(Some(set)) => &set.keys,
            _ => &[],
        }
    }

    /// The key GoTrue signs with when `GOTRUE_JWT_KEYS` is set: the one whose `key_ops` holds
    /// `sign`.
    pub fn signing_key(&self) -> Option<&Key> {
        self.key_list().iter().find(|k| {
            k.key_ops
                .as_ref()
                .is_some_and(|o| o.iter().any(|x| x == "sign"))
        })
    }

    /// The algorithms GoTrue accepts: explicit, else the `alg` of each key (HS256 for the
    /// secret alone). A key without `alg` adds none.
    pub fn methods(&self) -> Vec<String> {
        if let Some(m) = &self.explicit_methods {
            return m.clone();
        }
        match &self.keys {
            Ok(Some(set)) => set
                .keys
                .iter()
                .map(|k| k.alg.clone().unwrap_or_default())
                .collect(),
            _ => vec![Alg::HS256.name().to_string()],
        }
    }

    /// `/.well-known/jwks.json`: the public part of every non-`oct` key (none with the secret
    /// alone).
    pub fn published(&self) -> KeySet {
        let keys = match &self.keys {
            Ok(Some(set)) => set.public_keys(),
            _ => Vec::new(),
        };
        KeySet::from_keys(keys, KeySetShape::Jwks)
    }

    /// The key GoTrue stores under `kid` (the last one with that kid; with no
    /// `GOTRUE_JWT_KEYS`, the secret under `GOTRUE_JWT_KEY_ID`).
    fn stored(&self, kid: &str) -> Option<Key> {
        match &self.keys {
            Ok(Some(set)) => set
                .keys
                .iter()
                .rev()
                .find(|k| k.kid.as_deref().unwrap_or("") == kid)
                .cloned(),
            _ if kid == self.key_id => self.secret.clone(),
            _ => None,
        }
    }

    /// What GoTrue answers to `jws`.
    pub fn verdict(&self, jws: &Jws, now: i64) -> ServiceVerdict {
        if let Err(why) = &self.keys {
            return unknown(S, &format!("GoTrue does not start: {why}"));
        }
        let alg = match jws.alg() {
            Ok(a) => a,
            Err(e) => return refused(S, &format!("401 — {e}")),
        };
        let methods = self.methods();
        if !methods.iter().any(|m| m == alg.name()) {
            let from = if self.explicit_methods.is_some() {
                "GOTRUE_JWT_VALID_METHODS"
            } else {
                "the algorithms of its keys, GOTRUE_JWT_VALID_METHODS being unset"
            };
            return refused(
                S,
                &format!(
                    "401 \"signing method {alg} is invalid\" (it accepts {} — {from})",
                    methods.join(",")
                ),
            );
        }
        if let Some(kid) = jws.kid() {
            if let Some(key) = self.stored(kid) {
                let picked = format!("its key with kid \"{kid}\"");
                return check_with(
                    S,
                    jws,
                    &KeySet::single(key, KeySetShape::SingleJwk),
                    now,
                    0,
                    &picked,
                );
            }
            if kid == self.key_id {
                return self.with_secret(jws, now, "JWT_SECRET, the kid being GOTRUE_JWT_KEY_ID");
            }
        }
        if alg == Alg::HS256 {
            return self.with_secret(jws, now, "JWT_SECRET");
        }
        refused(
            S,
            &format!(
                "401 \"unrecognized JWT kid {} for algorithm {alg}\"",
                jws.kid().unwrap_or("<nil>")
            ),
        )
    }

    fn with_secret(&self, jws: &Jws, now: i64, picked: &str) -> ServiceVerdict {
        match &self.secret {
            Some(s) => check_with(
                S,
                jws,
                &KeySet::single(s.clone(), KeySetShape::Secret),
                now,
                0,
                picked,
            ),
            None => unknown(S, "JWT_SECRET not given"),
        }
    }
}

/// `GOTRUE_JWT_KEY_ID`: with `GOTRUE_JWT_KEYS` it names no signing key (warning when it names
/// none of them); without, GoTrue puts it as `kid` on every token it signs, and a PostgREST
/// given a JWKS without that kid refuses them all.
pub fn check(config: &Config, out: &mut Vec<Finding>) {
    let gotrue = GoTrue::read(config);
    let kid = gotrue.key_id.clone();
    if kid.is_empty() {
        return;
    }
    match &gotrue.keys {
        Ok(Some(set)) => {
            if set
                .keys
                .iter()
                .any(|k| k.kid.as_deref() == Some(kid.as_str()))
            {
                return;
            }
            let signer = gotrue
                .signing_key()
                .map(|k| {
                    format!(
                        "kid \"{}\", {}",
                        k.kid.as_deref().unwrap_or(""),
                        k.alg.as_deref().unwrap_or("no alg")
                    )
                })
                .unwrap_or_else(|| "none".into());
            out.push(Finding::new(Severity::Warning, FindingCode::GotrueKeyIdUnused, "GOTRUE_JWT_KEY_ID names no key of GOTRUE_JWT_KEYS: it does not choose the signing key")
                .vars(&["GOTRUE_JWT_KEY_ID", "GOTRUE_JWT_KEYS"])
                .detail(format!("With GOTRUE_JWT_KEYS set, GoTrue signs with the key whose key_ops holds \"sign\" ({signer}); GOTRUE_JWT_KEY_ID \"{kid}\" only makes it check tokens carrying that kid against JWT_SECRET (supabase/auth internal/conf/jwk.go)."))
                .fix("To sign with another key, give that key (alone) \"sign\" in key_ops and restart auth; otherwise remove GOTRUE_JWT_KEY_ID."));
        }
        Ok(None) => {
            let Some(rest) = config.service_var("rest", "PGRST_JWT_SECRET") else {
                return;
            };
            let Ok(set) = load_keys(&rest.value) else {
                return;
            };
            if set.shape != KeySetShape::Jwks
                || set
                    .keys
                    .iter()
                    .any(|k| k.kid.as_deref() == Some(kid.as_str()))
            {
                return;
            }
            out.push(Finding::new(Severity::Error, FindingCode::GotrueKeyIdNotInJwks, format!("GoTrue signs user tokens with kid \"{kid}\" (GOTRUE_JWT_KEY_ID), which PostgREST's JWKS does not hold"))
                .vars(&["GOTRUE_JWT_KEY_ID", "PGRST_JWT_SECRET", "JWT_JWKS"])
                .detail("Without GOTRUE_JWT_KEYS, GoTrue stores JWT_SECRET under GOTRUE_JWT_KEY_ID and puts that kid on every HS256 token it signs. PostgREST matches a token that carries a kid only against JWKS keys with that kid, so every signed-in request to /rest/v1 fails: 401 \"No suitable key or wrong key type\" (PGRST301).")
                .fix(format!("Remove GOTRUE_JWT_KEY_ID, or enable GOTRUE_JWT_KEYS (uncomment it in docker-compose.yml), or give the oct key in JWT_JWKS \"kid\":\"{kid}\"; then restart auth and rest.")));
        }
        Err(_) => {}
    }
}
