//! The lifecycle records a `.env` keeps as comments (compose and upstream's scripts ignore
//! them). The grammar, one record a line, whitespace-separated:
//!
//! ```text
//! # supajwt: key <KEY> signing|standby|previously_used since <RFC 3339 UTC time>
//! # supajwt: key <KEY> stopped signing <RFC 3339 UTC time>
//! ```
//!
//! `<KEY>` is a kid or a prefix of the key's RFC 7638 thumbprint (how the kid-less legacy
//! secret is named). Any other line starting `# supajwt:` is an error naming its line.

use crate::jose::error::CoreError;
use jiff::Timestamp;

/// What a record says happened to a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// `signing since T`.
    Signing,
    /// `standby since T`.
    Standby,
    /// `previously_used since T`.
    PreviouslyUsed,
    /// `stopped signing T`.
    StoppedSigning,
}

/// One `# supajwt: key …` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The kid or thumbprint prefix as written.
    pub key: String,
    /// What happened.
    pub event: Event,
    /// When (seconds since 1970).
    pub at: i64,
    /// The `.env` line (1-based).
    pub line: usize,
}

const PREFIX: &str = "# supajwt:";

/// Every record of a `.env` text, in file order.
pub fn parse_records(env: &str) -> Result<Vec<Record>, CoreError> {
    let mut out = Vec::new();
    for (i, raw) in env.lines().enumerate() {
        let line = raw.trim();
        let Some(rest) = line.strip_prefix(PREFIX) else {
            continue;
        };
        out.push(parse_one(rest, i + 1)?);
    }
    Ok(out)
}

fn parse_one(rest: &str, line: usize) -> Result<Record, CoreError> {
    let bad = |why: &str| {
        CoreError::InvalidOption(format!(
            ".env line {line}: unreadable supajwt record ({why}); write \"# supajwt: key <kid or thumbprint prefix> standby|signing|previously_used since 2026-12-07T10:00:00Z\" or \"# supajwt: key <…> stopped signing <time>\", or delete the line"
        ))
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    let (key, event, time) = match words.as_slice() {
        ["key", key, state, "since", time] => {
            let event = match *state {
                "signing" => Event::Signing,
                "standby" => Event::Standby,
                "previously_used" => Event::PreviouslyUsed,
                other => return Err(bad(&format!("unknown state \"{other}\""))),
            };
            (*key, event, *time)
        }
        ["key", key, "stopped", "signing", time] => (*key, Event::StoppedSigning, *time),
        _ => return Err(bad("not \"key <KEY> <state> since <time>\"")),
    };
    let at = time
        .parse::<Timestamp>()
        .map_err(|e| bad(&format!("\"{time}\" is not an RFC 3339 time: {e}")))?
        .as_second();
    Ok(Record {
        key: key.to_string(),
        event,
        at,
        line,
    })
}

/// The record line for an event (what `add` / `promote` will write).
pub fn format_record(key: &str, event: Event, at: i64) -> String {
    let time = Timestamp::from_second(at).map_or_else(|_| at.to_string(), |t| t.to_string());
    match event {
        Event::StoppedSigning => format!("{PREFIX} key {key} stopped signing {time}"),
        Event::Signing => format!("{PREFIX} key {key} signing since {time}"),
        Event::Standby => format!("{PREFIX} key {key} standby since {time}"),
        Event::PreviouslyUsed => format!("{PREFIX} key {key} previously_used since {time}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_bad_lines_name_their_line() {
        let line = format_record("4f1c", Event::Standby, 1_796_637_600);
        assert_eq!(
            line,
            "# supajwt: key 4f1c standby since 2026-12-07T10:00:00Z"
        );
        let text = format!("A=1\n{line}\n# supajwt: key k1 stopped signing 2026-12-07T11:00:00Z\n");
        let r = parse_records(&text).unwrap();
        assert_eq!(r[0].event, Event::Standby);
        assert_eq!(
            (r[1].event, r[1].at, r[1].line),
            (Event::StoppedSigning, 1_796_641_200, 3)
        );
        let e =
            parse_records("\n# supajwt: key k1 retired since 2026-12-07T10:00:00Z").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        assert!(parse_records("# supajwt: key k1 standby since yesterday").is_err());
    }
}
