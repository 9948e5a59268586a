//! Variable interpolation as docker compose v2 (compose-go `template`) performs it, used both in
//! `.env` values and in compose files: `$$`, `$A`, `${A}`, `${A:-d}`, `${A-d}`, `${A:?e}`,
//! `${A?e}`, `${A:+x}`, `${A+x}`; a braced expression ends at its matching brace, so defaults may
//! hold braces (`${A:-{"keys":[]}}`) and further expressions (`${A:-${B}}`), expanded in turn.
//!
//! [`podman_legacy`] computes what podman-compose before 1.6.0 makes of the same text: its
//! expression ends at the first `}` and the default is used literally.

/// The result of interpolating one value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Interpolated {
    /// The value docker compose computes.
    pub value: String,
    /// Variables referenced, in order (repeats kept).
    pub references: Vec<String>,
    /// Variables referenced without a default and not set: compose substitutes "".
    pub missing: Vec<String>,
    /// `${A:?e}` / `${A?e}` that fired: compose refuses to start ("required variable A is
    /// missing a value: e"), as (variable, message).
    pub required: Vec<(String, String)>,
    /// A malformed expression (`${`, `${}`, `${1}`): compose refuses the file ("invalid
    /// interpolation format").
    pub invalid: Option<String>,
    /// The value grew past the cap ([`MAX_VALUE_BYTES`] by default) and was cut there: the
    /// caller refuses the file, naming the variable.
    pub too_large: bool,
}

const MAX_DEPTH: usize = 16;

/// The most one interpolated value may grow to (1 MiB): a variable repeated in a variable
/// repeated … grows exponentially, and is refused instead of exhausting memory.
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;

/// The most a whole rendered or interpolated file may grow to (16 MiB).
pub const MAX_RENDERED_BYTES: usize = 16 * 1024 * 1024;

/// Interpolates `text`, looking variables up with `lookup` (`None`: unset).
pub fn interpolate(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Interpolated {
    interpolate_capped(text, lookup, MAX_VALUE_BYTES)
}

/// [`interpolate`], cut at `cap` bytes (then [`Interpolated::too_large`]).
pub fn interpolate_capped(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    cap: usize,
) -> Interpolated {
    let mut out = Interpolated::default();
    out.value = expand(text, lookup, &mut out, 0, cap);
    out
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The index of the brace closing the one at `open` (compose-go counts every `{`).
fn matching_brace(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, c) in chars.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn expand(
    text: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut Interpolated,
    depth: usize,
    cap: usize,
) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut result = String::new();
    let mut i = 0;
    while i < chars.len() {
        if result.len() > cap || out.too_large {
            out.too_large = true;
            break;
        }
        let c = chars[i];
        if c != '$' || depth > MAX_DEPTH {
            result.push(c);
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            Some('$') => {
                result.push('$');
                i += 2;
            }
            Some('{') => {
                let Some(end) = matching_brace(&chars, i + 1) else {
                    out.invalid.get_or_insert_with(|| text.to_string());
                    result.extend(&chars[i..]);
                    break;
                };
                let inner: String = chars[i + 2..end].iter().collect();
                result.push_str(&braced(&inner, lookup, out, depth, cap));
                i = end + 1;
            }
            Some(n) if is_name_start(*n) => {
                let mut j = i + 1;
                while j < chars.len() && is_name_char(chars[j]) {
                    j += 1;
                }
                let name: String = chars[i + 1..j].iter().collect();
                out.references.push(name.clone());
                match lookup(&name) {
                    Some(v) => result.push_str(&v),
                    None => out.missing.push(name),
                }
                i = j;
            }
            _ => {
                result.push('$');
                i += 1;
            }
        }
    }
    result
}

fn braced(
    inner: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
    out: &mut Interpolated,
    depth: usize,
    cap: usize,
) -> String {
    let name_len = inner
        .char_indices()
        .find(|(k, c)| !(is_name_char(*c) && (*k > 0 || is_name_start(*c))))
        .map_or(inner.len(), |(k, _)| k);
    let (name, op) = inner.split_at(name_len);
    if name.is_empty() {
        out.invalid.get_or_insert_with(|| format!("${{{inner}}}"));
        return String::new();
    }
    out.references.push(name.to_string());
    let value = lookup(name);
    let empty = value.as_deref().is_none_or(str::is_empty);
    let (colon, rest) = op.strip_prefix(':').map_or((false, op), |r| (true, r));
    let sub = |arg: &str, out: &mut Interpolated| expand(arg, lookup, out, depth + 1, cap);
    match rest.chars().next() {
        None if !colon => match value {
            Some(v) => v,
            None => {
                out.missing.push(name.to_string());
                String::new()
            }
        },
        Some('-') => {
            let unset = if colon { empty } else { value.is_none() };
            if unset {
                sub(&rest[1..], out)
            } else {
                value.unwrap_or_default()
            }
        }
        Some('+') => {
            let set = if colon { !empty } else { value.is_some() };
            if set {
                sub(&rest[1..], out)
            } else {
                String::new()
            }
        }
        Some('?') => {
            let unset = if colon { empty } else { value.is_none() };
            if unset {
                let message = sub(&rest[1..], out);
                out.required.push((name.to_string(), message));
                String::new()
            } else {
                value.unwrap_or_default()
            }
        }
        _ => {
            out.invalid.get_or_insert_with(|| format!("${{{inner}}}"));
            String::new()
        }
    }
}

/// What podman-compose before 1.6.0 computes for `text`: `${NAME[:][-?]...}` ends at the first
/// `}`, the default is taken literally (never expanded), `${A:+x}` is not understood and stays as
/// written. `None` when it refuses the value (`${A:?e}` firing).
pub fn podman_legacy(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut result = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '$' {
            result.push(chars[i]);
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            Some('$') => {
                result.push('$');
                i += 2;
            }
            Some(n) if is_name_start(*n) => {
                let mut j = i + 1;
                while j < chars.len() && is_name_char(chars[j]) {
                    j += 1;
                }
                let name: String = chars[i + 1..j].iter().collect();
                result.push_str(&lookup(&name).unwrap_or_default());
                i = j;
            }
            Some('{') => match podman_braced(&chars, i + 2) {
                Some((end, expr)) => {
                    result.push_str(&expr.resolve(lookup)?);
                    i = end + 1;
                }
                None => {
                    result.push('$');
                    i += 1;
                }
            },
            _ => {
                result.push('$');
                i += 1;
            }
        }
    }
    Some(result)
}

struct PodmanExpr {
    name: String,
    colon: bool,
    default: Option<String>,
    error: Option<String>,
}

impl PodmanExpr {
    fn resolve(&self, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
        let value = lookup(&self.name).filter(|v| !(self.colon && v.is_empty()));
        match (value, &self.error) {
            (Some(v), _) => Some(v),
            (None, Some(_)) => None,
            (None, None) => Some(self.default.clone().unwrap_or_default()),
        }
    }
}

/// podman-compose's regex: `{NAME(:?(-DEFAULT|?ERR))?}` with DEFAULT/ERR `[^}]*`.
fn podman_braced(chars: &[char], start: usize) -> Option<(usize, PodmanExpr)> {
    let mut j = start;
    if !chars.get(j).is_some_and(|c| is_name_start(*c)) {
        return None;
    }
    while j < chars.len() && is_name_char(chars[j]) {
        j += 1;
    }
    let name: String = chars[start..j].iter().collect();
    let colon = chars.get(j) == Some(&':');
    if colon {
        j += 1;
    }
    let op = chars.get(j).copied();
    if !matches!(op, Some('-' | '?')) {
        let closed = chars.get(j) == Some(&'}') && !colon;
        let plain = PodmanExpr {
            name,
            colon: false,
            default: None,
            error: None,
        };
        return closed.then_some((j, plain));
    }
    let close = j + 1 + chars[j + 1..].iter().position(|c| *c == '}')?;
    let arg: String = chars[j + 1..close].iter().collect();
    let (default, error) = if op == Some('-') {
        (Some(arg), None)
    } else {
        (None, Some(arg))
    };
    Some((
        close,
        PodmanExpr {
            name,
            colon,
            default,
            error,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env() -> HashMap<String, String> {
        [
            ("A", "a"),
            ("EMPTY", ""),
            ("B", "b"),
            ("J", "{\"keys\":[1]}"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn run(text: &str) -> Interpolated {
        let vars = env();
        interpolate(text, &|n| vars.get(n).cloned())
    }

    fn podman(text: &str) -> Option<String> {
        let vars = env();
        podman_legacy(text, &|n| vars.get(n).cloned())
    }

    #[test]
    fn compose_v2_rules() {
        assert_eq!(run("${A}").value, "a");
        assert_eq!(run("x$A-$$-$").value, "xa-$-$");
        assert_eq!(run("${EMPTY:-d}").value, "d");
        assert_eq!(run("${EMPTY-d}").value, "");
        assert_eq!(run("${NOPE-d}").value, "d");
        assert_eq!(
            run("${A:+x}|${EMPTY:+x}|${EMPTY+x}|${NOPE+x}").value,
            "x||x|"
        );
        assert_eq!(run("${NOPE}").missing, vec!["NOPE".to_string()]);
        assert_eq!(run("${NOPE:-${B}}").value, "b");
        assert_eq!(run("${A:-${B}}").value, "a");
        assert_eq!(run("${NOPE:-${ALSO:-${B}}}x").value, "bx");
        assert_eq!(run(r#"${NOPE:-{"keys":[]}}"#).value, r#"{"keys":[]}"#);
        assert_eq!(run(r#"${J:-{"keys":[]}}"#).value, r#"{"keys":[1]}"#);
        assert_eq!(run("${H:-localhost}:${P:-80}").value, "localhost:80");
        let req = run("${EMPTY:?set it}");
        assert_eq!(req.required, vec![("EMPTY".into(), "set it".into())]);
        assert!(run("${EMPTY?set it}").required.is_empty());
        assert!(run("${A").invalid.is_some());
        assert!(run("${}").invalid.is_some());
        assert!(run("${A*b}").invalid.is_some());
    }

    #[test]
    fn podman_before_1_6_mangles_nested_defaults() {
        assert_eq!(podman("${A:-${B}}").as_deref(), Some("a}"));
        assert_eq!(podman("${NOPE:-${B}}").as_deref(), Some("${B}"));
        assert_eq!(podman("${EMPTY:-${B}}").as_deref(), Some("${B}"));
        assert_eq!(
            podman(r#"${J:-{"keys":[]}}"#).as_deref(),
            Some(r#"{"keys":[1]}}"#)
        );
        assert_eq!(
            podman(r#"${NOPE:-{"keys":[]}}"#).as_deref(),
            Some(r#"{"keys":[]}"#)
        );
        assert_eq!(podman("${A} $A $$ ${NOPE:-d}").as_deref(), Some("a a $ d"));
        assert_eq!(podman("${A:+x}").as_deref(), Some("${A:+x}"));
        assert_eq!(podman("${EMPTY:?e}"), None);
    }
}
