//! `--write` and `--format` of the lifecycle steps (`key add`, `promote`, `revoke`): a planned
//! step is printed as a dry run, written to the `.env` in place (`in_place::rewrite`: a backup,
//! a temporary file renamed over it, `0600`), or shown as a Kubernetes Secret as `rotate` shows
//! it.

use super::UsageError;
use super::out::{Out, note};
use crate::in_place::rewrite;
use crate::supabase::doctor::rotate::{RotateFormat, render};
use crate::supabase::lifecycle::plan::StepPlan;
use clap::{Args, ValueEnum};
use std::io::StdoutLock;
use std::path::Path;
use std::process::ExitCode;

// `--write` and `--format`, shared by the lifecycle steps (a plain comment: clap would show a
// doc comment here as their about).
#[derive(Debug, Args)]
#[group(skip)]
pub struct WriteArgs {
    /// Apply the step to the --env file in place: a backup FILE.bak.<UTC time> (0600) first,
    /// then a new file renamed over it, ending 0600 (a symbolic link is kept, its target
    /// rewritten). Refused, with the file untouched and exit 2, when it is read-only, changed
    /// since it was read, or its directory cannot be written. Without --write, nothing is
    /// written.
    #[arg(long)]
    pub write: bool,
    /// What to print. With k8s and --write the .env is written too, and what was written goes
    /// to stderr, so stdout stays the Secret alone.
    #[arg(long, value_enum, default_value_t = PlanFormat::Env, ignore_case = true)]
    pub format: PlanFormat,
}

/// `--format` of a lifecycle step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// The .env diff, the matrix before and after, and the steps.
    Env,
    /// The changed variables only, as a Kubernetes Secret (stringData; the steps as comments),
    /// as `rotate --format k8s` prints them: merge them into the stack's Secret.
    K8s,
}

/// Writes the planned step to `env_path` (which read `old_env`) with `--write`, then prints it:
/// in `env` format the header, the `.env` diff, what `report` prints (the matrices) and the
/// steps; in `k8s` format the Secret alone. Any failure to write exits 2 before anything is
/// printed, the file untouched.
pub fn emit_plan(
    args: &WriteArgs,
    env_path: &Path,
    old_env: &str,
    plan: &StepPlan,
    now: i64,
    report: impl FnOnce(&mut Out<StdoutLock<'static>>),
) -> Result<ExitCode, UsageError> {
    let written = if args.write {
        let done = rewrite(env_path, old_env, &plan.new_env, now).map_err(|e| {
            UsageError::new(format!(
                "{e} (without --write nothing is written: the plan is printed)"
            ))
        })?;
        Some(format!(
            "Wrote {} (0600); its old text is in {}.",
            done.path.display(),
            done.backup.display()
        ))
    } else {
        None
    };
    let mut out = Out::stdout();
    if args.format == PlanFormat::K8s {
        if let Some(w) = written {
            note(&w);
        }
        out.data(render(&plan.rotation(old_env), RotateFormat::K8s).expose());
        return Ok(ExitCode::SUCCESS);
    }
    out.line(written.unwrap_or_else(|| "Dry run: nothing is written; --write applies it.".into()));
    out.blank();
    out.line(".env diff:");
    for line in &plan.diff {
        out.data(line);
        out.data("\n");
    }
    out.blank();
    report(&mut out);
    out.blank();
    out.line("Steps:");
    for (i, step) in plan.steps.iter().enumerate() {
        out.line(format!("  {}. {step}", i + 1));
    }
    Ok(ExitCode::SUCCESS)
}
