//! The rotation assistant: a new signing key (the legacy secret kept as an `oct` verify key and
//! previous asymmetric keys kept for verification), the re-signed API keys, and the result as a
//! `.env` diff, a Kubernetes Secret or Kong's consumers block, with the steps to apply it.

use super::Config;
use crate::core::b64::SecretEncoding;
use crate::core::env::jwt_key_set;
use crate::core::error::CoreError;
use crate::core::keys::{Key, KeyMaterial, KeygenAlg, KidChoice, generate, load_keys, secret_key};
use crate::core::mint::{Lifetime, MintRequest, MintRole, mint, resign};
use crate::core::secret::SecretString;
use crate::core::token::Jws;

/// How to show the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotateFormat {
    /// A diff of the `.env`.
    Env,
    /// A Kubernetes Secret manifest (stringData).
    K8s,
    /// Kong's consumers block.
    Kong,
}

/// A planned rotation. Contains secrets.
pub struct Rotation {
    /// (variable, old value, new value), in `.env` order.
    pub changes: Vec<(String, Option<String>, String)>,
    /// The ordered steps to apply it.
    pub steps: Vec<String>,
}

fn api_key(
    config: &Config,
    var: &str,
    role: MintRole,
    key: &Key,
    now: i64,
) -> Result<String, CoreError> {
    match config.get(var).and_then(|t| Jws::parse_unverified(t).ok()) {
        Some(old) => resign(&old, key, None),
        None => {
            let req = MintRequest::preset(role, now, Lifetime::Years(5));
            mint(&req, key, None)
        }
    }
}

/// Plans a rotation to a new key of `alg` (`HS256`: a new JWT_SECRET and re-signed legacy keys).
pub fn plan(config: &Config, alg: KeygenAlg, now: i64) -> Result<Rotation, CoreError> {
    let mut changes = Vec::new();
    let mut set = |name: &str, value: String| {
        changes.push((
            name.to_string(),
            config.get(name).map(str::to_string),
            value,
        ))
    };
    if alg == KeygenAlg::HS256 {
        let fresh = crate::core::keys::generate_hmac_secret()?;
        let key = secret_key(fresh.expose(), SecretEncoding::Text)?;
        set("JWT_SECRET", fresh.expose().to_string());
        set(
            "ANON_KEY",
            api_key(config, "ANON_KEY", MintRole::Anon, &key, now)?,
        );
        set(
            "SERVICE_ROLE_KEY",
            api_key(config, "SERVICE_ROLE_KEY", MintRole::ServiceRole, &key, now)?,
        );
        let steps = vec![
            "Back up the current .env / Secret.".into(),
            "Apply the new JWT_SECRET, ANON_KEY and SERVICE_ROLE_KEY (and the oct key in JWT_KEYS / JWT_JWKS if you use them).".into(),
            "Re-render kong.yml with the new keys.".into(),
            "Restart every service: docker compose up -d --force-recreate (auth, rest, realtime, storage, kong, studio, functions, supavisor).".into(),
            "Update ANON_KEY in your apps; every existing user session and old key stops working at once.".into(),
        ];
        return Ok(Rotation { changes, steps });
    }
    let new_key = generate(alg, KidChoice::Uuid)?;
    let previous: Vec<Key> = config
        .get("JWT_KEYS")
        .and_then(|t| load_keys(t).ok())
        .map(|s| s.keys)
        .unwrap_or_default()
        .into_iter()
        .filter(|k| !matches!(k.material, KeyMaterial::Hmac { .. }))
        .map(|mut k| {
            k.key_ops = Some(vec!["verify".into()]);
            k
        })
        .collect();
    let all: Vec<Key> = std::iter::once(new_key.clone()).chain(previous).collect();
    let (private, public, methods) = jwt_key_set(&all, config.get("JWT_SECRET"))?;
    set("JWT_KEYS", private.to_string());
    set("JWT_JWKS", public.to_string());
    set("JWT_METHODS", methods);
    set(
        "ANON_KEY_ASYMMETRIC",
        api_key(config, "ANON_KEY", MintRole::Anon, &new_key, now)?,
    );
    set(
        "SERVICE_ROLE_KEY_ASYMMETRIC",
        api_key(
            config,
            "SERVICE_ROLE_KEY",
            MintRole::ServiceRole,
            &new_key,
            now,
        )?,
    );
    let kid = new_key.kid.unwrap_or_default();
    let steps = vec![
        "Back up the current .env / Secret.".to_string(),
        format!("Apply JWT_KEYS, JWT_JWKS and JWT_METHODS (new signing key kid {kid}; the legacy secret and previous keys stay for verification)."),
        "Restart auth first (it signs new user tokens with the new key), then rest, realtime (reseed its tenant JWKS), storage and functions.".into(),
        "Add ANON_KEY_ASYMMETRIC / SERVICE_ROLE_KEY_ASYMMETRIC to kong.yml's consumers next to the legacy keys, re-render it and restart kong.".into(),
        "Move your apps to the asymmetric keys; once no legacy HS256 token is in use, drop HS256 from JWT_METHODS.".into(),
    ];
    Ok(Rotation { changes, steps })
}

fn yaml_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// Renders the rotation (secret material inside).
pub fn render(rotation: &Rotation, format: RotateFormat) -> SecretString {
    let mut lines = Vec::new();
    let value = |name: &str| {
        rotation
            .changes
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, v)| v.clone())
    };
    match format {
        RotateFormat::Env => {
            lines.push("# .env changes (- old, + new)".to_string());
            for (name, old, new) in &rotation.changes {
                if let Some(old) = old {
                    lines.push(format!("-{name}={}", env_value(old)));
                }
                lines.push(format!("+{name}={}", env_value(new)));
            }
        }
        RotateFormat::K8s => {
            lines.extend(
                [
                    "apiVersion: v1",
                    "kind: Secret",
                    "metadata:",
                    "  name: supabase-secrets",
                    "type: Opaque",
                    "stringData:",
                ]
                .map(String::from),
            );
            for (name, _, new) in &rotation.changes {
                lines.push(format!("  {name}: {}", yaml_quote(new)));
            }
        }
        RotateFormat::Kong => {
            lines.push("consumers:".into());
            for (user, legacy, asym) in [
                ("anon", "ANON_KEY", "ANON_KEY_ASYMMETRIC"),
                (
                    "service_role",
                    "SERVICE_ROLE_KEY",
                    "SERVICE_ROLE_KEY_ASYMMETRIC",
                ),
            ] {
                lines.push(format!("  - username: {user}"));
                lines.push("    keyauth_credentials:".into());
                for var in [legacy, asym] {
                    match value(var) {
                        Some(v) => lines.push(format!("      - key: {v}")),
                        None => lines.push(format!(
                            "      - key: ${{{}}}  # unchanged",
                            var.replace("SERVICE_ROLE_KEY", "SUPABASE_SERVICE_KEY")
                                .replace("ANON_KEY", "SUPABASE_ANON_KEY")
                        )),
                    }
                }
            }
        }
    }
    lines.push(String::new());
    lines.push("# Steps".into());
    for (i, step) in rotation.steps.iter().enumerate() {
        lines.push(format!("# {}. {step}", i + 1));
    }
    SecretString::new(lines.join("\n") + "\n")
}

fn env_value(v: &str) -> String {
    if v.starts_with('{') || v.starts_with('[') {
        format!("'{v}'")
    } else {
        v.to_string()
    }
}
