//! The two verifiers outside the API services: the Edge Functions gate (upstream's
//! `docker/volumes/functions/main/index.ts` with `VERIFY_JWT=true`) and a supabase-js client's
//! `auth.getClaims()`.
//!
//! Edge Functions, supabase/supabase `docker/volumes/functions/main/index.ts`: HS256 →
//! `jose.jwtVerify(jwt, TextEncoder().encode(JWT_SECRET))` (kid ignored); ES256 / RS256 → a JWKS;
//! any other alg → 401 `UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM`. Where the JWKS comes from
//! changed:
//! - PR #42130 (2026-01): `jose.createRemoteJWKSet(new URL('/auth/v1/.well-known/jwks.json',
//!   SUPABASE_URL))` — GoTrue's published keys through the gateway (compose sets
//!   `SUPABASE_URL: http://kong:8000`; kong.yml's `auth-v1-open-jwks` route is open).
//! - PR #45635 (2026-05): `const SUPABASE_JWKS = parseJwks(Deno.env.get('SUPABASE_JWKS'))`,
//!   `jose.createLocalJWKSet(SUPABASE_JWKS)`; absent or not `{"keys":[…]}` → "JWKS not available
//!   for ES256/RS256 token verification", 401 "Invalid JWT" (`UNAUTHORIZED_ASYMMETRIC_JWT`). The
//!   same PR put `#SUPABASE_JWKS: ${JWT_JWKS:-{"keys":[]}}` (commented) in the functions
//!   service of docker-compose.yml, uncommented by `add-new-auth-keys.sh`.
//!
//! So: SUPABASE_JWKS given → the local set; not given, and the compose files mention it → the
//! newer gate, which refuses; never mentioned → the older gate, which fetches GoTrue's keys.
//! Both pick keys as jose's JWKS sets do: right `kty`, same `kid` when the token has one, same
//! `alg` / `use: sig` / `key_ops` with `verify` when the key says; exactly one must remain.
//!
//! supabase-js, supabase/supabase-js `packages/core/auth-js/src/GoTrueClient.ts` `getClaims()`
//! and `src/lib/helpers.ts` (`validateExp`, `getAlgorithm`): a falsy `exp` throws "Missing exp
//! claim", `exp <= now` "JWT has expired"; no `alg`, an `HS*` alg or no `kid` → `getUser()`
//! (GoTrue's `/user`); otherwise `fetchJwk(kid)` looks the kid up in
//! `/auth/v1/.well-known/jwks.json` and, **not finding it, also falls back to `getUser()`**;
//! a found key → `getAlgorithm` (RS256 / ES256, else throws "Invalid alg claim"),
//! `crypto.subtle.importKey` + `verify` of the signature only (no `nbf` / `iat` / `aud` check).

use super::Config;
use super::finding::{Finding, Severity};
use super::finding_code::FindingCode;
use super::gotrue::GoTrue;
use super::services_rules::{alg_fits, kty_name, one, received, secret_of};
use super::verdict::{ServiceVerdict, accepted, check_with, refused, unknown};
use crate::jose::alg::{Alg, AlgFamily};
use crate::jose::keys::{Key, KeySet, KeySetShape, load_keys};
use crate::jose::token::Jws;
use crate::jose::verify::verify_signature;
use serde_json::Value;

const ASYMMETRIC: &str = "401 \"Invalid JWT\" (UNAUTHORIZED_ASYMMETRIC_JWT)";

/// `parseJwks`: an object whose `keys` is an array, else nothing.
fn parse_jwks(text: &str) -> Option<KeySet> {
    let value: Value = serde_json::from_str(text).ok()?;
    value.get("keys")?.as_array()?;
    let set = load_keys(text).ok()?;
    (set.shape == KeySetShape::Jwks).then_some(set)
}

/// jose's `createLocalJWKSet` / `createRemoteJWKSet` key choice.
fn jose_candidates<'a>(set: &'a KeySet, jws: &Jws, alg: Alg) -> Vec<&'a Key> {
    let kid = jws.kid();
    set.keys
        .iter()
        .filter(|k| alg_fits(k, alg))
        .filter(|k| kid.is_none() || k.kid.as_deref() == kid)
        .filter(|k| k.key_use.as_deref().is_none_or(|u| u == "sig"))
        .filter(|k| {
            k.key_ops
                .as_ref()
                .is_none_or(|o| o.iter().any(|x| x == "verify"))
        })
        .collect()
}

fn jose_verify(jws: &Jws, alg: Alg, set: &KeySet, now: i64, from: &str) -> ServiceVerdict {
    const S: &str = "Functions";
    match jose_candidates(set, jws, alg).as_slice() {
        [key] => check_with(S, jws, &one(key), now, 0, from),
        [] => refused(
            S,
            &format!(
                "{ASYMMETRIC} — {from} has no {} key with kid \"{}\" for {alg} (jose: no applicable key)",
                kty_name(alg),
                jws.kid().unwrap_or_default()
            ),
        ),
        many => refused(
            S,
            &format!(
                "{ASYMMETRIC} — {} keys of {from} fit the token (jose: multiple matching keys); give each key a kid and the token one",
                many.len()
            ),
        ),
    }
}

/// Edge Functions with `VERIFY_JWT=true`.
pub fn functions(
    config: &Config,
    jws: &Jws,
    alg: Alg,
    now: i64,
    gotrue: &GoTrue,
) -> ServiceVerdict {
    const S: &str = "Functions";
    if let Some(project) = &config.compose {
        if project.service("functions").is_none() {
            return unknown(S, "the compose file has no functions service");
        }
        // `const VERIFY_JWT = Deno.env.get('VERIFY_JWT') === 'true'`
        let verify = config.service_var("functions", "VERIFY_JWT");
        if verify.is_none_or(|v| v.value != "true") {
            return accepted(
                S,
                "VERIFY_JWT is not \"true\": the gate checks no token (each function must check it)".into(),
            );
        }
    }
    match alg {
        Alg::HS256 => match secret_of(received(config, "functions", &["JWT_SECRET"], "JWT_SECRET"))
        {
            Some(s) => check_with(S, jws, &s, now, 0, "JWT_SECRET"),
            None => unknown(S, "JWT_SECRET not given"),
        },
        Alg::ES256 | Alg::RS256 => asymmetric(config, jws, alg, now, gotrue),
        other => refused(
            S,
            &format!(
                "401 \"Unsupported JWT algorithm {other}\" (UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM) — the Edge Functions gate verifies only HS256, ES256 and RS256 (sign with ES256)"
            ),
        ),
    }
}

fn asymmetric(config: &Config, jws: &Jws, alg: Alg, now: i64, gotrue: &GoTrue) -> ServiceVerdict {
    const S: &str = "Functions";
    if let Some(text) = received(config, "functions", &["SUPABASE_JWKS"], "JWT_JWKS") {
        return match parse_jwks(&text) {
            Some(set) => jose_verify(jws, alg, &set, now, "SUPABASE_JWKS"),
            None => refused(
                S,
                &format!(
                    "{ASYMMETRIC} — SUPABASE_JWKS is not a {{\"keys\":[…]}} object, so the gate has no JWKS"
                ),
            ),
        };
    }
    if config.compose.is_none() {
        return refused(
            S,
            &format!("{ASYMMETRIC} — no SUPABASE_JWKS (JWT_JWKS) to verify asymmetric tokens with"),
        );
    }
    if config.functions_jwks_line {
        return refused(
            S,
            &format!(
                "{ASYMMETRIC} — the functions service gets no SUPABASE_JWKS: uncomment SUPABASE_JWKS: ${{JWT_JWKS:-{{\"keys\":[]}}}} in docker-compose.yml (add-new-auth-keys.sh does) and restart functions"
            ),
        );
    }
    let Some(url) = config
        .service_var("functions", "SUPABASE_URL")
        .map(|v| v.value.trim().trim_end_matches('/').to_string())
        .filter(|u| !u.is_empty())
    else {
        return refused(
            S,
            &format!("{ASYMMETRIC} — neither SUPABASE_JWKS nor SUPABASE_URL: the gate has no JWKS"),
        );
    };
    let mut v = jose_verify(
        jws,
        alg,
        &gotrue.published(),
        now,
        &format!("GoTrue's JWKS, fetched from {url}/auth/v1/.well-known/jwks.json"),
    );
    v.message.push_str(
        " — this compose file predates SUPABASE_JWKS, so its main/index.ts fetches the keys; a main/index.ts from 2026-05 on reads SUPABASE_JWKS instead and refuses without it",
    );
    v
}

/// `exp` as `validateExp` reads it: `None` for a falsy value ("Missing exp claim"), else the
/// number JavaScript compares (NaN compares false: not expired).
fn js_exp(exp: Option<&Value>) -> Option<f64> {
    match exp? {
        Value::Number(n) => n.as_f64().filter(|x| *x != 0.0),
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.trim().parse::<f64>().unwrap_or(f64::NAN)),
        Value::Bool(true) => Some(1.0),
        Value::Bool(false) | Value::Null => None,
        _ => Some(f64::NAN),
    }
}

/// supabase-js `auth.getClaims(token)`.
pub fn supabase_js(
    jws: &Jws,
    alg: Alg,
    now: i64,
    gotrue: &GoTrue,
    gotrue_verdict: &ServiceVerdict,
) -> ServiceVerdict {
    const S: &str = "supabase-js";
    let claims = jws.claims().unwrap_or_default();
    match js_exp(claims.get("exp")) {
        None => return refused(S, "getClaims() fails: \"Missing exp claim\""),
        Some(exp) if exp <= now as f64 => {
            return refused(
                S,
                "getClaims() fails: \"JWT has expired\" (no leeway; for the session's own token, supabase-js refreshes first)",
            );
        }
        _ => {}
    }
    let published = gotrue.published();
    let why_user = match jws.kid() {
        _ if alg.family() == AlgFamily::Hmac => "an HS* token".to_string(),
        None => "a token without kid".to_string(),
        Some(kid) => match published
            .keys
            .iter()
            .find(|k| k.kid.as_deref() == Some(kid))
        {
            Some(key) => return local(jws, alg, key),
            None => format!(
                "kid \"{kid}\" is not in /auth/v1/.well-known/jwks.json, so fetchJwk returns null"
            ),
        },
    };
    via_user(&claims, &why_user, gotrue_verdict)
}

/// A key found in GoTrue's JWKS: only RS256 / ES256, checked with WebCrypto (signature only).
fn local(jws: &Jws, alg: Alg, key: &Key) -> ServiceVerdict {
    const S: &str = "supabase-js";
    if !matches!(alg, Alg::ES256 | Alg::RS256) {
        return refused(
            S,
            &format!(
                "getClaims() throws \"Invalid alg claim\": it verifies only ES256 and RS256 locally, not {alg} (sign with ES256)"
            ),
        );
    }
    if !alg_fits(key, alg) {
        return refused(
            S,
            &format!(
                "getClaims() throws: crypto.subtle.importKey rejects the published key with kid \"{}\" ({}) for {alg}",
                key.kid.as_deref().unwrap_or_default(),
                key.kind_label()
            ),
        );
    }
    match verify_signature(jws, &one(key), &[alg]) {
        Ok(_) => accepted(
            S,
            format!(
                "getClaims() verifies it locally: {alg} signature by GoTrue's published key with kid \"{}\"",
                key.kid.as_deref().unwrap_or_default()
            ),
        ),
        Err(e) => refused(
            S,
            &format!("getClaims() fails: \"Invalid JWT signature\" — {e}"),
        ),
    }
}

fn via_user(
    claims: &serde_json::Map<String, Value>,
    why: &str,
    gotrue: &ServiceVerdict,
) -> ServiceVerdict {
    const S: &str = "supabase-js";
    let asks = format!("getClaims() asks GoTrue (/auth/v1/user) — {why}");
    if claims.get("sub").is_none() {
        return refused(
            S,
            &format!(
                "{asks}: an API key has no sub, so GoTrue answers 403 \"invalid claim: missing sub claim\""
            ),
        );
    }
    match gotrue.accepted {
        Some(true) => accepted(S, format!("{asks}, which accepts it (if the user exists)")),
        Some(false) => refused(S, &format!("{asks}, which refuses it: {}", gotrue.message)),
        None => unknown(S, &format!("{asks}; GoTrue's answer is not known")),
    }
}

/// Without a token: with `VERIFY_JWT` "true" and GoTrue signing with an ES256 / RS256 key, the
/// gate must hold that key — in `SUPABASE_JWKS`, or (older template) through `SUPABASE_URL`.
pub fn check_functions(config: &Config, out: &mut Vec<Finding>) {
    let Some(project) = &config.compose else {
        return;
    };
    let verifies = config
        .service_var("functions", "VERIFY_JWT")
        .is_some_and(|v| v.value == "true");
    if project.service("functions").is_none() || !verifies {
        return;
    }
    let gotrue = GoTrue::read(config);
    let Some(signer) = gotrue.signing_key() else {
        return;
    };
    if !matches!(signer.alg.as_deref(), Some("ES256" | "RS256")) {
        return;
    }
    let kid = signer.kid.clone().unwrap_or_default();
    let problem = match received(config, "functions", &["SUPABASE_JWKS"], "JWT_JWKS") {
        Some(text) => match parse_jwks(&text) {
            None => "its SUPABASE_JWKS is not a {\"keys\":[…]} object".to_string(),
            Some(set) if !set.keys.iter().any(|k| k.kid.as_deref() == Some(kid.as_str())) => {
                format!("its SUPABASE_JWKS has no key with kid \"{kid}\" (stale after a rotation?)")
            }
            Some(_) => return,
        },
        None if config.functions_jwks_line => "it gets no SUPABASE_JWKS (the line is commented out or empty), and its main/index.ts reads only that".to_string(),
        None => return,
    };
    out.push(Finding::new(Severity::Error, FindingCode::FunctionsJwksMissing, "Edge Functions cannot verify the tokens GoTrue signs")
        .vars(&["SUPABASE_JWKS", "JWT_JWKS", "FUNCTIONS_VERIFY_JWT"])
        .detail(format!("GoTrue signs user tokens with its {} key (kid \"{kid}\"), and the functions gate (VERIFY_JWT=true) verifies ES256 / RS256 with SUPABASE_JWKS, but {problem}: every signed-in call to /functions/v1 gets 401 \"Invalid JWT\" (UNAUTHORIZED_ASYMMETRIC_JWT).", signer.alg.as_deref().unwrap_or_default()))
        .fix("In docker-compose.yml's functions service, set SUPABASE_JWKS: ${JWT_JWKS:-{\"keys\":[]}} (uncomment it, as add-new-auth-keys.sh does) with the current JWT_JWKS, then restart functions."));
}
