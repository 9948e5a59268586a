//! Each service's own key-selection rule, for one token: Realtime and Storage
//! (supabase/storage `src/internal/auth/jwt.ts`); Edge Functions and supabase-js are in
//! `services_clients`.
//! Each reads the values its container receives (the compose file) or, without one, the `.env`.

use super::Config;
use super::verdict::{ServiceVerdict, check_with, refused, unknown};
use crate::jose::alg::{Alg, AlgFamily};
use crate::jose::b64::SecretEncoding;
use crate::jose::keys::{Key, KeySet, KeySetShape, load_keys, secret_key};
use crate::jose::token::Jws;

/// The value `service` receives as `var` (compose), else the `.env`'s `top`.
pub(super) fn received(config: &Config, service: &str, vars: &[&str], top: &str) -> Option<String> {
    if config.compose.is_some() {
        return vars
            .iter()
            .find_map(|v| config.service_var(service, v))
            .map(|v| v.value.clone())
            .filter(|v| !v.trim().is_empty());
    }
    config.get(top).map(str::to_string)
}

pub(super) fn secret_of(text: Option<String>) -> Option<KeySet> {
    let text = text?;
    let key = secret_key(&text, SecretEncoding::Text).ok()?;
    Some(KeySet::single(key, KeySetShape::Secret))
}

/// A JWKS object `{"keys":[…]}` (a bare array or garbage is no usable JWKS).
fn jwks_of(text: Option<String>) -> Option<KeySet> {
    let set = load_keys(&text?).ok()?;
    (set.shape == KeySetShape::Jwks).then_some(set)
}

/// The JWK `kty` an algorithm's keys have.
pub(super) fn kty_name(alg: Alg) -> &'static str {
    match alg.family() {
        AlgFamily::Hmac => "oct",
        AlgFamily::Rsa => "RSA",
        AlgFamily::Ed25519 => "OKP",
        _ => "EC",
    }
}

pub(super) fn one(key: &Key) -> KeySet {
    KeySet::single(key.clone(), KeySetShape::SingleJwk)
}

pub(super) fn alg_fits(key: &Key, alg: Alg) -> bool {
    key.family() == alg.family() && key.alg.as_deref().is_none_or(|a| a == alg.name())
}

/// Realtime: RS*/ES*/EdDSA need a JWK with the token's kid and the right type; HS tokens with a
/// kid use the oct JWK with that kid, else the secret.
pub fn realtime(config: &Config, jws: &Jws, alg: Alg, now: i64) -> ServiceVerdict {
    const S: &str = "Realtime";
    let secret = secret_of(received(
        config,
        "realtime",
        &["API_JWT_SECRET"],
        "JWT_SECRET",
    ));
    let jwks = jwks_of(received(config, "realtime", &["API_JWT_JWKS"], "JWT_JWKS"));
    let kid = jws.kid();
    let by_kid = |set: &KeySet| {
        set.keys
            .iter()
            .find(|k| kid.is_some() && k.kid.as_deref() == kid && k.family() == alg.family())
            .cloned()
    };
    if alg.family() == AlgFamily::Hmac {
        if let Some(k) = jwks.as_ref().and_then(by_kid) {
            return check_with(S, jws, &one(&k), now, 0, "the oct JWK with the token's kid");
        }
        return match secret {
            Some(s) => check_with(S, jws, &s, now, 0, "API_JWT_SECRET"),
            None => unknown(S, "API_JWT_SECRET (JWT_SECRET) not given"),
        };
    }
    match (jwks.as_ref(), jwks.as_ref().and_then(by_kid)) {
        (_, Some(k)) => check_with(S, jws, &one(&k), now, 0, "the JWK with the token's kid"),
        (None, _) => refused(
            S,
            "\"Failed to generate JWT signer for key ID\" — no API_JWT_JWKS object, so no key for an asymmetric token",
        ),
        (Some(_), None) => refused(
            S,
            &format!(
                "\"Failed to generate JWT signer for key ID\" — API_JWT_JWKS has no {} key with kid \"{}\" (reseed the tenant after rotating)",
                kty_name(alg),
                kid.unwrap_or_default()
            ),
        ),
    }
}

const STORAGE_DENIED: &str = "400 {\"statusCode\":\"403\",\"error\":\"Unauthorized\"}";

/// Storage: HS256 without kid → JWT_SECRET (even when JWT_JWKS holds another oct key); with a
/// kid → the first oct key with no kid or that kid, else the secret; asymmetric → a JWKS key
/// with the same kid (or both kid-less), right type and compatible alg; no usable JWT_JWKS → only
/// HS256 is allowed.
pub fn storage(config: &Config, jws: &Jws, alg: Alg, now: i64) -> ServiceVerdict {
    const S: &str = "Storage";
    let secret = secret_of(received(
        config,
        "storage",
        &["AUTH_JWT_SECRET", "PGRST_JWT_SECRET", "JWT_SECRET"],
        "JWT_SECRET",
    ));
    let jwks = jwks_of(received(config, "storage", &["JWT_JWKS"], "JWT_JWKS"));
    let kid = jws.kid();
    if alg == Alg::HS256 {
        let oct = kid.and_then(|kid| {
            jwks.as_ref()?
                .keys
                .iter()
                .find(|k| {
                    k.family() == AlgFamily::Hmac && k.kid.as_deref().is_none_or(|x| x == kid)
                })
                .cloned()
        });
        if let Some(k) = oct {
            return check_with(S, jws, &one(&k), now, 0, "the oct key of JWT_JWKS");
        }
        return match secret {
            Some(s) => check_with(S, jws, &s, now, 0, "its JWT secret"),
            None => unknown(S, "JWT_SECRET not given"),
        };
    }
    let Some(jwks) = jwks else {
        return refused(
            S,
            &format!(
                "{STORAGE_DENIED} \"\\\"alg\\\" (Algorithm) Header Parameter value not allowed\" — without a usable JWT_JWKS object Storage allows only HS256"
            ),
        );
    };
    let key = jwks
        .keys
        .iter()
        .find(|k| k.kid.as_deref() == kid && alg_fits(k, alg));
    match key {
        Some(k) => check_with(
            S,
            jws,
            &one(k),
            now,
            0,
            "the JWT_JWKS key with the token's kid",
        ),
        None => refused(
            S,
            &format!(
                "{STORAGE_DENIED} \"no matching key\" — JWT_JWKS has no {} key with kid \"{}\"",
                kty_name(alg),
                kid.unwrap_or_default()
            ),
        ),
    }
}
