//! HAR files (HTTP Archive 1.2), stream-parsed: `stream` finds `log.entries` and hands over
//! one entry's bytes at a time (a string over 1 MiB never copied), serde reads the entry from
//! them, borrowing its strings and skipping its bodies unless a Supabase request needs them;
//! memory holds one entry, never the file as a tree. [`scan_har`] lists the Supabase requests
//! with their credentials and findings, judging each entry here (each distinct token decoded
//! once, in a bounded memo); [`redact_har`] (`redact`) copies a HAR with every secret
//! fingerprinted, entry by entry.

mod redact;
mod stream;
mod text;
mod values;

pub use redact::redact_har;
pub use values::{redact_text, redact_url};

use super::findings::{ClaimsMemo, request_findings_with};
use super::http::is_supabase_url;
use super::recognise::recognise_request;
use super::{Credential, RequestInfo};
use crate::supabase::doctor::{Explanation, Finding, FindingCode, Severity, explain_error};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use std::io::Read;
use text::Text;

/// One request to Supabase, as the HAR recorded it.
#[derive(Debug, Clone)]
pub struct HarRequest {
    /// `GET`, `POST`, ….
    pub method: String,
    /// The full URL.
    pub url: String,
    /// The response status (0 when the request failed or was blocked).
    pub status: i64,
    /// The credentials it sent, in order (the first [`super::MAX_CREDENTIALS`]).
    pub credentials: Vec<Credential>,
    /// Credentials and remarks beyond the cap: counted, not kept.
    pub omitted: usize,
    /// The combination findings.
    pub findings: Vec<Finding>,
    /// For a 401/403: the error message of the response, explained.
    pub error: Option<(String, Explanation)>,
}

#[derive(Deserialize)]
struct NameValue<'a> {
    #[serde(borrow)]
    name: Text<'a>,
    #[serde(borrow)]
    value: Text<'a>,
}

#[derive(Deserialize)]
struct Req<'a> {
    #[serde(borrow)]
    method: Text<'a>,
    #[serde(borrow)]
    url: Text<'a>,
    #[serde(default, borrow)]
    headers: Vec<NameValue<'a>>,
    /// Only whether there is one: read in [`Bodies`] when needed.
    #[serde(rename = "postData", default)]
    post_data: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Resp {
    #[serde(default)]
    status: i64,
}

/// One entry, borrowed from the stream's buffer; its bodies are skipped, not built.
#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    request: Req<'a>,
    response: Resp,
}

/// The bodies of an entry, read again from its bytes only for a Supabase request that has a
/// request body or a 401/403 response.
#[derive(Deserialize, Default)]
struct Bodies<'a> {
    #[serde(default, borrow)]
    request: ReqBody<'a>,
    #[serde(default, borrow)]
    response: RespBody<'a>,
}

#[derive(Deserialize, Default)]
struct ReqBody<'a> {
    #[serde(rename = "postData", default, borrow)]
    post_data: Option<PostData<'a>>,
}

#[derive(Deserialize, Default)]
struct PostData<'a> {
    #[serde(borrow)]
    text: Option<Text<'a>>,
}

#[derive(Deserialize, Default)]
struct RespBody<'a> {
    #[serde(default, borrow)]
    content: Content<'a>,
}

#[derive(Deserialize, Default)]
struct Content<'a> {
    #[serde(borrow)]
    text: Option<Text<'a>>,
    #[serde(borrow)]
    encoding: Option<Text<'a>>,
}

/// Streams `reader`'s HAR, calling `on_request` for each Supabase request, in order.
/// Returns how many entries were read in all.
pub fn scan_har<R: Read>(
    reader: R,
    now: i64,
    mut on_request: impl FnMut(HarRequest),
) -> Result<usize, String> {
    let mut count = 0usize;
    // Each distinct token is decoded once for the whole file (bounded).
    let mut memo = ClaimsMemo::default();
    let mut each = |bytes: &[u8]| {
        count += 1;
        let entry: Entry<'_> = serde_json::from_slice(bytes).map_err(entry_error)?;
        if let Some(r) = analyse(entry, bytes, now, &mut memo)? {
            on_request(r);
        }
        Ok(())
    };
    let seen = stream::read_entries(reader, &mut each)?;
    if !seen {
        return Err("not a HAR file: no log.entries array".into());
    }
    Ok(count)
}

/// A serde error in an entry, without its line and column (those of the entry's copy).
fn entry_error(e: serde_json::Error) -> String {
    let text = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&at).unwrap_or(&text).to_string()
}

/// The Supabase request of an entry (`None` for any other); `bytes` is the entry, read again
/// for its bodies when it has them.
fn analyse(
    e: Entry<'_>,
    bytes: &[u8],
    now: i64,
    memo: &mut ClaimsMemo,
) -> Result<Option<HarRequest>, String> {
    // A method or URL over the paste cap is no request this can judge.
    let (Some(method), Some(url)) = (e.request.method.get(), e.request.url.get()) else {
        return Ok(None);
    };
    if !is_supabase_url(url) {
        return Ok(None);
    }
    let status = e.response.status;
    let bodies: Bodies<'_> = if e.request.post_data.is_some() || matches!(status, 401 | 403) {
        serde_json::from_slice(bytes).map_err(entry_error)?
    } else {
        Bodies::default()
    };
    let (method, url) = (method.to_string(), url.to_string());
    // A value over the paste cap is not read (each is scanned in linear time, but one value
    // may not cost more than a whole paste): the stream did not even copy it; the request
    // says which were skipped.
    let mut skipped: Vec<String> = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    for h in &e.request.headers {
        let Some(name) = h.name.get() else {
            skipped.push("a header name".into());
            continue;
        };
        if name.starts_with(':') {
            continue;
        }
        let name = name.to_ascii_lowercase();
        match h.value.get() {
            Some(v) => headers.push((name, v.to_string())),
            None => skipped.push(format!("header {name}")),
        }
    }
    let body = match bodies.request.post_data.and_then(|p| p.text) {
        Some(Text::Str(text)) => Some(text.into_owned()),
        Some(Text::TooLarge) => {
            skipped.push("body".into());
            None
        }
        None => None,
    };
    let req = RequestInfo {
        method: Some(method.clone()),
        url: Some(url.clone()),
        headers,
    };
    let inspection = recognise_request(req, body);
    let mut findings = request_findings_with(&inspection, now, memo);
    if !skipped.is_empty() {
        findings.push(
            Finding::new(
                Severity::Info,
                FindingCode::HarValueTooLarge,
                format!("not read: {} (over 1 MiB each)", skipped.join(", ")),
            )
            .detail("A single header value or body over the 1 MiB paste limit is skipped, so one entry cannot cost more than a whole paste; the credentials in it are not listed.")
            .fix("Copy that value into `supajwt inspect --file` in parts if it matters."),
        );
    }
    let error = matches!(status, 401 | 403)
        .then(|| error_message(&bodies.response.content))
        .flatten()
        .map(|m| {
            let ex = explain_error(&m, &[]);
            (m, ex)
        });
    Ok(Some(HarRequest {
        method,
        url,
        status,
        credentials: inspection.credentials,
        omitted: inspection.omitted,
        findings,
        error,
    }))
}

/// The error text of a Supabase error response (`msg`, `message`, `error_description`, `error`).
fn error_message(content: &Content) -> Option<String> {
    let text = content_text(content)?;
    let v: Value = serde_json::from_str(&text).ok()?;
    ["msg", "message", "error_description", "error"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str).map(str::to_string))
        .or_else(|| (!text.trim().is_empty() && text.len() < 300).then(|| text.trim().to_string()))
}

fn content_text(content: &Content) -> Option<String> {
    let text = content.text.as_ref()?.get()?;
    if content.encoding.as_ref().and_then(Text::get) == Some("base64") {
        let bytes =
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text.trim()).ok()?;
        return String::from_utf8(bytes).ok();
    }
    Some(text.to_string())
}
