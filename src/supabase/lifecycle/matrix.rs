//! The verdict matrix: one row per token class (each API key of the stack, and "user sessions
//! signed by KEY" for the signing key and each key that signed within `JWT_EXPIRY`), one
//! column per service. Every cell is the Doctor's own per-service verdict
//! (`doctor::simulate`), so the reasons agree with the Doctor's.

use super::{KeyState, Stack, StackKey, bare};
use crate::jose::error::CoreError;
use crate::jose::token::Jws;
use crate::supabase::doctor::gateway::envoy_keys;
use crate::supabase::doctor::{Config, ServiceVerdict, simulate};
use crate::supabase::mint::{Lifetime, MintRequest, MintRole, mint};
use serde::Serialize;

/// The subject of the synthetic session tokens (fixed, so two runs agree).
pub const SESSION_SUBJECT: &str = "00000000-0000-4000-8000-00000000f00d";

/// One cell, as `key list --json` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The row: `ANON_KEY`, …, or `user sessions signed by KEY`.
    pub token: String,
    /// The name (kid, else thumbprint prefix) of the key that signed the row's token.
    pub kid: Option<String>,
    /// `kong`, `envoy`, `gotrue`, `postgrest`, `realtime`, `storage`, `functions`,
    /// `supabase_js`.
    pub service: &'static str,
    /// Accepted, refused, or `None`: not checked (not enough configuration, or not a verifier
    /// of this token).
    pub accepted: Option<bool>,
    /// The service's words, or why it accepts.
    pub reason: String,
}

/// The whole matrix.
#[derive(Debug, Clone)]
pub struct Matrix {
    /// The columns, in order.
    pub services: Vec<&'static str>,
    /// Row by row, the cells in column order.
    pub rows: Vec<Vec<Cell>>,
    /// What the services were assumed to receive.
    pub wiring: String,
}

impl Matrix {
    /// Every cell, row by row.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.rows.iter().flatten()
    }
}

/// The Doctor's service name as a matrix column.
fn column(doctor_name: &str) -> Option<&'static str> {
    Some(match doctor_name {
        "Kong" => "kong",
        "GoTrue" => "gotrue",
        "PostgREST" => "postgrest",
        "Realtime" => "realtime",
        "Storage" => "storage",
        "Functions" => "functions",
        "supabase-js" => "supabase_js",
        _ => return None,
    })
}

/// The columns for this configuration (`envoy` only with an Envoy file).
pub fn columns(config: &Config) -> Vec<&'static str> {
    let mut services = vec!["kong"];
    if config.envoy.is_some() {
        services.push("envoy");
    }
    services.extend([
        "gotrue",
        "postgrest",
        "realtime",
        "storage",
        "functions",
        "supabase_js",
    ]);
    services
}

/// The matrix of `stack` (read from `config`'s `.env`) at time `now`.
pub fn matrix(stack: &Stack, config: &Config, now: i64) -> Result<Matrix, CoreError> {
    let services = columns(config);
    let mut rows = Vec::new();
    for var in super::STACK_TOKENS {
        let Some(token) = config.get(var).map(str::trim) else {
            continue;
        };
        let kid = stack
            .keys
            .iter()
            .find(|k| k.signed.contains(&var))
            .map(StackKey::name)
            .or_else(|| {
                Jws::parse_unverified(token)
                    .ok()
                    .and_then(|j| j.kid().map(str::to_string))
            });
        rows.push(row(config, &services, var, kid, token, false, now));
    }
    for k in session_keys(stack, now) {
        let label = format!("user sessions signed by {}", k.name());
        rows.push(session_row(
            config,
            &services,
            &label,
            k,
            stack.jwt_expiry,
            now,
        )?);
    }
    let wiring = if config.compose.is_some() {
        let mut w = "each service as the compose file configures it".to_string();
        if let Some(secret) = unwired_signer(stack, config) {
            w.push_str(&format!(
                "; the auth service receives no GOTRUE_JWT_KEYS, so GoTrue signs with JWT_SECRET ({}), not with the .env's signing key",
                secret.name()
            ));
            let label = format!(
                "user sessions signed by {} (GoTrue's real signer)",
                secret.name()
            );
            rows.push(session_row(
                config,
                &services,
                &label,
                secret,
                stack.jwt_expiry,
                now,
            )?);
        }
        w
    } else {
        "no compose file given: upstream's wiring assumed (each service receives the .env's JWT_SECRET and JWT_JWKS, as upstream's docker-compose.yml passes them once its JWKS lines are uncommented); give --compose to check what each service really receives".to_string()
    };
    Ok(Matrix {
        services,
        rows,
        wiring,
    })
}

/// The row of a synthetic `authenticated` token signed by `k` (`exp` = now + `expiry`).
pub fn session_row(
    config: &Config,
    services: &[&'static str],
    label: &str,
    k: &StackKey,
    expiry: i64,
    now: i64,
) -> Result<Vec<Cell>, CoreError> {
    if !k.key.has_private() {
        let why = "not checked: the .env holds only its public key, so no session token can be made to test";
        return Ok(services
            .iter()
            .map(|s| cell(label, Some(k.name()), s, None, why.into()))
            .collect());
    }
    let request = MintRequest {
        subject: Some(SESSION_SUBJECT.into()),
        ..MintRequest::preset(MintRole::Authenticated, now, Lifetime::Seconds(expiry))
    };
    let token = mint(&request, &bare(&k.key), None)?;
    Ok(row(
        config,
        services,
        label,
        Some(k.name()),
        &token,
        true,
        now,
    ))
}

/// With a compose file whose auth service gets no `GOTRUE_JWT_KEYS` while the `.env` has
/// `JWT_KEYS`: the secret, which GoTrue then really signs with.
fn unwired_signer<'a>(stack: &'a Stack, config: &Config) -> Option<&'a StackKey> {
    let has_keys = stack.keys.iter().any(|k| k.held_in.contains(&"JWT_KEYS"));
    let received = config
        .service_var("auth", "GOTRUE_JWT_KEYS")
        .map(|v| {
            v.value
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim()
                .to_string()
        })
        .is_some_and(|v| !v.is_empty());
    if !has_keys || received || config.compose.as_ref()?.service("auth").is_none() {
        return None;
    }
    // When the `.env`'s signing key is that secret, GoTrue signs as the `.env` says.
    stack
        .keys
        .iter()
        .find(|k| k.held_in.contains(&"JWT_SECRET"))
        .filter(|k| k.state != KeyState::Signing)
}

/// The keys whose user sessions may still be live: the signing key, and every key that
/// stopped signing less than `JWT_EXPIRY` ago (or previously used at an unknown time).
fn session_keys(stack: &Stack, now: i64) -> Vec<&StackKey> {
    stack
        .keys
        .iter()
        .filter(|k| match (k.state, k.stopped_signing) {
            (KeyState::Signing, _) => true,
            (_, Some(t)) => now < t.saturating_add(stack.jwt_expiry),
            (KeyState::PreviouslyUsed, None) => true,
            _ => false,
        })
        .collect()
}

fn cell(
    token: &str,
    kid: Option<String>,
    service: &'static str,
    accepted: Option<bool>,
    reason: String,
) -> Cell {
    Cell {
        token: token.to_string(),
        kid,
        service,
        accepted,
        reason,
    }
}

fn row(
    config: &Config,
    services: &[&'static str],
    label: &str,
    kid: Option<String>,
    token: &str,
    session: bool,
    now: i64,
) -> Vec<Cell> {
    let verdicts: Vec<ServiceVerdict> = simulate(config, token, now, &mut Vec::new());
    services
        .iter()
        .map(|s| {
            let (accepted, reason) = match *s {
                "kong" | "envoy" if session => (
                    None,
                    format!("not a verifier of session tokens: {} checks the apikey header only and passes the Authorization bearer to the service", if *s == "kong" { "upstream's kong.yml" } else { "upstream's Envoy listener" }),
                ),
                "envoy" if label.ends_with("_ASYMMETRIC") => (
                    None,
                    "not checked as an apikey: Envoy's Lua filter sends this key in place of an sb_ apikey (translation); the services then verify it".into(),
                ),
                "envoy" => envoy(config, token),
                "supabase_js" if !session => (
                    None,
                    "not a session: getClaims() verifies the signed-in user's access token, never an API key".into(),
                ),
                _ => verdicts
                    .iter()
                    .find(|v| column(v.service) == Some(*s))
                    .map_or((None, "not checked".to_string()), |v| {
                        (v.accepted, v.message.clone())
                    }),
            };
            // Nobody sends an `*_ASYMMETRIC` key as Kong's apikey: the gateway puts it in
            // place of an `sb_` apikey, and the services verify it.
            let (accepted, reason) = if *s == "kong"
                && label.ends_with("_ASYMMETRIC")
                && accepted == Some(false)
            {
                (None, format!("not taken as an apikey (clients send the sb_ keys, which the gateway translates into this key; the services then verify it); as an apikey: {reason}"))
            } else {
                (accepted, reason)
            };
            cell(label, kid.clone(), s, accepted, reason)
        })
        .collect()
}

/// Envoy as the apikey gate: does the listener compare `apikey` with this exact key?
fn envoy(config: &Config, token: &str) -> (Option<bool>, String) {
    let Some(text) = &config.envoy else {
        return (None, "no Envoy configuration given".into());
    };
    let keys = envoy_keys(text);
    if keys.iter().any(|k| k == token) {
        return (
            Some(true),
            "as apikey: the Envoy listener compares apikey with this exact key".into(),
        );
    }
    if keys.iter().any(|k| k.starts_with("${")) {
        return (
            None,
            "lds.yaml is a template with ${…} placeholders and no compose file renders it: the rendered copy decides".into(),
        );
    }
    (
        Some(false),
        "as apikey: 401 — the Envoy listener compares apikey with no such key (stale lds.yaml?)"
            .into(),
    )
}
