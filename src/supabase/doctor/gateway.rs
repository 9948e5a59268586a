//! The API gateway as it really renders its configuration at start-up.
//!
//! Kong's declarative `kong.yml` has no substitution of its own; the compose file decides:
//! - the 2026-02 stack (Kong 2.8.1): `bash -c 'eval "echo \"$$(cat ~/temp.yml)\""'` — `$VAR`
//!   and `${VAR}` both expand, unset ones to nothing;
//! - the current stack (Kong 3.9.1): `volumes/api/kong-entrypoint.sh` renders with awk — only
//!   `$VAR` of a variable in the container's environment expands, `${VAR}` stays literal, and
//!   empty `- key:` lines are deleted;
//! - a kong.yml mounted with no rendering step is read as is.
//!
//! Envoy (`docker-compose.envoy.yml`, service `api-gw`) renders `lds.template.yaml` with `sed`
//! on the braced `${ANON_KEY}`, `${SERVICE_ROLE_KEY}`, `${SUPABASE_PUBLISHABLE_KEY}`,
//! `${SUPABASE_SECRET_KEY}`, `${ANON_KEY_ASYMMETRIC}`, `${SERVICE_ROLE_KEY_ASYMMETRIC}` only.

use super::compose::{ComposeProject, ComposeService};
use super::interpolate::{MAX_RENDERED_BYTES, interpolate_capped};
use std::collections::HashMap;

/// How Kong's kong.yml becomes the configuration Kong reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KongRendering {
    /// The old `eval "echo …"` entrypoint: `$VAR` and `${VAR}` expand.
    EvalEcho,
    /// The current `kong-entrypoint.sh` (awk): only `$VAR` expands; empty `- key:` lines go.
    EntrypointAwk,
    /// Mounted with no rendering step: read as is.
    AsIs,
    /// No compose file given: the rendering is not known.
    Unknown,
}

impl KongRendering {
    /// Words for findings.
    pub fn describe(self) -> &'static str {
        match self {
            KongRendering::EvalEcho => "the eval-echo entrypoint (Kong 2.8 stack)",
            KongRendering::EntrypointAwk => {
                "kong-entrypoint.sh (awk; expands $VAR only, not ${VAR})"
            }
            KongRendering::AsIs => "no rendering step (kong.yml is read as is)",
            KongRendering::Unknown => "an unknown rendering (no compose file given)",
        }
    }
}

/// The variables Envoy's entrypoint substitutes (braced form only).
pub const ENVOY_VARS: [&str; 6] = [
    "ANON_KEY",
    "SERVICE_ROLE_KEY",
    "SUPABASE_PUBLISHABLE_KEY",
    "SUPABASE_SECRET_KEY",
    "ANON_KEY_ASYMMETRIC",
    "SERVICE_ROLE_KEY_ASYMMETRIC",
];

/// The started Kong service of a compose project.
pub fn kong_service(project: &ComposeProject) -> Option<&ComposeService> {
    project.services.iter().find(|s| {
        s.started() && (s.image.as_deref().is_some_and(|i| i.contains("kong")) || s.name == "kong")
    })
}

/// The started Envoy service of a compose project (upstream's `api-gw`).
pub fn envoy_service(project: &ComposeProject) -> Option<&ComposeService> {
    project
        .services
        .iter()
        .find(|s| s.started() && s.image.as_deref().is_some_and(|i| i.contains("envoy")))
}

/// How the compose file has Kong render kong.yml. A service that names neither an image nor
/// an entrypoint is a fragment (an override file alone): the rendering is not known.
pub fn kong_rendering(service: &ComposeService) -> KongRendering {
    let entry = service.entrypoint.as_deref().unwrap_or_default();
    if service.image.is_none() && service.entrypoint.is_none() {
        KongRendering::Unknown
    } else if entry.contains("kong-entrypoint.sh") {
        KongRendering::EntrypointAwk
    } else if entry.contains("eval") && entry.contains("echo") {
        KongRendering::EvalEcho
    } else {
        KongRendering::AsIs
    }
}

/// Renders kong.yml as the entrypoint would, with the container's environment `env`.
pub fn render_kong(template: &str, mode: KongRendering, env: &HashMap<String, String>) -> String {
    match mode {
        KongRendering::EvalEcho => {
            let lookup = |n: &str| Some(env.get(n).cloned().unwrap_or_default());
            interpolate_capped(template, &lookup, MAX_RENDERED_BYTES).value
        }
        KongRendering::EntrypointAwk => {
            let mut out = String::new();
            for line in template.split_inclusive('\n') {
                // Cut at the cap: the caller refuses a rendering this large.
                if out.len() >= MAX_RENDERED_BYTES {
                    break;
                }
                let rendered = awk_expand(line, env);
                let body = rendered.trim_end_matches(['\n', '\r']);
                let t = body.trim_start();
                let empty_key = t
                    .strip_prefix("- key:")
                    .is_some_and(|r| r.trim().is_empty());
                if !empty_key {
                    out.push_str(&rendered);
                }
            }
            out
        }
        KongRendering::AsIs | KongRendering::Unknown => template.to_string(),
    }
}

/// awk's `match(rest, /\$[A-Za-z_][A-Za-z_0-9]*/)` loop: a variable in ENVIRON is replaced,
/// any other stays as written.
fn awk_expand(line: &str, env: &HashMap<String, String>) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i] == '$'
            && chars
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == '_');
        if !starts {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
            j += 1;
        }
        let name: String = chars[i + 1..j].iter().collect();
        match env.get(&name) {
            Some(v) => out.push_str(v),
            None => out.extend(&chars[i..j]),
        }
        i = j;
        if out.len() >= MAX_RENDERED_BYTES {
            break;
        }
    }
    out
}

/// Renders Envoy's `lds.template.yaml` as its entrypoint's `sed` does, one variable after the
/// other. `Err` names the variable whose substitution would take the rendering past
/// [`MAX_RENDERED_BYTES`]; the size is counted before anything is built.
pub fn render_envoy(template: &str, env: &HashMap<String, String>) -> Result<String, &'static str> {
    let mut out = template.to_string();
    for var in ENVOY_VARS {
        let placeholder = format!("${{{var}}}");
        let value = env.get(var).map(String::as_str).unwrap_or_default();
        let count = out.matches(placeholder.as_str()).count();
        let grown = count.saturating_mul(value.len().saturating_sub(placeholder.len()));
        if out.len().saturating_add(grown) >= MAX_RENDERED_BYTES {
            return Err(var);
        }
        out = out.replace(&placeholder, value);
    }
    Ok(out)
}

/// True when `text` is Envoy configuration (a listener / route config), not Kong's.
pub fn looks_like_envoy(text: &str) -> bool {
    text.contains("envoy.filters") || text.contains("type.googleapis.com/envoy")
}

/// The API-key comparisons in an Envoy listener: every `${VAR}` placeholder and every literal
/// key (`sb_…` or a JWT) the template compares `apikey` with.
pub fn envoy_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || "'\",;()[]=".contains(c)) {
        let t = token.trim();
        let placeholder = t.starts_with("${") && t.ends_with('}');
        let literal = t.starts_with("sb_publishable_")
            || t.starts_with("sb_secret_")
            || (t.starts_with("eyJ") && t.matches('.').count() == 2);
        if (placeholder || literal) && !keys.iter().any(|k| k == t) {
            keys.push(t.to_string());
        }
    }
    keys
}

/// Why two keys differ, in words.
pub fn diagnose_mismatch(found: &str, expected: &str) -> String {
    if found.contains('\r') && found.replace('\r', "").trim() == expected {
        return "the key in kong.yml ends with a carriage return (the file was edited on Windows)"
            .into();
    }
    if found.trim() == expected {
        return "the key in kong.yml has extra whitespace around it".into();
    }
    if found.trim_matches(['"', '\'']) == expected {
        return "the key in kong.yml still has quotes around it".into();
    }
    if expected.starts_with(found) {
        return format!(
            "the key in kong.yml is truncated ({} of {} characters)",
            found.len(),
            expected.len()
        );
    }
    "it is a different key — typically a stale rendered kong.yml after the keys were rotated".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> HashMap<String, String> {
        [
            ("SUPABASE_ANON_KEY", "anon"),
            ("SUPABASE_PUBLISHABLE_KEY", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn kong_renderings() {
        let t = "      - key: $SUPABASE_ANON_KEY\n      - key: ${SUPABASE_ANON_KEY}\n      - key: $SUPABASE_PUBLISHABLE_KEY\n      - key: $NOT_SET\n";
        assert_eq!(
            render_kong(t, KongRendering::EntrypointAwk, &env()),
            "      - key: anon\n      - key: ${SUPABASE_ANON_KEY}\n      - key: $NOT_SET\n"
        );
        assert_eq!(
            render_kong(t, KongRendering::EvalEcho, &env()),
            "      - key: anon\n      - key: anon\n      - key: \n      - key: \n"
        );
        assert_eq!(render_kong(t, KongRendering::AsIs, &env()), t);
    }

    #[test]
    fn envoy_sed_replaces_braced_only() {
        let e: HashMap<String, String> = [("ANON_KEY".to_string(), "k".to_string())].into();
        assert_eq!(
            render_envoy("${ANON_KEY} $ANON_KEY ${OTHER}", &e).unwrap(),
            "k $ANON_KEY ${OTHER}"
        );
        assert_eq!(
            envoy_keys("x: '${ANON_KEY}' y: \"sb_secret_abc\""),
            vec!["${ANON_KEY}".to_string(), "sb_secret_abc".to_string()]
        );
    }
}
