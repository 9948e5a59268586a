//! `supajwt inspect`: every credential in a paste, in order, then whether the combination
//! can work. Also the shared rendering of credentials for `decode --redact` and `har`.

use super::UsageError;
use super::io::{now_or_system, read_text_file};
use super::out::Out;
use crate::inspect::report::{credential_lines, findings_lines};
use crate::inspect::{Credential, CredentialKind, MAX_PASTE_BYTES, recognise, request_findings};
use crate::jose::input::{CleanedToken, clean_token_input};
use crate::jose::token::Jws;
use crate::safe_text::redact::{Scrubber, fingerprint};
use crate::supabase::doctor::Finding;
use crate::supabase::opaque::OpaqueCheck;
use clap::Args;
use serde_json::{Map, Value, json};
use std::cell::RefCell;
use std::io::{IsTerminal, Read, StdoutLock};
use std::path::PathBuf;
use std::process::ExitCode;

// `inspect` arguments (described on the enum variant: clap would show a doc comment here instead).
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
    /// The secrets known to be in the output, as one automaton.
    scrubber: Scrubber,
    out: RefCell<Out<StdoutLock<'static>>>,
}

impl Printer {
    /// A printer over standard output.
    pub fn new(redact: bool, secrets: Vec<String>) -> Self {
        Printer {
            redact,
            scrubber: Scrubber::new(if redact { secrets.as_slice() } else { &[] }),
            out: RefCell::new(Out::stdout()),
        }
    }

    fn scrub(&self, text: &str) -> String {
        if self.redact {
            self.scrubber.scrub(text)
        } else {
            text.to_string()
        }
    }

    /// One line of human output: whatever it embeds, it stays one line.
    pub fn line(&self, text: &str) {
        self.out.borrow_mut().line(self.scrub(text));
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
                return Err(UsageError::new(
                    "give the text as an argument, --file FILE, or pipe it in (use - for standard input)",
                ));
            }
            let mut buf = Vec::new();
            stdin
                .lock()
                .take(MAX_PASTE_BYTES as u64 + 1)
                .read_to_end(&mut buf)
                .map_err(|e| UsageError::new(format!("cannot read standard input: {e}")))?;
            if buf.len() > MAX_PASTE_BYTES {
                return Err(UsageError::new(format!(
                    "the input is larger than the {MAX_PASTE_BYTES}-byte limit"
                )));
            }
            String::from_utf8(buf).map_err(|_| UsageError::new("the input is not UTF-8 text"))
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
        let mut out = json!({
            "credentials": inspection.credentials.iter().map(|c| credential_json(c, now, args.redact)).collect::<Vec<_>>(),
            "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
        });
        if inspection.omitted > 0 {
            out["omitted"] = json!(inspection.omitted);
        }
        printer.json(&serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        for line in report_lines(&inspection, &findings, now, args.redact) {
            printer.line(&line);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) use crate::inspect::report::{kind_label, report_lines, secrets_of, token_json};

/// One credential, human-readable.
pub(super) fn print_credential(p: &Printer, n: usize, c: &Credential, now: i64) {
    for line in credential_lines(n, c, now, p.redact) {
        p.line(&line);
    }
}

/// The findings block.
pub(super) fn print_findings(p: &Printer, findings: &[Finding]) {
    for line in findings_lines(findings) {
        p.line(&line);
    }
}

/// A finding as `{"severity","code","title","detail","fix"}`.
pub(super) fn finding_json(f: &Finding) -> Value {
    json!({"severity": f.severity, "code": f.code, "title": f.title, "detail": f.detail, "fix": f.fix})
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

/// `decode`'s one-token contract over the recogniser: a paste holding several credentials, or
/// one that is not a JWT, is refused with what it holds; otherwise the usual unwrapping.
pub(super) fn one_token(raw: &str) -> Result<CleanedToken, UsageError> {
    let (found, omitted) = recognise(raw)
        .map(|i| (i.credentials, i.omitted))
        .unwrap_or_default();
    if found.len() + omitted > 1 {
        let list: Vec<String> = found
            .iter()
            .map(|c| format!("{} ({})", c.source, kind_label(c.kind)))
            .collect();
        return Err(UsageError::new(format!(
            "this paste holds {} credentials: {}{}. decode takes one token: run `supajwt inspect` to see them all, in order",
            found.len() + omitted,
            list.join(", "),
            if omitted > 0 {
                format!(" and {omitted} more")
            } else {
                String::new()
            }
        )));
    }
    if let Some(c) = found
        .first()
        .filter(|c| !matches!(c.kind, CredentialKind::Jwt | CredentialKind::Unknown))
    {
        return Err(UsageError::new(format!(
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
        slot: crate::inspect::Slot::Stored,
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
