//! `supajwt key promote KEY` and `supajwt key revoke KEY`: the `.env` diff, the verdict matrix
//! before and after, and the steps (written with `--write`); exit 2, with the reason, when the
//! step is refused (too early, a verifier that cannot see the key, a token that would be
//! refused).

use super::UsageError;
use super::io::now_or_system;
use super::key_lifecycle::{StackArgs, load_stack, matrix_table};
use super::key_write::{WriteArgs, emit_plan};
use crate::supabase::lifecycle::plan::StepPlan;
use crate::supabase::lifecycle::promote::plan_promote;
use crate::supabase::lifecycle::revoke::plan_revoke;
use clap::Args;
use std::process::ExitCode;

// `key promote` / `key revoke` arguments (described on the enum variants: clap would show a doc
// comment here instead).
#[derive(Debug, Args)]
pub struct KeyStepArgs {
    /// The key: its kid, or a prefix of the RFC 7638 thumbprint that `key list` prints (how the
    /// kid-less legacy secret is named).
    #[arg(value_name = "KEY")]
    pub key: String,
    #[command(flatten)]
    pub stack: StackArgs,
    /// Do it although it is refused for a reason that --force may skip: too early, a key with
    /// no recorded history, a verifier that would refuse its tokens, or a token that is
    /// accepted now and would be refused after (the steps then list what breaks).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Which step.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// `key promote`.
    Promote,
    /// `key revoke`.
    Revoke,
}

/// Runs `key promote` / `key revoke` (a dry run unless `--write`): exit 0, or 2 when refused
/// or on unusable input.
pub fn run(args: &KeyStepArgs, step: Step) -> Result<ExitCode, UsageError> {
    let (env, config, stack) = load_stack(&args.stack, None)?;
    let now = now_or_system(args.stack.now);
    let plan: StepPlan = match step {
        Step::Promote => plan_promote(&env, &stack, &config, &args.key, now, args.force)?,
        Step::Revoke => plan_revoke(&env, &stack, &config, &args.key, now, args.force)?,
    };
    emit_plan(&args.write, &args.stack.env, &env, &plan, now, |out| {
        let shown = [("Before:", &plan.before), ("After:", &plan.after)]
            .into_iter()
            .filter_map(|(title, m)| m.as_ref().map(|m| (title, m)));
        for (i, (title, m)) in shown.enumerate() {
            if i > 0 {
                out.blank();
            }
            out.line(title);
            matrix_table(out, m);
        }
    })
}
