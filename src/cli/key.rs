//! `supajwt key inspect FILE` and `supajwt key convert FILE --to …`: any key supajwt reads
//! (PEM, JWK, JWKS, `signing_keys.json`, a `JWT_KEYS` array) in, every format out;
//! `key list` is in `key_lifecycle`.

use super::UsageError;
use super::io::read_text_file;
use super::out::{Out, note};
use crate::jose::keys::{
    Key, KeyMaterial, MAX_KEY_INPUT_BYTES, describe_key, jwks_value, key_warnings, load_keys,
    private_pem, public_pem, thumbprint, to_jwk,
};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::ExitCode;

// `key` subcommands (described on `cli::Command::Key`: clap would show a doc comment here instead).
#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Show each key: kty, alg, curve / size, kid, RFC 7638 thumbprint, public or private.
    Inspect(KeyInspectArgs),
    /// Convert a key to another format.
    Convert(KeyConvertArgs),
    /// List a stack's keys (.env) with their lifecycle state, and which service accepts which token.
    List(super::key_lifecycle::KeyListArgs),
    /// Add a standby key to a stack's .env: the diff, the matrix before and after, the steps; a dry run unless --write.
    Add(super::key_lifecycle::KeyAddArgs),
}

// `key inspect` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct KeyInspectArgs {
    /// The key file (PEM, JWK, JWKS, JWT_KEYS array, signing_keys.json).
    pub file: PathBuf,
    /// Print JSON: [{"kty","alg","crv"|"bits","kid","thumbprint","private","warnings"}].
    #[arg(long)]
    pub json: bool,
}

// `key convert` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct KeyConvertArgs {
    /// The key file (PEM, JWK, JWKS, JWT_KEYS array, signing_keys.json).
    pub file: PathBuf,
    /// The output format.
    #[arg(long, value_enum)]
    pub to: ConvertFormat,
    /// Pick the key with this kid out of a set; a key without kid gets this one.
    #[arg(long)]
    pub kid: Option<String>,
    /// Give a key without kid its RFC 7638 thumbprint as kid.
    #[arg(long, conflicts_with = "kid")]
    pub kid_thumbprint: bool,
}

/// `--to`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ConvertFormat {
    /// Private JWK (public when only the public half is known).
    Jwk,
    /// Public JWK.
    PublicJwk,
    /// JWKS object with the public key(s).
    Jwks,
    /// PKCS#8 private key PEM.
    Pem,
    /// SPKI public key PEM.
    PublicPem,
    /// JWT_KEYS (private, bare array) and JWT_JWKS (public, object) lines for a .env.
    Env,
}

/// Runs `key`.
pub fn run(action: &KeyAction) -> Result<ExitCode, UsageError> {
    match action {
        KeyAction::Inspect(a) => inspect(a),
        KeyAction::Convert(a) => convert(a),
        KeyAction::List(a) => super::key_lifecycle::run(a),
        KeyAction::Add(a) => super::key_lifecycle::run_add(a),
    }
}

fn load(file: &std::path::Path) -> Result<Vec<Key>, UsageError> {
    let text = read_text_file(file, MAX_KEY_INPUT_BYTES)?;
    let set = load_keys(&text).map_err(|e| UsageError::from(e).context(file.display()))?;
    for w in &set.warnings {
        note(&format!("note: {}: {w}", file.display()));
    }
    Ok(set.keys)
}

fn inspect(args: &KeyInspectArgs) -> Result<ExitCode, UsageError> {
    let keys = load(&args.file)?;
    let rows: Vec<Value> = keys
        .iter()
        .map(|k| {
            let mut v = json!({
                "kty": k.kty(),
                "alg": k.alg,
                "kid": k.kid,
                "thumbprint": thumbprint(k),
                "private": k.has_private(),
                "kind": k.kind_label(),
                "warnings": key_warnings(k),
            });
            match &k.material {
                KeyMaterial::P256 { .. } => v["crv"] = json!("P-256"),
                KeyMaterial::P384 { .. } => v["crv"] = json!("P-384"),
                KeyMaterial::P521 { .. } => v["crv"] = json!("P-521"),
                KeyMaterial::Ed25519 { .. } => v["crv"] = json!("Ed25519"),
                KeyMaterial::Rsa { .. } => v["bits"] = json!(k.rsa_bits()),
                KeyMaterial::Hmac { secret, .. } => v["bits"] = json!(secret.len() * 8),
            }
            v
        })
        .collect();
    if args.json {
        Out::stdout().json(&serde_json::to_string_pretty(&Value::Array(rows)).unwrap_or_default());
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = Out::stdout();
    for (i, k) in keys.iter().enumerate() {
        for (j, line) in describe_key(k).into_iter().enumerate() {
            out.line(if j == 0 {
                format!("[{}] {line}", i + 1)
            } else {
                format!("    {line}")
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn convert(args: &KeyConvertArgs) -> Result<ExitCode, UsageError> {
    let keys = load(&args.file)?;
    let mut key = pick(keys, args.kid.as_deref(), &args.file)?;
    if key.kid.is_none() {
        if let Some(kid) = &args.kid {
            key.kid = Some(kid.clone());
        } else if args.kid_thumbprint {
            key.kid = Some(thumbprint(&key));
        }
    }
    let is_secret = matches!(key.material, KeyMaterial::Hmac { .. });
    let pretty = |v: Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    let public_only = |what: &str| -> Result<(), UsageError> {
        if is_secret {
            return Err(UsageError::new(format!(
                "a shared secret has no public half: {what} would publish it; use --to jwk"
            )));
        }
        Ok(())
    };
    let out = match args.to {
        ConvertFormat::Jwk => pretty(Value::Object(to_jwk(&key, true))),
        ConvertFormat::PublicJwk => {
            public_only("a public JWK")?;
            pretty(Value::Object(to_jwk(&key, false)))
        }
        ConvertFormat::Jwks => {
            public_only("a JWKS")?;
            pretty(jwks_value(std::slice::from_ref(&key), false))
        }
        ConvertFormat::Pem => {
            if !key.has_private() {
                return Err(UsageError::new(
                    "this is a public key: there is no private PEM to write; use --to public-pem",
                ));
            }
            private_pem(&key)?.expose().trim_end().to_string()
        }
        ConvertFormat::PublicPem => public_pem(&key)?.trim_end().to_string(),
        ConvertFormat::Env => {
            if is_secret || !key.has_private() {
                return Err(UsageError::new(
                    "--to env needs an asymmetric private key (JWT_KEYS holds the signing key)",
                ));
            }
            let (private, public, _) =
                crate::supabase::env::jwt_key_set(std::slice::from_ref(&key), None)?;
            format!(
                "# add the legacy {{\"kty\":\"oct\"}} key of JWT_SECRET to both while HS256 keys are in use (supajwt rotate does)\nJWT_KEYS='{private}'\nJWT_JWKS='{public}'"
            )
        }
    };
    let mut stdout = Out::stdout();
    stdout.data(&out);
    stdout.data("\n");
    Ok(ExitCode::SUCCESS)
}

fn pick(keys: Vec<Key>, kid: Option<&str>, file: &std::path::Path) -> Result<Key, UsageError> {
    if keys.len() == 1 {
        return keys
            .into_iter()
            .next()
            .ok_or_else(|| UsageError::new("no key"));
    }
    let Some(kid) = kid else {
        let kids: Vec<String> = keys
            .iter()
            .map(|k| k.kid.clone().unwrap_or_else(|| "(no kid)".into()))
            .collect();
        return Err(UsageError::new(format!(
            "{} holds {} keys ({}): choose one with --kid",
            file.display(),
            keys.len(),
            kids.join(", ")
        )));
    };
    keys.into_iter()
        .find(|k| k.kid.as_deref() == Some(kid))
        .ok_or_else(|| UsageError::new(format!("{} has no key with kid \"{kid}\"", file.display())))
}
