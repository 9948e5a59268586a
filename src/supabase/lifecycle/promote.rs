//! `key promote`, planned: `"sign"` moves to the named key, the old signing key's stop time is
//! recorded, and `ANON_KEY_ASYMMETRIC` / `SERVICE_ROLE_KEY_ASYMMETRIC` are re-minted with the
//! new key. Refused until the key has been published for [`super::add::PUBLISH_WAIT`] and while a
//! verifier of the stack would refuse a token it signs.

use super::add::PUBLISH_WAIT;
use super::matrix::{columns, session_row};
use super::plan::{JsonLine, StepPlan, edit_lines, jwk_thumbprint};
use super::records::{Event, format_record};
use super::{KeyState, Stack, StackKey, bare, guard};
use crate::jose::error::CoreError;
use crate::jose::time::{describe_relative, format_utc};
use crate::supabase::doctor::Config;
use crate::supabase::doctor::rotate::{column_service, service_step};
use crate::supabase::mint::{Lifetime, MintRequest, MintRole, mint};
use serde_json::json;

fn refuse(why: String) -> CoreError {
    CoreError::InvalidOption(why)
}

/// Plans making the key named `id` the signing key; `force` skips the refusals that `--force`
/// may skip (the publish wait, a key with no history, a verifier that would refuse its tokens,
/// and the no-regression rule), never those that would stop GoTrue from signing.
pub fn plan_promote(
    env: &str,
    stack: &Stack,
    config: &Config,
    id: &str,
    now: i64,
    force: bool,
) -> Result<StepPlan, CoreError> {
    let key = stack.find(id)?;
    let name = key.name();
    let old = stack.signing().ok_or_else(|| {
        refuse(
            "the .env has no signing key to take over from (no JWT_KEYS key has \"sign\")".into(),
        )
    })?;
    if key.thumbprint == old.thumbprint {
        return Err(refuse(format!(
            "{name} is already the signing key: nothing to promote"
        )));
    }
    if key.key.kty() == "oct" {
        return Err(refuse(format!(
            "{name} is a shared secret (oct): promote makes an asymmetric key the signing key; to sign with the legacy secret again, restore the .env backup"
        )));
    }
    if !key.held_in.contains(&"JWT_KEYS") || !key.key.has_private() {
        return Err(refuse(format!(
            "{name} is not in JWT_KEYS with its private part (it is in {}): GoTrue can sign only with a key of JWT_KEYS; add it with key add",
            key.held_in.join(", ")
        )));
    }
    if let Some(methods) = config.valid_methods()
        && !methods.split(',').any(|m| m.trim() == key.alg)
    {
        return Err(refuse(format!(
            "the auth service sets GOTRUE_JWT_VALID_METHODS={methods}, without {}: GoTrue would refuse every token it signs with {name}; add {} to it first",
            key.alg, key.alg
        )));
    }
    let mut steps = Vec::new();
    let mut skipped = Vec::new();
    match (key.state, key.since) {
        (KeyState::Standby, Some(since)) if now < since.saturating_add(PUBLISH_WAIT) => {
            let at = since.saturating_add(PUBLISH_WAIT);
            let why = format!(
                "{name} has been published only since {} and clients cache the JWKS for up to 20 minutes (GoTrue's max-age=600 plus the client cache): promote it at {} ({})",
                format_utc(since),
                format_utc(at),
                describe_relative(at, now)
            );
            if !force {
                return Err(refuse(format!("refused: {why}")));
            }
            skipped.push(why);
        }
        (KeyState::VerifyOnly, _) => {
            let why = format!(
                "{name} is verify-only with no record of when it was published, so the time it has been visible to clients is unknown"
            );
            if !force {
                return Err(refuse(format!(
                    "refused: {why}; pass --force if it has been in JWT_JWKS for 20 minutes or more"
                )));
            }
            skipped.push(why);
        }
        _ => {}
    }
    let services = columns(config);
    let label = format!("user sessions signed by {name}");
    let row = session_row(config, &services, &label, key, stack.jwt_expiry, now)?;
    let refused: Vec<String> = row
        .iter()
        .filter(|c| c.accepted == Some(false))
        .map(|c| {
            let fix = column_service(c.service)
                .and_then(|s| service_step(config, s))
                .map_or_else(String::new, |f| format!(" (fix: {f})"));
            format!("{}: {}{fix}", c.service, c.reason)
        })
        .collect();
    if !refused.is_empty() {
        let wiring = if config.compose.is_some() {
            ""
        } else {
            " (no compose file given: upstream's wiring assumed; give --compose to check each service's real variables)"
        };
        let why = format!(
            "not every verifier accepts a token signed by {name} yet{wiring}: {}",
            refused.join("; ")
        );
        if !force {
            return Err(refuse(format!("refused: {why}")));
        }
        skipped.push(why);
    }
    let (new_env, diff) = edit(env, stack, key, old, now)?;
    if !skipped.is_empty() {
        steps.push(format!("Forced past: {}.", skipped.join("; ")));
    }
    steps.extend(step_texts(key, old, stack, now, config));
    let revoke_after = now
        .saturating_add(stack.jwt_expiry)
        .saturating_add(super::revoke::REVOKE_MARGIN);
    let (before, after, _, _) = guard::check(stack, config, &new_env, now, force, &mut steps)?;
    Ok(StepPlan {
        new_env,
        diff,
        steps,
        new_key: None,
        promote_after: None,
        revoke_after: Some(revoke_after),
        before: Some(before),
        after: Some(after),
    })
}

/// The `.env` with `"sign"` moved from `old` to `key`, the two records written before
/// `JWT_KEYS`, and the `*_ASYMMETRIC` lines re-minted.
fn edit(
    env: &str,
    stack: &Stack,
    key: &StackKey,
    old: &StackKey,
    now: i64,
) -> Result<(String, Vec<String>), CoreError> {
    let records = [
        format_record(&old.name(), Event::StoppedSigning, now),
        format_record(&key.name(), Event::Signing, now),
    ];
    let signer = bare(&key.key);
    let mint_for = |role| {
        mint(
            &MintRequest::preset(role, now, Lifetime::Years(5)),
            &signer,
            None,
        )
    };
    let mut moved = false;
    let (env, diff) = edit_lines(env, |line| {
        if let Some(mut l) = JsonLine::parse(line, "JWT_KEYS")? {
            for jwk in &mut l.keys {
                let print = jwk_thumbprint(jwk);
                if print.as_deref() == Some(&key.thumbprint) {
                    jwk["key_ops"] = json!(["sign", "verify"]);
                    moved = true;
                } else if print.as_deref() == Some(&old.thumbprint) {
                    jwk["key_ops"] = json!(["verify"]);
                }
            }
            let mut lines: Vec<String> = records.to_vec();
            lines.push(l.render());
            return Ok(Some(lines));
        }
        for (var, role) in [
            ("ANON_KEY_ASYMMETRIC", MintRole::Anon),
            ("SERVICE_ROLE_KEY_ASYMMETRIC", MintRole::ServiceRole),
        ] {
            if line.strip_prefix(var).is_some_and(|r| r.starts_with('=')) {
                return Ok(Some(vec![format!("{var}={}", mint_for(role)?)]));
            }
        }
        Ok(None)
    })?;
    if !moved {
        return Err(refuse(format!(
            "the JWT_KEYS line of the .env does not hold {} (the key was read from {}): nothing was planned",
            key.name(),
            stack
                .keys
                .iter()
                .find(|k| k.thumbprint == key.thumbprint)
                .map_or("elsewhere".into(), |k| k.held_in.join(", "))
        )));
    }
    Ok((env, diff))
}

fn step_texts(
    key: &StackKey,
    old: &StackKey,
    stack: &Stack,
    now: i64,
    config: &Config,
) -> Vec<String> {
    let (name, old_name) = (key.name(), old.name());
    let revoke_at = now
        .saturating_add(stack.jwt_expiry)
        .saturating_add(super::revoke::REVOKE_MARGIN);
    let asym = STACK_ASYM
        .iter()
        .filter(|v| config.vars.contains_key(**v))
        .copied()
        .collect::<Vec<_>>();
    let mut steps = vec![format!(
        "Recreate auth so GoTrue signs new sessions with {name}: docker compose up -d --force-recreate auth. {old_name} keeps \"verify\": sessions it signed stay valid until they expire."
    )];
    if !asym.is_empty() {
        steps.push(format!(
            "{} are re-minted with {name} (role, iss \"supabase\", five years, as add-new-auth-keys.sh mints them): recreate the gateway so its sb_ key translation uses them (docker compose up -d --force-recreate kong, or api-gw with Envoy), and give them to any client that uses them directly. ANON_KEY, SERVICE_ROLE_KEY and the sb_ keys do not change.",
            asym.join(" and ")
        ));
    }
    steps.push(format!(
        "Revoke {old_name} (supajwt key revoke {old_name}) not before {}: JWT_EXPIRY ({} s) plus 15 minutes after it stopped signing.",
        format_utc(revoke_at),
        stack.jwt_expiry
    ));
    steps
}

const STACK_ASYM: [&str; 2] = ["ANON_KEY_ASYMMETRIC", "SERVICE_ROLE_KEY_ASYMMETRIC"];
