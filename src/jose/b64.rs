//! Base64 as JOSE uses it: strict unpadded base64url (RFC 7515 §2) for token segments and
//! JWK members, and a lenient reader for secrets that people paste in any base64 flavour.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// Encodes bytes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes strict base64url: alphabet `A-Z a-z 0-9 - _`, no padding, no whitespace and
/// canonical trailing bits. The error says which character is wrong and where.
pub fn decode_strict(text: &str) -> Result<Vec<u8>, String> {
    if let Some((pos, ch)) = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        let what = match ch {
            '=' => "padding '=' (JWS base64url has no padding)".to_string(),
            '+' | '/' => format!("'{ch}' (standard base64, not base64url)"),
            c if c.is_whitespace() => "whitespace".to_string(),
            c => format!("'{}'", c.escape_default()),
        };
        return Err(format!("{what} at position {pos}"));
    }
    if text.len() % 4 == 1 {
        return Err(format!("length {} is impossible for base64url", text.len()));
    }
    URL_SAFE_NO_PAD.decode(text).map_err(|_| {
        "non-canonical encoding (the unused bits of the last character are not zero)".to_string()
    })
}

/// How a secret given as text was turned into key bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SecretEncoding {
    /// The UTF-8 bytes of the text (what Supabase does with `JWT_SECRET`).
    Text,
    /// Standard base64 (with or without padding).
    Base64,
    /// base64url (with or without padding).
    Base64Url,
    /// Hexadecimal.
    Hex,
}

impl SecretEncoding {
    /// A human name.
    pub fn label(self) -> &'static str {
        match self {
            SecretEncoding::Text => "UTF-8 text",
            SecretEncoding::Base64 => "base64",
            SecretEncoding::Base64Url => "base64url",
            SecretEncoding::Hex => "hex",
        }
    }

    /// Reads `text` in this encoding.
    pub fn decode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            SecretEncoding::Text => Some(text.as_bytes().to_vec()),
            SecretEncoding::Base64 => {
                let t = text.trim_end_matches('=');
                if t.contains(['-', '_']) {
                    return None;
                }
                STANDARD_NO_PAD
                    .decode(t)
                    .ok()
                    .or_else(|| STANDARD.decode(text).ok())
            }
            SecretEncoding::Base64Url => {
                let t = text.trim_end_matches('=');
                if t.contains(['+', '/']) {
                    return None;
                }
                base64::engine::GeneralPurpose::new(
                    &base64::alphabet::URL_SAFE,
                    base64::engine::GeneralPurposeConfig::new()
                        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
                        .with_decode_allow_trailing_bits(true),
                )
                .decode(t)
                .ok()
            }
            SecretEncoding::Hex => decode_hex(text),
        }
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_rejects_padding_plus_and_noncanonical() {
        assert!(decode_strict("Zm9v").is_ok());
        assert!(decode_strict("Zm8=").unwrap_err().contains("padding"));
        assert!(
            decode_strict("a+b/")
                .unwrap_err()
                .contains("standard base64")
        );
        // "Zm9" decodes "fo"; "Zm9=" style trailing bits: 'Zm9' -> ok, 'Zm-' has nonzero bits
        assert!(decode_strict("Zm-").is_err());
        assert!(decode_strict("Z").is_err());
    }

    #[test]
    fn secret_encodings() {
        assert_eq!(SecretEncoding::Hex.decode("00ff"), Some(vec![0, 255]));
        assert_eq!(SecretEncoding::Base64.decode("AP8="), Some(vec![0, 255]));
        assert_eq!(SecretEncoding::Base64Url.decode("AP8"), Some(vec![0, 255]));
        assert_eq!(SecretEncoding::Base64.decode("a-b_"), None);
    }
}
