//! The rotation assistant, producing what upstream's configuration accepts: a new signing key
//! (a private legacy secret kept as an `oct` verify key, previous asymmetric keys kept for
//! verification) with new `*_ASYMMETRIC` keys; a new `JWT_SECRET` (new legacy keys, and the
//! `oct` key of `JWT_KEYS` / `JWT_JWKS` replaced, since PostgREST reads `JWT_JWKS`); or new
//! opaque API keys as `rotate-new-api-keys.sh` makes them. A public `JWT_SECRET` (a demo value,
//! or under 32 characters) is replaced by every plan, never kept verifying. API keys are minted
//! as `generate-keys.sh` does, or their old payloads re-signed on request ([`ApiKeyClaims`]).
//! Shown by [`render`] with the steps to apply it.

use super::Config;
use crate::jose::b64::SecretEncoding;
use crate::jose::error::CoreError;
use crate::jose::keys::{Key, KeyMaterial, KeygenAlg, KidChoice, generate, load_keys, secret_key};
use crate::jose::secret::SecretString;
use crate::jose::sign::resign;
use crate::jose::time::{describe_relative, format_utc};
use crate::jose::token::Jws;
use crate::supabase::claims::EXPIRY_WARNING_SECS;
use crate::supabase::env::{jwt_key_set, legacy_oct_jwk};
use crate::supabase::mint::{Lifetime, MintRequest, MintRole, mint};
use crate::supabase::opaque::{PUBLISHABLE_PREFIX, SECRET_PREFIX, generate_opaque_key};
use crate::supabase::roles::demo_value;
use serde_json::Value;

mod render;
mod wiring;

pub use render::{RotateFormat, render};
pub use wiring::{column_service, compose_step, service_step};

/// A planned rotation. Contains secrets.
pub struct Rotation {
    /// (variable, old value, new value), in `.env` order.
    pub changes: Vec<(String, Option<String>, String)>,
    /// The ordered steps to apply it.
    pub steps: Vec<String>,
}

/// What a rotation does with the payloads of the API keys it re-issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiKeyClaims {
    /// Mint them anew as upstream's `generate-keys.sh` does: the role, `iss` `supabase`, `iat`
    /// now and `exp` five years out.
    #[default]
    Fresh,
    /// Re-sign the old payloads unchanged (their `iss` and `exp` too), warning when they expire
    /// within 60 days.
    Keep,
}

/// How a plan issues API keys: their claims, the time, and the warning steps it collects.
struct Issue {
    claims: ApiKeyClaims,
    now: i64,
    warnings: Vec<String>,
}

/// Sets `var` to the API key for `role` signed by `key`: minted fresh, or the payload of the
/// configured `source` re-signed (with a warning step when that payload expires soon).
fn set_api_key(
    c: &mut Changes<'_>,
    issue: &mut Issue,
    (var, source, role): (&str, &str, MintRole),
    key: &Key,
) -> Result<(), CoreError> {
    let token = api_key(c.config, source, role, key, issue)?;
    c.set(var, token);
    Ok(())
}

/// A new `JWT_SECRET` and the legacy `ANON_KEY` / `SERVICE_ROLE_KEY` issued under it.
fn set_new_secret(
    c: &mut Changes<'_>,
    issue: &mut Issue,
    fresh: &SecretString,
) -> Result<(), CoreError> {
    let key = secret_key(fresh.expose(), SecretEncoding::Text)?;
    c.set("JWT_SECRET", fresh.expose().to_string());
    set_api_key(c, issue, ("ANON_KEY", "ANON_KEY", MintRole::Anon), &key)?;
    set_api_key(
        c,
        issue,
        (
            "SERVICE_ROLE_KEY",
            "SERVICE_ROLE_KEY",
            MintRole::ServiceRole,
        ),
        &key,
    )
}

/// The API key `var` for `role`, signed by `key`: minted fresh, or its old payload re-signed
/// (with a warning step when that payload expires soon).
fn api_key(
    config: &Config,
    var: &str,
    role: MintRole,
    key: &Key,
    issue: &mut Issue,
) -> Result<String, CoreError> {
    let (claims, now) = (issue.claims, issue.now);
    let steps = &mut issue.warnings;
    let old = config.get(var).and_then(|t| Jws::parse_unverified(t).ok());
    match (claims, old) {
        (ApiKeyClaims::Keep, Some(old)) => {
            if let Some(exp) = old.claims().ok().and_then(|c| c.get("exp")?.as_i64())
                && exp - now < EXPIRY_WARNING_SECS
            {
                steps.push(format!(
                    "Warning: the kept {var} payload expires {} ({}): rotate without keeping the old payloads to mint keys valid for five years.",
                    describe_relative(exp, now),
                    format_utc(exp)
                ));
            }
            resign(&old, key, None)
        }
        _ => mint(
            &MintRequest::preset(role, now, Lifetime::Years(5)),
            key,
            None,
        ),
    }
}

/// Why the configured `JWT_SECRET` must not stay trusted after a rotation: it is a public demo
/// value or too short to be a secret. `None` for a secret that was private.
fn public_secret(config: &Config) -> Option<String> {
    let secret = config.get("JWT_SECRET")?;
    if let Some(what) = demo_value(secret) {
        return Some(format!("JWT_SECRET is {what}"));
    }
    let chars = secret.chars().count();
    (chars < 32).then(|| format!("JWT_SECRET has only {chars} characters (at least 32 are needed)"))
}

/// The step that says why a public secret is replaced rather than kept verifying.
fn revoke_public_secret_step(why: &str) -> String {
    format!(
        "{why}: anyone can sign tokens with it, so it is replaced by a new random secret and revoked at once instead of kept for verification. Every token signed with it (ANON_KEY, SERVICE_ROLE_KEY, user sessions) stops working when the services restart: that is the point."
    )
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

/// Plans a rotation to a new key of `alg` (`HS256`: a new JWT_SECRET), with API keys minted
/// fresh ([`ApiKeyClaims::Fresh`]).
pub fn plan(config: &Config, alg: KeygenAlg, now: i64) -> Result<Rotation, CoreError> {
    plan_with(config, alg, ApiKeyClaims::Fresh, now)
}

/// Plans a rotation to a new key of `alg` (`HS256`: a new JWT_SECRET), re-issuing the API keys
/// as `claims` says. A public `JWT_SECRET` (a demo value, or under 32 characters) is replaced
/// by every plan, never kept as a verification key.
pub fn plan_with(
    config: &Config,
    alg: KeygenAlg,
    claims: ApiKeyClaims,
    now: i64,
) -> Result<Rotation, CoreError> {
    let mut c = Changes {
        config,
        list: Vec::new(),
    };
    let public = public_secret(config);
    let mut issue = Issue {
        claims,
        now,
        warnings: Vec::new(),
    };
    if alg == KeygenAlg::HS256 {
        let fresh = crate::jose::keys::generate_hmac_secret()?;
        set_new_secret(&mut c, &mut issue, &fresh)?;
        for var in ["JWT_KEYS", "JWT_JWKS"] {
            if let Some(new) = config.get(var).and_then(|t| replace_oct(t, fresh.expose())) {
                c.set(var, new);
            }
        }
        let mut steps: Vec<String> = public
            .as_deref()
            .map(revoke_public_secret_step)
            .into_iter()
            .collect();
        steps.extend([
            "Back up the current .env / Secret.".into(),
            "Apply the new JWT_SECRET, ANON_KEY and SERVICE_ROLE_KEY (and, when present, JWT_KEYS / JWT_JWKS with their oct key replaced: PostgREST, Realtime and Storage check legacy tokens against it).".into(),
            "Restart every service: docker compose up -d --force-recreate (auth, rest, realtime, storage, kong or api-gw, studio, functions, supavisor); the gateway re-renders its configuration with the new keys at start-up.".into(),
            "Update ANON_KEY in your apps; every existing user session and old legacy key stops working at once.".into(),
        ]);
        steps.extend(issue.warnings);
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
    // The legacy secret kept as the `oct` verification key: the configured one when it was
    // private; a new one, with the legacy API keys re-issued under it, when it was public.
    let replacement = match &public {
        Some(_) => Some(crate::jose::keys::generate_hmac_secret()?),
        None => None,
    };
    let legacy = match &replacement {
        Some(fresh) => Some(fresh.expose()),
        None => config.get("JWT_SECRET"),
    };
    let (private_set, public_set, _) = jwt_key_set(&all, legacy)?;
    if let Some(fresh) = &replacement {
        set_new_secret(&mut c, &mut issue, fresh)?;
    }
    c.set("JWT_KEYS", private_set.to_string());
    c.set("JWT_JWKS", public_set.to_string());
    let from = |asym: &'static str, legacy: &'static str| {
        if config.get(asym).is_some() {
            asym
        } else {
            legacy
        }
    };
    let anon = from("ANON_KEY_ASYMMETRIC", "ANON_KEY");
    let service = from("SERVICE_ROLE_KEY_ASYMMETRIC", "SERVICE_ROLE_KEY");
    set_api_key(
        &mut c,
        &mut issue,
        ("ANON_KEY_ASYMMETRIC", anon, MintRole::Anon),
        &new_key,
    )?;
    set_api_key(
        &mut c,
        &mut issue,
        (
            "SERVICE_ROLE_KEY_ASYMMETRIC",
            service,
            MintRole::ServiceRole,
        ),
        &new_key,
    )?;
    let kid = new_key.kid.clone().unwrap_or_default();
    let alg_name = crate::jose::sign::default_alg(&new_key)?.name().to_string();
    let mut steps: Vec<String> = public
        .as_deref()
        .map(revoke_public_secret_step)
        .into_iter()
        .collect();
    steps.push("Back up the current .env / Secret.".to_string());
    steps.push(if public.is_some() {
        format!("Apply JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY, JWT_KEYS, JWT_JWKS and the new ANON_KEY_ASYMMETRIC / SERVICE_ROLE_KEY_ASYMMETRIC (new signing key kid {kid}; the new legacy secret and previous keys verify).")
    } else {
        format!("Apply JWT_KEYS, JWT_JWKS and the new ANON_KEY_ASYMMETRIC / SERVICE_ROLE_KEY_ASYMMETRIC (new signing key kid {kid}; the legacy secret and previous keys stay for verification).")
    });
    steps.extend([
        wiring::compose_step(config),
        "Restart auth first (it signs new user tokens with the new key), then rest, realtime (reseed its tenant JWKS), storage and functions, then kong or api-gw (its sb_ key translation uses the *_ASYMMETRIC keys).".into(),
    ]);
    if let Some(methods) = config.valid_methods()
        && !methods.split(',').any(|m| m.trim() == alg_name)
    {
        steps.push(format!("GOTRUE_JWT_VALID_METHODS is {methods}: add {alg_name} (or remove the variable) before restarting auth."));
    }
    steps.push("Clients keep sending ANON_KEY or SUPABASE_PUBLISHABLE_KEY as apikey; the *_ASYMMETRIC keys are never gateway credentials.".into());
    steps.extend(issue.warnings);
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
