//! Text from input made safe to show: no control character, no bidirectional override and no
//! line break from a token, key or config file ever reaches a terminal or a label as itself.
//!
//! Every human-readable output (the CLI without `--json`, the window's labels) passes input
//! through [`escape_for_terminal`]; JSON shown to a human goes through [`pretty_json`], which
//! also escapes what serde leaves raw (DEL, C1 controls, bidi controls, line separators).

use serde_json::Value;
use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal or a label as itself: C0 controls (including newline,
/// carriage return, tab and ESC), DEL, C1 controls (U+0080–U+009F), the bidirectional marks,
/// embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)
/// and the Unicode line and paragraph separators (U+2028, U+2029).
pub fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

/// `text` with every character of [`needs_escape`] written as `\u{1b}` (Rust's escape
/// notation). The result is always one line: a newline inside a value is shown as `\u{a}`, so
/// no input can print a line of its own (such as a fake `valid:` verdict). Borrowed when there
/// is nothing to escape.
pub fn escape_for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `value` as indented JSON for a human to read: serde's pretty printing with DEL, C1, bidi and
/// line-separator characters also escaped as `\u0085`-style JSON escapes (serde escapes only C0
/// controls). The result is still valid JSON with the same meaning; line breaks are only the
/// printer's own.
pub fn pretty_json(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    json_escape_invisible(&text).into_owned()
}

/// Escapes, as JSON `\uXXXX`, the characters of [`needs_escape`] that serde leaves raw inside
/// JSON text. Every raw such character in serde's output is inside a string (serde escapes the
/// C0 ones itself), so the JSON keeps its meaning.
pub fn json_escape_invisible(json: &str) -> Cow<'_, str> {
    let raw = |c: char| needs_escape(c) && !matches!(c, '\n' | ' ');
    if !json.chars().any(raw) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_controls_and_bidi() {
        assert_eq!(escape_for_terminal("plain kid"), "plain kid");
        assert!(matches!(escape_for_terminal("ok"), Cow::Borrowed(_)));
        assert_eq!(escape_for_terminal("a\nvalid: true"), "a\\u{a}valid: true");
        assert_eq!(escape_for_terminal("\u{1b}[2J\r"), "\\u{1b}[2J\\u{d}");
        assert_eq!(
            escape_for_terminal("x\u{202e}y\u{2066}"),
            "x\\u{202e}y\\u{2066}"
        );
        assert_eq!(
            escape_for_terminal("\u{85}\u{9b}\u{7f}\t"),
            "\\u{85}\\u{9b}\\u{7f}\\u{9}"
        );
        assert_eq!(escape_for_terminal("é ü 日本"), "é ü 日本");
    }

    #[test]
    fn escape_pretty_json_keeps_meaning() {
        let v = serde_json::json!({"kid": "a\u{85}b\u{202e}c\u{1b}\n", "x\u{2028}": 1});
        let text = pretty_json(&v);
        assert!(
            !text.chars().any(|c| needs_escape(c) && c != '\n'),
            "{text}"
        );
        assert!(text.contains("\\u0085") && text.contains("\\u202e") && text.contains("\\u001b"));
        let back: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, v);
    }
}
