//! `supajwt keygen`.

use super::io::now_or_system;
use super::{KeySource, UsageError};
use crate::jose::alg::Alg;
use crate::jose::keys::{
    KeyMaterial, KeygenAlg, KidChoice, generate, jwks_value, private_pem, public_pem, to_jwk,
};
use crate::jose::secret::SecretString;
use crate::supabase::env::{EnvRequest, render_env};
use crate::supabase::mint::Lifetime;
use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};
use serde_json::Value;
use std::process::ExitCode;
use std::sync::LazyLock;

// `keygen` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Algorithm of the new key.
    #[arg(long, value_enum, ignore_case = true)]
    pub alg: KeygenAlgArg,
    /// RSA modulus size: 2048, 3072 or 4096.
    #[arg(long, default_value_t = 2048)]
    pub bits: usize,
    /// Use this kid (default: a random UUID; none for HS256).
    #[arg(long, conflicts_with = "kid_thumbprint")]
    pub kid: Option<String>,
    /// Use the RFC 7638 thumbprint as kid.
    #[arg(long)]
    pub kid_thumbprint: bool,
    /// What to print.
    #[arg(long, value_enum, default_value_t = KeyFormat::Jwk)]
    pub format: KeyFormat,
    /// With --format env: the existing JWT_SECRET, kept as the legacy HS256 key.
    #[command(flatten)]
    pub legacy: KeySource,
    /// With --format env: issue time of ANON_KEY / SERVICE_ROLE_KEY (seconds since 1970).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
}

/// `--alg` for keygen and rotate: an algorithm whose row in [`ALGORITHMS`](crate::jose::alg::ALGORITHMS) offers key
/// generation (the values, their order and their help come from that table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeygenAlgArg(pub Alg);

/// The `--alg` values, derived once from [`ALGORITHMS`](crate::jose::alg::ALGORITHMS).
static GENERATED: LazyLock<Vec<KeygenAlgArg>> = LazyLock::new(|| {
    Alg::generated()
        .into_iter()
        .map(|(alg, _)| KeygenAlgArg(alg))
        .collect()
});

impl ValueEnum for KeygenAlgArg {
    fn value_variants<'a>() -> &'a [Self] {
        GENERATED.as_slice()
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let keygen = self.0.row().keygen?;
        Some(PossibleValue::new(self.0.name()).help(keygen.help))
    }
}

impl std::fmt::Display for KeygenAlgArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name())
    }
}

impl KeygenAlgArg {
    /// The core's generation choice (`bits` for RSA).
    pub fn to_keygen(self, bits: usize) -> Result<KeygenAlg, UsageError> {
        Ok(KeygenAlg::new(self.0, bits)?)
    }
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum KeyFormat {
    /// Private JWK.
    Jwk,
    /// Public JWK.
    PublicJwk,
    /// JWKS with the public key.
    Jwks,
    /// PKCS#8 private key PEM.
    Pem,
    /// SPKI public key PEM.
    PublicPem,
    /// Lines for a self-hosted Supabase .env.
    Env,
    /// The bare secret text (HS256 only).
    Secret,
}

/// Runs `keygen`.
pub fn run(args: &KeygenArgs) -> Result<ExitCode, UsageError> {
    super::selftest::warn_if_clock_looks_wrong(args.now);
    let alg = args.alg.to_keygen(args.bits)?;
    let kid = match (&args.kid, args.kid_thumbprint, args.alg) {
        (Some(k), _, _) => KidChoice::Given(k.clone()),
        (None, true, _) => KidChoice::Thumbprint,
        (None, false, KeygenAlgArg(Alg::HS256)) => KidChoice::None,
        (None, false, _) => KidChoice::Uuid,
    };
    let key = generate(alg, kid)?;
    if let Some(warning) = alg.alg().supabase_client_warning() {
        super::out::note(&format!("warning: {warning}"));
    }
    let pretty = |v: Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    let out = match args.format {
        KeyFormat::Jwk => pretty(Value::Object(to_jwk(&key, true))),
        KeyFormat::PublicJwk => {
            no_secret_public(&key, || pretty(Value::Object(to_jwk(&key, false))))?
        }
        KeyFormat::Jwks => no_secret_public(&key, || {
            pretty(jwks_value(std::slice::from_ref(&key), false))
        })?,
        KeyFormat::Pem => private_pem(&key)?.expose().trim_end().to_string(),
        KeyFormat::PublicPem => public_pem(&key)?.trim_end().to_string(),
        KeyFormat::Secret => match &key.material {
            KeyMaterial::Hmac { secret, .. } => {
                String::from_utf8_lossy(secret.expose()).into_owned()
            }
            _ => {
                return Err(UsageError::new(
                    "--format secret is for --alg HS256; use jwk or pem",
                ));
            }
        },
        KeyFormat::Env => render_env_for(args, &key)?,
    };
    let mut stdout = super::out::Out::stdout();
    stdout.data(&out);
    stdout.data("\n");
    Ok(ExitCode::SUCCESS)
}

fn no_secret_public(
    key: &crate::jose::keys::Key,
    f: impl FnOnce() -> String,
) -> Result<String, UsageError> {
    if matches!(key.material, KeyMaterial::Hmac { .. }) {
        return Err(UsageError::new(
            "a shared secret has no public half: use --format jwk, env or secret",
        ));
    }
    Ok(f())
}

/// How the command line takes the legacy secret, for the `.env` block's comment when it has none.
const GIVE_SECRET: &str = "re-run with --secret-env JWT_SECRET";

fn render_env_for(args: &KeygenArgs, key: &crate::jose::keys::Key) -> Result<String, UsageError> {
    if args.legacy.key.is_some() {
        return Err(UsageError::new(
            "with --format env, give the legacy JWT_SECRET with --secret/--secret-file/--secret-env",
        ));
    }
    let now = now_or_system(args.now);
    let lifetime = Lifetime::Years(5);
    let rendered = match &key.material {
        KeyMaterial::Hmac { secret, .. } => {
            if args.legacy.count() > 0 {
                return Err(UsageError::new(
                    "--alg HS256 --format env generates a new JWT_SECRET; do not also give one",
                ));
            }
            let text = String::from_utf8_lossy(secret.expose()).into_owned();
            render_env(&EnvRequest {
                secret: Some(&text),
                signing_key: None,
                now,
                lifetime,
                give_secret: Some(GIVE_SECRET),
            })?
        }
        _ => {
            let legacy = args.legacy.secret_text()?;
            render_env(&EnvRequest {
                secret: legacy.as_ref().map(SecretString::expose),
                signing_key: Some(key),
                now,
                lifetime,
                give_secret: Some(GIVE_SECRET),
            })?
        }
    };
    Ok(rendered.expose().trim_end().to_string())
}
