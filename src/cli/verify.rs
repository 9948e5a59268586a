//! `supajwt verify`.

use super::io::{now_or_system, read_token_arg};
use super::out::{Out, note};
use super::{KeySource, UsageError};
use crate::core::alg::Alg;
use crate::core::input::clean_token_input;
use crate::core::token::Jws;
use crate::core::verify::{VerifyOptions, check_leeway, verify_token};
use clap::Args;
use serde_json::{Value, json};
use std::process::ExitCode;

/// `verify` arguments.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The token (or `-` for standard input).
    pub token: Option<String>,
    /// The key.
    #[command(flatten)]
    pub source: KeySource,
    /// Fetch the JWKS from this URL, project URL or project ref (the only network use).
    #[arg(long, value_name = "URL", conflicts_with = "key_source")]
    pub jwks_url: Option<String>,
    /// Allowed algorithms (repeatable); default: what the key allows.
    #[arg(long = "alg", value_name = "ALG")]
    pub algs: Vec<String>,
    /// Pretend the current time is this (seconds since 1970).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
    /// Clock skew tolerated for exp / nbf / iat, in seconds (at most 86400).
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub leeway: u64,
    /// With --jwks-url: give up the whole fetch (connect, redirects, headers, body) after this
    /// many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
    /// Require this issuer (`iss`).
    #[arg(long)]
    pub iss: Option<String>,
    /// Require this audience (in `aud`).
    #[arg(long)]
    pub aud: Option<String>,
    /// Print JSON: {"valid":true,...} or {"valid":false,"reason":...}.
    #[arg(long)]
    pub json: bool,
}

/// Runs `verify`.
pub fn run(args: &VerifyArgs) -> Result<ExitCode, UsageError> {
    check_leeway(args.leeway).map_err(UsageError)?;
    let algorithms = args
        .algs
        .iter()
        .map(|a| Alg::parse(a))
        .collect::<Result<Vec<_>, _>>()?;
    let keys = match &args.jwks_url {
        Some(url) => {
            let url = crate::fetch::jwks_url_for(url).map_err(UsageError)?;
            let timeout = std::time::Duration::from_secs(args.timeout);
            let set = crate::fetch::fetch_jwks_with_timeout(&url, timeout)
                .map_err(|e| UsageError(format!("JWKS fetch from {url} failed: {e}")))?;
            for w in &set.warnings {
                note(&format!("note: {w}"));
            }
            set
        }
        None => args.source.load()?.ok_or_else(|| {
            UsageError(
                "give the key: --secret, --secret-file, --secret-env, --key or --jwks-url".into(),
            )
        })?,
    };
    let raw = read_token_arg(args.token.as_deref())?;
    let jws = Jws::parse_unverified(&clean_token_input(&raw)?.token)?;
    let options = VerifyOptions {
        algorithms,
        leeway: args.leeway,
        issuer: args.iss.clone(),
        audience: args.aud.clone(),
    };
    let warnings: Vec<Value> = keys
        .warnings
        .iter()
        .map(|w| json!({"code": w.code(), "message": w.to_string()}))
        .collect();
    let mut out = Out::stdout();
    match verify_token(&jws, &keys, &options, now_or_system(args.now)) {
        Ok(v) => {
            let kid = keys.keys[v.key_index].kid.clone();
            let leeway = v.leeway_reliance.as_ref().map(|r| r.describe());
            if args.json {
                out.json(
                    &json!({"valid": true, "alg": v.alg.name(), "key": v.key, "kid": kid, "notes": v.notes, "leeway": leeway, "warnings": warnings})
                        .to_string(),
                );
            } else {
                match &leeway {
                    Some(why) => out.line(format!("{why} ({} signature by {})", v.alg, v.key)),
                    None => out.line(format!("valid: {} signature by {}", v.alg, v.key)),
                }
                for n in &v.notes {
                    out.line(format!("note: {n}"));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if args.json {
                out.json(
                    &json!({"valid": false, "reason": e.to_string(), "code": e.code(), "warnings": warnings})
                        .to_string(),
                );
            } else {
                out.line(format!("rejected: {e}"));
            }
            Ok(ExitCode::from(1))
        }
    }
}
