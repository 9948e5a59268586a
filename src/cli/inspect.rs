//! `supajwt inspect`: every credential in a paste, in order, then whether the combination
//! can work. Also the shared rendering of credentials for `decode --redact` and `har`.

use super::UsageError;
use super::io::{now_or_system, read_text_file};
use super::out::Out;
use crate::core::claims::{ClaimsReport, Severity as NoteSeverity, claims_report};
use crate::core::doctor::Finding;
use crate::core::escape::pretty_json;
use crate::core::input::{CleanedToken, clean_token_input};
use crate::core::inspect::redact::{
    fingerprint, mask_email, mask_phone, redact_claims, scrub_text,
};
use crate::core::inspect::{
    Credential, CredentialKind, MAX_PASTE_BYTES, recognise, request_findings,
};
use crate::core::opaque::OpaqueCheck;
use crate::core::token::Jws;
use clap::Args;
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::io::{IsTerminal, Read, StdoutLock};
use std::path::PathBuf;
use std::process::ExitCode;

/// `inspect` arguments.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The pasted text (or `-` for standard input): a token, cookie, session JSON, redirect
    /// URL, curl / fetch / wget command, raw HTTP request or .env lines.
    pub input: Option<String>,
    /// Read the paste from a file instead.
    #[arg(long, value_name = "FILE", conflicts_with = "input")]
    pub file: Option<PathBuf>,
    /// Print JSON: {"credentials":[…],"findings":[…]}.
    #[arg(long)]
    pub json: bool,
    /// Share-safe output: secrets become sha256 fingerprints, emails and phones are masked.
    #[arg(long)]
    pub redact: bool,
    /// Pretend the current time is this (seconds since 1970).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
}

/// Prints human output through the command line's one writer ([`Out`]): with `--redact`
/// every line first goes through the safety-net scrub; then it is escaped like all human output.
pub(super) struct Printer {
    /// Scrub secrets out of every line.
    pub redact: bool,
    /// The secrets known to be in the output.
    pub secrets: Vec<String>,
    out: RefCell<Out<StdoutLock<'static>>>,
}

impl Printer {
    /// A printer over standard output.
    pub fn new(redact: bool, secrets: Vec<String>) -> Self {
        Printer {
            redact,
            secrets,
            out: RefCell::new(Out::stdout()),
        }
    }

    fn scrub(&self, text: &str) -> String {
        if self.redact {
            let secrets: Vec<&str> = self.secrets.iter().map(String::as_str).collect();
            scrub_text(text, &secrets)
        } else {
            text.to_string()
        }
    }

    /// One line of human output: whatever it embeds, it stays one line.
    pub fn line(&self, text: &str) {
        self.out.borrow_mut().line(self.scrub(text));
    }

    /// A JSON value inside human output, each line indented.
    pub fn json_block(&self, indent: &str, value: &Value) {
        for line in pretty_json(value).lines() {
            self.line(&format!("{indent}{line}"));
        }
    }

    /// `--json` output (scrubbed with `--redact`), exact JSON.
    pub fn json(&self, text: &str) {
        self.out.borrow_mut().json(&self.scrub(text));
    }
}

fn read_paste(args: &InspectArgs) -> Result<String, UsageError> {
    if let Some(path) = &args.file {
        return read_text_file(path, MAX_PASTE_BYTES);
    }
    match args.input.as_deref() {
        Some("-") | None => {
            let stdin = std::io::stdin();
            if args.input.is_none() && stdin.is_terminal() {
                return Err(UsageError("give the text as an argument, --file FILE, or pipe it in (use - for standard input)".into()));
            }
            let mut buf = Vec::new();
            stdin
                .lock()
                .take(MAX_PASTE_BYTES as u64 + 1)
                .read_to_end(&mut buf)
                .map_err(|e| UsageError(format!("cannot read standard input: {e}")))?;
            if buf.len() > MAX_PASTE_BYTES {
                return Err(UsageError(format!(
                    "the input is larger than the {MAX_PASTE_BYTES}-byte limit"
                )));
            }
            String::from_utf8(buf).map_err(|_| UsageError("the input is not UTF-8 text".into()))
        }
        Some(text) => Ok(text.to_string()),
    }
}

/// Runs `inspect`.
pub fn run(args: &InspectArgs) -> Result<ExitCode, UsageError> {
    let text = read_paste(args)?;
    let inspection = recognise(&text)?;
    let now = now_or_system(args.now);
    let findings = request_findings(&inspection, now);
    if inspection.credentials.is_empty() && findings.is_empty() {
        super::out::note(
            "error: no credential recognised: supajwt reads JWTs, sb_publishable_/sb_secret_ keys, Supabase cookies and sessions, redirect URLs, curl/fetch/wget commands, raw HTTP requests and .env lines",
        );
        return Ok(ExitCode::from(2));
    }
    let printer = Printer::new(args.redact, secrets_of(&inspection.credentials));
    if args.json {
        let out = json!({
            "credentials": inspection.credentials.iter().map(|c| credential_json(c, now, args.redact)).collect::<Vec<_>>(),
            "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
        });
        printer.json(&serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        let n = inspection.credentials.len();
        printer.line(&format!(
            "{n} credential{} in {}",
            if n == 1 { "" } else { "s" },
            inspection.shape
        ));
        for (i, c) in inspection.credentials.iter().enumerate() {
            printer.line("");
            print_credential(&printer, i + 1, c, now);
        }
        print_findings(&printer, &findings);
    }
    Ok(ExitCode::SUCCESS)
}

/// The values to scrub from output: each credential and, for JWTs, each segment.
pub(super) fn secrets_of(creds: &[Credential]) -> Vec<String> {
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

/// A finding as `{"severity","code","title","detail","fix"}`.
pub(super) fn finding_json(f: &Finding) -> Value {
    json!({"severity": f.severity, "code": f.code, "title": f.title, "detail": f.detail, "fix": f.fix})
}

/// `decode --json`'s members for a token: header, payload, signature, segments, claims.
pub(super) fn token_json(jws: &Jws, now: i64, redact: bool) -> Map<String, Value> {
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
    m.insert("headline".into(), super::decode::headline_json(jws, now));
    m.insert("verified".into(), Value::Bool(false));
    m
}

fn redact_report(report: &mut ClaimsReport) {
    for (label, value) in &mut report.fields {
        if label.contains("email") {
            *value = mask_email(value);
        } else if label.contains("phone") {
            *value = mask_phone(value);
        }
    }
}

/// One credential as JSON: source, kind, explanation, notes, and the kind's own members.
pub(super) fn credential_json(c: &Credential, now: i64, redact: bool) -> Value {
    let mut m = Map::new();
    m.insert("source".into(), json!(c.source));
    m.insert("kind".into(), json!(c.kind));
    m.insert("explanation".into(), json!(c.explain()));
    m.insert("notes".into(), json!(c.notes));
    m.insert("fingerprint".into(), json!(fingerprint(&c.value)));
    let shown = if redact {
        fingerprint(&c.value)
    } else {
        c.value.clone()
    };
    match c.kind {
        CredentialKind::Jwt => match Jws::parse_unverified(&c.value) {
            Ok(jws) => m.extend(token_json(&jws, now, redact)),
            Err(e) => {
                m.insert("value".into(), json!(shown));
                m.insert("error".into(), json!(e.to_string()));
            }
        },
        CredentialKind::SbPublishable | CredentialKind::SbSecret => {
            m.insert("value".into(), json!(shown));
            if let Some(k) = c.opaque_kind() {
                m.insert("role".into(), json!(k.role()));
            }
            let check = match c.opaque_check() {
                Some(OpaqueCheck::ChecksumOk) => "ok",
                Some(OpaqueCheck::ChecksumMismatch) => "mismatch",
                _ => "malformed",
            };
            m.insert("checksum".into(), json!(check));
        }
        _ => {
            m.insert("value".into(), json!(shown));
        }
    }
    Value::Object(m)
}

/// One credential, human-readable.
pub(super) fn print_credential(p: &Printer, n: usize, c: &Credential, now: i64) {
    p.line(&format!("[{n}] {} — {}", c.source, kind_label(c.kind)));
    p.line(&format!("    {}", c.explain()));
    for note in &c.notes {
        p.line(&format!("    note: {note}"));
    }
    if c.kind != CredentialKind::Jwt {
        p.line(&format!(
            "    value: {}",
            if p.redact {
                fingerprint(&c.value)
            } else {
                c.value.clone()
            }
        ));
        return;
    }
    let jws = match Jws::parse_unverified(&c.value) {
        Ok(j) => j,
        Err(e) => {
            p.line(&format!("    not decodable: {e}"));
            return;
        }
    };
    let m = token_json(&jws, now, p.redact);
    p.line("    header (NOT verified: use `supajwt verify`):");
    p.json_block("      ", m.get("header").unwrap_or(&Value::Null));
    p.line("    payload:");
    p.json_block("      ", m.get("payload").unwrap_or(&Value::Null));
    p.line(&format!(
        "    signature: {} bytes{}",
        jws.signature.len(),
        if p.redact {
            format!(" ({})", fingerprint(&jws.signature_b64))
        } else {
            String::new()
        }
    ));
    p.line(&format!(
        "    fingerprint of the whole token: {}",
        fingerprint(&c.value)
    ));
    let mut report = claims_report(&jws, now);
    if p.redact {
        redact_report(&mut report);
    }
    for t in &report.times {
        match &t.value {
            Ok(v) => p.line(&format!(
                "    {:<9} {v}  {}  ({})",
                t.name, t.utc, t.relative
            )),
            Err(e) => p.line(&format!("    {:<9} ERROR: {e}", t.name)),
        }
    }
    for (k, v) in &report.fields {
        p.line(&format!("    {k:<13} {v}"));
    }
    for note in &report.notes {
        let tag = match note.severity {
            NoteSeverity::Info => "note",
            NoteSeverity::Warning => "WARNING",
            NoteSeverity::Danger => "DANGER",
        };
        p.line(&format!("    {tag}: {}", note.text));
    }
}

pub(super) fn kind_label(kind: CredentialKind) -> &'static str {
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

/// The findings block.
pub(super) fn print_findings(p: &Printer, findings: &[Finding]) {
    if findings.is_empty() {
        return;
    }
    p.line("");
    p.line("== findings");
    for f in findings {
        p.line(&format!("{} {}: {}", f.severity.label(), f.code, f.title));
        if !f.detail.is_empty() {
            p.line(&format!("    {}", f.detail));
        }
        if !f.fix.is_empty() {
            p.line(&format!("    fix: {}", f.fix));
        }
    }
}

/// `decode`'s one-token contract over the recogniser: a paste holding several credentials, or
/// one that is not a JWT, is refused with what it holds; otherwise the usual unwrapping.
pub(super) fn one_token(raw: &str) -> Result<CleanedToken, UsageError> {
    let found = recognise(raw).map(|i| i.credentials).unwrap_or_default();
    if found.len() > 1 {
        let list: Vec<String> = found
            .iter()
            .map(|c| format!("{} ({})", c.source, kind_label(c.kind)))
            .collect();
        return Err(UsageError(format!(
            "this paste holds {} credentials: {}. decode takes one token: run `supajwt inspect` to see them all, in order",
            found.len(),
            list.join(", ")
        )));
    }
    if let Some(c) = found
        .first()
        .filter(|c| !matches!(c.kind, CredentialKind::Jwt | CredentialKind::Unknown))
    {
        return Err(UsageError(format!(
            "this is {} ({}), not a JWT: {}",
            kind_label(c.kind),
            c.source,
            c.explain()
        )));
    }
    let cleaned = clean_token_input(raw);
    match (&cleaned, found.first()) {
        (Ok(c), _) if Jws::parse_unverified(&c.token).is_ok() => Ok(cleaned?),
        (_, Some(c)) if c.kind == CredentialKind::Jwt => Ok(CleanedToken {
            token: c.value.clone(),
            label: Some(c.source.clone()),
            removed: vec![format!("everything around the {}", c.source)],
        }),
        _ => Ok(cleaned?),
    }
}

/// `decode --redact`: the token as `inspect --redact` shows it.
pub(super) fn print_redacted_token(
    jws: &Jws,
    cleaned: &CleanedToken,
    now: i64,
    as_json: bool,
) -> ExitCode {
    let cred = Credential {
        source: cleaned.label.clone().unwrap_or_else(|| "argument".into()),
        kind: CredentialKind::Jwt,
        value: jws.compact.clone(),
        slot: crate::core::inspect::Slot::Stored,
        notes: vec![],
    };
    let printer = Printer::new(true, secrets_of(std::slice::from_ref(&cred)));
    if as_json {
        let mut m = token_json(jws, now, true);
        m.insert(
            "source".into(),
            json!({"label": cleaned.label, "removed": cleaned.removed}),
        );
        printer.json(&serde_json::to_string_pretty(&Value::Object(m)).unwrap_or_default());
    } else {
        print_credential(&printer, 1, &cred, now);
    }
    ExitCode::SUCCESS
}
