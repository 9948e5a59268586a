//! For one token: would Kong, GoTrue, PostgREST, Realtime, Storage, Edge Functions and a
//! supabase-js client accept it with this configuration, following each one's own
//! key-selection rule (see `services_rules`), and if not, what each says.

use super::finding::{Finding, Severity};
use super::finding_code::FindingCode;
use super::gotrue::GoTrue;
use super::verdict::{ServiceVerdict, check, refused, unknown, verdict};
use super::{Config, services_clients, services_rules};
use crate::jose::b64::SecretEncoding;
use crate::jose::input::clean_token_input;
use crate::jose::keys::{KeySet, KeySetShape, load_keys, secret_key};
use crate::jose::token::Jws;

/// Simulates every service; adds a finding when the token is unreadable.
pub fn simulate(
    config: &Config,
    raw: &str,
    now: i64,
    findings: &mut Vec<Finding>,
) -> Vec<ServiceVerdict> {
    let token = match clean_token_input(raw) {
        Ok(c) => c.token,
        Err(e) => {
            findings.push(
                Finding::new(
                    Severity::Error,
                    FindingCode::TokenUnreadable,
                    "the token given cannot be read",
                )
                .detail(e.to_string()),
            );
            return vec![];
        }
    };
    let mut out = vec![kong(config, &token)];
    let jws = match Jws::parse_unverified(&token) {
        Ok(j) => j,
        Err(e) => {
            let msg = format!(
                "not a JWT ({e}): GoTrue \"token contains an invalid number of segments\", PostgREST \"Expected 3 parts in JWT\""
            );
            for s in [
                "GoTrue",
                "PostgREST",
                "Realtime",
                "Storage",
                "Functions",
                "supabase-js",
            ] {
                out.push(verdict(s, Err(msg.clone())));
            }
            return out;
        }
    };
    let secret = config
        .get("JWT_SECRET")
        .and_then(|s| secret_key(s, SecretEncoding::Text).ok())
        .map(|k| KeySet::single(k, KeySetShape::Secret));
    let jwks = config.get("JWT_JWKS").and_then(|t| load_keys(t).ok());
    let gotrue = GoTrue::read(config);
    let gotrue_verdict = gotrue.verdict(&jws, now);
    out.push(postgrest(config, &jws, secret.as_ref(), jwks.as_ref(), now));
    match jws.alg() {
        Ok(alg) => {
            out.push(services_rules::realtime(config, &jws, alg, now));
            out.push(services_rules::storage(config, &jws, alg, now));
            out.push(services_clients::functions(config, &jws, alg, now, &gotrue));
            out.push(services_clients::supabase_js(
                &jws,
                alg,
                now,
                &gotrue,
                &gotrue_verdict,
            ));
        }
        Err(e) => {
            for s in ["Realtime", "Storage", "Functions", "supabase-js"] {
                out.push(refused(s, &format!("refused — {e}")));
            }
        }
    }
    out.insert(1, gotrue_verdict);
    out
}

fn kong(config: &Config, token: &str) -> ServiceVerdict {
    if config.kong.is_empty() {
        return unknown("Kong", "no kong.yml given");
    }
    match config.kong.iter().find(|k| k.key == token) {
        Some(k) => verdict("Kong", Ok(format!("as apikey: matches consumer \"{}\"", k.consumer))),
        None if config.kong.iter().all(|k| k.key.contains('$')) => unknown("Kong", "kong.yml is a template: the rendered copy decides"),
        None => verdict("Kong", Err("as apikey: 401 \"Invalid authentication credentials\" (no consumer holds this exact key)".into())),
    }
}

fn postgrest(
    config: &Config,
    jws: &Jws,
    secret: Option<&KeySet>,
    jwks: Option<&KeySet>,
    now: i64,
) -> ServiceVerdict {
    let configured = config.service_var("rest", "PGRST_JWT_SECRET");
    if let Some(v) = configured {
        if v.value.trim_start().starts_with('{') {
            return match load_keys(&v.value) {
                Ok(set) => check("PostgREST", jws, &set, now, 30),
                Err(e) => verdict(
                    "PostgREST",
                    Err(format!(
                        "401 \"No suitable key or wrong key type\" — PGRST_JWT_SECRET is unreadable JSON: {e}"
                    )),
                ),
            };
        }
        if !v.value.is_empty() {
            return match secret_key(&v.value, SecretEncoding::Text) {
                Ok(k) => check(
                    "PostgREST",
                    jws,
                    &KeySet::single(k, KeySetShape::Secret),
                    now,
                    30,
                ),
                Err(e) => verdict("PostgREST", Err(format!("401 — {e}"))),
            };
        }
    }
    match (jwks, secret) {
        (Some(j), _) => check("PostgREST", jws, j, now, 30),
        (None, Some(s)) => check("PostgREST", jws, s, now, 30),
        (None, None) => unknown("PostgREST", "neither JWT_SECRET nor JWT_JWKS given"),
    }
}
