//! Human renderings of NumericDate values: UTC, local time and "expires in 4 years 11 months".

use jiff::{Timestamp, Unit, tz::TimeZone};

/// `2027-01-09 15:00:00 UTC`.
pub fn format_utc(secs: i64) -> String {
    match Timestamp::from_second(secs) {
        Ok(ts) => ts.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        Err(_) => out_of_range(secs),
    }
}

/// Seconds in an average Gregorian year (365.2425 days).
const SECONDS_PER_YEAR: i64 = 31_556_952;

/// "year 292277026596: out of range", for instants no calendar library represents (the
/// supported range is the years -9999 to 9999).
pub fn out_of_range(secs: i64) -> String {
    let year = i128::from(secs).div_euclid(i128::from(SECONDS_PER_YEAR)) + 1970;
    format!("year {year}: out of range")
}

/// The same instant in the machine's time zone, `2027-01-09 16:00:00 CET`.
pub fn format_local(secs: i64) -> String {
    match Timestamp::from_second(secs) {
        Ok(ts) => ts
            .to_zoned(TimeZone::system())
            .strftime("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
        Err(_) => out_of_range(secs),
    }
}

/// "in 4 years 11 months" / "3 days ago" / "now": the two largest calendar units between
/// `now` and `at`.
pub fn describe_relative(at: i64, now: i64) -> String {
    let span = human_span(at, now);
    if span.is_empty() {
        "now".to_string()
    } else if at > now {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

/// The distance between two instants in the two largest non-zero units, e.g. `3 days 4 hours`.
/// Empty when they are less than a second apart.
pub fn human_span(a: i64, b: i64) -> String {
    let (from, to) = if a <= b { (a, b) } else { (b, a) };
    let (Ok(from), Ok(to)) = (Timestamp::from_second(from), Timestamp::from_second(to)) else {
        return approximate_years(a.abs_diff(b));
    };
    let from = from.to_zoned(TimeZone::UTC);
    let to = to.to_zoned(TimeZone::UTC);
    let Ok(span) = from.until((Unit::Year, &to)) else {
        return approximate_years(a.abs_diff(b));
    };
    let parts = [
        (i64::from(span.get_years()), "year"),
        (i64::from(span.get_months()), "month"),
        (i64::from(span.get_days()), "day"),
        (i64::from(span.get_hours()), "hour"),
        (span.get_minutes(), "minute"),
        (span.get_seconds(), "second"),
    ];
    parts
        .iter()
        .filter(|(n, _)| *n != 0)
        .take(2)
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(" ")
}

/// "about 292277024626 years", for distances beyond the calendar's range.
fn approximate_years(seconds: u64) -> String {
    format!("about {} years", seconds / SECONDS_PER_YEAR.unsigned_abs())
}

/// The current time in seconds since 1970, for the front ends (nothing below them reads the clock).
pub fn system_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_phrases() {
        let now = 1_700_000_000;
        assert_eq!(describe_relative(now - 3 * 86_400, now), "3 days ago");
        assert_eq!(describe_relative(now, now), "now");
        assert_eq!(
            describe_relative(now + 3600 + 120, now),
            "in 1 hour 2 minutes"
        );
        let demo_exp = 1_799_535_600;
        assert_eq!(describe_relative(demo_exp, 1_641_769_200), "in 5 years");
        assert_eq!(
            describe_relative(demo_exp, 1_641_769_200 + 31 * 86_400),
            "in 4 years 11 months"
        );
        assert_eq!(format_utc(1_799_535_600), "2027-01-09 23:00:00 UTC");
    }

    #[test]
    fn numeric_date_extremes_render_without_overflow() {
        assert_eq!(format_utc(i64::MAX), "year 292277026596: out of range");
        assert_eq!(format_local(i64::MAX), "year 292277026596: out of range");
        assert!(format_utc(i64::MIN).starts_with("year -292277"));
        assert_eq!(
            describe_relative(i64::MAX, i64::MIN),
            "in about 584554049253 years"
        );
        assert!(describe_relative(i64::MIN, 1_700_000_000).ends_with("years ago"));
        assert_eq!(format_utc(-86_400), "1969-12-31 00:00:00 UTC");
    }
}
