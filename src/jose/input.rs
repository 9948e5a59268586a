//! Turning what people paste into a bare compact token: `Bearer ...`, `Authorization:` and
//! `apikey:` headers, `ANON_KEY=...` env lines, YAML `KEY: value`, quotes and line breaks.

use crate::jose::error::CoreError;
use crate::jose::secret::RedactedToken;

/// The most input the core reads (256 KiB): far above any real token, small enough to stay fast.
pub const MAX_INPUT_BYTES: usize = 256 * 1024;

/// A token with the wrapping removed, and what was removed.
#[derive(Clone, PartialEq, Eq)]
pub struct CleanedToken {
    /// The bare `header.payload.signature` text.
    pub token: String,
    /// The variable or header name it came with (`ANON_KEY`, `Authorization`), if any.
    pub label: Option<String>,
    /// What was stripped, in plain words (for "I removed ..." notes in the UI).
    pub removed: Vec<String>,
}

impl std::fmt::Debug for CleanedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CleanedToken")
            .field("token", &RedactedToken(&self.token))
            .field("label", &self.label)
            .field("removed", &self.removed)
            .finish()
    }
}

/// Strips the usual wrapping from pasted token text. Checks the size cap; does not decode.
pub fn clean_token_input(raw: &str) -> Result<CleanedToken, CoreError> {
    if raw.len() > MAX_INPUT_BYTES {
        return Err(CoreError::TooLarge {
            size: raw.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let mut removed = Vec::new();
    let mut label = None;
    let mut text = raw.trim_start_matches('\u{feff}').trim().to_string();
    if text.is_empty() {
        return Err(CoreError::Empty);
    }
    if text.starts_with('{') {
        return Err(classify_json(&text));
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    if lines.iter().filter(|l| l.contains(['=', ':'])).count() > 1 {
        let line = lines
            .iter()
            .find(|l| l.contains("eyJ"))
            .ok_or(CoreError::SegmentCount(0))?;
        removed.push("the other lines of the pasted file".to_string());
        text = (*line).to_string();
    }
    if text.contains(['\n', '\r']) {
        text = text.split(['\n', '\r']).map(str::trim).collect::<String>();
        removed.push("line breaks".to_string());
    }
    for _ in 0..4 {
        let before = text.clone();
        text = strip_quotes(&text, &mut removed);
        if let Some((name, rest)) = split_assignment(&text) {
            removed.push(format!("the \"{name}\" prefix"));
            label = Some(name);
            text = rest;
        }
        if let Some(rest) = strip_prefix_ci(&text, "bearer ") {
            removed.push("\"Bearer \"".to_string());
            text = rest.trim_start().to_string();
        }
        if text == before {
            break;
        }
    }
    if text.is_empty() {
        return Err(CoreError::Empty);
    }
    Ok(CleanedToken {
        token: text,
        label,
        removed,
    })
}

fn classify_json(text: &str) -> CoreError {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) if v.get("payload").is_some() || v.get("signatures").is_some() => {
            if v.get("ciphertext").is_some() {
                CoreError::JweNotSupported
            } else {
                CoreError::JsonSerializationNotSupported
            }
        }
        Ok(v) if v.get("ciphertext").is_some() => CoreError::JweNotSupported,
        _ => CoreError::Json {
            segment: crate::jose::error::Segment::Header,
            detail: "this is JSON, not a token (a key? load it as a key instead)".to_string(),
        },
    }
}

fn strip_quotes(text: &str, removed: &mut Vec<String>) -> String {
    let t = text.trim().trim_end_matches([',', ';']).trim();
    for q in ['"', '\'', '`'] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            removed.push("quotes".to_string());
            return t[1..t.len() - 1].trim().to_string();
        }
    }
    t.to_string()
}

/// `NAME=value`, `export NAME=value`, `- NAME=value`, `NAME: value`, `Authorization: ...`.
/// Tokens never contain `=` or `:`, so anything before the first one is a name.
fn split_assignment(text: &str) -> Option<(String, String)> {
    let idx = text.find(['=', ':'])?;
    let head = text[..idx].trim();
    let head = head.strip_prefix("- ").unwrap_or(head).trim();
    let head = head.strip_prefix("export ").unwrap_or(head).trim();
    let head = head.trim_matches(|c| c == '"' || c == '\'');
    let is_name = !head.is_empty()
        && head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if !is_name || head.contains('.') && head.starts_with("eyJ") {
        return None;
    }
    Some((head.to_string(), text[idx + 1..].trim().to_string()))
}

fn strip_prefix_ci(text: &str, prefix: &str) -> Option<String> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text[prefix.len()..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2ln";

    #[test]
    fn strips_common_wrappers() {
        for input in [
            format!("  {T}\n"),
            format!("\"{T}\""),
            format!("Bearer {T}"),
            format!("Authorization: Bearer {T}"),
            format!("authorization: bearer {T}"),
            format!("apikey: {T}"),
            format!("ANON_KEY={T}"),
            format!("export ANON_KEY=\"{T}\""),
            format!("SERVICE_ROLE_KEY: '{T}'"),
            format!("      - SUPABASE_ANON_KEY={T}"),
            format!("{}\n{}", &T[..20], &T[20..]),
        ] {
            assert_eq!(
                clean_token_input(&input).unwrap().token,
                T,
                "input: {input}"
            );
        }
        assert_eq!(
            clean_token_input(&format!("ANON_KEY={T}"))
                .unwrap()
                .label
                .as_deref(),
            Some("ANON_KEY")
        );
    }

    #[test]
    fn refuses_empty_huge_and_json() {
        assert_eq!(clean_token_input("  \n"), Err(CoreError::Empty));
        assert!(matches!(
            clean_token_input(&"a".repeat(MAX_INPUT_BYTES + 1)),
            Err(CoreError::TooLarge { .. })
        ));
        assert_eq!(
            clean_token_input(r#"{"payload":"x","signatures":[]}"#),
            Err(CoreError::JsonSerializationNotSupported)
        );
    }
}
