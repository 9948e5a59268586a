//! What every lifecycle step (`add`, `promote`, `revoke`) plans before anything is written: the
//! `.env` after it, the changed lines, and the steps to apply it. The CLI prints a plan (dry
//! run) or writes its `new_env`; the window shows it and saves it.

use crate::jose::keys::Key;

/// A planned lifecycle step; nothing is written.
#[derive(Debug, Clone)]
pub struct StepPlan {
    /// The `.env` after the step; every line the step does not change stays byte for byte.
    pub new_env: String,
    /// The changed lines: `-old` / `+new`, in file order.
    pub diff: Vec<String>,
    /// What to do, in order.
    pub steps: Vec<String>,
    /// `add`: the new key (private).
    pub new_key: Option<Key>,
    /// `add`: the earliest time `promote` may make the new key the signing key.
    pub promote_after: Option<i64>,
}
