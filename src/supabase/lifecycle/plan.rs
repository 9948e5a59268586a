//! What every lifecycle step (`add`, `promote`, `revoke`) plans before anything is written: the
//! `.env` after it, the changed lines, and the steps to apply it. The CLI prints a plan (dry
//! run) or writes its `new_env`; the window shows it and saves it. Also the line editing the
//! steps share: every line a step does not change stays byte for byte, and the `JWT_KEYS` /
//! `JWT_JWKS` lines it does change keep their quoting.

use super::matrix::Matrix;
use crate::jose::error::CoreError;
use crate::jose::keys::{Key, load_keys, thumbprint};
use crate::supabase::doctor::dotenv::parse_env;
use crate::supabase::doctor::rotate::Rotation;
use serde_json::Value;

/// A planned lifecycle step; nothing is written.
#[derive(Debug, Clone)]
pub struct StepPlan {
    /// The `.env` after the step; every line the step does not change stays byte for byte.
    pub new_env: String,
    /// The changed lines: `-old` / `+new`, in file order.
    pub diff: Vec<String>,
    /// What to do, in order.
    pub steps: Vec<String>,
    /// `add`: the new key (private).
    pub new_key: Option<Key>,
    /// `add`: the earliest time `promote` may make the new key the signing key.
    pub promote_after: Option<i64>,
    /// `promote`: the earliest time `revoke` may remove the key that stopped signing.
    pub revoke_after: Option<i64>,
    /// The verdict matrix before the step.
    pub before: Option<Matrix>,
    /// The verdict matrix after it (with the rows of token classes that the step removes from
    /// the stack, evaluated against the new configuration).
    pub after: Option<Matrix>,
}

/// `env` with each line that `edit` returns `Some` for replaced by those lines (none: the line
/// is deleted); the `-old` / `+new` diff beside it. `edit` sees a line without its line end.
pub(super) fn edit_lines(
    env: &str,
    mut edit: impl FnMut(&str) -> Result<Option<Vec<String>>, CoreError>,
) -> Result<(String, Vec<String>), CoreError> {
    let eol = if env.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(env.len() + 1024);
    let mut diff = Vec::new();
    for line in env.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix("\r\n") {
            Some(b) => (b, "\r\n"),
            None => match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            },
        };
        match edit(body)? {
            None => out.push_str(line),
            Some(new) => {
                diff.push(format!("-{body}"));
                let n = new.len();
                for (i, l) in new.into_iter().enumerate() {
                    diff.push(format!("+{l}"));
                    out.push_str(&l);
                    // A line added before the edited one ends as that line does.
                    out.push_str(match (i + 1 == n, end) {
                        (true, end) => end,
                        (false, "") => eol,
                        (false, end) => end,
                    });
                }
            }
        }
    }
    Ok((out, diff))
}

/// `env` with `lines` appended (after a line end), and their `+` diff lines added to `diff`.
pub(super) fn append_lines(env: &mut String, diff: &mut Vec<String>, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let eol = if env.contains("\r\n") { "\r\n" } else { "\n" };
    if !env.is_empty() && !env.ends_with('\n') {
        env.push_str(eol);
    }
    for l in lines {
        diff.push(format!("+{l}"));
        env.push_str(l);
        env.push_str(eol);
    }
}

/// A `NAME=<json>` line taken apart: its quote (`'`, `"` or none) and its keys.
pub(super) struct JsonLine {
    name: &'static str,
    quote: String,
    /// `JWT_JWKS`: the object around `keys` (its other members kept).
    object: serde_json::Map<String, Value>,
    /// The keys (`JWT_KEYS` itself, `JWT_JWKS`'s `keys`); empty for an empty value.
    pub keys: Vec<Value>,
}

impl JsonLine {
    /// Reads `line` if it is `name=…`; `None` for another line. JSON that does not parse, or
    /// not of the shape `name` must have (`JWT_KEYS` an array, `JWT_JWKS` `{"keys":[…]}`), is an
    /// error naming the variable.
    pub(super) fn parse(line: &str, name: &'static str) -> Result<Option<JsonLine>, CoreError> {
        let Some(raw) = line.strip_prefix(name).and_then(|r| r.strip_prefix('=')) else {
            return Ok(None);
        };
        let quote = raw
            .chars()
            .next()
            .filter(|c| *c == '\'' || *c == '"')
            .map(String::from)
            .unwrap_or_default();
        let inner = raw
            .strip_prefix(quote.as_str())
            .and_then(|r| r.strip_suffix(quote.as_str()))
            .unwrap_or(raw)
            .trim();
        let jwks = name == "JWT_JWKS";
        let mut line = JsonLine {
            name,
            quote,
            object: serde_json::Map::new(),
            keys: vec![],
        };
        if inner.is_empty() {
            return Ok(Some(line));
        }
        let bad = || {
            CoreError::InvalidOption(format!(
                "{name} is not the JSON {} this step can edit; the .env is left as it is",
                if jwks {
                    "object {\"keys\":[…]}"
                } else {
                    "array […]"
                }
            ))
        };
        match serde_json::from_str::<Value>(inner).map_err(|_| bad())? {
            Value::Array(keys) if !jwks => line.keys = keys,
            Value::Object(mut object) if jwks => {
                match object.get_mut("keys").map(Value::take) {
                    Some(Value::Array(keys)) => line.keys = keys,
                    _ => return Err(bad()),
                }
                line.object = object;
            }
            _ => return Err(bad()),
        }
        Ok(Some(line))
    }

    /// The line, with its quote.
    pub(super) fn render(&self) -> String {
        let keys = Value::Array(self.keys.clone());
        let value = if self.name == "JWT_JWKS" {
            let mut object = self.object.clone();
            object.insert("keys".into(), keys);
            Value::Object(object)
        } else {
            keys
        };
        format!("{}={q}{value}{q}", self.name, q = self.quote)
    }
}

/// The RFC 7638 thumbprint of one JWK of a key set (`None`: not a key supajwt reads).
pub(super) fn jwk_thumbprint(jwk: &Value) -> Option<String> {
    load_keys(&jwk.to_string())
        .ok()?
        .keys
        .first()
        .map(thumbprint)
}

impl StepPlan {
    /// The variables the step changes, as `rotate` shows them (for a Kubernetes Secret):
    /// `(name, old value, new value)` as docker compose reads them, in the new `.env`'s order,
    /// with the plan's steps. A variable the step removes has no new value and is not listed.
    pub fn rotation(&self, old_env: &str) -> Rotation {
        let (old, new) = (parse_env(old_env), parse_env(&self.new_env));
        let mut changes: Vec<(String, Option<String>, String)> = Vec::new();
        for var in &new.vars {
            if changes.iter().any(|(name, _, _)| *name == var.name) {
                continue;
            }
            let now = new.get(&var.name).map_or("", |v| v.value.as_str());
            let before = old.get(&var.name).map(|v| v.value.clone());
            if before.as_deref() != Some(now) {
                changes.push((var.name.clone(), before, now.to_string()));
            }
        }
        Rotation {
            changes,
            steps: self.steps.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_keep_other_lines_and_line_ends() {
        let env = "A=1\r\nB=2\r\nC=3";
        let (out, diff) = edit_lines(env, |l| {
            Ok(match l {
                "B=2" => Some(vec!["# x".into(), "B=3".into()]),
                "C=3" => Some(vec![]),
                _ => None,
            })
        })
        .unwrap();
        assert_eq!(out, "A=1\r\n# x\r\nB=3\r\n");
        assert_eq!(diff, ["-B=2", "+# x", "+B=3", "-C=3"]);
        let mut line = JsonLine::parse(r#"JWT_JWKS='{"keys":[]}'"#, "JWT_JWKS")
            .unwrap()
            .unwrap();
        line.keys.push(serde_json::json!({"kty":"oct"}));
        assert_eq!(line.render(), r#"JWT_JWKS='{"keys":[{"kty":"oct"}]}'"#);
        assert!(JsonLine::parse("JWT_KEYS=[1", "JWT_KEYS").is_err());
        assert!(
            JsonLine::parse("JWT_KEYSX=1", "JWT_KEYS")
                .unwrap()
                .is_none()
        );
    }
}
