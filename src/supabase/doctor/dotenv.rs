//! `.env` files read the way docker compose v2 reads them (compose-go `dotenv`): `KEY=VALUE`,
//! `KEY: VALUE`, `export KEY=VALUE`, `#` comments; single quotes literal (`\'` escapes a
//! quote), double quotes with backslash escapes, both may span lines; unquoted values end at the
//! line, with an inline comment after ` #`. Unquoted and double-quoted values are then
//! interpolated against the variables defined above them (`$$` and `\$` give a `$`), so a `$`
//! in a secret changes what the services receive. Raw values are kept for whitespace / CR /
//! quote checks.

use super::interpolate::{MAX_RENDERED_BYTES, interpolate};
use crate::jose::secret::Redacted;
use std::collections::HashMap;

/// How a value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// No quotes: interpolated, inline ` #` comment cut.
    Unquoted,
    /// `'…'`: literal.
    Single,
    /// `"…"`: escapes, then interpolated.
    Double,
}

/// One variable of an `.env` file. `Debug` hides the values.
#[derive(Clone, PartialEq, Eq)]
pub struct EnvVar {
    /// Name.
    pub name: String,
    /// The value as docker compose sees it (after unquoting and interpolation).
    pub value: String,
    /// The text after `=` exactly as written (first line only for multi-line values).
    pub raw: String,
    /// The value after unquoting, before interpolation.
    pub literal: String,
    /// How it was quoted.
    pub quoting: Quoting,
    /// 1-based line number.
    pub line: usize,
}

/// A parsed `.env` file (later assignments win, as in compose). `Debug` hides the values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct EnvFile {
    /// Variables in file order.
    pub vars: Vec<EnvVar>,
    /// Lines that are not assignments: (line, text).
    pub unparsed: Vec<(usize, String)>,
    /// The variable whose value grew past 1 MiB, or made the file's values pass 16 MiB, when
    /// interpolation did (`A=$B$B$B…` over `B=$C$C$C…`): parsing stopped there.
    pub too_large: Option<String>,
}

impl std::fmt::Debug for EnvVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvVar")
            .field("name", &self.name)
            .field("value", &Redacted(&self.value))
            .field("raw", &Redacted(&self.raw))
            .field("quoting", &self.quoting)
            .field("line", &self.line)
            .finish()
    }
}

impl std::fmt::Debug for EnvFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unparsed: Vec<_> = self
            .unparsed
            .iter()
            .map(|(line, text)| (line, Redacted(text)))
            .collect();
        f.debug_struct("EnvFile")
            .field("vars", &self.vars)
            .field("unparsed", &unparsed)
            .finish()
    }
}

impl EnvFile {
    /// The last assignment of `name`.
    pub fn get(&self, name: &str) -> Option<&EnvVar> {
        self.vars.iter().rev().find(|v| v.name == name)
    }

    /// The value of `name`, if set and not empty.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.get(name)
            .map(|v| v.value.as_str())
            .filter(|v| !v.is_empty())
    }
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']')
}

/// Parses `.env` text.
pub fn parse_env(text: &str) -> EnvFile {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut file = EnvFile::default();
    let mut defined: HashMap<String, String> = HashMap::new();
    let mut i = 0;
    let mut total = 0usize;
    while i < lines.len() {
        let line_no = i + 1;
        let line = lines[i];
        i += 1;
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let t = t.strip_prefix("export ").map_or(t, str::trim_start);
        let Some(sep) = t.find(['=', ':']) else {
            file.unparsed.push((line_no, line.to_string()));
            continue;
        };
        let name = t[..sep].trim();
        if name.is_empty() || !name.chars().all(is_key_char) {
            file.unparsed.push((line_no, line.to_string()));
            continue;
        }
        let raw = t[sep + 1..].to_string();
        let rest = raw.trim_start();
        let (literal, quoting) = match rest.chars().next() {
            Some(q @ ('\'' | '"')) => {
                let mut body = rest[1..].to_string();
                let closed = loop {
                    if let Some(end) = closing_quote(&body, q) {
                        body.truncate(end);
                        break true;
                    }
                    if i >= lines.len() {
                        break false;
                    }
                    body.push('\n');
                    body.push_str(lines[i]);
                    i += 1;
                };
                if !closed {
                    file.unparsed.push((line_no, line.to_string()));
                    continue;
                }
                if q == '\'' {
                    (unescape_quote(&body, '\''), Quoting::Single)
                } else {
                    (unescape_double(&body), Quoting::Double)
                }
            }
            _ => {
                let cut = rest.find(" #").unwrap_or(rest.len());
                (rest[..cut].trim_end().to_string(), Quoting::Unquoted)
            }
        };
        let value = if quoting == Quoting::Single {
            literal.clone()
        } else {
            let done = interpolate(&literal, &|n| defined.get(n).cloned());
            total += done.value.len();
            if done.too_large || total > MAX_RENDERED_BYTES {
                file.too_large = Some(name.to_string());
                break;
            }
            done.value
        };
        defined.insert(name.to_string(), value.clone());
        file.vars.push(EnvVar {
            name: name.to_string(),
            value,
            raw,
            literal,
            quoting,
            line: line_no,
        });
    }
    file
}

/// The byte index of the first quote `q` in `body` not preceded by a backslash escape.
fn closing_quote(body: &str, q: char) -> Option<usize> {
    let mut escaped = false;
    for (k, c) in body.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == q {
            return Some(k);
        }
    }
    None
}

/// Single quotes: `\'` is a quote, any other backslash stays.
fn unescape_quote(body: &str, q: char) -> String {
    body.replace(&format!("\\{q}"), &q.to_string())
}

/// Double quotes: `\n`, `\t`, `\r`, `\\`, `\"` and the other Go escapes; `\$` becomes `$$` so
/// interpolation leaves a literal `$`; unknown escapes stay as written.
fn unescape_double(body: &str) -> String {
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('$') => out.push_str("$$"),
            Some(e @ ('\\' | '"' | '\'')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_compose() {
        let f = parse_env(
            "# c\nA=1\nexport B = 'x # y'\nC=\"q\\\"z\" # c\nD=plain # comment\nE=crlf\r\nbroken line\nF: yaml\nG=a#b\n",
        );
        assert_eq!(f.value("A"), Some("1"));
        assert_eq!(f.value("B"), Some("x # y"));
        assert_eq!(f.value("C"), Some("q\"z"));
        assert_eq!(f.value("D"), Some("plain"));
        assert_eq!(f.value("E"), Some("crlf"));
        assert_eq!(f.value("F"), Some("yaml"));
        assert_eq!(f.value("G"), Some("a#b"));
        assert_eq!(f.unparsed, vec![(7, "broken line".to_string())]);
    }

    #[test]
    fn interpolates_unquoted_and_double_quoted_values() {
        let f = parse_env(
            "P=abc\nU=x$P$NOPE\nD=\"x${P}\\$y\"\nS='x$P'\nE=a$$b\nM=\"line1\nline2\"\nN='it\\'s'\n",
        );
        assert_eq!(f.value("U"), Some("xabc"));
        assert_eq!(f.value("D"), Some("xabc$y"));
        assert_eq!(f.value("S"), Some("x$P"));
        assert_eq!(f.value("E"), Some("a$b"));
        assert_eq!(f.value("M"), Some("line1\nline2"));
        assert_eq!(f.value("N"), Some("it's"));
        assert_eq!(f.get("U").map(|v| v.literal.as_str()), Some("x$P$NOPE"));
        assert_eq!(f.get("N").map(|v| v.line), Some(8));
    }
}
