//! The one network operation supajwt performs: fetching a JWKS the user asked for.
//! https only (plain http for localhost, for self-hosted stacks), one 10 s deadline for the whole
//! request, 1 MiB cap, at most 5 redirects and only to URLs that pass the same rule.

use crate::core::escape::escape_for_terminal;
use crate::core::keys::{KeySet, KeySetShape, load_keys};
use std::io::Read;
use std::time::{Duration, Instant};

/// The largest response read.
pub const MAX_JWKS_BYTES: u64 = 1024 * 1024;
/// The default deadline for the whole request (connect, redirects, headers, body).
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
/// Redirects followed at most.
pub const MAX_REDIRECTS: usize = 5;
/// How much of a failed answer's body is read, and how many characters of it are shown.
const ERROR_BODY_BYTES: u64 = 4096;
const SUMMARY_CHARS: usize = 200;

/// Installs the TLS crypto provider (ring) once per process. Safe to call repeatedly.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Turns what a user types into the JWKS URL: a project ref (`abcdefghijklmnopqrst`), a project
/// URL (`https://<ref>.supabase.co`, `http://localhost:8000`) or a full URL ending in `.json`.
pub fn jwks_url_for(input: &str) -> Result<url::Url, String> {
    let t = input.trim().trim_end_matches('/');
    if t.is_empty() {
        return Err("enter a project ref, a project URL or a JWKS URL".into());
    }
    let text = if t.len() == 20
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        format!("https://{t}.supabase.co/auth/v1/.well-known/jwks.json")
    } else if t.contains("://") {
        if t.ends_with(".json") || t.contains("/.well-known/") {
            t.to_string()
        } else if t.ends_with("/auth/v1") {
            format!("{t}/.well-known/jwks.json")
        } else {
            format!("{t}/auth/v1/.well-known/jwks.json")
        }
    } else {
        return Err(format!(
            "\"{t}\" is neither a project ref (20 lowercase letters/digits) nor a URL (https://...)"
        ));
    };
    let url = url::Url::parse(&text).map_err(|e| format!("\"{text}\" is not a valid URL: {e}"))?;
    check_scheme(&url)?;
    Ok(url)
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn check_scheme(url: &url::Url) -> Result<(), String> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(format!(
            "refusing plain http to {}: keys fetched without TLS can be swapped in transit (http is allowed only for localhost)",
            url.host_str().unwrap_or("?")
        )),
        other => Err(format!("unsupported URL scheme \"{other}\"")),
    }
}

/// Fetches and parses a JWKS with the default 10 s deadline. Blocking: call it off the UI thread.
pub fn fetch_jwks(url: &url::Url) -> Result<KeySet, String> {
    fetch_jwks_with_timeout(url, FETCH_TIMEOUT)
}

/// [`fetch_jwks`] with another total deadline (`--timeout`). The deadline covers the whole
/// request (name lookup, connect, TLS, redirects, headers, body): reqwest's blocking timeout
/// applies to each read separately, so the request runs on a worker thread this function stops
/// waiting for when the deadline passes (the worker then ends at its next read).
pub fn fetch_jwks_with_timeout(url: &url::Url, timeout: Duration) -> Result<KeySet, String> {
    install_tls_provider();
    check_scheme(url)?;
    let started = Instant::now();
    let deadline = started.checked_add(timeout).unwrap_or(started);
    let (tx, rx) = std::sync::mpsc::channel();
    let worker_url = url.clone();
    std::thread::spawn(move || {
        let _ = tx.send(fetch_body(&worker_url, timeout, deadline));
    });
    let body = match rx.recv_timeout(timeout) {
        Ok(result) => result?,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return Err(deadline_passed(timeout)),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            return Err("the fetch stopped without an answer".into());
        }
    };
    parse_jwks(body)
}

/// "no complete answer within 10 s (...)".
fn deadline_passed(timeout: Duration) -> String {
    format!(
        "no complete answer within {} s (offline, or the server is slow; --timeout gives it longer)",
        timeout.as_secs_f32()
    )
}

/// Runs on the worker: the request and the body, read in chunks until the cap or the deadline.
fn fetch_body(url: &url::Url, timeout: Duration, deadline: Instant) -> Result<Vec<u8>, String> {
    let client = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("supajwt/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error(format!(
                    "too many redirects (more than {MAX_REDIRECTS}): check the URL"
                ))
            } else if let Err(e) = check_scheme(attempt.url()) {
                attempt.error(format!("redirected to an unsafe URL: {e}"))
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
    let response = client
        .get(url.clone())
        .send()
        .map_err(|e| describe_request_error(&e, timeout))?;
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type")
        .to_string();
    if !status.is_success() {
        let body = read_capped(response, ERROR_BODY_BYTES, deadline, timeout).unwrap_or_default();
        return Err(format!(
            "{url} answered HTTP {status} ({}): {}",
            escape_for_terminal(&content_type),
            summarise(&body)
        ));
    }
    let body = read_capped(response, MAX_JWKS_BYTES, deadline, timeout)?;
    if body.len() as u64 > MAX_JWKS_BYTES {
        return Err(format!(
            "the response is larger than {} KiB: not a JWKS",
            MAX_JWKS_BYTES / 1024
        ));
    }
    Ok(body)
}

/// Reads at most `cap + 1` bytes, giving up when the deadline passes.
fn read_capped(
    mut response: reqwest::blocking::Response,
    cap: u64,
    deadline: Instant,
    timeout: Duration,
) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    while (body.len() as u64) <= cap {
        if Instant::now() >= deadline {
            return Err(deadline_passed(timeout));
        }
        let n = response.read(&mut chunk).map_err(|e| {
            if e.kind() == std::io::ErrorKind::TimedOut {
                deadline_passed(timeout)
            } else {
                format!("reading the response failed: {e}")
            }
        })?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(body)
}

/// The first [`SUMMARY_CHARS`] characters of an error body, escaped, on one line.
fn summarise(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return "empty body".into();
    }
    let head: String = text.chars().take(SUMMARY_CHARS).collect();
    let more = if text.chars().count() > SUMMARY_CHARS {
        "..."
    } else {
        ""
    };
    format!("\"{}{more}\"", escape_for_terminal(&head))
}

/// Reads the body as a JWKS: UTF-8 JSON with a `keys` array.
fn parse_jwks(body: Vec<u8>) -> Result<KeySet, String> {
    let text = String::from_utf8(body).map_err(|_| "the response is not UTF-8 text".to_string())?;
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') && !trimmed.starts_with('[') {
        let start: String = trimmed.chars().take(60).collect();
        return Err(format!(
            "the response is not JSON (it starts with \"{}\")",
            escape_for_terminal(&start)
        ));
    }
    let set = load_keys(&text).map_err(|e| e.to_string())?;
    if set.shape != KeySetShape::Jwks {
        return Err(format!(
            "the response is a {} but a JWKS endpoint must return an object {{\"keys\":[...]}}",
            set.shape.label()
        ));
    }
    Ok(set)
}

/// A failed request in words: the deadline, a refused connection, TLS, DNS, redirects.
fn describe_request_error(e: &reqwest::Error, timeout: Duration) -> String {
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    let lower = chain.to_lowercase();
    if e.is_timeout() {
        format!("{}: {chain}", deadline_passed(timeout))
    } else if e.is_connect() {
        if lower.contains("dns") || lower.contains("resolve") || lower.contains("lookup") {
            format!("cannot resolve the host name (offline or a typo in the ref?): {chain}")
        } else if lower.contains("certificate") || lower.contains("tls") {
            format!("TLS failed (certificate not trusted?): {chain}")
        } else if lower.contains("refused") {
            format!(
                "cannot connect: connection refused (nothing listens there: is the service up, the port right?): {chain}"
            )
        } else {
            format!("cannot connect (offline, firewall, or the service is down): {chain}")
        }
    } else if e.is_redirect() {
        chain
    } else if lower.contains("certificate") || lower.contains("tls") {
        format!("TLS failed (certificate not trusted?): {chain}")
    } else {
        format!("request failed: {chain}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_urls() {
        assert_eq!(
            jwks_url_for("abcdefghijklmnopqrst").unwrap().as_str(),
            "https://abcdefghijklmnopqrst.supabase.co/auth/v1/.well-known/jwks.json"
        );
        assert_eq!(
            jwks_url_for("http://localhost:8000").unwrap().as_str(),
            "http://localhost:8000/auth/v1/.well-known/jwks.json"
        );
        assert!(
            jwks_url_for("http://example.com/jwks.json")
                .unwrap_err()
                .contains("plain http")
        );
    }
}
