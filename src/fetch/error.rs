//! Why a JWKS fetch failed, as a type: each way it can fail is a variant with a stable
//! [`FetchError::code`], sorted from reqwest's own error kinds and the typed causes under them
//! (an `std::io::Error`'s kind, a `rustls::Error`, this module's [`NameNotResolved`] and
//! [`RedirectRefusal`]), never from the words of a message. The messages name no front end:
//! [`FetchError::describe`] takes a front end's hint for the deadline.

use super::{MAX_JWKS_BYTES, MAX_REDIRECTS, UrlRefusal};
use crate::jose::error::CoreError;
use crate::jose::keys::KeySetShape;
use std::error::Error;
use std::time::Duration;

/// Why a JWKS fetch failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The URL (or a redirect target) is outside the fetch rule.
    Refused(UrlRefusal),
    /// No complete answer within the deadline; `cause` is the client's own account, if any.
    Deadline {
        /// The deadline.
        timeout: Duration,
        /// What the HTTP client said, when it was the one that gave up.
        cause: Option<String>,
    },
    /// The host name does not resolve.
    Dns {
        /// The client's error and its causes.
        chain: String,
    },
    /// The TLS handshake failed (certificate not trusted, not TLS at all).
    Tls {
        /// The client's error and its causes.
        chain: String,
    },
    /// The connection was refused: nothing listens there.
    ConnectionRefused {
        /// The client's error and its causes.
        chain: String,
    },
    /// Another failure to connect (unreachable network, firewall).
    Connect {
        /// The client's error and its causes.
        chain: String,
    },
    /// A redirect was not followed.
    Redirect {
        /// Why.
        refusal: RedirectRefusal,
        /// The client's error and its causes.
        chain: String,
    },
    /// Another failure of the request.
    Request {
        /// The client's error and its causes.
        chain: String,
    },
    /// The HTTP client could not be built.
    Client(String),
    /// The worker ended without an answer.
    Stopped,
    /// The server answered with an error status.
    Status {
        /// The URL asked for.
        url: String,
        /// The status line (`404 Not Found`).
        status: String,
        /// The content type, escaped for a terminal.
        content_type: String,
        /// The start of the body, quoted and escaped (or `empty body`).
        summary: String,
    },
    /// Reading the body failed.
    Read(String),
    /// The body is larger than [`MAX_JWKS_BYTES`].
    TooLarge,
    /// The body is not UTF-8.
    NotUtf8,
    /// The body is not JSON; `start` is its beginning, escaped.
    NotJson {
        /// The first characters, escaped for a terminal.
        start: String,
    },
    /// The JSON holds no readable keys.
    Keys(CoreError),
    /// The keys are not a `{"keys":[...]}` object.
    NotJwks(KeySetShape),
}

impl FetchError {
    /// A short stable identifier for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Refused(UrlRefusal::PlainHttp { .. }) => "plain_http",
            FetchError::Refused(UrlRefusal::Scheme(_)) => "unsupported_scheme",
            FetchError::Deadline { .. } => "timeout",
            FetchError::Dns { .. } => "dns",
            FetchError::Tls { .. } => "tls",
            FetchError::ConnectionRefused { .. } => "connection_refused",
            FetchError::Connect { .. } => "connect",
            FetchError::Redirect {
                refusal: RedirectRefusal::TooMany,
                ..
            } => "too_many_redirects",
            FetchError::Redirect {
                refusal: RedirectRefusal::Unsafe(_),
                ..
            } => "unsafe_redirect",
            FetchError::Request { .. } => "request",
            FetchError::Client(_) => "client",
            FetchError::Stopped => "stopped",
            FetchError::Status { .. } => "http_status",
            FetchError::Read(_) => "read",
            FetchError::TooLarge => "too_large",
            FetchError::NotUtf8 => "not_utf8",
            FetchError::NotJson { .. } => "not_json",
            FetchError::Keys(e) => e.code(),
            FetchError::NotJwks(_) => "not_jwks",
        }
    }

    /// The message, with `deadline_hint` (a front end's way to allow more time, e.g. a flag)
    /// inside the deadline's parenthesis; any other error reads as its [`Display`](std::fmt::Display).
    pub fn describe(&self, deadline_hint: Option<&str>) -> String {
        match self {
            FetchError::Deadline { timeout, cause } => {
                let hint = deadline_hint.map(|h| format!("; {h}")).unwrap_or_default();
                let head = format!(
                    "no complete answer within {} s (offline, or the server is slow{hint})",
                    timeout.as_secs_f32()
                );
                match cause {
                    Some(cause) => format!("{head}: {cause}"),
                    None => head,
                }
            }
            FetchError::Refused(e) => e.to_string(),
            FetchError::Dns { chain } => {
                format!("cannot resolve the host name (offline or a typo in the ref?): {chain}")
            }
            FetchError::Tls { chain } => format!("TLS failed (certificate not trusted?): {chain}"),
            FetchError::ConnectionRefused { chain } => format!(
                "cannot connect: connection refused (nothing listens there: is the service up, the port right?): {chain}"
            ),
            FetchError::Connect { chain } => {
                format!("cannot connect (offline, firewall, or the service is down): {chain}")
            }
            FetchError::Redirect { chain, .. } => chain.clone(),
            FetchError::Request { chain } => format!("request failed: {chain}"),
            FetchError::Client(e) => format!("cannot start the HTTP client: {e}"),
            FetchError::Stopped => "the fetch stopped without an answer".into(),
            FetchError::Status {
                url,
                status,
                content_type,
                summary,
            } => format!("{url} answered HTTP {status} ({content_type}): {summary}"),
            FetchError::Read(e) => format!("reading the response failed: {e}"),
            FetchError::TooLarge => format!(
                "the response is larger than {} KiB: not a JWKS",
                MAX_JWKS_BYTES / 1024
            ),
            FetchError::NotUtf8 => "the response is not UTF-8 text".into(),
            FetchError::NotJson { start } => {
                format!("the response is not JSON (it starts with \"{start}\")")
            }
            FetchError::Keys(e) => e.to_string(),
            FetchError::NotJwks(shape) => format!(
                "the response is a {} but a JWKS endpoint must return an object {{\"keys\":[...]}}",
                shape.label()
            ),
        }
    }

    /// Sorts a failed request by reqwest's error kinds and the typed causes under it.
    pub(super) fn from_request(e: &reqwest::Error, timeout: Duration) -> FetchError {
        let chain = chain_text(e);
        if e.is_timeout() {
            return FetchError::Deadline {
                timeout,
                cause: Some(chain),
            };
        }
        let causes = causes(e);
        if let Some(refusal) = causes
            .iter()
            .find_map(|c| c.downcast_ref::<RedirectRefusal>())
        {
            let refusal = refusal.clone();
            return FetchError::Redirect { refusal, chain };
        }
        if causes.iter().any(|c| c.is::<NameNotResolved>()) {
            return FetchError::Dns { chain };
        }
        if causes.iter().any(|c| c.is::<rustls::Error>()) {
            return FetchError::Tls { chain };
        }
        let io_kind = |kind| {
            causes
                .iter()
                .filter_map(|c| c.downcast_ref::<std::io::Error>())
                .any(|io| io.kind() == kind)
        };
        if e.is_connect() && io_kind(std::io::ErrorKind::ConnectionRefused) {
            FetchError::ConnectionRefused { chain }
        } else if e.is_connect() {
            FetchError::Connect { chain }
        } else if e.is_body() || e.is_decode() {
            FetchError::Read(chain)
        } else {
            FetchError::Request { chain }
        }
    }
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(None))
    }
}

impl std::error::Error for FetchError {}

/// Why the redirect policy stopped: it travels inside reqwest's error as its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectRefusal {
    /// More than [`MAX_REDIRECTS`] redirects.
    TooMany,
    /// The target is outside the fetch rule.
    Unsafe(UrlRefusal),
}

impl std::fmt::Display for RedirectRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedirectRefusal::TooMany => write!(
                f,
                "too many redirects (more than {MAX_REDIRECTS}): check the URL"
            ),
            RedirectRefusal::Unsafe(e) => write!(f, "redirected to an unsafe URL: {e}"),
        }
    }
}

impl std::error::Error for RedirectRefusal {}

/// A host name the system resolver could not turn into addresses: the resolver's failure as a
/// type, so the error walk knows it without reading words. Reads as the resolver's own error.
#[derive(Debug)]
pub struct NameNotResolved(pub std::io::Error);

impl std::fmt::Display for NameNotResolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for NameNotResolved {}

/// The error and every cause under it. Under an `std::io::Error` the next cause is the error it
/// wraps (its `source()` skips that one: TLS failures arrive as a rustls error wrapped in
/// io errors).
fn causes<'a>(e: &'a (dyn Error + 'static)) -> Vec<&'a (dyn Error + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        out.push(err);
        next = match err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(wrapped) => Some(wrapped),
            None => err.source(),
        };
    }
    out
}

/// "error sending request for url (…): client error (Connect): …": the error and its causes.
fn chain_text(e: &reqwest::Error) -> String {
    let mut chain = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    chain
}
