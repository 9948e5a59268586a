//! What every lifecycle step (`add`, `promote`, `revoke`) plans before anything is written: the
//! `.env` after it, the changed lines, and the steps to apply it. The CLI prints a plan (dry
//! run) or writes its `new_env`; the window shows it and saves it.

use crate::jose::keys::Key;
use crate::supabase::doctor::dotenv::parse_env;
use crate::supabase::doctor::rotate::Rotation;

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

impl StepPlan {
    /// The variables the step changes, as `rotate` shows them (for a Kubernetes Secret):
    /// `(name, old value, new value)` as docker compose reads them, in the new `.env`'s order,
    /// with the plan's steps. A variable the step removes has no new value and is not listed.
    pub fn rotation(&self, old_env: &str) -> Rotation {
        let (old, new) = (parse_env(old_env), parse_env(&self.new_env));
        let mut changes: Vec<(String, Option<String>, String)> = Vec::new();
        for var in &new.vars {
            if changes.iter().any(|(name, _, _)| *name == var.name) {
                continue;
            }
            let now = new.get(&var.name).map_or("", |v| v.value.as_str());
            let before = old.get(&var.name).map(|v| v.value.clone());
            if before.as_deref() != Some(now) {
                changes.push((var.name.clone(), before, now.to_string()));
            }
        }
        Rotation {
            changes,
            steps: self.steps.clone(),
        }
    }
}
