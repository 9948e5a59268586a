//! `har --redact`: a HAR copied entry by entry with every secret fingerprinted and every email
//! masked (headers, cookies, query strings, bodies by name, then every string), the file
//! streamed from reader to writer.

use super::values::{redact_body, redact_json_deep, redact_text, redact_url, secret_param};
use crate::safe_text::redact::fingerprint;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;
use std::io::{Read, Write};

/// Copies a HAR from `reader` to `writer` with every secret fingerprinted and every email
/// masked, one entry in memory at a time. Returns the number of entries written.
pub fn redact_har<R: Read, W: Write>(reader: R, writer: W) -> Result<usize, String> {
    let mut out = std::io::BufWriter::new(writer);
    let mut count = Count::default();
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
    if !count.seen {
        return Err("not a HAR file: no log.entries array".into());
    }
    out.write_all(b"\n")
        .and_then(|_| out.flush())
        .map_err(|e| e.to_string())?;
    Ok(count.entries)
}

/// The entries written, and whether `log.entries` was there at all.
#[derive(Default)]
struct Count {
    entries: usize,
    seen: bool,
}

/// Writes an object key by key: depth 0 is the root, 1 is `log` (whose `entries` streams).
struct RedactObject<'a, W: Write> {
    out: &'a mut W,
    count: &'a mut Count,
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
                    serde_json::to_writer(&mut *self.out, &redact_json_deep(&v))
                        .map_err(de::Error::custom)?;
                }
            }
        }
        self.out.write_all(b"}").map_err(io_err)
    }
}

struct RedactEntries<'a, W: Write> {
    out: &'a mut W,
    count: &'a mut Count,
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
        self.count.seen = true;
        while let Some(entry) = seq.next_element::<Value>()? {
            if self.count.entries > 0 {
                self.out.write_all(b",").map_err(io_err)?;
            }
            self.count.entries += 1;
            serde_json::to_writer(&mut *self.out, &redact_entry(entry))
                .map_err(de::Error::custom)?;
        }
        self.out.write_all(b"]").map_err(io_err)
    }
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
            let mime = mime_of(post);
            if let Some(Value::String(t)) = post.get_mut("text") {
                *t = redact_body(t, &mime);
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
    redact_json_deep(&entry)
}

fn mime_of(m: &Map<String, Value>) -> String {
    m.get("mimeType")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
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
            .split(['\n', ';'])
            .map(|pair| match pair.split_once('=') {
                Some((n, val)) => format!("{}={}", n.trim(), fingerprint(val.trim())),
                None => pair.trim().to_string(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        // Browsers join several Set-Cookie headers with newlines: each is one cookie.
        "set-cookie" => v.split('\n').map(set_cookie).collect::<Vec<_>>().join("\n"),
        n if secret_param(n) => fingerprint(v),
        // Location, Referer, Origin, :path, :authority and every other header: a URL through
        // the URL redactor, anything else through the content scrub.
        _ => redact_text(v),
    };
}

/// One `name=value; attributes` Set-Cookie line: the value fingerprinted, attributes kept.
fn set_cookie(line: &str) -> String {
    let (first, attrs) = line.split_once(';').map_or((line, ""), |(a, b)| (a, b));
    match first.split_once('=') {
        Some((n, val)) => format!(
            "{}={}{}{}",
            n.trim(),
            fingerprint(val.trim()),
            if attrs.is_empty() { "" } else { ";" },
            redact_text(attrs)
        ),
        None => redact_text(line),
    }
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
    let mime = mime_of(content);
    match plain {
        Some(p) => {
            content.insert("text".into(), Value::String(redact_body(&p, &mime)));
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
