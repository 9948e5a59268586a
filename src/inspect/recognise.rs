//! The recogniser: pasted text → the credentials in it, in order, each with its source. This
//! file decides what the paste is and keeps the findings (a credential or remark is kept once,
//! in order); the readers of each kind of source are in `json` (JSON, sessions), `request`
//! (URLs, headers, cookies, bodies) and `lines` (header, `.env` and cookie lines, DevTools
//! tables). Every pass is linear in the input; JSON nesting is bounded by serde_json's depth
//! limit.

mod json;
mod lines;
mod request;

use super::http;
use super::shell::{self, Quoting};
use super::{
    Credential, CredentialKind, Inspection, MAX_CREDENTIALS, MAX_PASTE_BYTES, RequestInfo, Slot,
};
use crate::jose::error::CoreError;
use crate::safe_text::redact::looks_like_jwt;
use crate::supabase::doctor::Finding;
use crate::supabase::opaque::OpaqueKind;
use std::collections::HashSet;

/// Reads pasted text and returns every credential in it, in order, with the request around
/// them when the paste is one. `Ok` with no credentials when nothing was recognised.
pub fn recognise(text: &str) -> Result<Inspection, CoreError> {
    if text.len() > MAX_PASTE_BYTES {
        return Err(CoreError::TooLarge {
            size: text.len(),
            limit: MAX_PASTE_BYTES,
        });
    }
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return Err(CoreError::Empty);
    }
    let mut c = Collector::default();
    let first_word = t
        .split_whitespace()
        .find(|w| *w != "$" && *w != ">")
        .unwrap_or("");
    let json_done = (t.starts_with('{') || t.starts_with('[')) && c.json_paste(t);
    if json_done {
        return Ok(c.out);
    }
    if matches!(first_word, "curl" | "curl.exe" | "wget") {
        let quoting = Quoting::detect(t);
        let words: Vec<String> = shell::split_words(t, quoting)
            .into_iter()
            .skip_while(|w| w == "$" || w == ">")
            .collect();
        let (req, body) = shell::command_request(&words);
        c.out.shape = format!(
            "a {first_word} command ({} quoting)",
            if quoting == Quoting::Cmd {
                "Windows cmd"
            } else {
                "bash"
            }
        );
        c.request(req, body);
    } else if t.contains("fetch(") {
        if let Some((req, body)) = http::parse_fetch(t) {
            c.out.shape = "a fetch() call".into();
            c.request(req, body);
        }
    } else if let Some((req, body)) = http::parse_raw_request(t) {
        c.out.shape = "a raw HTTP request".into();
        c.request(req, body);
    } else if !t.contains(char::is_whitespace)
        && (t.starts_with("http://") || t.starts_with("https://") || t.contains("access_token="))
    {
        c.out.shape = "a URL".into();
        c.url(t);
    } else {
        c.lines(t);
    }
    Ok(c.out)
}

/// The credentials of one request (a HAR entry): URL, headers and body.
pub(super) fn recognise_request(req: RequestInfo, body: Option<String>) -> Inspection {
    let mut c = Collector::default();
    c.out.shape = "a HAR entry".into();
    c.request(req, body);
    c.out
}

/// The inspection being built, credential by credential. What was kept is remembered in hash
/// sets, so keeping each value once stays linear however many the paste holds.
#[derive(Default)]
struct Collector {
    out: Inspection,
    /// (source, value) of every credential seen, kept or counted.
    seen: HashSet<(String, String)>,
    /// (code, title) of every remark seen.
    seen_remarks: HashSet<(String, String)>,
}

/// The kind a value's shape alone says.
fn kind_by_shape(v: &str) -> Option<CredentialKind> {
    match OpaqueKind::of(v) {
        Some(OpaqueKind::Publishable) => Some(CredentialKind::SbPublishable),
        Some(OpaqueKind::Secret) => Some(CredentialKind::SbSecret),
        None if looks_like_jwt(v) => Some(CredentialKind::Jwt),
        None => None,
    }
}

/// The kind a value has under a JSON key / URL parameter / form field name.
fn kind_by_key(key: &str, v: &str) -> Option<CredentialKind> {
    if v.is_empty() {
        return None;
    }
    kind_by_shape(v).or(match key {
        "refresh_token" => Some(CredentialKind::RefreshToken),
        "provider_token" | "provider_refresh_token" => Some(CredentialKind::ProviderToken),
        "password" | "new_password" => Some(CredentialKind::Password),
        "code_verifier" => Some(CredentialKind::CodeVerifier),
        "code" | "auth_code" if !is_error_code(v) => Some(CredentialKind::PkceCode),
        "access_token" | "apikey" | "token" | "token_hash" => Some(CredentialKind::Unknown),
        _ => None,
    })
}

/// Whether a `code` value names an error, not a PKCE authorization code: PostgREST's
/// `PGRST301`, a SQLSTATE (`42501`, `P0001`), an HTTP status, or a word such as GoTrue's
/// `bad_jwt` (GoTrue's own authorization codes are UUIDs; a provider's carry digits).
fn is_error_code(v: &str) -> bool {
    let sqlstate = v.len() == 5
        && v.chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
    v.starts_with("PGRST")
        || sqlstate
        || v.chars().all(|c| c.is_ascii_digit())
        || v.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

fn strip_quotes(v: &str) -> &str {
    let v = v.trim().trim_end_matches([',', ';']).trim();
    for q in ['"', '\'', '`'] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

impl Collector {
    /// Adds a credential, unless the same value from the same source is already there.
    fn push(
        &mut self,
        source: String,
        kind: CredentialKind,
        value: &str,
        slot: Slot,
        notes: Vec<String>,
    ) {
        if !self.seen.insert((source.clone(), value.to_string())) {
            return;
        }
        if self.out.credentials.len() >= MAX_CREDENTIALS {
            self.out.omitted += 1;
        } else {
            self.out.credentials.push(Credential {
                source,
                kind,
                value: value.to_string(),
                slot,
                notes,
            });
        }
    }

    /// Adds a remark, unless one with the same code and title is already there.
    fn remark(&mut self, finding: Finding) {
        let key = (finding.code.to_string(), finding.title.clone());
        if !self.seen_remarks.insert(key) {
            return;
        }
        if self.out.remarks.len() >= MAX_CREDENTIALS {
            self.out.omitted += 1;
        } else {
            self.out.remarks.push(finding);
        }
    }

    /// Every JWT / `sb_` key in free text.
    fn scan(&mut self, text: &str, source: &str, slot: Slot) {
        for run in
            text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        {
            let run = run.trim_matches('.');
            if let Some(kind) = kind_by_shape(run) {
                self.push(source.to_string(), kind, run, slot, vec![]);
            }
        }
    }
}
