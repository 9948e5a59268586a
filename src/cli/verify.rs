//! `supajwt verify`.

use super::inspect::Printer;
use super::io::{now_or_system, read_token_arg};
use super::out::note;
use super::{KeySource, UsageError, core_message};
use crate::fetch::{FetchError, FetchOptions};
use crate::jose::alg::Alg;
use crate::jose::b64;
use crate::jose::input::clean_token_input;
use crate::jose::keys::{KeyMaterial, KeySet};
use crate::jose::near_miss::near_misses;
use crate::jose::secret::SecretString;
use crate::jose::token::Jws;
use crate::jose::verify::{VerifyOptions, check_leeway};
use crate::safe_text::redact::fingerprint;
use crate::supabase::verify::verify_token;
use clap::Args;
use serde_json::{Value, json};
use std::process::ExitCode;

// `verify` arguments (described on the enum variant: clap would show a doc comment here instead).
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
    /// With --jwks-url: permit plain http to that URL's host (a self-hosted stack on a LAN,
    /// `http://192.168.1.20:8000`). Keys fetched over plain http can be swapped in transit.
    #[arg(long)]
    pub allow_http: bool,
    /// Print JSON: {"valid":true,...} or {"valid":false,"reason":...,"near_misses":[...]}.
    #[arg(long)]
    pub json: bool,
    /// Share-safe output: the token, its signature, secrets and key material as sha256
    /// fingerprints, emails masked.
    #[arg(long)]
    pub redact: bool,
}

/// Runs `verify`.
pub fn run(args: &VerifyArgs) -> Result<ExitCode, UsageError> {
    check_leeway(args.leeway).map_err(UsageError::new)?;
    let algorithms = args
        .algs
        .iter()
        .map(|a| Alg::parse(a))
        .collect::<Result<Vec<_>, _>>()?;
    let keys = match &args.jwks_url {
        Some(url) => fetch_keys(url, args)?,
        None => args.source.load()?.ok_or_else(|| {
            UsageError::new(
                "give the key: --secret, --secret-file, --secret-env, --key or --jwks-url",
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
    let secrets = if args.redact {
        secrets_in(&jws, &keys, args.source.secret_text()?.as_ref())
    } else {
        Vec::new()
    };
    let out = Printer::new(args.redact, secrets);
    let signature = args.redact.then(|| fingerprint(&jws.signature_b64));
    if let Some(fp) = &signature
        && !args.json
    {
        out.line(&format!("token signature: {fp}"));
    }
    match verify_token(&jws, &keys, &options, now_or_system(args.now)) {
        Ok(v) => {
            let kid = keys.keys[v.key_index].kid.clone();
            let leeway = v.leeway_reliance.as_ref().map(|r| r.describe());
            if args.json {
                let mut value = json!({"valid": true, "alg": v.alg.name(), "key": v.key, "kid": kid, "notes": v.notes, "leeway": leeway, "warnings": warnings});
                if let Some(fp) = &signature {
                    value["signature"] = json!(fp);
                }
                out.json(&value.to_string());
            } else {
                match &leeway {
                    Some(why) => out.line(&format!("{why} ({} signature by {})", v.alg, v.key)),
                    None => out.line(&format!("valid: {} signature by {}", v.alg, v.key)),
                }
                for n in &v.notes {
                    out.line(&format!("note: {n}"));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let misses = near_misses(&jws, &keys, &options);
            if args.json {
                let misses: Vec<Value> = misses
                    .iter()
                    .map(|m| json!({"code": m.code(), "message": m.describe()}))
                    .collect();
                let mut value = json!({"valid": false, "reason": core_message(&e), "code": e.code(), "near_misses": misses, "warnings": warnings});
                if let Some(fp) = &signature {
                    value["signature"] = json!(fp);
                }
                out.json(&value.to_string());
            } else {
                out.line(&format!("rejected: {}", core_message(&e)));
                for m in &misses {
                    out.line(&format!("near miss: {}", m.describe()));
                }
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// `--jwks-url`: the URL under the `--allow-http` rule (its warning on standard error), then
/// the fetch within `--timeout`.
fn fetch_keys(input: &str, args: &VerifyArgs) -> Result<KeySet, UsageError> {
    let url = crate::fetch::parse_jwks_url(input).map_err(UsageError::new)?;
    let options = FetchOptions {
        allow_http: args.allow_http,
        timeout: std::time::Duration::from_secs(args.timeout),
    };
    match crate::fetch::check_url(&url, &options) {
        Ok(Some(warning)) => note(&format!("warning: {warning}")),
        Ok(None) => {}
        Err(e) => return Err(FetchError::Refused(e).into()),
    }
    let set = crate::fetch::fetch_jwks_with(&url, &options)
        .map_err(|e| UsageError::from(e).context(format_args!("JWKS fetch from {url} failed")))?;
    for w in &set.warnings {
        note(&format!("note: {w}"));
    }
    Ok(set)
}

/// What `--redact` must never print: the token and its segments, the secret as given (and
/// trimmed), and every shared secret of the key set as text and as base64url.
fn secrets_in(jws: &Jws, keys: &KeySet, secret_text: Option<&SecretString>) -> Vec<String> {
    let mut out = vec![jws.compact.clone()];
    out.extend(
        jws.compact
            .split('.')
            .filter(|s| s.len() >= 6)
            .map(str::to_string),
    );
    if let Some(text) = secret_text {
        out.push(text.expose().to_string());
        out.push(text.expose().trim().to_string());
    }
    for key in &keys.keys {
        if let KeyMaterial::Hmac { secret, .. } = &key.material {
            out.push(b64::encode(secret.expose()));
            if let Ok(text) = std::str::from_utf8(secret.expose()) {
                out.push(text.to_string());
            }
        }
    }
    out
}
