//! `supajwt selftest` and `supajwt version`.

use super::UsageError;
use super::out::{Out, note};
use crate::build_info;
use crate::jose::time::{format_utc, human_span};
use crate::selftest::{CheckStatus, SelftestClock, all_passed, clock_advice, run_selftest};
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
        give_time: Some(GIVE_TIME),
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

/// How the command line gives the time instead of the system clock.
const GIVE_TIME: &str = "give the time with --now";

/// How far a `--now` may be from the system clock before it is called out.
const NOW_TOLERANCE_SECS: i64 = 86_400;

/// Prints the clock warning for commands that stamp `iat`/`exp` (keygen, mint), if any.
pub fn warn_if_clock_looks_wrong(given_now: Option<i64>) {
    if let Some(warning) = clock_warning(
        crate::jose::time::system_now(),
        build_info::build_time(),
        given_now,
    ) {
        note(&format!("warning: {warning}"));
    }
}

/// Why the clock looks wrong for issuing tokens, if it does: the system clock is before this
/// binary's build date, or a given `--now` is more than a day from the system clock. Every
/// `iat`/`exp` depends on it.
fn clock_warning(system_now: i64, build_time: i64, given_now: Option<i64>) -> Option<String> {
    if let Some(advice) = clock_advice(system_now, build_time, Some(GIVE_TIME)) {
        return Some(advice);
    }
    let given = given_now?;
    if given.abs_diff(system_now) > NOW_TOLERANCE_SECS.unsigned_abs() {
        let side = if given < system_now {
            "before"
        } else {
            "after"
        };
        return Some(format!(
            "--now ({}) is {} {side} the system clock ({}); check which one is right",
            format_utc(given),
            human_span(given, system_now),
            format_utc(system_now)
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILT: i64 = 1_790_000_000;

    #[test]
    fn a_now_more_than_a_day_off_is_called_out() {
        assert_eq!(clock_warning(BUILT + 10, BUILT, None), None);
        assert_eq!(clock_warning(BUILT + 10, BUILT, Some(BUILT + 86_000)), None);
        let w = clock_warning(BUILT + 10, BUILT, Some(BUILT - 3 * 86_400)).unwrap_or_default();
        assert!(w.contains("3 days") && w.contains("before"), "{w}");
        let w = clock_warning(BUILT - 10, BUILT, Some(BUILT)).unwrap_or_default();
        assert!(w.contains("before this copy was built"), "{w}");
        assert!(
            w.ends_with("— set the clock, or give the time with --now"),
            "{w}"
        );
    }
}
