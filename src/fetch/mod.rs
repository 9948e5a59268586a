//! The one network operation supajwt performs: fetching a JWKS the user asked for.
//! https only (plain http for localhost, for self-hosted stacks, and for the one host the user
//! explicitly allowed: [`FetchOptions::allow_http`]), one 10 s deadline for the whole request,
//! 1 MiB cap, at most 5 redirects and only to URLs that pass the same rule. A failure is a
//! [`FetchError`], sorted by type.

mod error;
mod resolve;

pub use error::{FetchError, NameNotResolved, RedirectRefusal};

use crate::jose::keys::{KeySet, KeySetShape, load_keys};
use crate::safe_text::escape::escape_for_terminal;
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

/// What the user allowed for one fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchOptions {
    /// Permit plain http to the host of the URL asked for (`--allow-http`, the window's
    /// "allow plain http for this host"): for self-hosted stacks on a LAN. Redirects to plain
    /// http on any other host stay refused.
    pub allow_http: bool,
    /// The deadline for the whole request.
    pub timeout: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            allow_http: false,
            timeout: FETCH_TIMEOUT,
        }
    }
}

/// The warning shown whenever plain http is used because the user allowed it.
pub const PLAIN_HTTP_WARNING: &str =
    "keys fetched over plain http can be swapped in transit; use only on a network you trust";

/// Why a URL is not fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlRefusal {
    /// Plain http to a host other than localhost, not allowed by the user.
    PlainHttp {
        /// The host.
        host: String,
    },
    /// Neither https nor http.
    Scheme(String),
}

impl std::fmt::Display for UrlRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlRefusal::PlainHttp { host } => write!(
                f,
                "refusing plain http to {host}: keys fetched without TLS can be swapped in transit (http is allowed only for localhost unless you allow it for this host)"
            ),
            UrlRefusal::Scheme(other) => write!(f, "unsupported URL scheme \"{other}\""),
        }
    }
}

/// Checks `url` against the fetch rule: https, http to localhost, or http to this URL's host
/// when `options.allow_http`. `Ok(Some(warning))` when the fetch goes over plain http because
/// the user allowed it ([`PLAIN_HTTP_WARNING`]).
pub fn check_url(url: &url::Url, options: &FetchOptions) -> Result<Option<String>, UrlRefusal> {
    match url.scheme() {
        "https" => Ok(None),
        "http" if is_loopback(url) => Ok(None),
        "http" if options.allow_http && url.host_str().is_some() => Ok(Some(format!(
            "plain http to {}: {PLAIN_HTTP_WARNING}",
            url.host_str().unwrap_or("?")
        ))),
        "http" => Err(UrlRefusal::PlainHttp {
            host: url.host_str().unwrap_or("?").to_string(),
        }),
        other => Err(UrlRefusal::Scheme(other.to_string())),
    }
}

/// Installs the TLS crypto provider (ring) once per process. Safe to call repeatedly.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Turns what a user types into the JWKS URL: a project ref (`abcdefghijklmnopqrst`), a project
/// URL (`https://<ref>.supabase.co`, `http://localhost:8000`) or a full URL ending in `.json`.
/// Whether it may be fetched (https, or plain http to localhost or an allowed host) is
/// [`check_url`]'s rule, applied with the user's [`FetchOptions`].
pub fn parse_jwks_url(input: &str) -> Result<url::Url, String> {
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
    url::Url::parse(&text).map_err(|e| format!("\"{text}\" is not a valid URL: {e}"))
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The rule for a redirect target: as for the first URL, with plain http allowed only to the
/// host the user allowed it for.
fn check_redirect(
    target: &url::Url,
    first: &url::Url,
    options: &FetchOptions,
) -> Result<(), UrlRefusal> {
    let same_host = target.host_str() == first.host_str();
    let options = FetchOptions {
        allow_http: options.allow_http && same_host,
        ..*options
    };
    check_url(target, &options).map(drop)
}

/// Fetches and parses a JWKS under the user's [`FetchOptions`] (plain http allowed for this
/// URL's host, the total deadline). Blocking: call it off the UI thread. Show [`check_url`]'s
/// warning before calling it. The deadline covers the whole request (name lookup, connect,
/// TLS, redirects, headers, body): reqwest's blocking timeout applies to each read separately,
/// so the request runs on a worker thread this function stops waiting for when the deadline
/// passes (the worker then ends at its next read).
pub fn fetch_jwks_with(url: &url::Url, options: &FetchOptions) -> Result<KeySet, FetchError> {
    install_tls_provider();
    check_url(url, options).map_err(FetchError::Refused)?;
    let timeout = options.timeout;
    let options = *options;
    let started = Instant::now();
    let deadline = started.checked_add(timeout).unwrap_or(started);
    let (tx, rx) = std::sync::mpsc::channel();
    let worker_url = url.clone();
    std::thread::spawn(move || {
        let _ = tx.send(fetch_body(&worker_url, &options, deadline));
    });
    let body = match rx.recv_timeout(timeout) {
        Ok(result) => result?,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return Err(deadline_passed(timeout)),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Err(FetchError::Stopped),
    };
    parse_jwks(body)
}

/// "no complete answer within 10 s (...)".
fn deadline_passed(timeout: Duration) -> FetchError {
    FetchError::Deadline {
        timeout,
        cause: None,
    }
}

/// Runs on the worker: the request and the body, read in chunks until the cap or the deadline.
fn fetch_body(
    url: &url::Url,
    options: &FetchOptions,
    deadline: Instant,
) -> Result<Vec<u8>, FetchError> {
    let timeout = options.timeout;
    let first = url.clone();
    let options = *options;
    let client = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("supajwt/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(std::sync::Arc::new(resolve::SystemResolver))
        .redirect(reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error(RedirectRefusal::TooMany)
            } else if let Err(e) = check_redirect(attempt.url(), &first, &options) {
                attempt.error(RedirectRefusal::Unsafe(e))
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|e| FetchError::Client(e.to_string()))?;
    let response = client
        .get(url.clone())
        .send()
        .map_err(|e| FetchError::from_request(&e, timeout))?;
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type")
        .to_string();
    if !status.is_success() {
        let body = read_capped(response, ERROR_BODY_BYTES, deadline, timeout).unwrap_or_default();
        return Err(FetchError::Status {
            url: url.to_string(),
            status: status.to_string(),
            content_type: escape_for_terminal(&content_type).into_owned(),
            summary: summarise(&body),
        });
    }
    let body = read_capped(response, MAX_JWKS_BYTES, deadline, timeout)?;
    if body.len() as u64 > MAX_JWKS_BYTES {
        return Err(FetchError::TooLarge);
    }
    Ok(body)
}

/// Reads at most `cap + 1` bytes, giving up when the deadline passes.
fn read_capped(
    mut response: reqwest::blocking::Response,
    cap: u64,
    deadline: Instant,
    timeout: Duration,
) -> Result<Vec<u8>, FetchError> {
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
                FetchError::Read(e.to_string())
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
fn parse_jwks(body: Vec<u8>) -> Result<KeySet, FetchError> {
    let text = String::from_utf8(body).map_err(|_| FetchError::NotUtf8)?;
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') && !trimmed.starts_with('[') {
        let start: String = trimmed.chars().take(60).collect();
        return Err(FetchError::NotJson {
            start: escape_for_terminal(&start).into_owned(),
        });
    }
    let set = load_keys(&text).map_err(FetchError::Keys)?;
    if set.shape != KeySetShape::Jwks {
        return Err(FetchError::NotJwks(set.shape));
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_urls() {
        let allowed = |input: &str| {
            let url = parse_jwks_url(input)?;
            check_url(&url, &FetchOptions::default()).map_err(|e| e.to_string())?;
            Ok::<_, String>(url)
        };
        assert_eq!(
            allowed("abcdefghijklmnopqrst").unwrap().as_str(),
            "https://abcdefghijklmnopqrst.supabase.co/auth/v1/.well-known/jwks.json"
        );
        assert_eq!(
            allowed("http://localhost:8000").unwrap().as_str(),
            "http://localhost:8000/auth/v1/.well-known/jwks.json"
        );
        assert!(
            allowed("http://example.com/jwks.json")
                .unwrap_err()
                .contains("plain http")
        );
    }
}
