//! The rotation assistant, producing what upstream's configuration accepts: a new signing key
//! (the legacy secret kept as an `oct` verify key, previous asymmetric keys kept for
//! verification) with re-signed `*_ASYMMETRIC` keys; a new `JWT_SECRET` (re-signed legacy keys,
//! and the `oct` key of `JWT_KEYS` / `JWT_JWKS` replaced, since PostgREST reads `JWT_JWKS`); or
//! new opaque API keys as `rotate-new-api-keys.sh` makes them. Shown as a `.env` diff, a
//! Kubernetes Secret, or the gateway's configuration (Kong's consumers with `$VAR` placeholders
//! for kong-entrypoint.sh, Envoy's api-gw environment), with the steps to apply it.

use super::Config;
use crate::jose::b64::SecretEncoding;
use crate::jose::error::CoreError;
use crate::jose::keys::{Key, KeyMaterial, KeygenAlg, KidChoice, generate, load_keys, secret_key};
use crate::jose::secret::SecretString;
use crate::jose::sign::resign;
use crate::jose::token::Jws;
use crate::supabase::env::{jwt_key_set, legacy_oct_jwk};
use crate::supabase::mint::{Lifetime, MintRequest, MintRole, mint};
use crate::supabase::opaque::{PUBLISHABLE_PREFIX, SECRET_PREFIX, generate_opaque_key};
use serde_json::Value;

/// How to show the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotateFormat {
    /// A diff of the `.env`.
    Env,
    /// A Kubernetes Secret manifest (stringData).
    K8s,
    /// The `.env` diff and Kong's consumers block (`$VAR` placeholders).
    Kong,
    /// The `.env` diff and the api-gw (Envoy) environment block.
    Envoy,
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

struct Changes<'a> {
    config: &'a Config,
    list: Vec<(String, Option<String>, String)>,
}

impl Changes<'_> {
    fn set(&mut self, name: &str, value: String) {
        let old = self.config.get(name).map(str::to_string);
        self.list.push((name.to_string(), old, value));
    }
}

/// `text` (a JSON array or `{"keys":[…]}`) with every `oct` key replaced by the new secret's.
fn replace_oct(text: &str, secret: &str) -> Option<String> {
    let mut value: Value = serde_json::from_str(text).ok()?;
    let keys = match &mut value {
        Value::Array(a) => a,
        Value::Object(o) => o.get_mut("keys")?.as_array_mut()?,
        _ => return None,
    };
    let mut replaced = false;
    for k in keys.iter_mut() {
        if k.get("kty").and_then(Value::as_str) == Some("oct") {
            let kid = k.get("kid").cloned();
            *k = legacy_oct_jwk(secret);
            if let (Some(kid), Some(o)) = (kid, k.as_object_mut()) {
                o.insert("kid".into(), kid);
            }
            replaced = true;
        }
    }
    replaced.then(|| value.to_string())
}

/// Plans a rotation to a new key of `alg` (`HS256`: a new JWT_SECRET and re-signed legacy keys).
pub fn plan(config: &Config, alg: KeygenAlg, now: i64) -> Result<Rotation, CoreError> {
    let mut c = Changes {
        config,
        list: Vec::new(),
    };
    if alg == KeygenAlg::HS256 {
        let fresh = crate::jose::keys::generate_hmac_secret()?;
        let key = secret_key(fresh.expose(), SecretEncoding::Text)?;
        c.set("JWT_SECRET", fresh.expose().to_string());
        c.set(
            "ANON_KEY",
            api_key(config, "ANON_KEY", MintRole::Anon, &key, now)?,
        );
        c.set(
            "SERVICE_ROLE_KEY",
            api_key(config, "SERVICE_ROLE_KEY", MintRole::ServiceRole, &key, now)?,
        );
        for var in ["JWT_KEYS", "JWT_JWKS"] {
            if let Some(new) = config.get(var).and_then(|t| replace_oct(t, fresh.expose())) {
                c.set(var, new);
            }
        }
        let steps = vec![
            "Back up the current .env / Secret.".into(),
            "Apply the new JWT_SECRET, ANON_KEY and SERVICE_ROLE_KEY (and, when present, JWT_KEYS / JWT_JWKS with their oct key replaced: PostgREST, Realtime and Storage check legacy tokens against it).".into(),
            "Restart every service: docker compose up -d --force-recreate (auth, rest, realtime, storage, kong or api-gw, studio, functions, supavisor); the gateway re-renders its configuration with the new keys at start-up.".into(),
            "Update ANON_KEY in your apps; every existing user session and old legacy key stops working at once.".into(),
        ];
        return Ok(Rotation {
            changes: c.list,
            steps,
        });
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
    let (private, public, _) = jwt_key_set(&all, config.get("JWT_SECRET"))?;
    c.set("JWT_KEYS", private.to_string());
    c.set("JWT_JWKS", public.to_string());
    let from = |asym: &'static str, legacy: &'static str| {
        if config.get(asym).is_some() {
            asym
        } else {
            legacy
        }
    };
    let anon = from("ANON_KEY_ASYMMETRIC", "ANON_KEY");
    let service = from("SERVICE_ROLE_KEY_ASYMMETRIC", "SERVICE_ROLE_KEY");
    c.set(
        "ANON_KEY_ASYMMETRIC",
        api_key(config, anon, MintRole::Anon, &new_key, now)?,
    );
    c.set(
        "SERVICE_ROLE_KEY_ASYMMETRIC",
        api_key(config, service, MintRole::ServiceRole, &new_key, now)?,
    );
    let kid = new_key.kid.clone().unwrap_or_default();
    let alg_name = crate::jose::sign::default_alg(&new_key)?.name().to_string();
    let mut steps = vec![
        "Back up the current .env / Secret.".to_string(),
        format!("Apply JWT_KEYS, JWT_JWKS and the re-signed ANON_KEY_ASYMMETRIC / SERVICE_ROLE_KEY_ASYMMETRIC (new signing key kid {kid}; the legacy secret and previous keys stay for verification)."),
        "In docker-compose.yml, uncomment GOTRUE_JWT_KEYS: ${JWT_KEYS:-[]} (auth), API_JWT_JWKS (realtime), JWT_JWKS (storage) and, where the compose file has it, SUPABASE_JWKS (functions) if not done yet; PostgREST already reads ${JWT_JWKS:-${JWT_SECRET}}.".into(),
        "Restart auth first (it signs new user tokens with the new key), then rest, realtime (reseed its tenant JWKS), storage and functions, then kong or api-gw (its sb_ key translation uses the *_ASYMMETRIC keys).".into(),
    ];
    if let Some(methods) = config.valid_methods()
        && !methods.split(',').any(|m| m.trim() == alg_name)
    {
        steps.push(format!("GOTRUE_JWT_VALID_METHODS is {methods}: add {alg_name} (or remove the variable) before restarting auth."));
    }
    steps.push("Clients keep sending ANON_KEY or SUPABASE_PUBLISHABLE_KEY as apikey; the *_ASYMMETRIC keys are never gateway credentials.".into());
    Ok(Rotation {
        changes: c.list,
        steps,
    })
}

/// Plans new opaque API keys, as `rotate-new-api-keys.sh` does: only `SUPABASE_PUBLISHABLE_KEY`
/// and `SUPABASE_SECRET_KEY` change; the signing keys and sessions stay.
pub fn plan_api_keys(config: &Config) -> Result<Rotation, CoreError> {
    let mut c = Changes {
        config,
        list: Vec::new(),
    };
    c.set(
        "SUPABASE_PUBLISHABLE_KEY",
        generate_opaque_key(PUBLISHABLE_PREFIX)?
            .expose()
            .to_string(),
    );
    c.set(
        "SUPABASE_SECRET_KEY",
        generate_opaque_key(SECRET_PREFIX)?.expose().to_string(),
    );
    let steps = vec![
        "Back up the current .env / Secret.".into(),
        "Apply the new SUPABASE_PUBLISHABLE_KEY and SUPABASE_SECRET_KEY (the signing keys, JWTs and user sessions are not touched).".into(),
        "Restart the gateway so it re-renders its credentials: docker compose up -d --force-recreate kong (or api-gw with Envoy).".into(),
        "Give the new keys to your clients; the old sb_ keys stop working when the gateway restarts.".into(),
    ];
    Ok(Rotation {
        changes: c.list,
        steps,
    })
}

fn yaml_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// Upstream's consumers block: each role's legacy key and opaque key, as `$VAR` placeholders
/// that kong-entrypoint.sh (and the older eval-echo entrypoint) expand.
const KONG_CONSUMERS: &str = "consumers:
  - username: DASHBOARD
  - username: anon
    keyauth_credentials:
      - key: $SUPABASE_ANON_KEY
      - key: $SUPABASE_PUBLISHABLE_KEY
  - username: service_role
    keyauth_credentials:
      - key: $SUPABASE_SERVICE_KEY
      - key: $SUPABASE_SECRET_KEY";

/// The kong service's environment that feeds those placeholders and the Lua transformer.
const KONG_ENV: &str = "      SUPABASE_ANON_KEY: ${ANON_KEY}
      SUPABASE_SERVICE_KEY: ${SERVICE_ROLE_KEY}
      SUPABASE_PUBLISHABLE_KEY: ${SUPABASE_PUBLISHABLE_KEY:-}
      SUPABASE_SECRET_KEY: ${SUPABASE_SECRET_KEY:-}
      ANON_KEY_ASYMMETRIC: ${ANON_KEY_ASYMMETRIC:-}
      SERVICE_ROLE_KEY_ASYMMETRIC: ${SERVICE_ROLE_KEY_ASYMMETRIC:-}";

/// docker-compose.envoy.yml's api-gw environment, read by its entrypoint's sed.
const ENVOY_ENV: &str = "      ANON_KEY: ${ANON_KEY}
      SERVICE_ROLE_KEY: ${SERVICE_ROLE_KEY}
      SUPABASE_PUBLISHABLE_KEY: ${SUPABASE_PUBLISHABLE_KEY:-}
      SUPABASE_SECRET_KEY: ${SUPABASE_SECRET_KEY:-}
      ANON_KEY_ASYMMETRIC: ${ANON_KEY_ASYMMETRIC:-}
      SERVICE_ROLE_KEY_ASYMMETRIC: ${SERVICE_ROLE_KEY_ASYMMETRIC:-}";

/// Renders the rotation (secret material inside).
pub fn render(rotation: &Rotation, format: RotateFormat) -> SecretString {
    let mut lines = Vec::new();
    match format {
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
        RotateFormat::Env | RotateFormat::Kong | RotateFormat::Envoy => {
            lines.push("# .env changes (- old, + new)".to_string());
            for (name, old, new) in &rotation.changes {
                if let Some(old) = old {
                    lines.push(format!("-{name}={}", env_value(old)));
                }
                lines.push(format!("+{name}={}", env_value(new)));
            }
        }
    }
    match format {
        RotateFormat::Kong => {
            lines.push(String::new());
            lines.push("# kong.yml: keep the placeholders; Kong's entrypoint expands $VAR from the kong service's environment at start-up (never paste keys here)".into());
            lines.push(KONG_CONSUMERS.into());
            lines.push(String::new());
            lines.push("# docker-compose.yml, services.kong.environment:".into());
            lines.extend(KONG_ENV.lines().map(|l| format!("#{l}")));
        }
        RotateFormat::Envoy => {
            lines.push(String::new());
            lines.push("# docker-compose.envoy.yml, services.api-gw.environment (its entrypoint's sed fills ${VAR} in lds.template.yaml at start-up):".into());
            lines.extend(ENVOY_ENV.lines().map(|l| format!("#{l}")));
        }
        RotateFormat::Env | RotateFormat::K8s => {}
    }
    lines.push(String::new());
    lines.push("# Steps".into());
    for (i, step) in rotation.steps.iter().enumerate() {
        lines.push(format!("# {}. {step}", i + 1));
    }
    SecretString::new(lines.join("\n") + "\n")
}

fn env_value(v: &str) -> String {
    if v.starts_with('{') || v.starts_with('[') || v.contains('$') {
        format!("'{v}'")
    } else {
        v.to_string()
    }
}
