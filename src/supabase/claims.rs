//! A readable report of a token's claims: times in UTC, local and relative; the Supabase role,
//! issuer and user fields; demo values flagged.

use crate::jose::duplicates::DuplicateMember;
use crate::jose::error::Segment;
use crate::jose::time::{describe_relative, format_local, format_utc};
use crate::jose::token::{Jws, describe_json};
use crate::jose::verify::numeric_date;
use crate::supabase::roles::{CLI_DEMO_SIGNING_KID, Issuer, Role, demo_value};
use serde_json::{Map, Value};

/// How a time claim relates to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeStatus {
    /// `exp` in the past.
    Expired,
    /// `exp` within the next 7 days.
    ExpiresSoon,
    /// `exp` further away.
    Valid,
    /// `nbf` / `iat` in the future.
    InFuture,
    /// A past `nbf` / `iat` / `auth_time`.
    Past,
}

/// One time claim, rendered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TimeClaim {
    /// `exp`, `iat`, `nbf` or `auth_time`.
    pub name: String,
    /// The raw value, or the type error.
    pub value: Result<i64, String>,
    /// `2027-01-09 15:00:00 UTC`.
    pub utc: String,
    /// The machine's local time.
    pub local: String,
    /// "expired 3 days ago", "expires in 4 years 11 months", "issued 2 hours ago".
    pub relative: String,
    /// Status, for colouring.
    pub status: Option<TimeStatus>,
}

/// How serious a note is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Context.
    Info,
    /// Worth attention.
    Warning,
    /// A real problem (demo key in use, unsigned token, ...).
    Danger,
}

/// A labelled line of the report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    /// How serious.
    pub severity: Severity,
    /// The text.
    pub text: String,
}

/// Everything the Decode view shows about the claims.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimsReport {
    /// Time claims, in the order exp, iat, nbf, auth_time (absent ones left out).
    pub times: Vec<TimeClaim>,
    /// Supabase fields as (label, value) rows: role, iss, ref, aud, sub, aal, ...
    pub fields: Vec<(String, String)>,
    /// Explanations and warnings.
    pub notes: Vec<Note>,
    /// Member names repeated in the header or payload JSON, with every copy: shown above the
    /// claims (verify refuses such a token).
    pub duplicates: Vec<DuplicateMember>,
}

const SECONDS_PER_WEEK: i64 = 7 * 86_400;

/// Tokens and API keys expiring within this many seconds (60 days) get a warning: Decode's
/// headline, Mint's re-sign and the Doctor's `api_key_expiring` share it. The Supabase demo
/// keys of `.env.example` expire on 2027-01-09.
pub const EXPIRY_WARNING_SECS: i64 = 60 * 86_400;

/// The one line that goes above everything else about a token: it is expired, not valid yet,
/// or expires within [`EXPIRY_WARNING_SECS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headline {
    /// `exp` is at or before now.
    Expired {
        /// The token's `exp`.
        exp: i64,
        /// The time of the check.
        now: i64,
    },
    /// `nbf` is after now.
    NotYetValid {
        /// The token's `nbf`.
        nbf: i64,
        /// The time of the check.
        now: i64,
    },
    /// `exp` is within [`EXPIRY_WARNING_SECS`].
    ExpiresSoon {
        /// The token's `exp`.
        exp: i64,
        /// The time of the check.
        now: i64,
    },
}

impl Headline {
    /// A stable identifier: `expired`, `not_yet_valid`, `expires_soon`.
    pub fn code(&self) -> &'static str {
        match self {
            Headline::Expired { .. } => "expired",
            Headline::NotYetValid { .. } => "not_yet_valid",
            Headline::ExpiresSoon { .. } => "expires_soon",
        }
    }

    /// How serious: a token that services reject now is [`Severity::Danger`].
    pub fn severity(&self) -> Severity {
        match self {
            Headline::Expired { .. } | Headline::NotYetValid { .. } => Severity::Danger,
            Headline::ExpiresSoon { .. } => Severity::Warning,
        }
    }

    /// "EXPIRED 3 days ago (2026-11-25 14:02:00 UTC)", "NOT YET VALID — starts in 2 hours
    /// (…)", "expires in 1 month 11 days (2027-01-09 23:00:00 UTC): re-mint before then".
    pub fn text(&self) -> String {
        match *self {
            Headline::Expired { exp, now } => format!(
                "EXPIRED {} ({})",
                describe_relative(exp, now),
                format_utc(exp)
            ),
            Headline::NotYetValid { nbf, now } => format!(
                "NOT YET VALID — starts {} ({})",
                describe_relative(nbf, now),
                format_utc(nbf)
            ),
            Headline::ExpiresSoon { exp, now } => format!(
                "expires {} ({}): re-mint before then",
                describe_relative(exp, now),
                format_utc(exp)
            ),
        }
    }
}

/// The headline for a token's claims at `now`, if any: expired first, then not yet valid,
/// then expiring within 60 days. Claims of the wrong type give none (the report names them).
pub fn validity_headline(claims: &Map<String, Value>, now: i64) -> Option<Headline> {
    let exp = numeric_date(claims, "exp").ok().flatten();
    let nbf = numeric_date(claims, "nbf").ok().flatten();
    match (exp, nbf) {
        (Some(exp), _) if exp <= now => Some(Headline::Expired { exp, now }),
        (_, Some(nbf)) if nbf > now => Some(Headline::NotYetValid { nbf, now }),
        (Some(exp), _) if exp.saturating_sub(now) < EXPIRY_WARNING_SECS => {
            Some(Headline::ExpiresSoon { exp, now })
        }
        _ => None,
    }
}

/// Builds the report for a decoded token at time `now`.
pub fn claims_report(jws: &Jws, now: i64) -> ClaimsReport {
    let mut notes = Vec::new();
    let mut duplicates = jws.duplicate_members(Segment::Header);
    duplicates.extend(jws.duplicate_members(Segment::Payload));
    if let Some(what) = demo_value(&jws.compact) {
        notes.push(Note {
            severity: Severity::Danger,
            text: format!("This is {what}. It is public: never use it in a real deployment."),
        });
    }
    match jws.alg_name() {
        Some(a) if a.eq_ignore_ascii_case("none") => notes.push(Note {
            severity: Severity::Danger,
            text: "alg \"none\": the token is unsigned and must never be accepted.".into(),
        }),
        _ => {}
    }
    if jws.kid() == Some(CLI_DEMO_SIGNING_KID) {
        notes.push(Note {
            severity: Severity::Danger,
            text:
                "kid is the Supabase CLI's compiled-in demo signing key: its private key is public."
                    .into(),
        });
    }
    for h in ["jwk", "jku", "x5u", "x5c"] {
        if jws.header.contains_key(h) {
            notes.push(Note {
                severity: Severity::Warning,
                text: format!("the header carries \"{h}\": supajwt never takes keys from the token; verify against your own key."),
            });
        }
    }
    let claims = match jws.claims() {
        Ok(c) => c,
        Err(e) => {
            notes.push(Note {
                severity: Severity::Danger,
                text: e.to_string(),
            });
            return ClaimsReport {
                times: vec![],
                fields: vec![],
                notes,
                duplicates,
            };
        }
    };
    let times: Vec<TimeClaim> = ["exp", "iat", "nbf", "auth_time"]
        .iter()
        .filter_map(|name| time_claim(&claims, name, now))
        .collect();
    for t in &times {
        if let Err(e) = &t.value
            && t.name != "auth_time"
        {
            notes.push(Note {
                severity: Severity::Warning,
                text: format!("{e}: verify rejects this token"),
            });
        }
    }
    let fields = supabase_fields(&claims, &mut notes);
    ClaimsReport {
        times,
        fields,
        notes,
        duplicates,
    }
}

fn time_claim(claims: &Map<String, Value>, name: &str, now: i64) -> Option<TimeClaim> {
    let value = match numeric_date(claims, name) {
        Ok(None) => return None,
        Ok(Some(v)) => v,
        Err(e) => {
            return Some(TimeClaim {
                name: name.into(),
                value: Err(e.to_string()),
                utc: String::new(),
                local: String::new(),
                relative: String::new(),
                status: None,
            });
        }
    };
    let rel = describe_relative(value, now);
    let (relative, status) = match name {
        "exp" if value <= now => (format!("expired {rel}"), TimeStatus::Expired),
        "exp" if value.saturating_sub(now) < SECONDS_PER_WEEK => {
            (format!("expires {rel}"), TimeStatus::ExpiresSoon)
        }
        "exp" => (format!("expires {rel}"), TimeStatus::Valid),
        "nbf" if value > now => (format!("not valid until {rel}"), TimeStatus::InFuture),
        "nbf" => (format!("valid since {rel}"), TimeStatus::Past),
        _ if value > now => (format!("{rel} (in the future!)"), TimeStatus::InFuture),
        _ => (rel, TimeStatus::Past),
    };
    Some(TimeClaim {
        name: name.into(),
        value: Ok(value),
        utc: format_utc(value),
        local: format_local(value),
        relative,
        status: Some(status),
    })
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn supabase_fields(claims: &Map<String, Value>, notes: &mut Vec<Note>) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    match claims.get("role") {
        Some(Value::String(r)) => {
            let role = Role::parse(r);
            let severity = if role == Role::ServiceRole { Severity::Warning } else { Severity::Info };
            notes.push(Note { severity, text: role.explain() });
            fields.push(("role".into(), r.clone()));
        }
        Some(other) => notes.push(Note {
            severity: Severity::Danger,
            text: format!("claim \"role\" must be a string, found {}", describe_json(other)),
        }),
        None => notes.push(Note {
            severity: Severity::Warning,
            text: "no \"role\" claim: PostgREST will use its anonymous role, Realtime rejects the token (\"Fields `role` and `exp` are required in JWT\").".into(),
        }),
    }
    if let Some(iss) = claims.get("iss") {
        let iss_text = text_of(iss);
        let issuer = Issuer::parse(&iss_text);
        let severity = if issuer == Issuer::Demo {
            Severity::Danger
        } else {
            Severity::Info
        };
        notes.push(Note {
            severity,
            text: format!("iss {}", issuer.explain()),
        });
        fields.push(("iss".into(), iss_text));
    }
    for name in [
        "ref",
        "aud",
        "sub",
        "email",
        "phone",
        "aal",
        "session_id",
        "is_anonymous",
    ] {
        if let Some(v) = claims.get(name) {
            fields.push((name.into(), text_of(v)));
        }
    }
    if let Some(Value::Array(amr)) = claims.get("amr") {
        let methods: Vec<String> = amr
            .iter()
            .map(|e| e.get("method").map_or_else(|| text_of(e), text_of))
            .collect();
        fields.push(("amr".into(), methods.join(", ")));
    }
    if claims.get("is_anonymous") == Some(&Value::Bool(true)) {
        notes.push(Note {
            severity: Severity::Info,
            text: "is_anonymous: an anonymous sign-in user (role authenticated, no email/phone)."
                .into(),
        });
    }
    if !claims.contains_key("exp") {
        notes.push(Note {
            severity: Severity::Warning,
            text: "no \"exp\": the token never expires.".into(),
        });
    }
    fields
}
