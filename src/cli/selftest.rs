//! `supajwt selftest` and `supajwt version`.

use super::UsageError;
use super::out::{Out, note};
use crate::build_info;
use crate::selftest::{CheckStatus, SelftestClock, all_passed, run_selftest};
use clap::Args;
use serde_json::json;
use std::process::ExitCode;

// `selftest` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct SelftestArgs {
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
}

// `version` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Add the git commit, build date, features, target and crypto crate versions.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Runs `selftest`: exit 0 when every check passed (warnings included), 1 otherwise.
pub fn run(args: &SelftestArgs) -> Result<ExitCode, UsageError> {
    let checks = run_selftest(SelftestClock {
        now: crate::jose::time::system_now(),
        build_time: build_info::build_time(),
    });
    let passed = all_passed(&checks);
    let mut out = Out::stdout();
    if args.json {
        let report = json!({
            "passed": passed,
            "version": build_info::VERSION,
            "commit": build_info::GIT_COMMIT,
            "checks": checks,
        });
        out.json(&serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        out.line(format!(
            "supajwt {} ({}) self-test",
            build_info::VERSION,
            build_info::GIT_COMMIT
        ));
        for c in &checks {
            let mark = match c.status {
                CheckStatus::Pass => "ok  ",
                CheckStatus::Warn => "WARN",
                CheckStatus::Fail => "FAIL",
            };
            out.line(format!("{mark}  {}: {}", c.name, c.detail));
        }
        let failed = checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .count();
        if passed {
            out.line(format!("all {} checks passed", checks.len()));
        } else {
            out.line(format!(
                "{failed} of {} checks FAILED: do not use this copy",
                checks.len()
            ));
        }
    }
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Runs `version`.
pub fn run_version(args: &VersionArgs) -> Result<ExitCode, UsageError> {
    let mut out = Out::stdout();
    if !args.verbose {
        out.line(format!("supajwt {}", build_info::VERSION));
        return Ok(ExitCode::SUCCESS);
    }
    for (name, value) in build_info::verbose_lines() {
        out.line(format!("{name}: {value}"));
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the clock warning for commands that stamp `iat`/`exp` (keygen, mint), if any.
pub fn warn_if_clock_looks_wrong(given_now: Option<i64>) {
    if let Some(warning) = crate::selftest::clock_warning(
        crate::jose::time::system_now(),
        build_info::build_time(),
        given_now,
    ) {
        note(&format!("warning: {warning}"));
    }
}
