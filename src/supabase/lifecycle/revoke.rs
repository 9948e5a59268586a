//! `key revoke`, planned: the named key leaves `JWT_KEYS` and `JWT_JWKS`. Refused for the
//! signing key, while a token of the stack is signed by it, and until it stopped signing
//! `JWT_EXPIRY` + 15 minutes ago.

use super::Stack;
use super::plan::StepPlan;
use crate::jose::error::CoreError;
use crate::supabase::doctor::Config;

/// Plans removing the key named `id`; `force` skips the refusals that `--force` may skip.
pub fn plan_revoke(
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
        "revoking {} is not implemented yet",
        key.name()
    )))
}
