//! `key promote`, planned: `"sign"` moves to the named key, the old signing key's stop time is
//! recorded, and `ANON_KEY_ASYMMETRIC` / `SERVICE_ROLE_KEY_ASYMMETRIC` are re-minted with the
//! new key. Refused until the key has been published for [`super::add::PUBLISH_WAIT`] and while a
//! verifier of the stack would refuse a token it signs.

use super::Stack;
use super::plan::StepPlan;
use crate::jose::error::CoreError;
use crate::supabase::doctor::Config;

/// Plans making the key named `id` the signing key; `force` skips the refusals that `--force`
/// may skip.
pub fn plan_promote(
    env: &str,
    stack: &Stack,
    config: &Config,
    id: &str,
    now: i64,
    force: bool,
) -> Result<StepPlan, CoreError> {
    let _ = (env, config, now, force);
    let key = stack.find(id)?;
    Err(CoreError::InvalidOption(format!(
        "promoting {} is not implemented yet",
        key.name()
    )))
}
