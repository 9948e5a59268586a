//! HAR files (HTTP Archive 1.2), stream-parsed: `log.entries` is visited one entry at a time
//! (a serde `DeserializeSeed` over the array, in `stream`), so memory holds one entry, never
//! the file as a tree. [`scan_har`] lists the Supabase requests with their credentials and
//! findings, judging each entry here; [`redact_har`] (`redact`) copies a HAR with every
//! secret fingerprinted, entry by entry.

mod redact;
mod stream;
mod values;

pub use redact::redact_har;
pub use values::{redact_text, redact_url};

use super::findings::request_findings;
use super::http::is_supabase_url;
use super::recognise::recognise_request;
use super::{Credential, MAX_PASTE_BYTES, RequestInfo};
use crate::supabase::doctor::{Explanation, Finding, FindingCode, Severity, explain_error};
use serde::Deserialize;
use serde_json::Value;
use std::io::Read;

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
struct NameValue {
    name: String,
    value: String,
}

#[derive(Deserialize, Default)]
struct PostData {
    text: Option<String>,
}

#[derive(Deserialize, Default)]
struct Content {
    text: Option<String>,
    encoding: Option<String>,
}

#[derive(Deserialize)]
struct Req {
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<NameValue>,
    #[serde(rename = "postData", default)]
    post_data: Option<PostData>,
}

#[derive(Deserialize)]
struct Resp {
    #[serde(default)]
    status: i64,
    #[serde(default)]
    content: Content,
}

#[derive(Deserialize)]
struct Entry {
    request: Req,
    response: Resp,
}

/// Streams `reader`'s HAR, calling `on_request` for each Supabase request, in order.
/// Returns how many entries were read in all.
pub fn scan_har<R: Read>(
    reader: R,
    now: i64,
    mut on_request: impl FnMut(HarRequest),
) -> Result<usize, String> {
    let mut count = 0usize;
    let mut each = |e: Entry| {
        count += 1;
        if let Some(r) = analyse(e, now) {
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

fn analyse(e: Entry, now: i64) -> Option<HarRequest> {
    if !is_supabase_url(&e.request.url) {
        return None;
    }
    // A value over the paste cap is not read (each is scanned in linear time, but one value
    // may not cost more than a whole paste); the request says which were skipped.
    let mut skipped: Vec<String> = Vec::new();
    let mut fits = |what: &str, v: &str| {
        let ok = v.len() <= MAX_PASTE_BYTES;
        if !ok {
            skipped.push(what.to_string());
        }
        ok
    };
    let headers: Vec<(String, String)> = e
        .request
        .headers
        .into_iter()
        .filter(|h| !h.name.starts_with(':'))
        .map(|h| (h.name.to_ascii_lowercase(), h.value))
        .filter(|(n, v)| fits(&format!("header {n}"), v))
        .collect();
    let body = e
        .request
        .post_data
        .and_then(|p| p.text)
        .filter(|b| fits("body", b));
    let req = RequestInfo {
        method: Some(e.request.method.clone()),
        url: Some(e.request.url.clone()),
        headers,
    };
    let inspection = recognise_request(req, body);
    let mut findings = request_findings(&inspection, now);
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
    let status = e.response.status;
    let error = matches!(status, 401 | 403)
        .then(|| error_message(&e.response.content))
        .flatten()
        .map(|m| {
            let ex = explain_error(&m, &[]);
            (m, ex)
        });
    Some(HarRequest {
        method: e.request.method,
        url: e.request.url,
        status,
        credentials: inspection.credentials,
        omitted: inspection.omitted,
        findings,
        error,
    })
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
    let text = content.text.as_ref()?;
    if content.encoding.as_deref() == Some("base64") {
        let bytes =
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text.trim()).ok()?;
        return String::from_utf8(bytes).ok();
    }
    Some(text.clone())
}
