//! Raw HTTP requests, `fetch(…)` snippets (DevTools' "Copy as fetch" JSON, or hand-written
//! JavaScript objects) and URLs: the parts the recogniser needs, in linear time.

use super::RequestInfo;

/// A raw HTTP/1 request: `GET /rest/v1/t HTTP/1.1`, headers, blank line, body.
pub fn parse_raw_request(text: &str) -> Option<(RequestInfo, Option<String>)> {
    let mut lines = text.split('\n').map(|l| l.trim_end_matches('\r'));
    let first = lines.next()?.trim();
    let mut parts = first.split_whitespace();
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    let is_method = !method.is_empty() && method.bytes().all(|b| b.is_ascii_uppercase());
    if !is_method || !version.starts_with("HTTP/") {
        return None;
    }
    let mut req = RequestInfo {
        method: Some(method.to_string()),
        ..RequestInfo::default()
    };
    let mut body_lines = Vec::new();
    let mut in_body = false;
    for line in lines {
        if in_body {
            body_lines.push(line);
        } else if line.trim().is_empty() {
            in_body = true;
        } else if let Some((n, v)) = line.split_once(':') {
            req.headers
                .push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    req.url = Some(if target.starts_with("http") {
        target.to_string()
    } else {
        let host = req.header("host").unwrap_or("unknown-host");
        format!("https://{host}{target}")
    });
    let body = body_lines.join("\n");
    Some((req, (!body.trim().is_empty()).then_some(body)))
}

/// A JavaScript token for the object scanner.
#[derive(Debug, PartialEq)]
enum JsToken {
    Str(String),
    Ident(String),
    Punct(char),
}

/// Tokenises JavaScript just enough: string literals ('…', "…", `…` with `${…}` kept
/// as text), identifiers, punctuation.
fn js_tokens(text: &str) -> Vec<JsToken> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' => {
                let mut s = String::new();
                while let Some(n) = chars.next() {
                    match n {
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some(e) => s.push(e),
                            None => break,
                        },
                        n if n == c => break,
                        n => s.push(n),
                    }
                }
                out.push(JsToken::Str(s));
            }
            c if c.is_alphanumeric() || c == '_' || c == '$' || c == '-' => {
                let mut s = String::from(c);
                while let Some(&n) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' || n == '$' || n == '-' {
                        s.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(JsToken::Ident(s));
            }
            c if c.is_whitespace() => {}
            c => out.push(JsToken::Punct(c)),
        }
    }
    out
}

/// A `fetch(url, { headers: {…}, body, method })` call: the URL literal and every
/// `key: "string"` pair in the options (header names lower-cased).
pub fn parse_fetch(text: &str) -> Option<(RequestInfo, Option<String>)> {
    let start = text.find("fetch(")? + "fetch(".len();
    let tokens = js_tokens(&text[start..]);
    let mut req = RequestInfo::default();
    let mut body = None;
    if let Some(JsToken::Str(url)) = tokens.first() {
        req.url = Some(url.clone());
    }
    for w in tokens.windows(3) {
        let key = match &w[0] {
            JsToken::Str(k) | JsToken::Ident(k) => k,
            JsToken::Punct(_) => continue,
        };
        let (JsToken::Punct(':'), JsToken::Str(value)) = (&w[1], &w[2]) else {
            continue;
        };
        match key.as_str() {
            "method" => req.method = Some(value.to_ascii_uppercase()),
            "body" => body = Some(value.clone()),
            "mode" | "credentials" | "referrerPolicy" | "cache" | "redirect" => {}
            "referrer" => req.headers.push(("referer".into(), value.clone())),
            name => req.headers.push((name.to_ascii_lowercase(), value.clone())),
        }
    }
    if req.method.is_none() {
        req.method = Some("GET".into());
    }
    // DevTools' "Copy as fetch" sets mode "cors": a browser request.
    if text.contains("\"mode\": \"cors\"") && req.header("sec-fetch-mode").is_none() {
        req.headers.push(("sec-fetch-mode".into(), "cors".into()));
    }
    Some((req, body))
}

/// The project ref of a hosted Supabase URL (`https://<ref>.supabase.co/...`).
pub fn url_project_ref(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    let r = host
        .strip_suffix(".supabase.co")
        .or_else(|| host.strip_suffix(".supabase.in"))?;
    (!r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric())).then(|| r.to_string())
}

/// Whether a URL is a Supabase API call: a `*.supabase.co` host or one of the service paths.
pub fn is_supabase_url(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    let host_ok = parsed
        .host_str()
        .is_some_and(|h| h.ends_with(".supabase.co") || h.ends_with(".supabase.in"));
    host_ok || supabase_service(parsed.path()).is_some()
}

/// Which Supabase service a path belongs to (`auth`, `rest`, …).
pub fn supabase_service(path: &str) -> Option<&'static str> {
    [
        ("/auth/v1", "auth"),
        ("/rest/v1", "rest"),
        ("/storage/v1", "storage"),
        ("/realtime/v1", "realtime"),
        ("/functions/v1", "functions"),
        ("/graphql/v1", "graphql"),
    ]
    .into_iter()
    .find(|(p, _)| path.contains(p))
    .map(|(_, s)| s)
}

/// GoTrue endpoints that act as the signed-in user (an API key's Bearer has no `sub`).
pub fn needs_user(url: &str) -> bool {
    let path = url::Url::parse(url)
        .map(|u| u.path().to_string())
        .unwrap_or_default();
    [
        "/auth/v1/user",
        "/auth/v1/logout",
        "/auth/v1/factors",
        "/auth/v1/reauthenticate",
        "/auth/v1/user/identities",
    ]
    .iter()
    .any(|p| path.ends_with(p) || path.contains(&format!("{p}/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_request() {
        let (req, body) = parse_raw_request(
            "POST /auth/v1/token?grant_type=password HTTP/1.1\r\nHost: abc.supabase.co\r\napikey: k\r\n\r\n{\"password\":\"p\"}",
        )
        .unwrap();
        assert_eq!(
            req.url.as_deref(),
            Some("https://abc.supabase.co/auth/v1/token?grant_type=password")
        );
        assert_eq!(req.header("apikey"), Some("k"));
        assert_eq!(body.as_deref(), Some("{\"password\":\"p\"}"));
    }

    #[test]
    fn fetch_with_js_object() {
        let (req, _) = parse_fetch(
            "await fetch(`https://abc.supabase.co/rest/v1/t`, { headers: { apikey: 'k', Authorization: \"Bearer t\" } })",
        )
        .unwrap();
        assert_eq!(
            req.url.as_deref(),
            Some("https://abc.supabase.co/rest/v1/t")
        );
        assert_eq!(req.header("authorization"), Some("Bearer t"));
        assert_eq!(
            url_project_ref("https://abc.supabase.co/x").as_deref(),
            Some("abc")
        );
        assert!(needs_user("https://abc.supabase.co/auth/v1/user"));
        assert!(!needs_user("https://abc.supabase.co/rest/v1/user"));
    }
}
