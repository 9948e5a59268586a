//! `supajwt decode`.

use super::UsageError;
use super::io::{now_or_system, read_token_arg};
use super::out::Out;
use crate::jose::token::Jws;
use crate::supabase::claims::{ClaimsReport, Severity, claims_report, validity_headline};
use clap::Args;
use serde_json::{Value, json};
use std::process::ExitCode;

// `decode` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The token (or `-` for standard input). Env lines, `Bearer ...` and quotes are accepted.
    pub token: Option<String>,
    /// Print JSON: {"header","payload","signature","segments","claims"}.
    #[arg(long)]
    pub json: bool,
    /// Pretend the current time is this (seconds since 1970), for relative times.
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
    /// Share-safe output: signature and segments as sha256 fingerprints, emails / phones masked.
    #[arg(long)]
    pub redact: bool,
}

/// Runs `decode`.
pub fn run(args: &DecodeArgs) -> Result<ExitCode, UsageError> {
    let raw = read_token_arg(args.token.as_deref())?;
    let cleaned = super::inspect::one_token(&raw)?;
    let jws = Jws::parse_unverified(&cleaned.token)?;
    let now = now_or_system(args.now);
    if args.redact {
        if !args.json
            && let Some(line) = headline_line(&jws, now)
        {
            Out::stdout().line(line);
        }
        return Ok(super::inspect::print_redacted_token(
            &jws, &cleaned, now, args.json,
        ));
    }
    let report = claims_report(&jws, now);
    let payload = jws.claims().map(Value::Object).unwrap_or_else(|_| {
        Value::String(String::from_utf8_lossy(&jws.payload_bytes).into_owned())
    });
    if args.json {
        let out = json!({
            "header": Value::Object(jws.header.clone()),
            "payload": payload,
            "signature": jws.signature_b64,
            "signature_bytes": jws.signature.len(),
            "segments": {"header": jws.header_b64, "payload": jws.payload_b64, "signature": jws.signature_b64},
            "source": {"label": cleaned.label, "removed": cleaned.removed},
            "claims": report,
            "headline": crate::inspect::report::headline_json(&jws, now),
            "verified": false,
        });
        Out::stdout().json(&serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        let mut out = Out::stdout();
        if let Some(line) = headline_line(&jws, now) {
            out.line(line);
        }
        print_human(&mut out, &jws, &payload, &report, cleaned.label.as_deref());
    }
    Ok(ExitCode::SUCCESS)
}

/// The validity headline as the first line of human output: `EXPIRED 3 days ago (…)`,
/// `NOT YET VALID — starts in 2 hours (…)`, `WARNING: expires in 42 days (…): re-mint before then`.
fn headline_line(jws: &Jws, now: i64) -> Option<String> {
    let headline = validity_headline(&jws.claims().ok()?, now)?;
    Some(match headline.severity() {
        Severity::Danger => headline.text(),
        _ => format!("WARNING: {}", headline.text()),
    })
}

fn print_human<W: std::io::Write>(
    out: &mut Out<W>,
    jws: &Jws,
    payload: &Value,
    report: &ClaimsReport,
    label: Option<&str>,
) {
    if let Some(label) = label {
        out.line(format!("from: {label}"));
    }
    for dup in &report.duplicates {
        out.line(format!("WARNING: {}", dup.warning()));
    }
    out.line("== header (NOT verified: use `supajwt verify`)");
    out.json_block(&Value::Object(jws.header.clone()));
    out.line("== payload");
    match payload {
        Value::String(s) => out.line(s),
        v => out.json_block(v),
    }
    out.line(format!("== signature: {} bytes", jws.signature.len()));
    if !report.times.is_empty() {
        out.line("== times");
        for t in &report.times {
            match &t.value {
                Ok(v) => out.line(format!(
                    "{:<9} {v}  {}  ({})  {}",
                    t.name, t.utc, t.local, t.relative
                )),
                Err(e) => out.line(format!("{:<9} ERROR: {e}", t.name)),
            }
        }
    }
    if !report.fields.is_empty() {
        out.line("== supabase");
        for (k, v) in &report.fields {
            out.line(format!("{k:<13} {v}"));
        }
    }
    for note in &report.notes {
        let tag = match note.severity {
            Severity::Info => "note",
            Severity::Warning => "WARNING",
            Severity::Danger => "DANGER",
        };
        out.line(format!("{tag}: {}", note.text));
    }
}
