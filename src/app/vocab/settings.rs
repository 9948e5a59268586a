//! The saved settings: theme, last pane, last JWKS URL, clipboard auto-clear. Nothing secret.
//! What is read back from disk is checked field by field ([`Settings::from_stored`]).

use super::pane_id::Pane;
use serde::{Deserialize, Serialize};

/// Light, dark, or what the system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// The only state that is saved between sessions. Nothing secret belongs here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Colour theme.
    pub theme: ThemeChoice,
    /// The pane open at exit.
    pub last_pane: Pane,
    /// The last JWKS URL / project ref fetched (public information).
    pub last_jwks_url: String,
    /// Wipe copied secrets from the clipboard after a while.
    pub clipboard_auto_clear: bool,
    /// After how many seconds.
    pub clipboard_clear_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: ThemeChoice::System,
            last_pane: Pane::Decode,
            last_jwks_url: String::new(),
            clipboard_auto_clear: true,
            clipboard_clear_secs: 60,
        }
    }
}

/// The clipboard countdown's range, in seconds (the Settings menu offers the same).
pub const CLEAR_SECS_RANGE: std::ops::RangeInclusive<u64> = 5..=3600;
/// The longest JWKS URL kept.
const MAX_URL_CHARS: usize = 2048;

/// One field as found on disk, before it is checked: the type the file claims, whatever it is.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
enum Stored {
    /// The field is missing.
    #[default]
    Absent,
    Bool(bool),
    Int(i64),
    /// Above `i64::MAX`.
    UInt(u64),
    /// Text, and the name of an enum variant (`Dark`, `Jwks`).
    Text(String),
    /// Anything else (a float, a list, a map).
    Other(serde::de::IgnoredAny),
    /// A run of digits too long for `u64` (only from [`StoredSettings::field_by_field`]).
    #[serde(skip_deserializing)]
    TooBig,
}

/// The settings file, field by field.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StoredSettings {
    theme: Stored,
    last_pane: Stored,
    last_jwks_url: Stored,
    clipboard_auto_clear: Stored,
    clipboard_clear_secs: Stored,
}

impl StoredSettings {
    /// Reads a record whose whole parse failed (an integer beyond any Rust type, a value RON
    /// cannot lex) one `name:value` pair at a time, so the readable fields survive: a value
    /// that cannot be read on its own becomes [`Stored::Other`] (its field is reset), and a
    /// run of digits too long for `u64` becomes [`Stored::TooBig`] (its field is clamped).
    /// `None` when the text is not a `( … )` record at all.
    fn field_by_field(text: &str) -> Option<StoredSettings> {
        let inner = text
            .trim()
            .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
        let inner = inner.strip_prefix('(')?.strip_suffix(')')?;
        let mut stored = StoredSettings::default();
        for part in split_top_level(inner) {
            let Some((name, value)) = part.split_once(':') else {
                continue;
            };
            let value = value.trim();
            let parsed = ron::from_str::<Stored>(value).unwrap_or_else(|_| {
                if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
                    Stored::TooBig
                } else {
                    Stored::Other(serde::de::IgnoredAny)
                }
            });
            match name.trim() {
                "theme" => stored.theme = parsed,
                "last_pane" => stored.last_pane = parsed,
                "last_jwks_url" => stored.last_jwks_url = parsed,
                "clipboard_auto_clear" => stored.clipboard_auto_clear = parsed,
                "clipboard_clear_secs" => stored.clipboard_clear_secs = parsed,
                _ => {}
            }
        }
        Some(stored)
    }
}

/// Splits `a:1,b:"x,y",c:(1,2)` at the commas outside strings and brackets.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    let (mut in_string, mut escaped) = (false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

impl Settings {
    /// Reads the settings saved by an earlier run (eframe's RON text). Each field is checked on
    /// its own: a bad one (an unknown pane, a float or huge number for the countdown) is reset
    /// or clamped and named in the returned notes, and the other fields are kept. Text that is
    /// not a settings record at all gives the defaults and one note.
    pub fn from_stored(text: &str) -> (Settings, Vec<String>) {
        let Some(stored) = ron::from_str::<StoredSettings>(text)
            .ok()
            .or_else(|| StoredSettings::field_by_field(text))
        else {
            return (
                Settings::default(),
                vec!["the saved settings could not be read; the defaults are used".into()],
            );
        };
        let mut notes = Vec::new();
        let defaults = Settings::default();
        let mut bad = |field: &str, what: String| notes.push(format!("setting {field}: {what}"));
        let theme = match &stored.theme {
            Stored::Absent => defaults.theme,
            Stored::Text(t) if t == "System" => ThemeChoice::System,
            Stored::Text(t) if t == "Light" => ThemeChoice::Light,
            Stored::Text(t) if t == "Dark" => ThemeChoice::Dark,
            _ => {
                bad("theme", "unknown value, reset to System".into());
                defaults.theme
            }
        };
        let last_pane = match &stored.last_pane {
            Stored::Absent => defaults.last_pane,
            Stored::Text(t) => Pane::ALL
                .iter()
                .copied()
                .find(|p| format!("{p:?}") == *t)
                .unwrap_or_else(|| {
                    bad("last_pane", "unknown pane, reset to Decode".into());
                    defaults.last_pane
                }),
            _ => {
                bad("last_pane", "unknown pane, reset to Decode".into());
                defaults.last_pane
            }
        };
        let last_jwks_url = match &stored.last_jwks_url {
            Stored::Absent => defaults.last_jwks_url.clone(),
            Stored::Text(t) if t.chars().count() <= MAX_URL_CHARS => t.clone(),
            _ => {
                bad("last_jwks_url", "not a URL, cleared".into());
                String::new()
            }
        };
        let clipboard_auto_clear = match &stored.clipboard_auto_clear {
            Stored::Absent => defaults.clipboard_auto_clear,
            Stored::Bool(b) => *b,
            _ => {
                bad(
                    "clipboard_auto_clear",
                    "not true/false, reset to true".into(),
                );
                defaults.clipboard_auto_clear
            }
        };
        let (min, max) = (*CLEAR_SECS_RANGE.start(), *CLEAR_SECS_RANGE.end());
        let clipboard_clear_secs = match &stored.clipboard_clear_secs {
            Stored::Absent => defaults.clipboard_clear_secs,
            Stored::Int(n) if CLEAR_SECS_RANGE.contains(&n.unsigned_abs()) && *n > 0 => {
                n.unsigned_abs()
            }
            Stored::UInt(n) => {
                bad(
                    "clipboard_clear_secs",
                    format!("{n} s is outside {min}–{max} s, set to {max} s"),
                );
                max
            }
            Stored::TooBig => {
                bad(
                    "clipboard_clear_secs",
                    format!("a number too large to be a time, set to {max} s"),
                );
                max
            }
            Stored::Int(n) => {
                let clamped = if *n < 0 {
                    min
                } else {
                    n.unsigned_abs().clamp(min, max)
                };
                bad(
                    "clipboard_clear_secs",
                    format!("{n} s is outside {min}–{max} s, set to {clamped} s"),
                );
                clamped
            }
            _ => {
                bad(
                    "clipboard_clear_secs",
                    format!(
                        "not a whole number of seconds, reset to {} s",
                        defaults.clipboard_clear_secs
                    ),
                );
                defaults.clipboard_clear_secs
            }
        };
        let settings = Settings {
            theme,
            last_pane,
            last_jwks_url,
            clipboard_auto_clear,
            clipboard_clear_secs,
        };
        (settings, notes)
    }
}

/// Sets egui's theme from the setting.
pub fn apply_theme(ctx: &egui::Context, theme: ThemeChoice) {
    ctx.set_theme(match theme {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"(theme:Dark,last_pane:Jwks,last_jwks_url:"http://localhost:8000",clipboard_auto_clear:false,clipboard_clear_secs:120)"#;

    #[test]
    fn settings_round_trip_and_healthy_file_has_no_notes() {
        let (s, notes) = Settings::from_stored(GOOD);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(s.theme, ThemeChoice::Dark);
        assert_eq!(s.last_pane, Pane::Jwks);
        assert_eq!(s.clipboard_clear_secs, 120);
        assert!(!s.clipboard_auto_clear);
        let saved = ron::to_string(&Settings::default()).unwrap_or_default();
        assert_eq!(Settings::from_stored(&saved), (Settings::default(), vec![]));
    }

    #[test]
    fn settings_unknown_pane_resets_only_that_field() {
        let (s, notes) = Settings::from_stored(&GOOD.replace("Jwks", "Telemetry"));
        assert_eq!(s.last_pane, Pane::Decode);
        assert_eq!((s.theme, s.clipboard_clear_secs), (ThemeChoice::Dark, 120));
        assert_eq!(s.last_jwks_url, "http://localhost:8000");
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("last_pane"), "{notes:?}");
    }

    #[test]
    fn settings_bad_clipboard_timeout_is_clamped_or_reset() {
        for (value, expected) in [
            ("18446744073709551615", 3600),
            ("9223372036854775807", 3600),
            ("99999999", 3600),
            ("-5", 5),
            ("0", 5),
            ("1.5", 60),
            ("1e300", 60),
            ("\"sixty\"", 60),
            ("[1,2]", 60),
        ] {
            let text = GOOD.replace("120", value);
            let (s, notes) = Settings::from_stored(&text);
            assert_eq!(s.clipboard_clear_secs, expected, "{value}");
            assert_eq!(s.last_pane, Pane::Jwks, "{value}: other fields kept");
            assert_eq!(notes.len(), 1, "{value}: {notes:?}");
            assert!(
                notes[0].contains("clipboard_clear_secs"),
                "{value}: {notes:?}"
            );
        }
    }

    /// Seen in the real window: one integer too long for any Rust type made RON reject the
    /// whole record, so every field was reset. Now only that field is.
    #[test]
    fn settings_integer_beyond_u64_clamps_only_that_field() {
        let text = GOOD.replace("120", "99999999999999999999");
        let (s, notes) = Settings::from_stored(&text);
        assert_eq!(s.clipboard_clear_secs, 3600);
        assert_eq!((s.theme, s.last_pane), (ThemeChoice::Dark, Pane::Jwks));
        assert_eq!(s.last_jwks_url, "http://localhost:8000");
        assert!(!s.clipboard_auto_clear);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("clipboard_clear_secs"), "{notes:?}");
        assert!(notes[0].contains("too large"), "{notes:?}");
        let text = GOOD
            .replace("120", "-99999999999999999999")
            .replace("Jwks", "Nowhere");
        let (s, notes) = Settings::from_stored(&text);
        assert_eq!((s.theme, s.last_pane), (ThemeChoice::Dark, Pane::Decode));
        assert_eq!(s.clipboard_clear_secs, 60);
        assert_eq!(s.last_jwks_url, "http://localhost:8000");
        assert_eq!(notes.len(), 2, "{notes:?}");
        // A comma inside the URL string does not split the record.
        let text = GOOD
            .replace("http://localhost:8000", "http://a,b")
            .replace("120", "99999999999999999999");
        assert_eq!(Settings::from_stored(&text).0.last_jwks_url, "http://a,b");
    }

    #[test]
    fn settings_garbage_gives_defaults_and_a_note() {
        for text in ["", "not ron at all", "(theme:"] {
            let (s, notes) = Settings::from_stored(text);
            assert_eq!(s, Settings::default(), "{text}");
            assert_eq!(notes.len(), 1, "{text}");
        }
        let (s, notes) = Settings::from_stored("(theme:Purple,clipboard_auto_clear:3)");
        assert_eq!(s, Settings::default());
        assert_eq!(notes.len(), 2, "{notes:?}");
    }
}
