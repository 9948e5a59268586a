//! A token the Mint pane made (minted or re-signed): its text in a zeroizing string, and what
//! its own claims say — the copy label and whether it is secret come from the token's actual
//! `role` claim (extra claims can override the preset's), never from the preset.

use crate::jose::secret::SecretString;
use crate::jose::time::{describe_relative, format_utc};
use crate::jose::token::Jws;
use crate::jose::verify::numeric_date;
use crate::supabase::claims::EXPIRY_WARNING_SECS;
use serde_json::{Map, Value};

/// The input a mint or re-sign error belongs to (it is shown next to it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// No key yet: a hint, not an error.
    NeedsKey,
    /// The signing secret or ring key.
    Key,
    /// The signing secret is a public demo value: refused unless allowed for local testing.
    DemoSecret,
    /// The custom expiry.
    Expiry,
    /// The extra claims JSON.
    Extra,
    /// The token to re-sign.
    Token,
    /// Signing itself.
    Output,
}

/// Why there is no token, and where to look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The input at fault.
    pub field: Field,
    /// What is wrong.
    pub message: String,
}

/// A [`FieldError`] for `field`.
pub fn fail(field: Field, e: impl ToString) -> FieldError {
    FieldError {
        field,
        message: e.to_string(),
    }
}

/// What a mint or re-sign gives.
pub type Outcome = Option<Result<Minted, FieldError>>;

/// A minted or re-signed token.
pub struct Minted {
    /// The compact token (wiped on drop).
    pub token: SecretString,
    /// Its `role` claim, when it is a string.
    pub role: Option<String>,
    /// Its payload, when readable.
    pub claims: Option<Value>,
}

impl Minted {
    /// Reads the role and payload of a token just made.
    pub fn new(token: String) -> Minted {
        let claims = Jws::parse_unverified(&token).and_then(|j| j.claims()).ok();
        let role = claims
            .as_ref()
            .and_then(|c| c.get("role"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Minted {
            token: SecretString::new(token),
            role,
            claims: claims.map(Value::Object),
        }
    }

    /// Secret unless its role is exactly `anon` (the one role meant to be public): a
    /// service_role token bypasses RLS, a user token acts as that user, and any other role is
    /// a database role nobody should paste in the open.
    pub fn is_secret(&self) -> bool {
        self.role.as_deref() != Some("anon")
    }

    /// The variable this token is usually stored as, from its actual role.
    pub fn env_name(&self) -> Option<&'static str> {
        match self.role.as_deref()? {
            "anon" => Some("ANON_KEY"),
            "service_role" => Some("SERVICE_ROLE_KEY"),
            "authenticated" => Some("USER_ACCESS_TOKEN"),
            _ => None,
        }
    }

    /// What the output says about a role that has no usual variable (or no role at all).
    pub fn role_note(&self) -> Option<String> {
        if self.env_name().is_some() {
            return None;
        }
        Some(match &self.role {
            Some(role) => format!(
                "role \"{role}\" (from the extra claims) is not anon, service_role or authenticated: treated as secret"
            ),
            None => "this token has no string \"role\" claim: treated as secret".into(),
        })
    }
}

/// Why re-signing this payload will not give a long-lived key: re-signing keeps `exp`.
pub fn resign_expiry_warning(claims: &Map<String, Value>, now: i64) -> Option<String> {
    let exp = numeric_date(claims, "exp").ok()??;
    let when = format!("{} ({})", describe_relative(exp, now), format_utc(exp));
    if exp <= now {
        Some(format!(
            "re-signing keeps exp: this token expired {when}, so the re-signed one is expired too — mint a new one above instead"
        ))
    } else if exp.saturating_sub(now) < EXPIRY_WARNING_SECS {
        Some(format!(
            "re-signing keeps exp: this token expires {when} — mint a new one above for a longer life"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn resign_warns_for_expired_and_soon_expiring_tokens_only() {
        let now = 1_767_225_600;
        let expired = resign_expiry_warning(&claims(json!({"exp": now - 3 * 86_400})), now);
        assert!(expired.is_some_and(|w| w.contains("expired 3 days ago")));
        let soon = resign_expiry_warning(&claims(json!({"exp": now + 20 * 86_400})), now);
        assert!(soon.is_some_and(|w| w.contains("expires in 20 days")));
        assert!(resign_expiry_warning(&claims(json!({"exp": now + 400 * 86_400})), now).is_none());
        assert!(resign_expiry_warning(&claims(json!({"role": "anon"})), now).is_none());
    }
}
