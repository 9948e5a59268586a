//! Each service's own key-selection rule, for one token: Realtime, Storage
//! (supabase/storage `src/internal/auth/jwt.ts`), Edge Functions (`VERIFY_JWT`, the main
//! worker's HS256 / ES256 / RS256 gate) and a supabase-js client's `auth.getClaims()`.
//! Each reads the values its container receives (the compose file) or, without one, the `.env`.

use super::Config;
use super::services::{ServiceVerdict, check_with, refused, unknown};
use crate::core::alg::{Alg, AlgFamily};
use crate::core::b64::SecretEncoding;
use crate::core::keys::{Key, KeySet, KeySetShape, load_keys, secret_key};
use crate::core::token::Jws;

/// The value `service` receives as `var` (compose), else the `.env`'s `top`.
fn received(config: &Config, service: &str, vars: &[&str], top: &str) -> Option<String> {
    if config.compose.is_some() {
        return vars
            .iter()
            .find_map(|v| config.service_var(service, v))
            .map(|v| v.value.clone())
            .filter(|v| !v.trim().is_empty());
    }
    config.get(top).map(str::to_string)
}

fn secret_of(text: Option<String>) -> Option<KeySet> {
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
fn kty_name(alg: Alg) -> &'static str {
    match alg.family() {
        AlgFamily::Hmac => "oct",
        AlgFamily::Rsa => "RSA",
        AlgFamily::Ed25519 => "OKP",
        _ => "EC",
    }
}

fn one(key: &Key) -> KeySet {
    KeySet::single(key.clone(), KeySetShape::SingleJwk)
}

fn alg_fits(key: &Key, alg: Alg) -> bool {
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

/// Edge Functions with VERIFY_JWT: HS256 with JWT_SECRET (kid ignored), ES256 / RS256 with
/// SUPABASE_JWKS, anything else refused.
pub fn functions(config: &Config, jws: &Jws, alg: Alg, now: i64) -> ServiceVerdict {
    const S: &str = "Functions";
    if config.compose.is_some() {
        let verify = config
            .service_var("functions", "VERIFY_JWT")
            .map(|v| v.value.trim().to_ascii_lowercase());
        if verify.as_deref() == Some("false") {
            return super::services::accepted(
                S,
                "VERIFY_JWT is false: the token is not checked (each function must check it)"
                    .into(),
            );
        }
    }
    match alg {
        Alg::HS256 => match secret_of(received(config, "functions", &["JWT_SECRET"], "JWT_SECRET"))
        {
            Some(s) => check_with(S, jws, &s, now, 0, "JWT_SECRET"),
            None => unknown(S, "JWT_SECRET not given"),
        },
        Alg::ES256 | Alg::RS256 => {
            let Some(jwks) = jwks_of(received(
                config,
                "functions",
                &["SUPABASE_JWKS"],
                "JWT_JWKS",
            )) else {
                return refused(
                    S,
                    "401 \"Invalid JWT\" — the functions service gets no SUPABASE_JWKS object to verify asymmetric tokens with",
                );
            };
            let kid = jws.kid();
            match jwks
                .keys
                .iter()
                .find(|k| k.kid.as_deref() == kid && alg_fits(k, alg))
            {
                Some(k) => check_with(
                    S,
                    jws,
                    &one(k),
                    now,
                    0,
                    "the SUPABASE_JWKS key with the token's kid",
                ),
                None => refused(
                    S,
                    &format!(
                        "401 \"Invalid JWT\" — SUPABASE_JWKS has no key with kid \"{}\"",
                        kid.unwrap_or_default()
                    ),
                ),
            }
        }
        other => refused(
            S,
            &format!(
                "401 UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM — Edge Functions verify only HS256, ES256 and RS256, not {other} (sign with ES256)"
            ),
        ),
    }
}

/// supabase-js `auth.getClaims()`: exp first ("JWT has expired"); HS* or kid-less tokens go to
/// GoTrue's /auth/v1/user (a user is needed: API keys have no sub); otherwise the key with the
/// kid from GoTrue's JWKS, and only ES256 / RS256 ("Invalid alg claim" for any other).
pub fn supabase_js(
    config: &Config,
    jws: &Jws,
    alg: Alg,
    now: i64,
    gotrue: &ServiceVerdict,
) -> ServiceVerdict {
    const S: &str = "supabase-js";
    let claims = jws.claims().unwrap_or_default();
    let exp = claims.get("exp").and_then(serde_json::Value::as_i64);
    match exp {
        None => return refused(S, "getClaims() throws \"Missing exp claim\""),
        Some(exp) if exp <= now => {
            return refused(
                S,
                "getClaims() throws \"JWT has expired\" (no leeway; with a session, supabase-js refreshes first)",
            );
        }
        _ => {}
    }
    if alg.family() == AlgFamily::Hmac || jws.kid().is_none() {
        if claims.get("sub").is_none() {
            return refused(
                S,
                "getClaims() asks GoTrue (/auth/v1/user, HS256 or no kid): an API key has no sub, so it gets an error (\"missing sub claim\")",
            );
        }
        return match gotrue.accepted {
            Some(true) => super::services::accepted(
                S,
                "getClaims() asks GoTrue (/auth/v1/user, HS256 or no kid), which accepts it".into(),
            ),
            Some(false) => refused(
                S,
                &format!(
                    "getClaims() asks GoTrue (/auth/v1/user), which refuses it: {}",
                    gotrue.message
                ),
            ),
            None => unknown(
                S,
                "getClaims() asks GoTrue (/auth/v1/user); GoTrue's answer is not known",
            ),
        };
    }
    let published = config.get("JWT_KEYS").and_then(|t| load_keys(t).ok());
    let Some(keys) = published else {
        return unknown(
            S,
            "GoTrue's published JWKS (the public keys of JWT_KEYS) is not known",
        );
    };
    let kid = jws.kid();
    let Some(key) = keys
        .keys
        .iter()
        .find(|k| k.kid.as_deref() == kid && k.family() != AlgFamily::Hmac)
    else {
        return refused(
            S,
            &format!(
                "getClaims(): /auth/v1/.well-known/jwks.json has no key with kid \"{}\"",
                kid.unwrap_or_default()
            ),
        );
    };
    if !matches!(alg, Alg::ES256 | Alg::RS256) {
        return refused(
            S,
            &format!(
                "getClaims() throws \"Invalid alg claim\": it verifies only ES256 and RS256 locally, not {alg} (sign with ES256)"
            ),
        );
    }
    check_with(
        S,
        jws,
        &one(key),
        now,
        0,
        "GoTrue's published key with the token's kid",
    )
}
