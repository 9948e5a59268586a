//! The one network operation supajwt performs: fetching a JWKS the user asked for.
//! https only (plain http for localhost, for self-hosted stacks), 10 s timeout, 1 MiB cap,
//! redirects only to URLs that pass the same rule.

use crate::core::keys::{KeySet, KeySetShape, load_keys};
use std::io::Read;
use std::time::Duration;

/// The largest response read.
pub const MAX_JWKS_BYTES: u64 = 1024 * 1024;
/// The whole-request timeout.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

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

/// Fetches and parses a JWKS. Blocking: call it off the UI thread.
pub fn fetch_jwks(url: &url::Url) -> Result<KeySet, String> {
    fetch_jwks_with_timeout(url, FETCH_TIMEOUT)
}

/// [`fetch_jwks`] with another timeout (tests use a short one).
pub fn fetch_jwks_with_timeout(url: &url::Url, timeout: Duration) -> Result<KeySet, String> {
    install_tls_provider();
    check_scheme(url)?;
    let client = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .user_agent(concat!("supajwt/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
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
    if !status.is_success() {
        return Err(format!("{url} answered HTTP {status}"));
    }
    let mut body = Vec::new();
    response
        .take(MAX_JWKS_BYTES + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("reading the response failed: {e}"))?;
    if body.len() as u64 > MAX_JWKS_BYTES {
        return Err(format!(
            "the response is larger than {} KiB: not a JWKS",
            MAX_JWKS_BYTES / 1024
        ));
    }
    let text = String::from_utf8(body).map_err(|_| "the response is not UTF-8 text".to_string())?;
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') && !trimmed.starts_with('[') {
        let start: String = trimmed.chars().take(60).collect();
        return Err(format!(
            "the response is not JSON (it starts with \"{start}\")"
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

fn describe_request_error(e: &reqwest::Error, timeout: Duration) -> String {
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    if e.is_timeout() {
        format!(
            "timed out after {} s (offline, or the server is slow): {chain}",
            timeout.as_secs_f32()
        )
    } else if e.is_connect() {
        let lower = chain.to_lowercase();
        if lower.contains("dns") || lower.contains("resolve") || lower.contains("lookup") {
            format!("cannot resolve the host name (offline or a typo in the ref?): {chain}")
        } else if lower.contains("certificate") || lower.contains("tls") {
            format!("TLS failed (certificate not trusted?): {chain}")
        } else {
            format!("cannot connect (offline, firewall, or the service is down): {chain}")
        }
    } else if e.is_redirect() {
        chain
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
