//! `supajwt har FILE.har`: the Supabase requests of a HAR file with their credentials and
//! findings, 401/403 explained; `--redact` writes a share-safe copy of the HAR instead.

use super::UsageError;
use super::inspect::{Printer, credential_json, finding_json, print_findings, secrets_of};
use super::io::now_or_system;
use super::out::Out;
use crate::inspect::Credential;
use crate::inspect::har::{HarRequest, redact_har, redact_url, scan_har};
use crate::inspect::memo::Memo;
use crate::safe_text::redact::fingerprint;
use clap::Args;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

// `har` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct HarArgs {
    /// The HAR file (DevTools → Network → Export HAR), or `-` for standard input.
    pub file: PathBuf,
    /// Print JSON: {"requests":[{"method","url","status","credentials","findings"}]}.
    #[arg(long)]
    pub json: bool,
    /// Write a share-safe copy of the HAR to standard output (secrets fingerprinted, emails
    /// masked); with --json, the JSON report redacted instead.
    #[arg(long)]
    pub redact: bool,
    /// Pretend the current time is this (seconds since 1970).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
}

fn open(path: &PathBuf) -> Result<Box<dyn std::io::Read>, UsageError> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin()));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| UsageError::new(format!("cannot open {}: {e}", path.display())))?;
    Ok(Box::new(file))
}

/// Runs `har`.
pub fn run(args: &HarArgs) -> Result<ExitCode, UsageError> {
    let reader = open(&args.file)?;
    if args.redact && !args.json {
        let mut out = Out::stdout();
        let n = redact_har(reader, out.json_stream())
            .map_err(|e| UsageError::new(format!("{}: {e}", args.file.display())))?;
        super::out::note(&format!("wrote a redacted HAR with {n} entries"));
        return Ok(ExitCode::SUCCESS);
    }
    let now = now_or_system(args.now);
    // Streamed: each request is printed as soon as its entry is read, and scrubbed of its own
    // secrets only, so memory and time stay linear in the file. A HAR sends the same few
    // credentials in every request: each is rendered once, then looked up (bounded).
    let mut rendered: Memo<Credential, Rc<str>> = Memo::new(MEMO_ENTRIES, MEMO_BYTES);
    let mut summaries: Memo<Credential, Rc<str>> = Memo::new(MEMO_ENTRIES, MEMO_BYTES);
    let mut shown = 0usize;
    let mut out = Out::stdout();
    if args.json {
        out.json("{\"requests\":[");
    }
    let result = scan_har(reader, now, |r| {
        let secrets = if args.redact {
            secrets_of(&r.credentials)
        } else {
            Vec::new()
        };
        let printer = Printer::new(args.redact, secrets);
        if args.json {
            let line = request_json(&r, now, args.redact, &mut rendered);
            printer.json(&format!("{}{line}", if shown > 0 { "," } else { "" }));
        } else {
            print_request(&printer, &r, &mut summaries);
        }
        shown += 1;
    });
    if args.json {
        out.json("]}");
    }
    let total = result.map_err(|e| UsageError::new(format!("{}: {e}", args.file.display())))?;
    if !args.json {
        out.blank();
        out.line(format!("{shown} Supabase requests among {total} entries"));
    }
    Ok(ExitCode::SUCCESS)
}

/// How many rendered credentials are kept, and their weight in bytes.
const MEMO_ENTRIES: usize = 512;
const MEMO_BYTES: usize = 4 << 20;

/// One request of `--json`: `{"method","url","status","credentials","findings"}`, then
/// `omitted` and `error` when there are some. Each credential's JSON is rendered once and
/// copied in as text afterwards (serde_json's compact form either way).
fn request_json(
    r: &HarRequest,
    now: i64,
    redact: bool,
    rendered: &mut Memo<Credential, Rc<str>>,
) -> String {
    let text = |v: Value| serde_json::to_string(&v).unwrap_or_default();
    let url = if redact {
        redact_url(&r.url)
    } else {
        r.url.clone()
    };
    let mut line = format!(
        "{{\"method\":{},\"url\":{},\"status\":{},\"credentials\":[",
        text(json!(r.method)),
        text(json!(url)),
        r.status
    );
    for (i, c) in r.credentials.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&rendered.get_or_make(
            c,
            |json| json.len() + c.value.len() + c.source.len(),
            || text(credential_json(c, now, redact)).into(),
        ));
    }
    line.push_str("],\"findings\":");
    line.push_str(&text(r.findings.iter().map(finding_json).collect()));
    if r.omitted > 0 {
        line.push_str(&format!(",\"omitted\":{}", r.omitted));
    }
    if let Some((message, ex)) = &r.error {
        line.push_str(",\"error\":");
        line.push_str(&text(json!({"message": message, "explanation": ex})));
    }
    line.push('}');
    line
}

fn print_request(p: &Printer, r: &HarRequest, summaries: &mut Memo<Credential, Rc<str>>) {
    p.line("");
    let url = if p.redact {
        redact_url(&r.url)
    } else {
        r.url.clone()
    };
    let path = url::Url::parse(&url).map(|u| {
        let mut s = u.path().to_string();
        if let Some(q) = u.query() {
            s.push('?');
            s.push_str(q);
        }
        format!("{} {s}", u.host_str().unwrap_or(""))
    });
    p.line(&format!(
        "{} {} {}",
        r.status,
        r.method,
        path.unwrap_or(url)
    ));
    for c in &r.credentials {
        let line = summaries.get_or_make(
            c,
            |line| line.len() + c.value.len() + c.source.len(),
            || {
                format!(
                    "    {}: {} [{}]",
                    c.source,
                    summary(c),
                    fingerprint(&c.value)
                )
                .into()
            },
        );
        p.line(&line);
    }
    if let Some(more) = crate::inspect::omitted_line(r.omitted) {
        p.line(&format!("    {more}"));
    }
    if let Some((message, ex)) = &r.error {
        p.line(&format!("    response: {message}"));
        p.line(&format!("    from {}: {}", ex.component, ex.meaning));
        p.line(&format!("    check: {}", ex.check));
    }
    print_findings(p, &r.findings);
}

/// `JWT role=anon`, `sb_publishable_ key`, ….
fn summary(c: &crate::inspect::Credential) -> String {
    use crate::inspect::CredentialKind as K;
    match c.kind {
        K::Jwt => {
            let claims = crate::jose::token::Jws::parse_unverified(&c.value)
                .ok()
                .and_then(|j| j.claims().ok())
                .unwrap_or_default();
            let get = |k: &str| {
                claims.get(k).map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
            };
            let mut s = "JWT".to_string();
            for k in ["role", "ref", "exp"] {
                if let Some(v) = get(k) {
                    s.push_str(&format!(" {k}={v}"));
                }
            }
            s
        }
        K::SbPublishable => "sb_publishable_ key (anon)".into(),
        K::SbSecret => "sb_secret_ key (service_role)".into(),
        other => super::inspect::kind_label(other).to_string(),
    }
}
