//! How one value of a HAR is made share-safe, wherever a browser put it: one URL redactor for
//! every URL-shaped value (absolute or relative: userinfo, query, fragment), `name=value`
//! pairs, `multipart/form-data` parts, bodies by MIME type, and the content scrub behind them
//! all, which fingerprints `secret_name=value` wherever it appears in free text.

use crate::safe_text::redact::{fingerprint, is_secret_key, redact_json, scrub_text};
use serde_json::Value;

/// Parameter / header names whose values are secrets.
pub(super) fn secret_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    is_secret_key(&n)
        || matches!(
            n.as_str(),
            "code"
                | "x-api-key"
                | "sb-api-key"
                | "x-supabase-api-key"
                | "proxy-authorization"
                | "sb-refresh-token"
                | "sb-access-token"
        )
}

/// Whether a text is a URL (absolute, scheme-relative or a path with a query or fragment).
fn url_shaped(t: &str) -> bool {
    !t.contains(char::is_whitespace)
        && (t.starts_with("http://")
            || t.starts_with("https://")
            || t.starts_with("//")
            || (t.starts_with('/') && t.contains(['?', '#'])))
}

/// Any text: a URL through [`redact_url`], anything else through the content scrub.
pub fn redact_text(text: &str) -> String {
    if url_shaped(text.trim()) {
        redact_url(text.trim())
    } else {
        scrub_text(&scrub_params(text), &[])
    }
}

/// The base a relative URL is read against (and stripped again).
const RELATIVE_BASE: &str = "http://relative.invalid";

/// A URL, absolute or relative: the userinfo password and secret query / fragment parameters
/// fingerprinted, the rest scrubbed; the host is kept as it is.
pub fn redact_url(url: &str) -> String {
    let base = url::Url::parse(RELATIVE_BASE).ok();
    let (mut parsed, relative) = match url::Url::parse(url) {
        Ok(u) => (u, false),
        Err(_) => match base.as_ref().map(|b| b.join(url)) {
            Some(Ok(u)) if !url.starts_with("//") => (u, true),
            _ => return scrub_text(&scrub_params(url), &[]),
        },
    };
    if parsed.password().is_some() {
        // Percent-encoded by the URL (`sha256%3A…`), so it never reads as an e-mail.
        let fp = fingerprint(parsed.password().unwrap_or(""));
        let _ = parsed.set_password(Some(&fp));
    }
    if !parsed.username().is_empty() {
        let user = scrub_text(parsed.username(), &[]);
        let _ = parsed.set_username(&user);
    }
    let path = scrub_text(parsed.path(), &[]);
    parsed.set_path(&path);
    if let Some(q) = parsed.query().map(str::to_string) {
        parsed.set_query(Some(&redact_pairs(&q)));
    }
    if let Some(f) = parsed.fragment().map(str::to_string) {
        let f = if f.contains('=') {
            redact_pairs(&f)
        } else {
            scrub_text(&f, &[])
        };
        parsed.set_fragment(Some(&f));
    }
    if relative {
        let s = parsed.as_str();
        return s.strip_prefix(RELATIVE_BASE).unwrap_or(s).to_string();
    }
    parsed.to_string()
}

/// `a=1&b=2` with secret parameters fingerprinted and the rest scrubbed.
pub(super) fn redact_pairs(s: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(url::form_urlencoded::parse(s.as_bytes()).map(|(k, v)| {
            let v = if secret_param(&k) && !v.is_empty() {
                fingerprint(&v)
            } else {
                redact_text(&v)
            };
            (k.into_owned(), v)
        }))
        .finish()
}

/// The content scrub: every `secret_name=value` in free text (a relative URL that did not
/// parse, a page title, a log line) has its value fingerprinted. One pass: each `=` looks back
/// over the name before it only.
pub fn scrub_params(text: &str) -> String {
    let bytes = text.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let is_end = |b: u8| {
        matches!(b, b'&' | b';' | b'#' | b'"' | b'\'' | b'<' | b'>' | b',')
            || b.is_ascii_whitespace()
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'=' {
            i += 1;
            continue;
        }
        let mut start = i;
        while start > copied && is_name(bytes[start - 1]) {
            start -= 1;
        }
        let name = &text[start..i];
        let mut end = i + 1;
        while end < bytes.len() && !is_end(bytes[end]) {
            end += 1;
        }
        if !name.is_empty() && end > i + 1 && secret_param(name) {
            out.push_str(&text[copied..=i]);
            out.push_str(&fingerprint(&text[i + 1..end]));
            copied = end;
        }
        i = end.max(i + 1);
    }
    out.push_str(&text[copied..]);
    out
}

/// A body by its MIME type: JSON by key, forms by field, multipart by part; anything else (or
/// a body that does not parse as its type says) through the content scrub.
pub fn redact_body(text: &str, mime: &str) -> String {
    let mime = mime.to_ascii_lowercase();
    let t = text.trim();
    if let Some(boundary) = mime
        .strip_prefix("multipart/")
        .and_then(|_| mime.split("boundary=").nth(1))
    {
        let boundary = boundary.split(';').next().unwrap_or("").trim_matches('"');
        // The boundary as written (MIME parameters are case-sensitive).
        let original = text
            .find(&format!("--{boundary}"))
            .map(|_| boundary.to_string())
            .or_else(|| {
                text.lines()
                    .next()
                    .map(|l| l.trim().trim_start_matches("--").to_string())
            });
        if let Some(b) = original.filter(|b| !b.is_empty()) {
            return redact_multipart(text, &b);
        }
    }
    if (mime.contains("json") || t.starts_with('{') || t.starts_with('['))
        && let Ok(v) = serde_json::from_str::<Value>(t)
    {
        return serde_json::to_string(&redact_json_deep(&v)).unwrap_or_default();
    }
    if mime.contains("x-www-form-urlencoded")
        || (t.contains('=') && !t.contains(char::is_whitespace) && !t.starts_with("http"))
    {
        return redact_pairs(t);
    }
    redact_text(text)
}

/// `multipart/form-data`: each part's value fingerprinted when its name is a secret (or it is
/// a file), scrubbed otherwise.
fn redact_multipart(text: &str, boundary: &str) -> String {
    let delimiter = format!("--{boundary}");
    let mut parts = text.split(delimiter.as_str());
    let mut out = parts.next().map(str::to_string).unwrap_or_default();
    for part in parts {
        out.push_str(&delimiter);
        let Some((head, value)) = part
            .split_once("\r\n\r\n")
            .map(|(h, v)| (h, v, "\r\n\r\n"))
            .or_else(|| part.split_once("\n\n").map(|(h, v)| (h, v, "\n\n")))
            .map(|(h, v, sep)| (format!("{h}{sep}"), v))
        else {
            out.push_str(part);
            continue;
        };
        let name = head
            .split("name=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("");
        let trailing = value.len() - value.trim_end_matches(['\r', '\n']).len();
        let (body, tail) = value.split_at(value.len() - trailing);
        out.push_str(&head);
        if secret_param(name) || head.contains("filename=") {
            out.push_str(&fingerprint(body));
        } else {
            out.push_str(&redact_text(body));
        }
        out.push_str(tail);
    }
    out
}

/// [`redact_json`], then every string also through [`redact_text`] (URLs and `name=value`).
pub fn redact_json_deep(value: &Value) -> Value {
    texts(redact_json(value))
}

fn texts(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(redact_text(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(texts).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, texts(v))).collect()),
        other => other,
    }
}
