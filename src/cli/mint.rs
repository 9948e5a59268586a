//! `supajwt mint`.

use super::io::{now_or_system, read_token_arg};
use super::{KeySource, UsageError};
use crate::jose::alg::Alg;
use crate::jose::input::clean_token_input;
use crate::jose::keys::{Key, KeySet};
use crate::jose::sign::resign;
use crate::jose::token::Jws;
use crate::supabase::mint::{MintRequest, MintRole, mint, parse_expiry, parse_extra_claims};
use clap::{Args, ValueEnum};
use std::process::ExitCode;

// `mint` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct MintArgs {
    /// Token preset.
    #[arg(long, value_enum, required_unless_present = "resign")]
    pub role: Option<RoleArg>,
    /// The signing key or secret.
    #[command(flatten)]
    pub source: KeySource,
    /// In a key set, sign with the key of this kid (default: the one whose key_ops include "sign").
    #[arg(long)]
    pub kid: Option<String>,
    /// Signing algorithm (default: the key's alg, else HS256 / RS256 / ES256 / EdDSA).
    #[arg(long)]
    pub alg: Option<String>,
    /// Issuer (default "supabase").
    #[arg(long)]
    pub iss: Option<String>,
    /// Hosted project ref (adds the "ref" claim).
    #[arg(long = "ref", value_name = "REF")]
    pub project_ref: Option<String>,
    /// User id for --role authenticated (default: a random UUID).
    #[arg(long)]
    pub sub: Option<String>,
    /// Lifetime: 1h, 1d, 30d, 1y, 5y, 10y or seconds.
    #[arg(long, default_value = "10y")]
    pub expires_in: String,
    /// Extra claims as a JSON object; they override the preset's.
    #[arg(long, value_name = "JSON")]
    pub claims: Option<String>,
    /// Issue time (seconds since 1970).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
    /// Re-sign this token's payload (unchanged) with the given key instead of minting.
    #[arg(long, value_name = "TOKEN|-", conflicts_with_all = ["role", "claims", "sub", "iss", "project_ref"])]
    pub resign: Option<String>,
}

/// `--role`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RoleArg {
    /// Public anon key.
    Anon,
    /// Service role key (bypasses RLS).
    #[value(name = "service_role", alias = "service-role")]
    ServiceRole,
    /// A user access token.
    Authenticated,
}

/// Runs `mint`.
pub fn run(args: &MintArgs) -> Result<ExitCode, UsageError> {
    let set = args.source.load()?.ok_or_else(|| {
        UsageError::new("give the signing key: --secret, --secret-file, --secret-env or --key")
    })?;
    let key = signing_key(&set, args.kid.as_deref())?;
    let alg = args.alg.as_deref().map(Alg::parse).transpose()?;
    let token = if let Some(source) = &args.resign {
        let raw = read_token_arg(Some(source))?;
        let jws = Jws::parse_unverified(&clean_token_input(&raw)?.token)?;
        resign(&jws, key, alg)?
    } else {
        super::selftest::warn_if_clock_looks_wrong(args.now);
        let role = match args.role {
            Some(RoleArg::Anon) => MintRole::Anon,
            Some(RoleArg::ServiceRole) => MintRole::ServiceRole,
            Some(RoleArg::Authenticated) | None => MintRole::Authenticated,
        };
        let request = MintRequest {
            role,
            issuer: args.iss.clone(),
            project_ref: args.project_ref.clone(),
            subject: args.sub.clone(),
            expires_in: parse_expiry(&args.expires_in)?,
            extra: args
                .claims
                .as_deref()
                .map(parse_extra_claims)
                .transpose()?
                .unwrap_or_default(),
            now: now_or_system(args.now),
        };
        mint(&request, key, alg)?
    };
    if let Some(warning) = Jws::parse_unverified(&token)
        .ok()
        .and_then(|jws| jws.alg().ok())
        .and_then(Alg::supabase_client_warning)
    {
        super::out::note(&format!("warning: {warning}"));
    }
    let mut stdout = super::out::Out::stdout();
    stdout.data(&token);
    stdout.data("\n");
    Ok(ExitCode::SUCCESS)
}

/// Picks the signing key: by kid, else the one key whose key_ops include "sign", else the only
/// private key.
fn signing_key<'a>(set: &'a KeySet, kid: Option<&str>) -> Result<&'a Key, UsageError> {
    if let Some(kid) = kid {
        return set
            .keys
            .iter()
            .find(|k| k.kid.as_deref() == Some(kid))
            .ok_or_else(|| {
                UsageError::new(format!(
                    "no key with kid \"{kid}\" (have: {})",
                    set.kids().join(", ")
                ))
            });
    }
    let private: Vec<&Key> = set.keys.iter().filter(|k| k.has_private()).collect();
    let signing: Vec<&Key> = private
        .iter()
        .copied()
        .filter(|k| {
            k.key_ops
                .as_ref()
                .is_some_and(|ops| ops.iter().any(|o| o == "sign"))
        })
        .collect();
    match (signing.as_slice(), private.as_slice()) {
        ([one], _) => Ok(one),
        ([], [one]) => Ok(one),
        ([], []) => Err(UsageError::new(
            "the key file holds no private key or secret: signing needs one",
        )),
        _ => Err(UsageError::new(
            "the key file holds several signing keys: choose one with --kid",
        )),
    }
}
