//! HAR files (HTTP Archive 1.2), stream-parsed: `log.entries` is visited one entry at a time
//! (a serde `DeserializeSeed` over the array), so memory holds one entry, never the file as a
//! tree. [`scan_har`] lists the Supabase requests with their credentials and findings;
//! [`redact_har`] copies a HAR with every secret fingerprinted, entry by entry.

use super::findings::request_findings;
use super::http::is_supabase_url;
use super::recognise::recognise_request;
use super::{Credential, RequestInfo};
use crate::safe_text::redact::{fingerprint, redact_json, scrub_text};
use crate::supabase::doctor::{Explanation, Finding, explain_error};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::io::{Read, Write};

/// One request to Supabase, as the HAR recorded it.
#[derive(Debug, Clone)]
pub struct HarRequest {
    /// `GET`, `POST`, ….
    pub method: String,
    /// The full URL.
    pub url: String,
    /// The response status (0 when the request failed or was blocked).
    pub status: i64,
    /// The credentials it sent, in order.
    pub credentials: Vec<Credential>,
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
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let seen = Root { each: &mut each }
        .deserialize(&mut de)
        .map_err(|e| format!("not a readable HAR file: {e}"))?;
    if !seen {
        return Err("not a HAR file: no log.entries array".into());
    }
    Ok(count)
}

fn analyse(e: Entry, now: i64) -> Option<HarRequest> {
    if !is_supabase_url(&e.request.url) {
        return None;
    }
    let req = RequestInfo {
        method: Some(e.request.method.clone()),
        url: Some(e.request.url.clone()),
        headers: e
            .request
            .headers
            .into_iter()
            .filter(|h| !h.name.starts_with(':'))
            .map(|h| (h.name.to_ascii_lowercase(), h.value))
            .collect(),
    };
    let body = e.request.post_data.and_then(|p| p.text);
    let inspection = recognise_request(req, body);
    let findings = request_findings(&inspection, now);
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

type EachEntry<'a> = &'a mut dyn FnMut(Entry) -> Result<(), String>;

/// The top-level object: finds `log`. Yields whether `log.entries` was seen.
struct Root<'a> {
    each: EachEntry<'a>,
}

impl<'de> DeserializeSeed<'de> for Root<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Root<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR object {\"log\": …}")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "log" {
                seen |= map.next_value_seed(Log {
                    each: &mut *self.each,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(seen)
    }
}

struct Log<'a> {
    each: EachEntry<'a>,
}

impl<'de> DeserializeSeed<'de> for Log<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the HAR log object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut seen = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                map.next_value_seed(Entries {
                    each: &mut *self.each,
                })?;
                seen = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(seen)
    }
}

struct Entries<'a> {
    each: EachEntry<'a>,
}

impl<'de> DeserializeSeed<'de> for Entries<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the log.entries array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Entry>()? {
            (self.each)(entry).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

/// Copies a HAR from `reader` to `writer` with every secret fingerprinted and every email
/// masked, one entry in memory at a time. Returns the number of entries written.
pub fn redact_har<R: Read, W: Write>(reader: R, writer: W) -> Result<usize, String> {
    let mut out = std::io::BufWriter::new(writer);
    let mut count = 0usize;
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    RedactObject {
        out: &mut out,
        count: &mut count,
        depth: 0,
    }
    .deserialize(&mut de)
    .map_err(|e| format!("not a readable HAR file: {e}"))?;
    de.end()
        .map_err(|e| format!("trailing data after the HAR: {e}"))?;
    out.write_all(b"\n")
        .and_then(|_| out.flush())
        .map_err(|e| e.to_string())?;
    Ok(count)
}

/// Writes an object key by key: depth 0 is the root, 1 is `log` (whose `entries` streams).
struct RedactObject<'a, W: Write> {
    out: &'a mut W,
    count: &'a mut usize,
    depth: u8,
}

fn io_err<E: de::Error>(e: std::io::Error) -> E {
    E::custom(format!("cannot write: {e}"))
}

impl<'de, W: Write> DeserializeSeed<'de> for RedactObject<'_, W> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, W: Write> Visitor<'de> for RedactObject<'_, W> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a HAR object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.out.write_all(b"{").map_err(io_err)?;
        let mut first = true;
        while let Some(key) = map.next_key::<String>()? {
            if !first {
                self.out.write_all(b",").map_err(io_err)?;
            }
            first = false;
            serde_json::to_writer(&mut *self.out, &key).map_err(de::Error::custom)?;
            self.out.write_all(b":").map_err(io_err)?;
            match (self.depth, key.as_str()) {
                (0, "log") => map.next_value_seed(RedactObject {
                    out: &mut *self.out,
                    count: &mut *self.count,
                    depth: 1,
                })?,
                (1, "entries") => map.next_value_seed(RedactEntries {
                    out: &mut *self.out,
                    count: &mut *self.count,
                })?,
                _ => {
                    let v: Value = map.next_value()?;
                    serde_json::to_writer(&mut *self.out, &redact_json(&v))
                        .map_err(de::Error::custom)?;
                }
            }
        }
        self.out.write_all(b"}").map_err(io_err)
    }
}

struct RedactEntries<'a, W: Write> {
    out: &'a mut W,
    count: &'a mut usize,
}

impl<'de, W: Write> DeserializeSeed<'de> for RedactEntries<'_, W> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, W: Write> Visitor<'de> for RedactEntries<'_, W> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the log.entries array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.out.write_all(b"[").map_err(io_err)?;
        while let Some(entry) = seq.next_element::<Value>()? {
            if *self.count > 0 {
                self.out.write_all(b",").map_err(io_err)?;
            }
            *self.count += 1;
            serde_json::to_writer(&mut *self.out, &redact_entry(entry))
                .map_err(de::Error::custom)?;
        }
        self.out.write_all(b"]").map_err(io_err)
    }
}

/// Parameter / header names whose values are secrets.
fn secret_param(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "apikey"
            | "access_token"
            | "refresh_token"
            | "provider_token"
            | "provider_refresh_token"
            | "code"
            | "token"
            | "token_hash"
            | "password"
            | "code_verifier"
            | "authorization"
            | "x-api-key"
            | "sb-api-key"
            | "x-supabase-api-key"
            | "proxy-authorization"
    )
}

/// One entry: the name/value lists, URLs, cookies and bodies first (they need names to know
/// what is secret), then the generic pass over every string.
fn redact_entry(mut entry: Value) -> Value {
    for side in ["request", "response"] {
        let Some(part) = entry.get_mut(side).and_then(Value::as_object_mut) else {
            continue;
        };
        for key in ["url", "redirectURL"] {
            if let Some(Value::String(u)) = part.get_mut(key) {
                *u = redact_url(u);
            }
        }
        if let Some(Value::Array(headers)) = part.get_mut("headers") {
            for h in headers.iter_mut().filter_map(Value::as_object_mut) {
                redact_header(h);
            }
        }
        for list in ["cookies", "queryString"] {
            if let Some(Value::Array(items)) = part.get_mut(list) {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    let name = item
                        .get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    if let Some(Value::String(v)) = item.get_mut("value")
                        && (list == "cookies" || secret_param(&name))
                    {
                        *v = fingerprint(v);
                    }
                }
            }
        }
        if let Some(post) = part.get_mut("postData").and_then(Value::as_object_mut) {
            if let Some(Value::String(t)) = post.get_mut("text") {
                *t = redact_body(t);
            }
            if let Some(Value::Array(params)) = post.get_mut("params") {
                for p in params.iter_mut().filter_map(Value::as_object_mut) {
                    if let Some(Value::String(v)) = p.get_mut("value") {
                        *v = fingerprint(v);
                    }
                }
            }
        }
        if let Some(content) = part.get_mut("content").and_then(Value::as_object_mut) {
            redact_content(content);
        }
    }
    redact_json(&entry)
}

fn redact_header(h: &mut Map<String, Value>) {
    let name = h
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    let Some(Value::String(v)) = h.get_mut("value") else {
        return;
    };
    *v = match name.as_str() {
        "authorization" | "proxy-authorization" => match v.split_once(' ') {
            Some((scheme, cred)) => format!("{scheme} {}", fingerprint(cred.trim())),
            None => fingerprint(v),
        },
        "cookie" => v
            .split(';')
            .map(|pair| match pair.split_once('=') {
                Some((n, val)) => format!("{}={}", n.trim(), fingerprint(val.trim())),
                None => pair.trim().to_string(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        "set-cookie" => {
            let (first, attrs) = v.split_once(';').map_or((v.as_str(), ""), |(a, b)| (a, b));
            match first.split_once('=') {
                Some((n, val)) => format!(
                    "{}={}{}{attrs}",
                    n.trim(),
                    fingerprint(val.trim()),
                    if attrs.is_empty() { "" } else { ";" }
                ),
                None => v.clone(),
            }
        }
        "location" | "referer" => redact_url(v),
        n if secret_param(n) => fingerprint(v),
        _ => scrub_text(v, &[]),
    };
}

fn redact_content(content: &mut Map<String, Value>) {
    let is_b64 = content.get("encoding").and_then(Value::as_str) == Some("base64");
    let Some(Value::String(text)) = content.get("text") else {
        return;
    };
    let plain = if is_b64 {
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, text.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
    } else {
        Some(text.clone())
    };
    match plain {
        Some(p) => {
            content.insert("text".into(), Value::String(redact_body(&p)));
            content.remove("encoding");
        }
        // Binary: nothing readable, but it could still hold secrets; drop it.
        None => {
            content.insert("text".into(), Value::String(String::new()));
            content.insert(
                "comment".into(),
                Value::String("binary body removed by supajwt --redact".into()),
            );
            content.remove("encoding");
        }
    }
}

/// A request or response body: JSON redacted by key, form bodies by parameter, text scrubbed.
fn redact_body(text: &str) -> String {
    let t = text.trim();
    if (t.starts_with('{') || t.starts_with('['))
        && let Ok(v) = serde_json::from_str::<Value>(t)
    {
        return serde_json::to_string(&redact_json(&v)).unwrap_or_default();
    }
    if t.contains('=') && !t.contains(char::is_whitespace) && !t.starts_with("http") {
        return redact_pairs(t);
    }
    scrub_text(text, &[])
}

/// Secret query / fragment parameters fingerprinted, then the text scrubbed.
pub fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return scrub_text(url, &[]);
    };
    if let Some(q) = parsed.query().map(str::to_string) {
        parsed.set_query(Some(&redact_pairs(&q)));
    }
    if let Some(f) = parsed.fragment().map(str::to_string)
        && f.contains('=')
    {
        parsed.set_fragment(Some(&redact_pairs(&f)));
    }
    scrub_text(parsed.as_str(), &[])
}

/// `a=1&b=2` with secret parameters fingerprinted and the rest scrubbed.
fn redact_pairs(s: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(url::form_urlencoded::parse(s.as_bytes()).map(|(k, v)| {
            let v = if secret_param(&k) {
                fingerprint(&v)
            } else {
                scrub_text(&v, &[])
            };
            (k.into_owned(), v)
        }))
        .finish()
}
