//! `supajwt selftest`: the checks a user runs on arrival to trust this copy — known answers
//! for every algorithm, sign-verify with fresh keys, the OS random generator, the clock.
//! The clock is passed in; nothing is printed here.

mod fresh_keys;
mod known_answers;
mod vectors;

use crate::jose::time::{format_utc, human_span};

/// How one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// It passed.
    Pass,
    /// It passed, with something the user should know (a clock that looks wrong).
    Warn,
    /// It failed: this copy must not be trusted.
    Fail,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    /// What was checked.
    pub name: String,
    /// How it ended.
    pub status: CheckStatus,
    /// What was seen, in words.
    pub detail: String,
}

/// What the checks need from outside: the clock and the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelftestClock {
    /// The time the machine reports (seconds since 1970).
    pub now: i64,
    /// When this binary was built (seconds since 1970).
    pub build_time: i64,
    /// How the front end lets the user give the time instead of the system clock, for the
    /// clock warning (the command line's flag); `None` when it has no such way.
    pub give_time: Option<&'static str>,
}

/// Runs every check, in a fixed order.
pub fn run_selftest(clock: SelftestClock) -> Vec<Check> {
    let mut checks = known_answers::known_answer_checks();
    checks.extend(fresh_keys::fresh_key_checks(clock.now));
    checks.push(clock_check(clock));
    checks
}

/// True when no check failed (warnings pass).
pub fn all_passed(checks: &[Check]) -> bool {
    checks.iter().all(|c| c.status != CheckStatus::Fail)
}

/// Runs `f` as the check `name`: `Ok(detail)` passes, `Err(reason)` fails.
fn check(name: &str, f: impl FnOnce() -> Result<String, String>) -> Check {
    let (status, detail) = match f() {
        Ok(detail) => (CheckStatus::Pass, detail),
        Err(reason) => (CheckStatus::Fail, reason),
    };
    Check {
        name: name.to_string(),
        status,
        detail,
    }
}

/// The time the machine reports, with a warning when it is before the build date.
pub fn clock_check(clock: SelftestClock) -> Check {
    let mut detail = format!(
        "the clock reads {}; this copy was built {}",
        format_utc(clock.now),
        format_utc(clock.build_time)
    );
    let status = match clock_advice(clock.now, clock.build_time, clock.give_time) {
        Some(warning) => {
            detail = format!("{detail}: {warning}");
            CheckStatus::Warn
        }
        None => CheckStatus::Pass,
    };
    Check {
        name: "clock".into(),
        status,
        detail,
    }
}

/// The system clock is before this binary's build date, so every `iat`/`exp` it stamps is off.
pub fn clock_before_build(system_now: i64, build_time: i64) -> Option<String> {
    (system_now < build_time).then(|| {
        format!(
            "the system clock ({}) is {} before this copy was built ({}); tokens minted now may be expired or not yet valid elsewhere",
            format_utc(system_now),
            human_span(system_now, build_time),
            format_utc(build_time)
        )
    })
}

/// [`clock_before_build`] with what to do about it: set the clock, or give the time the front
/// end's own way (`give_time`, e.g. the command line's flag), when it has one.
pub fn clock_advice(system_now: i64, build_time: i64, give_time: Option<&str>) -> Option<String> {
    let problem = clock_before_build(system_now, build_time)?;
    Some(match give_time {
        Some(how) => format!("{problem} — set the clock, or {how}"),
        None => format!("{problem} — set the clock"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILT: i64 = 1_790_000_000;

    #[test]
    fn every_check_passes_on_a_healthy_machine() {
        let checks = run_selftest(SelftestClock {
            now: BUILT + 60,
            build_time: BUILT,
            give_time: None,
        });
        let failed: Vec<_> = checks
            .iter()
            .filter(|c| c.status != CheckStatus::Pass)
            .collect();
        assert!(failed.is_empty(), "{failed:#?}");
        assert!(all_passed(&checks));
        // Every algorithm has a known answer and a fresh-key round trip.
        for alg in crate::jose::alg::Alg::ALL {
            assert!(
                checks
                    .iter()
                    .any(|c| c.name.starts_with("sign-verify") && c.detail.contains(alg.name())),
                "no round trip for {}",
                alg.name()
            );
        }
        // Every algorithm keygen offers is generated fresh and declares itself (RS512 too).
        let generated = checks
            .iter()
            .find(|c| c.name == "generate every offered algorithm")
            .map(|c| c.detail.clone())
            .unwrap_or_default();
        for (alg, _) in crate::jose::alg::Alg::generated() {
            assert!(
                generated.contains(alg.name()),
                "{} is not generated: {generated}",
                alg.name()
            );
        }
        let kat_names: Vec<&str> = checks.iter().map(|c| c.name.as_str()).collect();
        for alg in crate::jose::alg::Alg::ALL {
            assert!(
                kat_names
                    .iter()
                    .any(|n| !n.starts_with("sign-verify") && n.contains(alg.name())),
                "no known answer for {}",
                alg.name()
            );
        }
    }

    #[test]
    fn a_clock_before_the_build_date_warns_but_does_not_fail() {
        let c = clock_check(SelftestClock {
            now: BUILT - 40 * 86_400,
            build_time: BUILT,
            give_time: None,
        });
        assert_eq!(c.status, CheckStatus::Warn);
        assert!(c.detail.contains("1 month"), "{}", c.detail);
        assert!(all_passed(&[c]));
        let ok = clock_check(SelftestClock {
            now: BUILT,
            build_time: BUILT,
            give_time: None,
        });
        assert_eq!(ok.status, CheckStatus::Pass);
        assert!(ok.detail.contains("the clock reads"), "{}", ok.detail);
    }

    #[test]
    fn clock_advice_names_the_front_ends_way_only_when_given() {
        assert_eq!(clock_advice(BUILT + 10, BUILT, Some("use X")), None);
        let w = clock_advice(BUILT - 10, BUILT, None).unwrap_or_default();
        assert!(
            w.ends_with("may be expired or not yet valid elsewhere — set the clock"),
            "{w}"
        );
        let w = clock_advice(BUILT - 10, BUILT, Some("use X")).unwrap_or_default();
        assert!(w.ends_with("— set the clock, or use X"), "{w}");
    }

    #[test]
    fn a_failing_check_fails_the_run() {
        let bad = check("x", || Err("broken".into()));
        assert_eq!(bad.status, CheckStatus::Fail);
        assert!(!all_passed(&[bad]));
    }
}
