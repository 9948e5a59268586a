//! `supajwt selftest` and `supajwt version`.

use super::UsageError;
use crate::build_info;
use crate::core::selftest::{CheckStatus, SelftestClock, all_passed, run_selftest};
use clap::Args;
use serde_json::json;
use std::process::ExitCode;

/// `selftest` arguments.
#[derive(Debug, Args)]
pub struct SelftestArgs {
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `version` arguments.
#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Add the git commit, build date, features, target and crypto crate versions.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Runs `selftest`: exit 0 when every check passed (warnings included), 1 otherwise.
pub fn run(args: &SelftestArgs) -> Result<ExitCode, UsageError> {
    let checks = run_selftest(SelftestClock {
        now: crate::core::system_now(),
        build_time: build_info::build_time(),
    });
    let passed = all_passed(&checks);
    if args.json {
        let out = json!({
            "passed": passed,
            "version": build_info::VERSION,
            "commit": build_info::GIT_COMMIT,
            "checks": checks,
        });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        println!(
            "supajwt {} ({}) self-test",
            build_info::VERSION,
            build_info::GIT_COMMIT
        );
        for c in &checks {
            let mark = match c.status {
                CheckStatus::Pass => "ok  ",
                CheckStatus::Warn => "WARN",
                CheckStatus::Fail => "FAIL",
            };
            println!("{mark}  {}: {}", c.name, c.detail);
        }
        let failed = checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .count();
        if passed {
            println!("all {} checks passed", checks.len());
        } else {
            println!(
                "{failed} of {} checks FAILED: do not use this copy",
                checks.len()
            );
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
    if !args.verbose {
        println!("supajwt {}", build_info::VERSION);
        return Ok(ExitCode::SUCCESS);
    }
    for (name, value) in build_info::verbose_lines() {
        println!("{name}: {value}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the clock warning for commands that stamp `iat`/`exp` (keygen, mint), if any.
pub fn warn_if_clock_looks_wrong(given_now: Option<i64>) {
    if let Some(warning) = crate::core::selftest::clock_warning(
        crate::core::system_now(),
        build_info::build_time(),
        given_now,
    ) {
        eprintln!("warning: {warning}");
    }
}
