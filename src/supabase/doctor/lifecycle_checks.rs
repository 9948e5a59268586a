//! The Doctor's findings about the signing-key lifecycle: a standby key that some verifier
//! cannot see, a key only in `JWT_JWKS`, an API key whose signer left `JWT_KEYS` (revoked too
//! early), and a legacy secret that nothing needs any more. They read the stack as the
//! lifecycle model does (`lifecycle::read_stack`, whose `Config` lives in `doctor::config`, so
//! the imports go one way: `diagnose` → here → lifecycle → config). When the stack cannot be
//! read, the key-set findings already say why: these add nothing.

use super::config::Config;
use super::finding::{Finding, Severity};
use super::finding_code::FindingCode;
use super::rotate::{column_service, service_step};
use super::services::simulate;
use crate::jose::keys::{KeySet, KeySetShape};
use crate::jose::time::format_utc;
use crate::jose::token::Jws;
use crate::jose::verify::verify_signature;
use crate::supabase::lifecycle::matrix::{columns, session_row};
use crate::supabase::lifecycle::{KeyState, STACK_TOKENS, Stack, StackKey, read_stack};

/// How long after a key stopped signing Supabase documents waiting before revoking it, beyond
/// `JWT_EXPIRY`.
const REVOKE_MARGIN: i64 = 15 * 60;

/// Runs the lifecycle checks on the stack whose `.env` text is `env` (empty when the
/// configuration came from elsewhere: no records then).
pub fn check(config: &Config, env: &str, now: i64, out: &mut Vec<Finding>) {
    let Ok(stack) = read_stack(env, config) else {
        return;
    };
    standby_unseen(&stack, config, now, out);
    jwks_only(&stack, config, out);
    signer_left(&stack, config, now, out);
    signer_revoked(&stack, out);
    legacy_unused(&stack, config, now, out);
}

/// `JWT_KEYS (.env line 12)`.
fn at(config: &Config, var: &str) -> String {
    config
        .vars
        .get(var)
        .map_or_else(|| var.to_string(), |v| format!("{var} ({})", v.source))
}

fn held(config: &Config, k: &StackKey) -> String {
    k.held_in
        .iter()
        .map(|v| at(config, v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// 1. A standby (or verify-only asymmetric) key that a verifier would refuse: promoting it
///    would log people out there.
fn standby_unseen(stack: &Stack, config: &Config, now: i64, out: &mut Vec<Finding>) {
    let candidates = stack.keys.iter().filter(|k| {
        let waiting = k.state == KeyState::Standby
            || (k.state == KeyState::VerifyOnly && k.key.kty() != "oct");
        // Not in JWT_JWKS at all: jwt_jwks_missing_key already says so.
        waiting
            && k.held_in.contains(&"JWT_KEYS")
            && k.held_in.contains(&"JWT_JWKS")
            && !shares_kid(stack, k)
    });
    for k in candidates {
        let services = columns(config);
        let label = format!("user sessions signed by {}", k.name());
        let Ok(cells) = session_row(config, &services, &label, k, stack.jwt_expiry, now) else {
            continue;
        };
        let refused: Vec<_> = cells.iter().filter(|c| c.accepted == Some(false)).collect();
        if refused.is_empty() {
            continue;
        }
        let names: Vec<&str> = refused.iter().map(|c| c.service).collect();
        let why: Vec<String> = refused
            .iter()
            .map(|c| format!("{}: {}", c.service, c.reason))
            .collect();
        let mut steps: Vec<String> = Vec::new();
        for c in &refused {
            let step = column_service(c.service).and_then(|s| service_step(config, s));
            if let Some(step) = step.filter(|s| !steps.contains(s)) {
                steps.push(step);
            }
        }
        let what = if k.state == KeyState::Standby {
            "Standby key"
        } else {
            "Verify-only key"
        };
        let fix = if steps.is_empty() {
            "Give each of those services the key set (JWT_JWKS, and GOTRUE_JWT_KEYS for auth) and restart it; `supajwt key list` shows the matrix.".to_string()
        } else {
            format!(
                "{}; then restart those services. `supajwt key list --compose …` shows the matrix.",
                capitalise(&steps.join("; "))
            )
        };
        out.push(
            Finding::new(
                Severity::Warning,
                FindingCode::StandbyKeyUnseen,
                format!(
                    "{what} \"{}\" is not accepted by {}: promoting it now would log people out",
                    k.name(),
                    names.join(", ")
                ),
            )
            .vars(&["JWT_KEYS", "JWT_JWKS"])
            .detail(format!(
                "Key \"{}\" ({}, in {}) is published to wait for its turn, but a session token it signs would be refused — {}. Once it signs, every user GoTrue logs in gets a 401 there.",
                k.name(),
                k.alg,
                held(config, k),
                why.join("; ")
            ))
            .fix(fix),
        );
    }
}

/// Another key of the stack has `k`'s kid: `duplicate_kid` says so, and names by kid are
/// ambiguous.
fn shares_kid(stack: &Stack, k: &StackKey) -> bool {
    k.key.kid.is_some()
        && stack
            .keys
            .iter()
            .any(|o| o.thumbprint != k.thumbprint && o.key.kid == k.key.kid)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// 2. A key of `JWT_JWKS` that `JWT_KEYS` does not hold (by thumbprint). Kid-less `oct` keys
///    are the legacy secret (`jwt_jwks_oct_mismatch` judges them); a key that signed one of
///    the stack's API keys is finding 3's; one sharing a kid is `duplicate_kid`'s.
fn jwks_only(stack: &Stack, config: &Config, out: &mut Vec<Finding>) {
    for k in &stack.keys {
        if k.held_in != ["JWT_JWKS"] || !k.signed.is_empty() || shares_kid(stack, k) {
            continue;
        }
        if k.key.kty() == "oct" && k.key.kid.is_none() {
            continue;
        }
        let keys = if config.get("JWT_KEYS").is_some() {
            at(config, "JWT_KEYS")
        } else {
            "JWT_KEYS (not set)".to_string()
        };
        out.push(
            Finding::new(
                Severity::Warning,
                FindingCode::JwksKeyNotInJwtKeys,
                format!("Key \"{}\" is in JWT_JWKS but not in JWT_KEYS", k.name()),
            )
            .vars(&["JWT_JWKS", "JWT_KEYS"])
            .detail(format!(
                "{} publishes key \"{}\" ({}, thumbprint {}…), which {keys} does not hold: GoTrue neither knows it (\"unrecognized JWT kid\") nor publishes it, while PostgREST, Realtime, Storage and Edge Functions trust every token it signs.",
                at(config, "JWT_JWKS"),
                k.name(),
                k.alg,
                &k.thumbprint[..k.thumbprint.len().min(8)]
            ))
            .fix(format!(
                "If the key was revoked, remove it from JWT_JWKS too (`supajwt key revoke {}` plans it). If it is meant to be a standby key, put its private JWK in JWT_KEYS without \"sign\" in key_ops (`supajwt key add` writes both).",
                k.name()
            )),
        );
    }
}

/// 3a. An API key signed by a key that `JWT_KEYS` no longer holds while it holds others: the
///     services that refuse it, as the Doctor simulates them.
fn signer_left(stack: &Stack, config: &Config, now: i64, out: &mut Vec<Finding>) {
    if !stack.keys.iter().any(|k| k.held_in.contains(&"JWT_KEYS")) {
        return;
    }
    for k in stack
        .keys
        .iter()
        .filter(|k| !k.held_in.contains(&"JWT_KEYS"))
    {
        for var in &k.signed {
            let Some(token) = config.get(var) else {
                continue;
            };
            let verdicts = simulate(config, token.trim(), now, &mut Vec::new());
            let refused: Vec<String> = verdicts
                .iter()
                .filter(|v| v.accepted == Some(false) && v.service != "supabase-js")
                .map(|v| format!("{}: {}", v.service, v.message))
                .collect();
            if refused.is_empty() {
                continue;
            }
            out.push(revoked_finding(
                var,
                &k.name(),
                format!(
                    "{var} is signed by key \"{}\" (in {}), which {} no longer holds. Refused — {}.",
                    k.name(),
                    held(config, k),
                    at(config, "JWT_KEYS"),
                    refused.join("; ")
                ),
            ));
        }
    }
}

/// 3b. An `*_ASYMMETRIC` key whose kid no key of the stack has, but a `# supajwt:` record
///     names: its key was revoked while the API key still needed it. Refines the Doctor's
///     `asym_key_kid` finding for that key instead of adding a second one.
fn signer_revoked(stack: &Stack, out: &mut [Finding]) {
    for var in ["ANON_KEY_ASYMMETRIC", "SERVICE_ROLE_KEY_ASYMMETRIC"] {
        let Some(i) = out.iter().position(|f| {
            f.code == FindingCode::AsymKeyKid && f.variables.first().is_some_and(|v| v == var)
        }) else {
            continue;
        };
        let Some(kid) = out[i].title.split('"').nth(1).map(str::to_string) else {
            continue;
        };
        let Some(record) = stack.records.iter().rev().find(|r| r.key == kid) else {
            continue;
        };
        out[i] = revoked_finding(
            var,
            &kid,
            format!(
                "{var} is signed by key \"{kid}\", which is gone from JWT_KEYS and JWT_JWKS; .env line {} still records it ({}). Every service looks the kid up and refuses {var} (GoTrue: \"unrecognized JWT kid\").",
                record.line,
                format_utc(record.at)
            ),
        );
    }
}

fn revoked_finding(var: &str, key: &str, detail: String) -> Finding {
    Finding::new(
        Severity::Error,
        FindingCode::ApiKeySignerRevoked,
        format!("{var} is signed by key \"{key}\", no longer in JWT_KEYS: it was revoked too early"),
    )
    .vars(&[var, "JWT_KEYS"])
    .detail(detail)
    .fix(format!(
        "Re-mint {var} with the signing key (`supajwt rotate`, or a promote, re-mints the *_ASYMMETRIC keys; the opaque sb_ keys let clients move off the legacy ANON_KEY / SERVICE_ROLE_KEY), or put key \"{key}\" back into JWT_KEYS (verify-only) until nothing needs it."
    ))
}

/// 5. The legacy secret when nothing needs it: no API key (nor Kong consumer key) it signed,
///    not GoTrue's signer, every verifier given the key set, and its last sessions expired.
fn legacy_unused(stack: &Stack, config: &Config, now: i64, out: &mut Vec<Finding>) {
    let Some(k) = stack
        .keys
        .iter()
        .find(|k| k.state == KeyState::LegacySecret)
    else {
        return;
    };
    if !k.signed.is_empty() || signs_a_kong_key(config, k) {
        return;
    }
    let wiring = if config.compose.is_some() {
        let needs = ["auth", "rest", "realtime", "storage", "functions"]
            .into_iter()
            .filter(|s| *s != "functions" || config.functions_jwks_line)
            .any(|s| service_step(config, s).is_some());
        if needs {
            return;
        }
        "every service of the compose file receives the key set"
    } else {
        "no compose file was given: upstream's wiring is assumed (each service receives JWT_JWKS), give the compose file to check it"
    };
    let when = match k.stopped_signing {
        Some(t) if now < t.saturating_add(stack.jwt_expiry + REVOKE_MARGIN) => return,
        Some(t) => format!(
            "It stopped signing at {} and the last sessions it signed expired (JWT_EXPIRY {} s, plus 15 minutes).",
            format_utc(t),
            stack.jwt_expiry
        ),
        None => format!(
            "No `# supajwt:` record says when it stopped signing: if GoTrue signed with it within the last JWT_EXPIRY ({} s) plus 15 minutes, those sessions still need it, and revoke asks for --force.",
            stack.jwt_expiry
        ),
    };
    let signer = stack.signing().map_or_else(
        || "another key".to_string(),
        |s| format!("\"{}\"", s.name()),
    );
    let prefix: String = k.thumbprint.chars().take(8).collect();
    out.push(
        Finding::new(
            Severity::Info,
            FindingCode::LegacySecretUnused,
            format!("The legacy secret {prefix} signs nothing any more: safe to revoke"),
        )
        .vars(&k.held_in)
        .detail(format!(
            "The HS256 secret (thumbprint {prefix}…, in {}) signs none of the stack's API keys ({}), GoTrue signs with {signer}, and {wiring}. {when}",
            held(config, k),
            STACK_TOKENS.join(", ")
        ))
        .fix(format!(
            "Revoke it: `supajwt key revoke {prefix} --env .env` shows the plan, `--write` applies it."
        )),
    );
}

/// A Kong consumer key that is a JWT signed by `k` (a kong.yml with literal legacy keys).
fn signs_a_kong_key(config: &Config, k: &StackKey) -> bool {
    let set = KeySet::single(k.key.clone(), KeySetShape::Secret);
    config.kong.iter().any(|c| {
        Jws::parse_unverified(c.key.trim())
            .ok()
            .is_some_and(|j| verify_signature(&j, &set, &[]).is_ok())
    })
}
