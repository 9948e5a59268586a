//! Supabase's token presets (anon, service_role, authenticated), their lifetimes and extra
//! claims, minted with [`crate::jose::sign`].

use crate::jose::alg::Alg;
use crate::jose::error::CoreError;
use crate::jose::keys::Key;
use crate::jose::sign::sign_claims;
use jiff::{Timestamp, ToSpan, tz::TimeZone};
use serde_json::{Map, Value, json};

/// The token presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MintRole {
    /// `ANON_KEY`.
    Anon,
    /// `SERVICE_ROLE_KEY`.
    ServiceRole,
    /// A user access token.
    Authenticated,
}

impl MintRole {
    /// The `role` claim.
    pub fn claim(self) -> &'static str {
        match self {
            MintRole::Anon => "anon",
            MintRole::ServiceRole => "service_role",
            MintRole::Authenticated => "authenticated",
        }
    }
}

/// What to put in a new token.
#[derive(Debug, Clone)]
pub struct MintRequest {
    /// The preset.
    pub role: MintRole,
    /// `iss`; default `supabase` (or the hosted Auth URL for user tokens when `project_ref` is set).
    pub issuer: Option<String>,
    /// Hosted project ref (`ref` claim).
    pub project_ref: Option<String>,
    /// User id for `authenticated` (default: a random UUID).
    pub subject: Option<String>,
    /// Lifetime in seconds (see [`parse_expiry`]).
    pub expires_in: Lifetime,
    /// Extra claims; they override the preset's.
    pub extra: Map<String, Value>,
    /// Issue time (seconds since 1970).
    pub now: i64,
}

impl MintRequest {
    /// A preset with the default issuer, no ref, a random subject and no extra claims.
    pub fn preset(role: MintRole, now: i64, expires_in: Lifetime) -> MintRequest {
        MintRequest {
            role,
            issuer: None,
            project_ref: None,
            subject: None,
            expires_in,
            extra: Map::new(),
            now,
        }
    }
}

/// A token lifetime: fixed seconds or calendar years/months/days (so "5y" is 5 calendar years,
/// as Supabase's own key generator does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// Exact seconds.
    Seconds(i64),
    /// Calendar days.
    Days(i64),
    /// Calendar years.
    Years(i64),
}

impl Lifetime {
    /// The expiry instant for a token issued at `now`.
    pub fn expiry(self, now: i64) -> Result<i64, CoreError> {
        let overflow = || CoreError::InvalidOption("the expiry is out of range".into());
        match self {
            Lifetime::Seconds(s) => now.checked_add(s).ok_or_else(overflow),
            Lifetime::Days(d) | Lifetime::Years(d) => {
                let start = Timestamp::from_second(now)
                    .map_err(|_| overflow())?
                    .to_zoned(TimeZone::UTC);
                let span = if let Lifetime::Years(y) = self {
                    y.years()
                } else {
                    d.days()
                };
                let end = start.checked_add(span).map_err(|_| overflow())?;
                Ok(end.timestamp().as_second())
            }
        }
    }
}

/// Parses `1h`, `1d`, `30d`, `1y`, `5y`, `10y`, `90m`, `3600s`, `2w` or bare seconds.
pub fn parse_expiry(text: &str) -> Result<Lifetime, CoreError> {
    let t = text.trim();
    let bad = || {
        CoreError::InvalidOption(format!(
            "expiry \"{t}\" is not like 1h, 1d, 30d, 1y, 5y, 10y or a number of seconds"
        ))
    };
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: i64 = num.parse().map_err(|_| bad())?;
    if n <= 0 || n > 1_000_000_000 {
        return Err(bad());
    }
    Ok(match unit {
        "" | "s" => Lifetime::Seconds(n),
        "m" | "min" => Lifetime::Seconds(n * 60),
        "h" => Lifetime::Seconds(n * 3600),
        "d" => Lifetime::Days(n),
        "w" => Lifetime::Days(n * 7),
        "y" => Lifetime::Years(n),
        _ => return Err(bad()),
    })
}

/// The claims of a preset token, in the order Supabase writes them.
pub fn preset_claims(req: &MintRequest) -> Result<Map<String, Value>, CoreError> {
    let exp = req.expires_in.expiry(req.now)?;
    let mut c = Map::new();
    match req.role {
        MintRole::Anon | MintRole::ServiceRole => {
            c.insert("role".into(), json!(req.role.claim()));
            c.insert(
                "iss".into(),
                json!(req.issuer.clone().unwrap_or_else(|| "supabase".into())),
            );
            if let Some(r) = &req.project_ref {
                c.insert("ref".into(), json!(r));
            }
            c.insert("iat".into(), json!(req.now));
            c.insert("exp".into(), json!(exp));
        }
        MintRole::Authenticated => {
            let iss = req
                .issuer
                .clone()
                .unwrap_or_else(|| match &req.project_ref {
                    Some(r) => format!("https://{r}.supabase.co/auth/v1"),
                    None => "supabase".into(),
                });
            c.insert("iss".into(), json!(iss));
            if let Some(r) = &req.project_ref {
                c.insert("ref".into(), json!(r));
            }
            let sub = req
                .subject
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            c.insert("sub".into(), json!(sub));
            c.insert("aud".into(), json!("authenticated"));
            c.insert("exp".into(), json!(exp));
            c.insert("iat".into(), json!(req.now));
            c.insert("email".into(), json!(""));
            c.insert("phone".into(), json!(""));
            c.insert(
                "app_metadata".into(),
                json!({"provider": "email", "providers": ["email"]}),
            );
            c.insert("user_metadata".into(), json!({}));
            c.insert("role".into(), json!("authenticated"));
            c.insert("aal".into(), json!("aal1"));
            c.insert(
                "amr".into(),
                json!([{"method": "password", "timestamp": req.now}]),
            );
            c.insert("session_id".into(), json!(uuid::Uuid::new_v4().to_string()));
            c.insert("is_anonymous".into(), json!(false));
        }
    }
    for (k, v) in &req.extra {
        c.insert(k.clone(), v.clone());
    }
    Ok(c)
}

/// Parses `--claims` JSON: it must be an object.
pub fn parse_extra_claims(text: &str) -> Result<Map<String, Value>, CoreError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(CoreError::InvalidClaims(
            "extra claims must be a JSON object, like {\"ref\":\"abc\"}".into(),
        )),
        Err(e) => Err(CoreError::InvalidClaims(format!(
            "extra claims are not valid JSON: {e}"
        ))),
    }
}

/// Mints a preset token.
pub fn mint(req: &MintRequest, key: &Key, alg: Option<Alg>) -> Result<String, CoreError> {
    sign_claims(&preset_claims(req)?, key, alg)
}
