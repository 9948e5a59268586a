//! The recogniser: pasted text → the credentials in it, in order, each with its source.
//! Every pass is linear in the input; JSON nesting is bounded by serde_json's depth limit.

use super::cookie::{self, RawCookie};
use super::http;
use super::shell::{self, Quoting};
use super::{Credential, CredentialKind, Inspection, MAX_PASTE_BYTES, RequestInfo, Slot};
use crate::jose::error::CoreError;
use crate::safe_text::redact::looks_like_jwt;
use crate::supabase::doctor::{Finding, Severity};
use crate::supabase::opaque::OpaqueKind;
use serde_json::Value;

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

#[derive(Default)]
struct Collector {
    out: Inspection,
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
        "code" | "auth_code" => Some(CredentialKind::PkceCode),
        "access_token" | "apikey" | "token" | "token_hash" => Some(CredentialKind::Unknown),
        _ => None,
    })
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
    fn push(
        &mut self,
        source: String,
        kind: CredentialKind,
        value: &str,
        slot: Slot,
        notes: Vec<String>,
    ) {
        let dup = self
            .out
            .credentials
            .iter()
            .any(|c| c.value == value && c.source == source);
        if !dup {
            self.out.credentials.push(Credential {
                source,
                kind,
                value: value.to_string(),
                slot,
                notes,
            });
        }
    }

    fn remark(&mut self, finding: Finding) {
        if !self
            .out
            .remarks
            .iter()
            .any(|f| f.code == finding.code && f.title == finding.title)
        {
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

    fn json_paste(&mut self, t: &str) -> bool {
        let Ok(value) = serde_json::from_str::<Value>(t) else {
            return false;
        };
        if value.pointer("/log/entries").is_some() {
            self.out.shape = "a HAR file (use `supajwt har` for the per-request view)".into();
        } else if value.get("access_token").is_some() && value.get("user").is_some() {
            self.out.shape =
                "a Supabase session (supabase-js localStorage / GoTrue /token response)".into();
        } else {
            self.out.shape = "JSON".into();
        }
        self.json("json", "$", &value);
        true
    }

    fn json(&mut self, prefix: &str, path: &str, value: &Value) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let p = format!("{path}.{k}");
                    match v {
                        Value::String(s) => self.json_string(prefix, &p, Some(k), s),
                        other => self.json(prefix, &p, other),
                    }
                }
            }
            Value::Array(items) => {
                // The older auth-helpers cookie: [access_token, refresh_token, provider_token, provider_refresh_token, …].
                let legacy = items
                    .first()
                    .and_then(Value::as_str)
                    .is_some_and(looks_like_jwt)
                    && items.get(1).is_some_and(Value::is_string);
                let names = [
                    "access_token",
                    "refresh_token",
                    "provider_token",
                    "provider_refresh_token",
                ];
                for (i, v) in items.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    let key = if legacy { names.get(i).copied() } else { None };
                    match v {
                        Value::String(s) => self.json_string(prefix, &p, key, s),
                        other => self.json(prefix, &p, other),
                    }
                }
            }
            _ => {}
        }
    }

    fn json_string(&mut self, prefix: &str, path: &str, key: Option<&str>, s: &str) {
        let t = s.trim();
        if (t.starts_with('{') || t.starts_with('['))
            && t.len() > 2
            && let Ok(inner) = serde_json::from_str::<Value>(t)
        {
            return self.json(prefix, path, &inner);
        }
        let kind = match key {
            Some(k) => kind_by_key(k, t),
            None => kind_by_shape(t),
        };
        if let Some(kind) = kind {
            self.push(format!("{prefix} {path}"), kind, t, Slot::Stored, vec![]);
        } else if t.len() > 40 && t.contains("eyJ") {
            self.scan(t, &format!("{prefix} {path}"), Slot::Stored);
        }
    }

    fn header(&mut self, name: &str, value: &str, req: &mut RequestInfo) {
        let lname = name.trim().to_ascii_lowercase();
        let value = strip_quotes(value);
        req.headers.push((lname.clone(), value.to_string()));
        let source = format!("header {lname}");
        match lname.as_str() {
            "authorization" => {
                let bare = value
                    .get(..7)
                    .filter(|p| p.eq_ignore_ascii_case("bearer "))
                    .map(|_| value[7..].trim());
                if let Some(bare) = bare {
                    let kind = kind_by_shape(bare).unwrap_or(CredentialKind::Unknown);
                    self.push(source, kind, bare, Slot::Bearer, vec![]);
                }
            }
            "apikey" => {
                let kind = kind_by_shape(value).unwrap_or(CredentialKind::Unknown);
                self.push(source, kind, value, Slot::Apikey, vec![]);
            }
            "cookie" => self.cookies(cookie::parse_cookie_header(value)),
            "set-cookie" => self.cookies(
                cookie::parse_cookie_header(value)
                    .into_iter()
                    .take(1)
                    .collect(),
            ),
            _ => self.scan(value, &source, Slot::Stored),
        }
    }

    fn cookies(&mut self, jar: Vec<RawCookie>) {
        for joined in cookie::join_chunks(&jar) {
            let name = joined.name.as_str();
            let mut notes = Vec::new();
            if joined.chunks > 0 {
                notes.push(format!(
                    "reassembled from {} cookie chunks ({name}.0 … .{})",
                    joined.chunks,
                    joined.chunks - 1
                ));
            }
            if let Some(gap) = joined.missing_after {
                self.remark(Finding::new(Severity::Error, "cookie_chunk_missing", format!("cookie chunk {name}.{gap} is missing"))
                    .detail(format!("Later chunks of {name} are present, but @supabase/ssr joins .0, .1, … and stops at the first missing one, so the session it reads is cut short and unreadable (the client acts signed out)."))
                    .fix("Sign out and in again so every chunk is rewritten in one response; check that a proxy or framework does not drop Set-Cookie headers."));
            }
            let source = format!("cookie {name}");
            let decoded = cookie::decode_base64_value(&joined.value);
            if joined.value.starts_with("base64-") && decoded.is_none() {
                self.remark(Finding::new(Severity::Error, "cookie_unreadable", format!("cookie {name} does not decode"))
                    .detail("Its base64- value is not valid base64url UTF-8 (chunks from different writes, or a truncated copy); @supabase/ssr treats the session as absent.")
                    .fix("Copy every chunk of the cookie, or sign in again."));
                continue;
            }
            let text = decoded.unwrap_or_else(|| joined.value.clone());
            let t = text.trim();
            if name.ends_with("-code-verifier") {
                let v = strip_quotes(t);
                if !v.is_empty() {
                    self.push(source, CredentialKind::CodeVerifier, v, Slot::Stored, notes);
                }
                continue;
            }
            if t.starts_with('{') || t.starts_with('[') {
                match serde_json::from_str::<Value>(t) {
                    Ok(v) => {
                        let before = self.out.credentials.len();
                        self.json(&source, "$", &v);
                        if let Some(first) = self.out.credentials.get_mut(before) {
                            first.notes.extend(notes);
                        }
                    }
                    Err(_) if cookie::is_supabase_auth_cookie(name) => self.remark(Finding::new(Severity::Error, "cookie_unreadable", format!("cookie {name} is not valid JSON"))
                        .detail("The session cookie decodes to broken JSON: chunks from different writes were combined, or the copy is incomplete.")
                        .fix("Copy every chunk of the cookie, or sign in again.")),
                    Err(_) => {}
                }
                continue;
            }
            match (kind_by_shape(t), name) {
                (Some(kind), _) => self.push(source, kind, t, Slot::Stored, notes),
                (None, "sb-refresh-token") => {
                    self.push(source, CredentialKind::RefreshToken, t, Slot::Stored, notes)
                }
                _ => {}
            }
        }
    }

    fn url(&mut self, url: &str) {
        let Ok(parsed) = url::Url::parse(url) else {
            return self.scan(url, "url", Slot::Stored);
        };
        let query: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
        let fragment: Vec<(String, String)> = parsed
            .fragment()
            .map(|f| {
                url::form_urlencoded::parse(f.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        for (part, pairs) in [("query", &query), ("fragment", &fragment)] {
            let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
            if let Some(desc) = get("error_description").or(get("error")) {
                let code = get("error_code").unwrap_or("");
                let fix = if code == "otp_expired" {
                    "The link expired or was already used (mail scanners often open links first): request a new one, or use an OTP code instead of a link."
                } else {
                    "Read the error, fix the cause in the Auth settings (redirect URLs, provider setup), and start the sign-in again."
                };
                self.remark(Finding::new(Severity::Error, "redirect_error", format!("the redirect carries an error: {desc}"))
                    .detail(format!("GoTrue redirected back with error={} error_code={code}: no session was created.", get("error").unwrap_or("")))
                    .fix(fix));
            }
            let link_type = get("type").map(str::to_string);
            for (k, v) in pairs {
                let Some(kind) = kind_by_key(k, v) else {
                    continue;
                };
                let mut notes = Vec::new();
                let slot = if k == "apikey" {
                    Slot::Apikey
                } else {
                    Slot::Stored
                };
                if k == "access_token"
                    && let Some(t) = &link_type
                {
                    notes.push(format!(
                        "type={t}: the session of a {t} link (implicit flow)"
                    ));
                }
                if k == "token" || k == "token_hash" {
                    notes.push("a one-time email-link token: verified once at /auth/v1/verify, then useless".into());
                }
                if kind == CredentialKind::PkceCode {
                    self.remark(Finding::new(Severity::Info, "pkce_code", "the URL carries a PKCE code, not a token")
                        .detail("With the PKCE flow GoTrue redirects with ?code=…; the client exchanges it once, with the code verifier it stored before the redirect, at /auth/v1/token?grant_type=pkce. It cannot be decoded or used as a Bearer token, and a second exchange fails.")
                        .fix("Let supabase-js exchange it (exchangeCodeForSession) in the same browser that started the sign-in; \"code verifier not found\" means storage/cookies were lost between the two."));
                }
                self.push(format!("url {part} {k}"), kind, v, slot, notes);
            }
        }
    }

    fn request(&mut self, req: RequestInfo, body: Option<String>) {
        let mut rebuilt = RequestInfo {
            method: req.method.clone(),
            url: req.url.clone(),
            headers: Vec::new(),
        };
        if let Some(url) = &req.url {
            self.url(url);
        }
        for (name, value) in &req.headers {
            self.header(name, value, &mut rebuilt);
        }
        if let Some(body) = body {
            self.body(&body);
        }
        self.out.request = Some(rebuilt);
    }

    fn body(&mut self, body: &str) {
        let t = body.trim();
        if t.starts_with('{') || t.starts_with('[') {
            if let Ok(v) = serde_json::from_str::<Value>(t) {
                return self.json("body", "$", &v);
            }
        } else if t.contains('=') && !t.contains(char::is_whitespace) {
            for (k, v) in url::form_urlencoded::parse(t.as_bytes()) {
                if let Some(kind) = kind_by_key(&k, &v) {
                    self.push(format!("body {k}"), kind, &v, Slot::Stored, vec![]);
                }
            }
            return;
        }
        self.scan(t, "body", Slot::Stored);
    }

    /// Line-oriented pastes: header lines, `.env` lines, cookie strings, DevTools cookie
    /// tables, bare tokens.
    fn lines(&mut self, t: &str) {
        let mut req = RequestInfo::default();
        let mut table: Vec<RawCookie> = Vec::new();
        let mut kinds: Vec<&str> = Vec::new();
        for raw_line in t.lines() {
            let line = raw_line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(row) = table_row(raw_line) {
                table.push(row);
                continue;
            }
            if !table.is_empty() {
                self.cookies(std::mem::take(&mut table));
                kinds.push("a DevTools cookie table");
            }
            if let Some((name, value)) = line.split_once(':').filter(|(n, _)| is_header_name(n)) {
                self.header(name, value, &mut req);
                kinds.push("header lines");
            } else if let Some((name, value)) = env_assignment(line) {
                let value = strip_quotes(value);
                if value.contains("; ") && value.contains('=') {
                    self.cookies(cookie::parse_cookie_header(value));
                } else {
                    self.scan(value, &format!("env {name}"), Slot::Stored);
                }
                kinds.push(".env lines");
            } else if line.contains('=') && line.contains("sb-") && !line.contains(' ')
                || line.contains("; ") && line.contains("sb-")
            {
                self.cookies(cookie::parse_cookie_header(line));
                kinds.push("a cookie string");
            } else if line.len() > 7 && line[..7].eq_ignore_ascii_case("bearer ") {
                self.header("authorization", line, &mut req);
                kinds.push("header lines");
            } else {
                self.scan(line, "text", Slot::Stored);
                kinds.push("text");
            }
        }
        if !table.is_empty() {
            self.cookies(table);
            kinds.push("a DevTools cookie table");
        }
        if self.out.credentials.is_empty() && !t.contains([':', '=']) {
            // A token broken over several lines.
            let joined: String = t.split_whitespace().collect();
            self.scan(strip_quotes(&joined), "text", Slot::Stored);
        }
        if !req.headers.is_empty() {
            self.out.request = Some(req);
        }
        kinds.dedup();
        self.out.shape = if kinds.is_empty() {
            "text".into()
        } else {
            kinds.join(", ")
        };
    }
}

/// A DevTools Application → Cookies row: `name<TAB>value<TAB>domain<TAB>path…`.
fn table_row(line: &str) -> Option<RawCookie> {
    let mut cols = line.split('\t');
    let name = cols.next()?.trim();
    let value = cols.next()?.trim();
    let valid = !name.is_empty()
        && cols.next().is_some()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'=' && b != b';');
    valid.then(|| RawCookie {
        name: name.to_string(),
        value: value.to_string(),
    })
}

/// A header name: letters, digits and `-`, not an upper-case env name.
fn is_header_name(name: &str) -> bool {
    let n = name.trim();
    let known = ["authorization", "apikey", "cookie", "set-cookie"];
    known.iter().any(|k| n.eq_ignore_ascii_case(k))
        || (!n.is_empty()
            && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && n.bytes().any(|b| b.is_ascii_lowercase())
            && !n.contains('_')
            && n.contains('-'))
}

/// `NAME=value`, `export NAME=value`, `- NAME=value`, YAML `NAME: value`.
fn env_assignment(line: &str) -> Option<(&str, &str)> {
    let idx = line.find(['=', ':'])?;
    let head = line[..idx].trim();
    let head = head.strip_prefix("- ").unwrap_or(head).trim();
    let head = head.strip_prefix("export ").unwrap_or(head).trim();
    let head = head.trim_matches(|c| c == '"' || c == '\'');
    let is_name = !head.is_empty()
        && head
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        && !head.starts_with("eyJ")
        && !head.starts_with("sb-");
    is_name.then(|| (head, &line[idx + 1..]))
}
