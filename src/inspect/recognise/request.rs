//! One request's credentials: its URL (query and fragment, redirect errors, PKCE codes), its
//! headers (`Authorization`, `apikey`, cookies) and its body (JSON or a form).

use super::{Collector, kind_by_key, kind_by_shape, strip_quotes};
use crate::inspect::cookie::{self, RawCookie};
use crate::inspect::{CredentialKind, RequestInfo, Slot};
use crate::supabase::doctor::{Finding, FindingCode, Severity};
use serde_json::Value;

impl Collector {
    pub(super) fn header(&mut self, name: &str, value: &str, req: &mut RequestInfo) {
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

    pub(super) fn cookies(&mut self, jar: Vec<RawCookie>) {
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
                self.remark(Finding::new(Severity::Error, FindingCode::CookieChunkMissing, format!("cookie chunk {name}.{gap} is missing"))
                    .detail(format!("Later chunks of {name} are present, but @supabase/ssr joins .0, .1, … and stops at the first missing one, so the session it reads is cut short and unreadable (the client acts signed out)."))
                    .fix("Sign out and in again so every chunk is rewritten in one response; check that a proxy or framework does not drop Set-Cookie headers."));
            }
            let source = format!("cookie {name}");
            let decoded = cookie::decode_base64_value(&joined.value);
            if joined.value.starts_with("base64-") && decoded.is_none() {
                self.remark(Finding::new(Severity::Error, FindingCode::CookieUnreadable, format!("cookie {name} does not decode"))
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
                    Err(_) if cookie::is_supabase_auth_cookie(name) => self.remark(Finding::new(Severity::Error, FindingCode::CookieUnreadable, format!("cookie {name} is not valid JSON"))
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

    pub(super) fn url(&mut self, url: &str) {
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
                self.remark(Finding::new(Severity::Error, FindingCode::RedirectError, format!("the redirect carries an error: {desc}"))
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
                    self.remark(Finding::new(Severity::Info, FindingCode::PkceCode, "the URL carries a PKCE code, not a token")
                        .detail("With the PKCE flow GoTrue redirects with ?code=…; the client exchanges it once, with the code verifier it stored before the redirect, at /auth/v1/token?grant_type=pkce. It cannot be decoded or used as a Bearer token, and a second exchange fails.")
                        .fix("Let supabase-js exchange it (exchangeCodeForSession) in the same browser that started the sign-in; \"code verifier not found\" means storage/cookies were lost between the two."));
                }
                self.push(format!("url {part} {k}"), kind, v, slot, notes);
            }
        }
    }

    pub(super) fn request(&mut self, req: RequestInfo, body: Option<String>) {
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
}
