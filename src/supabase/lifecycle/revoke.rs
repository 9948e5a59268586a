//! `key revoke`, planned: the named key leaves `JWT_KEYS` and `JWT_JWKS` (and its records go).
//! Refused for the signing key, while a token of the stack is signed by it, and until it
//! stopped signing `JWT_EXPIRY` + 15 minutes ago. For the legacy secret, revoking means its
//! `oct` key leaves both sets (PostgREST, which reads `JWT_JWKS`, then refuses HS256 tokens);
//! `JWT_SECRET` itself stays, since GoTrue, Realtime, Storage and Functions read it.

use super::plan::{JsonLine, StepPlan, edit_lines, jwk_thumbprint};
use super::records::parse_records;
use super::{KeyState, Stack, StackKey, guard};
use crate::jose::error::CoreError;
use crate::jose::time::{describe_relative, format_utc};
use crate::supabase::doctor::Config;

/// The wait after `JWT_EXPIRY` before a key that stopped signing may be revoked, as Supabase
/// documents (15 minutes).
pub const REVOKE_MARGIN: i64 = 15 * 60;

fn refuse(why: String) -> CoreError {
    CoreError::InvalidOption(why)
}

fn is_legacy(k: &StackKey) -> bool {
    k.key.kty() == "oct" && k.key.kid.is_none()
}

/// Plans removing the key named `id`; `force` skips the refusals that `--force` may skip (the
/// wait, a key with no history, the no-regression rule), never those that break the stack's
/// own tokens or GoTrue's signing.
pub fn plan_revoke(
    env: &str,
    stack: &Stack,
    config: &Config,
    id: &str,
    now: i64,
    force: bool,
) -> Result<StepPlan, CoreError> {
    let key = stack.find(id)?;
    let name = key.name();
    if key.state == KeyState::Signing {
        return Err(refuse(format!(
            "{name} is the signing key: GoTrue signs every new session with it. Add a key (key add), promote it (key promote), then revoke {name} once its sessions have expired"
        )));
    }
    if !key.signed.is_empty() {
        return Err(refuse(signed_refusal(key, config)));
    }
    if !key
        .held_in
        .iter()
        .any(|v| *v == "JWT_KEYS" || *v == "JWT_JWKS")
    {
        return Err(refuse(format!(
            "{name} is only in JWT_SECRET: nothing to revoke in JWT_KEYS or JWT_JWKS. JWT_SECRET stays while the services read it; to retire it, replace it with a new random secret (supajwt rotate plans that)"
        )));
    }
    let mut skipped = Vec::new();
    match (key.state, key.stopped_signing) {
        (KeyState::Standby, _) => {} // published, never signed: no session needs it
        (_, Some(stopped)) => {
            let safe = stopped
                .saturating_add(stack.jwt_expiry)
                .saturating_add(REVOKE_MARGIN);
            if now < safe {
                let why = format!(
                    "{name} stopped signing at {} and sessions it signed live for JWT_EXPIRY ({} s); revoke it at {} ({}), JWT_EXPIRY plus 15 minutes later",
                    format_utc(stopped),
                    stack.jwt_expiry,
                    format_utc(safe),
                    describe_relative(safe, now)
                );
                if !force {
                    return Err(refuse(format!("refused: {why}")));
                }
                skipped.push(why);
            }
        }
        _ => {
            let why = format!(
                "{name} has no record of when it stopped signing, so sessions it signed may still be live"
            );
            if !force {
                return Err(refuse(format!(
                    "refused: {why}; pass --force if it stopped signing more than JWT_EXPIRY ({} s) plus 15 minutes ago",
                    stack.jwt_expiry
                )));
            }
            skipped.push(why);
        }
    }
    let (new_env, diff) = edit(env, stack, key)?;
    let mut steps = Vec::new();
    if !skipped.is_empty() {
        steps.push(format!("Forced past: {}.", skipped.join("; ")));
    }
    steps.push(format!(
        "Recreate the verifiers so they drop {name}: docker compose up -d --force-recreate auth rest realtime storage functions (reseed Realtime's tenant JWKS if it was seeded). GoTrue stops publishing it; clients that cached the JWKS (up to 20 minutes) only need it for tokens that have expired."
    ));
    if is_legacy(key) {
        steps.push("Revoking the legacy secret removes its oct key from JWT_KEYS and JWT_JWKS: PostgREST, which reads JWT_JWKS when it is set, then refuses every HS256 token. JWT_SECRET stays in the .env: GoTrue (GOTRUE_JWT_SECRET), Realtime (API_JWT_SECRET), Storage and Functions still read it and still accept kid-less HS256 tokens signed with it. To retire it completely, replace JWT_SECRET with a new random secret nobody holds.".into());
    }
    let (before, after, _, _) = guard::check(stack, config, &new_env, now, force, &mut steps)?;
    Ok(StepPlan {
        new_env,
        diff,
        steps,
        new_key: None,
        promote_after: None,
        revoke_after: None,
        before: Some(before),
        after: Some(after),
    })
}

/// Why a key that signed one of the stack's API keys cannot go, and what to do instead.
fn signed_refusal(key: &StackKey, config: &Config) -> String {
    let name = key.name();
    let tokens = key.signed.join(", ");
    if is_legacy(key) {
        let opaque = if config.get("SUPABASE_PUBLISHABLE_KEY").is_some() {
            "the stack has them"
        } else {
            "create them with upstream's add-new-auth-keys.sh or rotate-new-api-keys.sh"
        };
        return format!(
            "refused: {tokens} are HS256 keys signed by the legacy secret {name}; PostgREST checks them against JWT_JWKS, so revoking its oct key would refuse them. Move clients off them first: give them the opaque keys ({opaque}): SUPABASE_PUBLISHABLE_KEY (sb_publishable_…) in place of ANON_KEY and SUPABASE_SECRET_KEY (sb_secret_…) in place of SERVICE_ROLE_KEY; the gateway translates them to ANON_KEY_ASYMMETRIC / SERVICE_ROLE_KEY_ASYMMETRIC, which the asymmetric signing key signs. Then remove ANON_KEY and SERVICE_ROLE_KEY from the .env (and from whatever still reads them), and revoke {name}"
        );
    }
    format!(
        "refused: {name} signed {tokens}: every client that sends it would be refused. Promote the signing key again (key promote re-mints ANON_KEY_ASYMMETRIC / SERVICE_ROLE_KEY_ASYMMETRIC) or re-mint them with the signing key, then revoke {name}"
    )
}

/// The `.env` without `key` in `JWT_KEYS` / `JWT_JWKS` and without the records naming it.
fn edit(env: &str, stack: &Stack, key: &StackKey) -> Result<(String, Vec<String>), CoreError> {
    let mut removed = 0;
    let names_key = |line: &str| {
        parse_records(line)
            .ok()
            .and_then(|r| r.first().cloned())
            .is_some_and(|r| {
                stack
                    .matching(&r.key)
                    .iter()
                    .any(|i| stack.keys[*i].thumbprint == key.thumbprint)
            })
    };
    let result = edit_lines(env, |line| {
        for var in ["JWT_KEYS", "JWT_JWKS"] {
            if let Some(mut l) = JsonLine::parse(line, var)? {
                let n = l.keys.len();
                l.keys
                    .retain(|jwk| jwk_thumbprint(jwk).as_deref() != Some(&key.thumbprint));
                if l.keys.len() == n {
                    return Ok(None);
                }
                removed += n - l.keys.len();
                return Ok(Some(vec![l.render()]));
            }
        }
        Ok(names_key(line).then(Vec::new))
    })?;
    if removed == 0 {
        return Err(refuse(format!(
            "{} was not found in the JWT_KEYS / JWT_JWKS lines of the .env: nothing was planned",
            key.name()
        )));
    }
    Ok(result)
}
