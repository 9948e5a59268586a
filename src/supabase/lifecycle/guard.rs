//! The no-regression rule shared by `add`, `promote` and `revoke`: the verdict matrix is computed
//! before the step and after it (the planned `.env` read back as the services would read it),
//! and a step that turns an accepted cell into a refused one for the same token class is
//! refused without `force`, naming the cell. A token class the step removes from the stack (the
//! sessions of a revoked key) is evaluated against the new configuration all the same: sessions
//! that are still live must keep working; once they have expired (the key stopped signing more
//! than `JWT_EXPIRY` ago) the row is gone before the step too, so a revoke at its safe time
//! passes.

use super::matrix::{Matrix, matrix, session_row};
use super::{Stack, read_stack};
use crate::jose::error::CoreError;
use crate::supabase::doctor::Config;

/// The matrices before and after the step whose `.env` is `new_env`, and the configuration and
/// stack it reads back as. A regression is an error unless `force`; then it is listed in
/// `steps`.
pub(super) fn check(
    stack: &Stack,
    config: &Config,
    new_env: &str,
    now: i64,
    force: bool,
    steps: &mut Vec<String>,
) -> Result<(Matrix, Matrix, Config, Stack), CoreError> {
    let unreadable = |e: CoreError| {
        CoreError::InvalidOption(format!(
            "the planned .env does not read back ({e}); nothing was written"
        ))
    };
    let after_config = config.with_env(new_env).map_err(unreadable)?;
    let after_stack = read_stack(new_env, &after_config).map_err(unreadable)?;
    let before = matrix(stack, config, now)?;
    let mut after = matrix(&after_stack, &after_config, now)?;
    for row in &before.rows {
        let Some(first) = row.first() else { continue };
        if after
            .rows
            .iter()
            .any(|r| r.first().map(|c| &c.token) == Some(&first.token))
        {
            continue;
        }
        if !first.token.starts_with("user sessions signed by ") {
            continue;
        }
        let Some(key) = stack.keys.iter().find(|k| Some(k.name()) == first.kid) else {
            continue;
        };
        after.rows.push(session_row(
            &after_config,
            &after.services,
            &first.token,
            key,
            stack.jwt_expiry,
            now,
        )?);
    }
    let lost: Vec<String> = before
        .cells()
        .filter(|c| c.accepted == Some(true))
        .filter_map(|c| {
            after
                .cells()
                .find(|a| a.token == c.token && a.service == c.service)
                .filter(|a| a.accepted == Some(false))
                .map(|a| format!("{} at {}: {}", a.token, a.service, a.reason))
        })
        .collect();
    if !lost.is_empty() {
        if !force {
            return Err(CoreError::InvalidOption(format!(
                "refused: this step turns accepted tokens into refused ones (someone would get a 401): {}. Fix that first, or pass --force to do it anyway",
                lost.join("; ")
            )));
        }
        steps.push(format!(
            "Forced: after this step these tokens, accepted now, are refused: {}.",
            lost.join("; ")
        ));
    }
    Ok((before, after, after_config, after_stack))
}
