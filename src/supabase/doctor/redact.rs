//! `doctor --redact` and `rotate --redact`: share-safe reports. Every secret the configuration
//! holds — the values of secret-named variables (`.env`, Kubernetes Secret, config.toml, each
//! compose service's environment), the private members of every JWK (`JWT_KEYS`, the `oct` key
//! of `JWT_JWKS`, signing_keys.json), Kong's consumer keys and the token given — becomes the
//! same `sha256:…` fingerprint `inspect --redact` prints, wherever the report quotes it; then
//! the inspect scrub catches anything JWT-, `sb_`- or email-shaped that is left.

use super::rotate::Rotation;
use super::{Config, Explanation, Finding, Inputs, Report, ServiceVerdict};
use crate::safe_text::redact::{fingerprint, scrub_text};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// Variable names whose values are secrets (a kid such as `GOTRUE_JWT_KEY_ID` is not).
fn secret_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    if n.ends_with("KEY_ID") && n.contains("JWT") {
        return false;
    }
    [
        "SECRET",
        "PASS",
        "KEY",
        "TOKEN",
        "JWKS",
        "DB_URL",
        "DB_URI",
        "DATABASE_URL",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// JWK members that are private: EC/OKP `d`, RSA `p q dp dq qi` (and `d`), `oct` `k`.
const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "k"];

fn private_members(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if PRIVATE_MEMBERS.contains(&k.as_str()) => {
                        out.push(s.clone());
                    }
                    other => private_members(other, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| private_members(v, out)),
        _ => {}
    }
}

fn push_value(value: &str, out: &mut Vec<String>) {
    let trimmed = value.trim();
    if trimmed.is_empty() || matches!(trimmed, "true" | "false") {
        return;
    }
    if let Ok(json) = serde_json::from_str::<Value>(trimmed) {
        private_members(&json, out);
    }
    for v in [value, trimmed] {
        out.push(v.to_string());
        out.push(STANDARD.encode(v.as_bytes()));
    }
}

/// Every secret value the inputs hold (what a report or a rotation may quote), longest first.
pub fn secrets(inputs: &Inputs, config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    for (name, var) in &config.vars {
        if secret_name(name) {
            push_value(&var.value, &mut out);
            push_value(&var.raw, &mut out);
        }
    }
    for v in config.services.iter().filter(|v| secret_name(&v.name)) {
        push_value(&v.value, &mut out);
        if let Some(p) = &v.podman_value {
            push_value(p, &mut out);
        }
        if !v.template.contains('$') {
            push_value(&v.template, &mut out);
        }
    }
    for k in config.kong.iter().filter(|k| !k.key.contains('$')) {
        push_value(&k.key, &mut out);
    }
    for text in [&inputs.token, &inputs.signing_keys].into_iter().flatten() {
        push_value(text, &mut out);
    }
    out.retain(|s| s.len() >= 6);
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// The report with every secret in `secrets` (and anything secret-shaped) fingerprinted.
pub fn redact_report(report: &Report, secrets: &[String]) -> Report {
    let s: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let finding = |f: &Finding| Finding {
        title: scrub_text(&f.title, &s),
        detail: scrub_text(&f.detail, &s),
        fix: scrub_text(&f.fix, &s),
        ..f.clone()
    };
    let service = |v: &ServiceVerdict| ServiceVerdict {
        message: scrub_text(&v.message, &s),
        ..v.clone()
    };
    let explanation = |e: &Explanation| Explanation {
        component: scrub_text(&e.component, &s),
        meaning: scrub_text(&e.meaning, &s),
        check: scrub_text(&e.check, &s),
        related_findings: e
            .related_findings
            .iter()
            .map(|t| scrub_text(t, &s))
            .collect(),
        ..e.clone()
    };
    Report {
        findings: report.findings.iter().map(finding).collect(),
        services: report.services.iter().map(service).collect(),
        explanation: report.explanation.as_ref().map(explanation),
        // Fixed words only: nothing from the input to scrub.
        unexplained: report.unexplained.clone(),
        read: report.read.clone(),
    }
}

/// The rotation with each old and new value replaced by its fingerprint and the steps scrubbed:
/// it shows what changes and which values match, and holds no secret.
pub fn redact_rotation(rotation: &Rotation, secrets: &[String]) -> Rotation {
    let mut all: Vec<&str> = secrets.iter().map(String::as_str).collect();
    for (_, old, new) in &rotation.changes {
        all.extend(old.as_deref());
        all.push(new);
    }
    Rotation {
        changes: rotation
            .changes
            .iter()
            .map(|(name, old, new)| {
                (
                    name.clone(),
                    old.as_deref().map(fingerprint),
                    fingerprint(new),
                )
            })
            .collect(),
        steps: rotation.steps.iter().map(|t| scrub_text(t, &all)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for n in [
            "JWT_SECRET",
            "ANON_KEY",
            "SERVICE_ROLE_KEY",
            "JWT_KEYS",
            "JWT_JWKS",
            "SUPABASE_SECRET_KEY",
            "POSTGRES_PASSWORD",
            "SMTP_PASS",
            "LOGFLARE_PRIVATE_ACCESS_TOKEN",
            "API_JWT_JWKS",
        ] {
            assert!(secret_name(n), "{n}");
        }
        for n in [
            "GOTRUE_JWT_KEY_ID",
            "JWT_EXPIRY",
            "SITE_URL",
            "POSTGRES_HOST",
        ] {
            assert!(!secret_name(n), "{n}");
        }
    }

    #[test]
    fn private_jwk_members_are_secrets() {
        let mut out = Vec::new();
        push_value(
            r#"[{"kty":"EC","x":"public-x-value","d":"private-d-value"},{"kty":"oct","k":"private-k-value"}]"#,
            &mut out,
        );
        assert!(out.contains(&"private-d-value".to_string()));
        assert!(out.contains(&"private-k-value".to_string()));
        assert!(!out.contains(&"public-x-value".to_string()));
    }
}
