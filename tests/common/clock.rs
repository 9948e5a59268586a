//! The fixed clocks: every test reads "now" from one of these instants, never from the
//! system, so dates in expected output never drift.

/// 2026-01-01 00:00:00 UTC: the clock of most tests.
pub const NOW: i64 = 1_767_225_600;

/// [`NOW`] as the command line's `--now` argument.
pub const NOW_ARG: &str = "1767225600";

/// 2026-03-01 00:00:00 UTC: the clock of the tests on upstream's self-hosted stack
/// (`tests/upstream_stack`), after its 2026-02 files.
pub const UPSTREAM_NOW: i64 = 1_772_323_200;

/// 2026-11-22 00:00:00 UTC: the clock of the screenshots.
pub const SCREENSHOT_NOW: i64 = 1_795_305_600;

/// 2026-11-28 14:02:00 UTC: the clock of the validity-headline tests, 1 month 12 days before
/// the demo anon key of `.env.example` expires.
pub const HEADLINE_NOW: i64 = 1_795_874_520;

/// The decimal number `text` spells (digits only), at compile time.
const fn parse_decimal(text: &str) -> i64 {
    let digits = text.as_bytes();
    let mut value = 0;
    let mut i = 0;
    while i < digits.len() {
        assert!(digits[i].is_ascii_digit());
        value = value * 10 + (digits[i] - b'0') as i64;
        i += 1;
    }
    value
}

// NOW_ARG spells NOW: checked when the kit compiles.
const _: () = assert!(parse_decimal(NOW_ARG) == NOW);
