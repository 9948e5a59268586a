//! `key add`, planned (nothing is written here): a new asymmetric key goes into
//! `JWT_KEYS` without `"sign"` and into `JWT_JWKS` as a public key, with its standby record;
//! every other line of the `.env` stays byte for byte. On a stack with only `JWT_SECRET`
//! (upstream's `generate-keys.sh`), it writes the first `JWT_KEYS`: the secret as the signing
//! `oct` key, the new key verify-only. The plan says what the compose file must pass to each
//! service, which services to restart, and when promoting becomes possible.

use super::guard;
use super::plan::{JsonLine, StepPlan, append_lines, edit_lines};
use super::records::{Event, format_record};
use super::{Stack, StackKey};
use crate::jose::error::CoreError;
use crate::jose::keys::{KeygenAlg, KidChoice, generate, to_jwk};
use crate::supabase::doctor::Config;
use crate::supabase::doctor::rotate::compose_step;
use crate::supabase::env::legacy_oct_jwk;
use serde_json::{Value, json};

/// How long a standby key must be published before it may sign: GoTrue's JWKS
/// `max-age=600` plus ten minutes of client cache, as Supabase documents.
pub const PUBLISH_WAIT: i64 = 20 * 60;

/// Plans adding a standby key of `alg` (kid `kid`, else a random UUID) to the stack whose
/// `.env` is `env`.
pub fn plan_add(
    env: &str,
    stack: &Stack,
    config: &Config,
    alg: KeygenAlg,
    kid: Option<String>,
    now: i64,
) -> Result<StepPlan, CoreError> {
    if matches!(alg, KeygenAlg::HS256) {
        return Err(CoreError::InvalidOption(
            "key add makes an asymmetric key (ES256, RS256, RS512, ES512, EdDSA): a second shared secret cannot be published".into(),
        ));
    }
    if let Some(k) = &kid
        && stack.keys.iter().any(|x| x.key.kid.as_deref() == Some(k))
    {
        return Err(CoreError::InvalidOption(format!(
            "a key with kid \"{k}\" is already in the .env: choose another --kid"
        )));
    }
    for var in ["JWT_KEYS", "JWT_JWKS"] {
        let prefix = format!("{var}=");
        let n = env.lines().filter(|l| l.starts_with(&prefix)).count();
        if n > 1 {
            return Err(CoreError::InvalidOption(format!(
                "the .env sets {var} on {n} lines (the last one wins): keep one, then run key add again"
            )));
        }
    }
    let held = |k: &&StackKey, var| k.held_in.contains(&var);
    let in_keys: Vec<&StackKey> = stack.keys.iter().filter(|k| held(k, "JWT_KEYS")).collect();
    let secret = config.get("JWT_SECRET");
    // The legacy-only stack (generate-keys.sh): the secret becomes the signing `oct` key.
    let first_keys = in_keys.is_empty();
    if first_keys && secret.is_none() {
        return Err(CoreError::InvalidOption(
            "this .env has neither JWT_KEYS nor JWT_SECRET: GoTrue has no key to sign with; set JWT_SECRET (generate-keys.sh) first".into(),
        ));
    }
    let choice = kid.map_or(KidChoice::Uuid, KidChoice::Given);
    let mut key = generate(alg, choice)?;
    key.alg = Some(alg.alg().name().to_string());
    key.key_use = Some("sig".into());
    key.key_ops = Some(vec!["verify".into()]);
    let name = key.kid.clone().unwrap_or_default();
    let record = format_record(&name, Event::Standby, now);
    let legacy = secret.map(legacy_oct_jwk);
    let mut private: Vec<Value> = Vec::new();
    if first_keys && let Some(oct) = &legacy {
        let mut signing = oct.clone();
        signing["key_ops"] = json!(["sign", "verify"]);
        private.push(signing);
    }
    private.push(Value::Object(to_jwk(&key, true)));
    let jwks_empty = !stack.keys.iter().any(|k| held(&k, "JWT_JWKS"));
    let mut public: Vec<Value> = Vec::new();
    if jwks_empty {
        // As add-new-auth-keys.sh writes it: every verify key's public part, and the `oct` key
        // (PostgREST reads only JWT_JWKS when it is set).
        for k in &in_keys {
            if k.key.kty() != "oct" {
                let mut jwk = to_jwk(&k.key, false);
                jwk.insert("key_ops".into(), json!(["verify"]));
                public.push(Value::Object(jwk));
            }
        }
    }
    public.push(Value::Object(to_jwk(&key, false)));
    if jwks_empty && let Some(oct) = &legacy {
        public.push(oct.clone());
    }
    let mut seen = (false, false);
    let (mut new_env, mut diff) = edit_lines(env, |line| {
        if let Some(mut l) = JsonLine::parse(line, "JWT_KEYS")? {
            seen.0 = true;
            l.keys.extend(private.iter().cloned());
            return Ok(Some(vec![record.clone(), l.render()]));
        }
        if let Some(mut l) = JsonLine::parse(line, "JWT_JWKS")? {
            seen.1 = true;
            l.keys.extend(public.iter().cloned());
            return Ok(Some(vec![l.render()]));
        }
        Ok(None)
    })?;
    let mut appended = Vec::new();
    if !seen.0 {
        appended.push(record.clone());
        appended.push(format!("JWT_KEYS={}", Value::Array(private.clone())));
    }
    if !seen.1 {
        appended.push(format!("JWT_JWKS={}", json!({ "keys": public })));
    }
    append_lines(&mut new_env, &mut diff, &appended);
    let algs: Vec<&str> = stack.keys.iter().map(|k| k.alg.as_str()).collect();
    let mut steps = Vec::new();
    if first_keys {
        steps.push("This .env had no JWT_KEYS: it now has one GoTrue can start with, the legacy JWT_SECRET as the signing key (a kid-less oct key with \"sign\" in key_ops, so GoTrue keeps signing HS256 exactly as before) and the new key verify-only; JWT_JWKS holds the new public key and the oct key, as add-new-auth-keys.sh writes them. ANON_KEY and SERVICE_ROLE_KEY do not change.".into());
    }
    steps.push(compose_step(config));
    if !algs.contains(&alg.alg().name())
        && let Some(methods) = config.valid_methods()
    {
        steps.push(format!(
            "{} is new to this stack and the auth service sets GOTRUE_JWT_VALID_METHODS={methods}: add {} to it, or GoTrue refuses tokens of the new key once it signs.",
            alg.alg().name(),
            alg.alg().name()
        ));
    }
    steps.push("Recreate the verifiers so they read the new key set: docker compose up -d --force-recreate auth rest realtime storage functions (Realtime keeps its tenant's JWKS: reseed the tenant if it was seeded before).".into());
    let promote_after = now.saturating_add(PUBLISH_WAIT);
    steps.push(format!(
        "Wait until the key has been published for 20 minutes (GoTrue's JWKS max-age=600 plus the client cache) before promoting it: not before {}.",
        crate::jose::time::format_utc(promote_after)
    ));
    let (before, mut after, after_config, after_stack) =
        guard::check(stack, config, &new_env, now, false, &mut steps)?;
    after
        .rows
        .push(promoted_row(&after_config, &after_stack, &key, now)?);
    Ok(StepPlan {
        new_key: Some(key),
        new_env,
        diff,
        steps,
        promote_after: Some(promote_after),
        revoke_after: None,
        before: Some(before),
        after: Some(after),
    })
}

/// The row of the sessions the new key will sign once promoted, in the stack after `add` (as
/// the no-regression guard read it back).
fn promoted_row(
    after_config: &Config,
    after: &Stack,
    key: &crate::jose::keys::Key,
    now: i64,
) -> Result<Vec<super::matrix::Cell>, CoreError> {
    let new = after
        .keys
        .iter()
        .find(|k| k.key.kid.is_some() && k.key.kid == key.kid)
        .ok_or_else(|| {
            CoreError::InvalidOption("the planned .env does not read back with the new key".into())
        })?;
    let label = format!("user sessions signed by {} (once promoted)", new.name());
    super::matrix::session_row(
        after_config,
        &super::matrix::columns(after_config),
        &label,
        new,
        after.jwt_expiry,
        now,
    )
}
