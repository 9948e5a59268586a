//! Compose-style `${VAR}` interpolation against the `.env` values.

use std::collections::HashMap;

/// The result of interpolating one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpolated {
    /// The value docker compose computes.
    pub value: String,
    /// Variables referenced.
    pub references: Vec<String>,
    /// Variables referenced but not set (and without default).
    pub missing: Vec<String>,
    /// A default that itself holds `${...}` (`${A:-${B}}`): docker compose expands it, Podman
    /// does not and leaves a stray `}`.
    pub nested_default: bool,
}

/// Interpolates `text` with `vars`.
pub fn interpolate(text: &str, vars: &HashMap<String, String>) -> Interpolated {
    let mut out = Interpolated {
        value: String::new(),
        references: vec![],
        missing: vec![],
        nested_default: false,
    };
    out.value = expand(text, vars, &mut out, 0);
    out
}

fn expand(
    text: &str,
    vars: &HashMap<String, String>,
    out: &mut Interpolated,
    depth: usize,
) -> String {
    let mut result = String::new();
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c != '$' || depth > 8 {
            result.push(c);
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some('$') => {
                result.push('$');
                i += 2;
            }
            Some('{') => {
                let Some(end) = matching_brace(&bytes, i + 1) else {
                    result.extend(&bytes[i..]);
                    break;
                };
                let inner: String = bytes[i + 2..end].iter().collect();
                result.push_str(&braced(&inner, vars, out, depth));
                i = end + 1;
            }
            Some(n) if n.is_ascii_alphabetic() || *n == '_' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == '_') {
                    j += 1;
                }
                let name: String = bytes[start..j].iter().collect();
                result.push_str(&lookup(&name, vars, out).unwrap_or_default());
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

fn matching_brace(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (k, c) in chars.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn lookup(name: &str, vars: &HashMap<String, String>, out: &mut Interpolated) -> Option<String> {
    out.references.push(name.to_string());
    vars.get(name).cloned()
}

fn braced(
    inner: &str,
    vars: &HashMap<String, String>,
    out: &mut Interpolated,
    depth: usize,
) -> String {
    let split = inner.find([':', '-', '?', '+']).unwrap_or(inner.len());
    let (name, op) = inner.split_at(split);
    let value = lookup(name, vars, out);
    let (mode, arg) = ["?:", ":-", ":?", ":+", "-", "?", "+"]
        .iter()
        .find_map(|m| op.strip_prefix(m).map(|rest| (*m, rest)))
        .unwrap_or(("", ""));
    if arg.contains("${") {
        out.nested_default = true;
    }
    let empty = value.as_deref().is_none_or(str::is_empty);
    match mode {
        ":-" if empty => expand(arg, vars, out, depth + 1),
        "-" if value.is_none() => expand(arg, vars, out, depth + 1),
        ":+" => {
            if empty {
                String::new()
            } else {
                expand(arg, vars, out, depth + 1)
            }
        }
        "+" => {
            if value.is_none() {
                String::new()
            } else {
                expand(arg, vars, out, depth + 1)
            }
        }
        _ => {
            if value.is_none() {
                out.missing.push(name.to_string());
            }
            value.unwrap_or_default()
        }
    }
}

/// What Podman's compose makes of a nested default: the inner `${B}` is expanded but the
/// outer reference is cut at the first `}`, leaving a stray `}` at the end.
pub fn podman_value(text: &str, vars: &HashMap<String, String>) -> String {
    let Some(start) = text.find("${") else {
        return text.to_string();
    };
    let Some(first_close) = text[start..].find('}') else {
        return text.to_string();
    };
    let first = &text[start..start + first_close + 1];
    let rest = &text[start + first_close + 1..];
    let outer = interpolate(&format!("{first}}}"), vars).value;
    format!("{}{outer}{rest}", &text[..start])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> HashMap<String, String> {
        [("A", "a"), ("EMPTY", ""), ("B", "b")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn compose_rules() {
        let v = vars();
        assert_eq!(interpolate("${A}", &v).value, "a");
        assert_eq!(interpolate("x$A-$$", &v).value, "xa-$");
        assert_eq!(interpolate("${EMPTY:-d}", &v).value, "d");
        assert_eq!(interpolate("${EMPTY-d}", &v).value, "");
        assert_eq!(interpolate("${NOPE}", &v).missing, vec!["NOPE".to_string()]);
        let nested = interpolate("${NOPE:-${B}}", &v);
        assert_eq!(nested.value, "b");
        assert!(nested.nested_default);
        assert_eq!(podman_value("${NOPE:-${B}}", &v), "b}");
        assert_eq!(podman_value("${A:-${B}}", &v), "a}");
    }
}
