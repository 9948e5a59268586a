//! The JOSE header rules a verifier must enforce before trusting a signature (RFC 7515 §4,
//! §4.1.11 `crit`, RFC 7797 `b64`), as panva/jose does: enforced, never assumed.

use crate::jose::error::{CoreError, Segment};
use crate::jose::token::{Jws, describe_json};
use serde_json::Value;

/// Header names registered by RFC 7515/7516/7518/7519: `crit` must not list them (RFC 7515
/// §4.1.11: "Producers MUST NOT include Header Parameter names defined by this specification").
pub const REGISTERED_HEADERS: [&str; 15] = [
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "iv",
];

/// Checks the header's structure rules: no duplicate member names, `kid` a string, `crit`
/// well formed and naming nothing (supajwt implements no extension), no `b64: false`.
pub fn check_header(jws: &Jws) -> Result<(), CoreError> {
    if let Some(dup) = jws.duplicate_members(Segment::Header).first() {
        return Err(dup.to_error());
    }
    let header = &jws.header;
    if let Some(kid) = header.get("kid")
        && !kid.is_string()
    {
        return Err(CoreError::HeaderMemberType {
            member: "kid",
            expected: "a string",
            found: describe_json(kid),
        });
    }
    let critical = match header.get("crit") {
        None => Vec::new(),
        Some(crit) => crit_names(crit)?,
    };
    match header.get("b64") {
        None | Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => return Err(CoreError::UnencodedPayload),
        Some(other) => {
            return Err(CoreError::HeaderMemberType {
                member: "b64",
                expected: "a boolean",
                found: describe_json(other),
            });
        }
    }
    if !critical.is_empty() {
        return Err(CoreError::CritUnsupported {
            names: critical
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    Ok(())
}

/// The names `crit` lists, or why it is malformed: it must be a non-empty array of
/// non-empty strings, none of them a registered header name (as panva/jose's `validateCrit`).
fn crit_names(crit: &Value) -> Result<Vec<&str>, CoreError> {
    let malformed = |detail: String| Err(CoreError::CritMalformed { detail });
    let Value::Array(items) = crit else {
        return malformed(format!(
            "it must be an array, found {}",
            describe_json(crit)
        ));
    };
    if items.is_empty() {
        return malformed("it is an empty array (RFC 7515 forbids that)".into());
    }
    let mut names = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::String(s) if s.is_empty() => {
                return malformed("it lists an empty name".into());
            }
            Value::String(s) if REGISTERED_HEADERS.contains(&s.as_str()) => {
                return malformed(format!(
                    "it lists \"{s}\", a registered header that is never an extension"
                ));
            }
            Value::String(s) => names.push(s.as_str()),
            other => {
                return malformed(format!(
                    "it must list names (strings), found {}",
                    describe_json(other)
                ));
            }
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jose::b64;

    fn token(header: &str) -> Jws {
        let h = b64::encode(header.as_bytes());
        Jws::parse_unverified(&format!("{h}.e30.AAAA")).unwrap()
    }

    fn code(header: &str) -> &'static str {
        check_header(&token(header)).map_or_else(|e| e.code(), |()| "ok")
    }

    #[test]
    fn crit_listing_an_extension_is_rejected_naming_it() {
        let e = check_header(&token(r#"{"alg":"HS256","crit":["exp"],"exp":1}"#)).unwrap_err();
        assert_eq!(e.code(), "crit_unsupported");
        assert!(e.to_string().contains("\"exp\""), "{e}");
    }

    #[test]
    fn crit_malformed_is_rejected() {
        for h in [
            r#"{"alg":"HS256","crit":"exp"}"#,
            r#"{"alg":"HS256","crit":[]}"#,
            r#"{"alg":"HS256","crit":[1]}"#,
            r#"{"alg":"HS256","crit":[""]}"#,
            r#"{"alg":"HS256","crit":["alg"]}"#,
            r#"{"alg":"HS256","crit":null}"#,
        ] {
            assert_eq!(code(h), "crit_malformed", "{h}");
        }
    }

    #[test]
    fn b64_false_has_its_own_rejection() {
        assert_eq!(
            code(r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#),
            "unencoded_payload"
        );
        assert_eq!(code(r#"{"alg":"HS256","b64":false}"#), "unencoded_payload");
        assert_eq!(code(r#"{"alg":"HS256","b64":"no"}"#), "header_member_type");
        assert_eq!(code(r#"{"alg":"HS256","b64":true}"#), "ok");
    }

    #[test]
    fn kid_not_a_string_is_a_malformed_header() {
        for h in [
            r#"{"alg":"HS256","kid":7}"#,
            r#"{"alg":"HS256","kid":null}"#,
            r#"{"alg":"HS256","kid":["a"]}"#,
        ] {
            assert_eq!(code(h), "header_member_type", "{h}");
        }
        assert_eq!(code(r#"{"alg":"HS256","kid":"a"}"#), "ok");
    }

    #[test]
    fn duplicate_member_in_header_is_rejected() {
        assert_eq!(
            code(r#"{"alg":"HS256","kid":"a","kid":"b"}"#),
            "duplicate_member"
        );
    }
}
