//! The human report of an inspection (`supajwt inspect`, `decode --redact`, `har`, and the
//! window's "Copy redacted report"): one rendering, as lines, so every front end says the same.

use super::{Credential, CredentialKind, Inspection};
use crate::jose::token::Jws;
use crate::safe_text::escape::pretty_json;
use crate::safe_text::redact::{Scrubber, fingerprint, mask_email, mask_phone, redact_claims};
use crate::supabase::claims::{ClaimsReport, Severity as NoteSeverity, claims_report};
use crate::supabase::doctor::Finding;
use serde_json::{Map, Value, json};

/// The whole report: a count line, each credential, then the findings. With `redact`, every
/// line is also scrubbed of the credentials' values (the safety net behind the fingerprints).
pub fn report_lines(
    inspection: &Inspection,
    findings: &[Finding],
    now: i64,
    redact: bool,
) -> Vec<String> {
    let n = inspection.credentials.len();
    let mut lines = vec![format!(
        "{n} credential{} in {}",
        if n == 1 { "" } else { "s" },
        inspection.shape
    )];
    for (i, c) in inspection.credentials.iter().enumerate() {
        lines.push(String::new());
        lines.extend(credential_lines(i + 1, c, now, redact));
    }
    if let Some(more) = inspection.omitted_line() {
        lines.push(String::new());
        lines.push(more);
    }
    lines.extend(findings_lines(findings));
    if redact {
        let scrubber = Scrubber::new(&secrets_of(&inspection.credentials));
        for l in &mut lines {
            *l = scrubber.scrub(l);
        }
    }
    lines
}

fn json_block(line: &mut impl FnMut(String), value: &Value) {
    for l in pretty_json(value).lines() {
        line(format!("      {l}"));
    }
}

/// The values to scrub from output: each credential and, for JWTs, each segment.
pub fn secrets_of(creds: &[Credential]) -> Vec<String> {
    let mut out = Vec::new();
    for c in creds {
        out.push(c.value.clone());
        if c.kind == CredentialKind::Jwt {
            out.extend(
                c.value
                    .split('.')
                    .filter(|s| s.len() >= 6)
                    .map(str::to_string),
            );
        }
    }
    out
}

/// `decode --json`'s members for a token: header, payload, signature, segments, claims.
pub fn token_json(jws: &Jws, now: i64, redact: bool) -> Map<String, Value> {
    let mut report = claims_report(jws, now);
    let mut payload = jws.claims().map(Value::Object).unwrap_or_else(|_| {
        Value::String(String::from_utf8_lossy(&jws.payload_bytes).into_owned())
    });
    let fp = |s: &str| {
        if redact {
            fingerprint(s)
        } else {
            s.to_string()
        }
    };
    if redact {
        payload = redact_claims(&payload);
        redact_report(&mut report);
    }
    let mut m = Map::new();
    m.insert("header".into(), Value::Object(jws.header.clone()));
    m.insert("payload".into(), payload);
    m.insert("signature".into(), Value::String(fp(&jws.signature_b64)));
    m.insert("signature_bytes".into(), json!(jws.signature.len()));
    m.insert(
        "segments".into(),
        json!({"header": jws.header_b64, "payload": fp(&jws.payload_b64), "signature": fp(&jws.signature_b64)}),
    );
    m.insert(
        "claims".into(),
        serde_json::to_value(&report).unwrap_or(Value::Null),
    );
    m.insert("headline".into(), headline_json(jws, now));
    m.insert("verified".into(), Value::Bool(false));
    m
}

/// Masks emails and phone numbers in a claims report (for `--redact`).
pub fn redact_report(report: &mut ClaimsReport) {
    for (label, value) in &mut report.fields {
        if label.contains("email") {
            *value = mask_email(value);
        } else if label.contains("phone") {
            *value = mask_phone(value);
        }
    }
}

/// One credential, human-readable, as lines (not yet scrubbed: see [`report_lines`]).
pub fn credential_lines(n: usize, c: &Credential, now: i64, redact: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = |text: String| lines.push(text);
    line(format!("[{n}] {} — {}", c.source, kind_label(c.kind)));
    line(format!("    {}", c.explain()));
    for note in &c.notes {
        line(format!("    note: {note}"));
    }
    if c.kind != CredentialKind::Jwt {
        line(format!(
            "    value: {}",
            if redact {
                fingerprint(&c.value)
            } else {
                c.value.clone()
            }
        ));
        return lines;
    }
    let jws = match Jws::parse_unverified(&c.value) {
        Ok(j) => j,
        Err(e) => {
            line(format!("    not decodable: {e}"));
            return lines;
        }
    };
    let m = token_json(&jws, now, redact);
    line("    header (NOT verified: use `supajwt verify`):".into());
    json_block(&mut line, m.get("header").unwrap_or(&Value::Null));
    line("    payload:".into());
    json_block(&mut line, m.get("payload").unwrap_or(&Value::Null));
    line(format!(
        "    signature: {} bytes{}",
        jws.signature.len(),
        if redact {
            format!(" ({})", fingerprint(&jws.signature_b64))
        } else {
            String::new()
        }
    ));
    line(format!(
        "    fingerprint of the whole token: {}",
        fingerprint(&c.value)
    ));
    let mut report = claims_report(&jws, now);
    if redact {
        redact_report(&mut report);
    }
    for t in &report.times {
        match &t.value {
            Ok(v) => line(format!(
                "    {:<9} {v}  {}  ({})",
                t.name, t.utc, t.relative
            )),
            Err(e) => line(format!("    {:<9} ERROR: {e}", t.name)),
        }
    }
    for (k, v) in &report.fields {
        line(format!("    {k:<13} {v}"));
    }
    for note in &report.notes {
        let tag = match note.severity {
            NoteSeverity::Info => "note",
            NoteSeverity::Warning => "WARNING",
            NoteSeverity::Danger => "DANGER",
        };
        line(format!("    {tag}: {}", note.text));
    }
    lines
}

pub fn kind_label(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::Jwt => "JWT",
        CredentialKind::SbPublishable => "sb_publishable_ key",
        CredentialKind::SbSecret => "sb_secret_ key",
        CredentialKind::RefreshToken => "refresh token",
        CredentialKind::PkceCode => "PKCE code",
        CredentialKind::CodeVerifier => "PKCE code verifier",
        CredentialKind::ProviderToken => "OAuth provider token",
        CredentialKind::Password => "password",
        CredentialKind::Unknown => "unrecognised value",
    }
}

/// The findings block, as lines.
pub fn findings_lines(findings: &[Finding]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = |text: String| lines.push(text);
    if findings.is_empty() {
        return lines;
    }
    line("".into());
    line("== findings".into());
    for f in findings {
        line(format!("{} {}: {}", f.severity.label(), f.code, f.title));
        if !f.detail.is_empty() {
            line(format!("    {}", f.detail));
        }
        if !f.fix.is_empty() {
            line(format!("    fix: {}", f.fix));
        }
    }
    lines
}

/// The validity headline as `{"code","severity","text"}`, or `null` for a token that is valid
/// for more than the warning period (or has no readable claims).
pub fn headline_json(jws: &Jws, now: i64) -> Value {
    let claims = jws.claims().ok();
    match claims.and_then(|c| crate::supabase::claims::validity_headline(&c, now)) {
        Some(h) => json!({"code": h.code(), "severity": h.severity(), "text": h.text()}),
        None => Value::Null,
    }
}
