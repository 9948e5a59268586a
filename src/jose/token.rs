//! Parsing a compact JWS (RFC 7515 §7.1) without verifying it. The name says so:
//! [`Jws::parse_unverified`]; nothing here decides whether a token is trustworthy.

use crate::jose::alg::Alg;
use crate::jose::b64;
use crate::jose::duplicates::{DuplicateMember, duplicate_members};
use crate::jose::error::{CoreError, Segment};
use crate::jose::input::{MAX_INPUT_BYTES, clean_token_input};
use serde_json::{Map, Value};

/// A compact JWS split and decoded, with the exact raw segments kept for verification
/// (never re-serialise: Supabase's demo keys have non-compact JSON payloads).
#[derive(Clone, PartialEq)]
pub struct Jws {
    /// The whole token as given.
    pub compact: String,
    /// Raw base64url header segment.
    pub header_b64: String,
    /// Raw base64url payload segment.
    pub payload_b64: String,
    /// Raw base64url signature segment.
    pub signature_b64: String,
    /// The header JSON object.
    pub header: Map<String, Value>,
    /// The header exactly as decoded (UTF-8 text).
    pub header_text: String,
    /// The payload bytes as decoded.
    pub payload_bytes: Vec<u8>,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// Header and payload only: the signature stays out of logs so a printed token cannot be replayed.
impl std::fmt::Debug for Jws {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jws")
            .field("header", &self.header_text)
            .field("payload", &String::from_utf8_lossy(&self.payload_bytes))
            .field(
                "signature",
                &format_args!("[redacted; {} bytes]", self.signature.len()),
            )
            .finish_non_exhaustive()
    }
}

impl Jws {
    /// Splits and decodes a bare compact token. Strict: base64url without padding, the header a
    /// JSON object. The payload may be any bytes (see [`Jws::claims`]).
    pub fn parse_unverified(compact: &str) -> Result<Jws, CoreError> {
        if compact.len() > MAX_INPUT_BYTES {
            return Err(CoreError::TooLarge {
                size: compact.len(),
                limit: MAX_INPUT_BYTES,
            });
        }
        if compact.is_empty() {
            return Err(CoreError::Empty);
        }
        if compact.trim_start().starts_with('{') {
            return Err(CoreError::JsonSerializationNotSupported);
        }
        let parts: Vec<&str> = compact.split('.').collect();
        match parts.len() {
            3 => {}
            5 => return Err(CoreError::JweNotSupported),
            n => return Err(CoreError::SegmentCount(n)),
        }
        let (h, p, s) = (parts[0], parts[1], parts[2]);
        if h.is_empty() {
            return Err(CoreError::EmptySegment(Segment::Header));
        }
        let header_bytes = decode_segment(h, Segment::Header)?;
        let payload_bytes = decode_segment(p, Segment::Payload)?;
        let signature = decode_segment(s, Segment::Signature)?;
        let header_text = String::from_utf8(header_bytes).map_err(|_| CoreError::Json {
            segment: Segment::Header,
            detail: "not UTF-8 text".into(),
        })?;
        let header = parse_object(&header_text, Segment::Header)?;
        Ok(Jws {
            compact: compact.to_string(),
            header_b64: h.to_string(),
            payload_b64: p.to_string(),
            signature_b64: s.to_string(),
            header,
            header_text,
            payload_bytes,
            signature,
        })
    }

    /// [`clean_token_input`] then [`Jws::parse_unverified`]: what the UI and CLI call on pasted text.
    pub fn parse_pasted_unverified(raw: &str) -> Result<Jws, CoreError> {
        Jws::parse_unverified(&clean_token_input(raw)?.token)
    }

    /// The bytes the signature covers: `header_b64 || '.' || payload_b64`.
    pub fn signing_input(&self) -> Vec<u8> {
        format!("{}.{}", self.header_b64, self.payload_b64).into_bytes()
    }

    /// The header's `alg` string as written.
    pub fn alg_name(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The header's algorithm, parsed: `none` and unknown names are errors.
    pub fn alg(&self) -> Result<Alg, CoreError> {
        match self.header.get("alg") {
            None => Err(CoreError::MissingAlg),
            Some(Value::String(s)) => Alg::parse(s),
            Some(other) => Err(CoreError::ClaimType {
                claim: "alg".into(),
                expected: "a string",
                found: describe_json(other),
            }),
        }
    }

    /// The header's `kid`, if it is a string.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The payload as text, if it is UTF-8.
    pub fn payload_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.payload_bytes).ok()
    }

    /// Member names that occur twice in one object of the header or payload JSON (which
    /// `serde_json` would silently collapse to the last copy).
    pub fn duplicate_members(&self, segment: Segment) -> Vec<DuplicateMember> {
        match segment {
            Segment::Header => duplicate_members(&self.header_text, segment),
            Segment::Payload => self
                .payload_text()
                .map_or_else(Vec::new, |t| duplicate_members(t, segment)),
            Segment::Signature => Vec::new(),
        }
    }

    /// The payload as a JWT claims object.
    pub fn claims(&self) -> Result<Map<String, Value>, CoreError> {
        let text = self.payload_text().ok_or_else(|| CoreError::Json {
            segment: Segment::Payload,
            detail: "not UTF-8 text".into(),
        })?;
        parse_object(text, Segment::Payload)
    }
}

fn decode_segment(text: &str, segment: Segment) -> Result<Vec<u8>, CoreError> {
    b64::decode_strict(text).map_err(|detail| CoreError::Base64 { segment, detail })
}

fn parse_object(text: &str, segment: Segment) -> Result<Map<String, Value>, CoreError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(CoreError::Json {
            segment,
            detail: format!("it is {}", describe_json(&other)),
        }),
        Err(e) => Err(CoreError::Json {
            segment,
            detail: format!("{e}"),
        }),
    }
}

/// "a string \"abc\"", "the number 3", ... for messages about wrong types.
pub fn describe_json(v: &Value) -> String {
    let mut shown = v.to_string();
    if shown.len() > 60 {
        shown = format!("{}...", shown.chars().take(57).collect::<String>());
    }
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => format!("the boolean {shown}"),
        Value::Number(_) => format!("the number {shown}"),
        Value::String(_) => format!("the string {shown}"),
        Value::Array(_) => format!("an array {shown}"),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_point_at_the_segment() {
        let e = Jws::parse_unverified("eyJhbGciOiJIUzI1NiJ9.e30.a+b").unwrap_err();
        assert!(
            matches!(
                e,
                CoreError::Base64 {
                    segment: Segment::Signature,
                    ..
                }
            ),
            "{e}"
        );
        let e = Jws::parse_unverified("bm90anNvbg.e30.").unwrap_err();
        assert!(
            matches!(
                e,
                CoreError::Json {
                    segment: Segment::Header,
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(
            Jws::parse_unverified("a.b.c.d.e"),
            Err(CoreError::JweNotSupported)
        );
        assert_eq!(
            Jws::parse_unverified("abc"),
            Err(CoreError::SegmentCount(1))
        );
    }
}
