//! `key add`, planned (nothing is written here): a new asymmetric key goes into
//! `JWT_KEYS` without `"sign"` and into `JWT_JWKS` as a public key, with its standby record;
//! every other line of the `.env` stays byte for byte. The plan says what the compose file must
//! pass to each service, which services to restart, and when promoting becomes possible.

use super::Stack;
use super::plan::StepPlan;
use super::records::{Event, format_record};
use crate::jose::error::CoreError;
use crate::jose::keys::{KeygenAlg, KidChoice, generate, to_jwk};
use crate::supabase::doctor::Config;
use crate::supabase::doctor::rotate::compose_step;
use serde_json::Value;

/// How long a standby key must be published before it may sign: GoTrue's JWKS
/// `max-age=600` plus ten minutes of client cache, as Supabase documents.
pub const PUBLISH_WAIT: i64 = 20 * 60;

/// Plans adding a standby key of `alg` (kid `kid`, else a random UUID) to the stack whose
/// `.env` is `env`.
pub fn plan_add(
    env: &str,
    stack: &Stack,
    config: &Config,
    alg: KeygenAlg,
    kid: Option<String>,
    now: i64,
) -> Result<StepPlan, CoreError> {
    if matches!(alg, KeygenAlg::HS256) {
        return Err(CoreError::InvalidOption(
            "key add makes an asymmetric key (ES256, RS256, RS512, ES512, EdDSA): a second shared secret cannot be published".into(),
        ));
    }
    if !stack.keys.iter().any(|k| k.held_in.contains(&"JWT_KEYS")) {
        return Err(CoreError::InvalidOption(
            "this .env has no JWT_KEYS (the legacy-only stack of generate-keys.sh): key add does not yet write the first JWT_KEYS; run upstream's add-new-auth-keys.sh (or supajwt rotate) first".into(),
        ));
    }
    if let Some(k) = &kid
        && stack.keys.iter().any(|x| x.key.kid.as_deref() == Some(k))
    {
        return Err(CoreError::InvalidOption(format!(
            "a key with kid \"{k}\" is already in the .env: choose another --kid"
        )));
    }
    let choice = kid.map_or(KidChoice::Uuid, KidChoice::Given);
    let mut key = generate(alg, choice)?;
    key.alg = Some(alg.alg().name().to_string());
    key.key_use = Some("sig".into());
    key.key_ops = Some(vec!["verify".into()]);
    let name = key.kid.clone().unwrap_or_default();
    let private = Value::Object(to_jwk(&key, true)).to_string();
    let public = Value::Object(to_jwk(&key, false)).to_string();
    let record = format_record(&name, Event::Standby, now);

    let mut diff = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut seen = (false, false);
    for line in env.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let edited = if body.starts_with("JWT_KEYS=") {
            seen.0 = true;
            lines.push(format!("{record}\n"));
            diff.push(format!("+{record}"));
            Some(append(body, "JWT_KEYS=", &private, false)?)
        } else if body.starts_with("JWT_JWKS=") {
            seen.1 = true;
            Some(append(body, "JWT_JWKS=", &public, true)?)
        } else {
            None
        };
        match edited {
            Some(new) => {
                diff.push(format!("-{body}"));
                diff.push(format!("+{new}"));
                lines.push(format!("{new}{end}"));
            }
            None => lines.push(line.to_string()),
        }
    }
    if !seen.0 || !seen.1 {
        return Err(CoreError::InvalidOption(
            "the .env must have a JWT_KEYS= line and a JWT_JWKS= line (at the start of a line) for key add to extend them".into(),
        ));
    }
    let algs: Vec<&str> = stack.keys.iter().map(|k| k.alg.as_str()).collect();
    let mut steps = vec![compose_step(config)];
    if !algs.contains(&alg.alg().name())
        && let Some(methods) = config.valid_methods()
    {
        steps.push(format!(
            "{} is new to this stack and the auth service sets GOTRUE_JWT_VALID_METHODS={methods}: add {} to it, or GoTrue refuses tokens of the new key once it signs.",
            alg.alg().name(),
            alg.alg().name()
        ));
    }
    steps.push("Recreate the verifiers so they read the new key set: docker compose up -d --force-recreate auth rest realtime storage functions (Realtime keeps its tenant's JWKS: reseed the tenant if it was seeded before).".into());
    let promote_after = now.saturating_add(PUBLISH_WAIT);
    steps.push(format!(
        "Wait until the key has been published for 20 minutes (GoTrue's JWKS max-age=600 plus the client cache) before promoting it: not before {}.",
        crate::jose::time::format_utc(promote_after)
    ));
    Ok(StepPlan {
        new_key: Some(key),
        new_env: lines.concat(),
        diff,
        steps,
        promote_after: Some(promote_after),
    })
}

/// `NAME=<json>` with `item` appended to its array (`JWT_KEYS=[…]`) or to its `keys` array
/// (`JWT_JWKS={"keys":[…]}`), quoting kept; the old text stays as written.
fn append(line: &str, prefix: &str, item: &str, jwks: bool) -> Result<String, CoreError> {
    let raw = &line[prefix.len()..];
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
    let bad = || {
        CoreError::InvalidOption(format!(
            "{} is not the JSON {} key add can extend",
            prefix.trim_end_matches('='),
            if jwks {
                "object {\"keys\":[…]}"
            } else {
                "array […]"
            }
        ))
    };
    let value: Value = serde_json::from_str(inner).map_err(|_| bad())?;
    let array = if jwks {
        value.get("keys")
    } else {
        Some(&value)
    };
    let empty = array.and_then(Value::as_array).ok_or_else(bad)?.is_empty();
    let close = if jwks {
        inner
            .trim_end()
            .strip_suffix('}')
            .map(str::trim_end)
            .ok_or_else(bad)?
    } else {
        inner
    };
    let head = close.strip_suffix(']').ok_or_else(bad)?;
    let sep = if empty { "" } else { "," };
    let tail = if jwks { "]}" } else { "]" };
    let new = format!("{head}{sep}{item}{tail}");
    if serde_json::from_str::<Value>(&new).is_err() {
        return Err(bad());
    }
    Ok(format!("{prefix}{quote}{new}{quote}"))
}

#[cfg(test)]
mod tests {
    use super::append;

    #[test]
    fn append_keeps_the_old_text_and_the_quoting() {
        let line = r#"JWT_KEYS='[{"kty":"oct", "k":"a2V5"}]'"#;
        assert_eq!(
            append(line, "JWT_KEYS=", r#"{"n":1}"#, false).unwrap(),
            r#"JWT_KEYS='[{"kty":"oct", "k":"a2V5"},{"n":1}]'"#
        );
        assert_eq!(
            append(r#"JWT_JWKS="{"keys":[]}""#, "JWT_JWKS=", "{}", true).unwrap(),
            r#"JWT_JWKS="{"keys":[{}]}""#
        );
        assert!(append("JWT_JWKS=[1]", "JWT_JWKS=", "{}", true).is_err());
        assert!(append("JWT_KEYS=[1", "JWT_KEYS=", "{}", false).is_err());
    }
}
