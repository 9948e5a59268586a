//! "Paste anything": one recogniser turns pasted text (a token, a cookie, a localStorage
//! session, a redirect URL, a `curl` / `fetch` / `wget` command, a raw HTTP request, `.env`
//! lines) into the credentials it holds, in order, each with where it came from; then judges
//! whether the combination can work ([`findings`]) and makes it safe to share ([`crate::safe_text::redact`]).

mod cookie;
pub mod findings;
pub mod har;
mod http;
pub mod memo;
mod recognise;

pub mod report;
mod shell;

pub use findings::request_findings;
pub use recognise::recognise;

use crate::supabase::doctor::Finding;
use crate::supabase::opaque::{OpaqueCheck, OpaqueKind};
use serde::Serialize;

/// The most text `inspect` reads (1 MiB): a big HAR entry or cookie jar fits, and every scan
/// over it is linear.
pub const MAX_PASTE_BYTES: usize = 1024 * 1024;

/// The most credentials one paste (or one HAR entry) reports, and the most remarks: the rest
/// are counted ([`Inspection::omitted`]) and reported as "+ N more, not shown".
pub const MAX_CREDENTIALS: usize = 50;

/// What a found credential is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// A compact JWS (`eyJ….….…`).
    Jwt,
    /// `sb_publishable_…`.
    SbPublishable,
    /// `sb_secret_…`.
    SbSecret,
    /// A GoTrue refresh token (short opaque string, single use).
    RefreshToken,
    /// A PKCE authorization code (`?code=`), exchanged once for a session.
    PkceCode,
    /// A PKCE code verifier (`…-auth-token-code-verifier` cookie).
    CodeVerifier,
    /// An OAuth provider's token (`provider_token` / `provider_refresh_token`).
    ProviderToken,
    /// A password (a `/auth/v1/token` or `/signup` request body).
    Password,
    /// Something sent as a credential that is none of the above.
    Unknown,
}

/// Where a credential sits in a request: decides how the gateway and the service read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// The `apikey` header or `?apikey=` (Kong's key-auth).
    Apikey,
    /// `Authorization: Bearer` (the token GoTrue / PostgREST / Storage check).
    Bearer,
    /// Inside a cookie, a session or a URL: not sent as a header.
    Stored,
}

/// One credential found in the paste.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Credential {
    /// Where it came from, in words: `header apikey`, `cookie sb-abc-auth-token → access_token`.
    pub source: String,
    /// What it is.
    pub kind: CredentialKind,
    /// The bare value.
    pub value: String,
    /// How a request would present it.
    pub slot: Slot,
    /// Remarks from reading it ("reassembled from 2 cookie chunks", "chunk .1 is missing").
    pub notes: Vec<String>,
}

/// Values are secrets: never in logs.
impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("source", &self.source)
            .field("kind", &self.kind)
            .field("value", &crate::safe_text::redact::fingerprint(&self.value))
            .finish_non_exhaustive()
    }
}

impl Credential {
    /// What the credential is and how it is used, in plain words.
    pub fn explain(&self) -> String {
        match self.kind {
            CredentialKind::Jwt => "a JWT: decoded below (not verified: use `supajwt verify`).".into(),
            CredentialKind::SbPublishable => format!("an opaque publishable key: safe in a browser; the gateway maps it to the anon role. Not a JWT: it goes in the apikey header only, never as Authorization: Bearer. {}", self.checksum_words()),
            CredentialKind::SbSecret => format!("an opaque secret key: server-only; the gateway maps it to service_role (bypasses Row Level Security). Not a JWT: it goes in the apikey header only, never as Authorization: Bearer. {}", self.checksum_words()),
            CredentialKind::RefreshToken => "a refresh token: not a JWT; single use — exchanging it at /auth/v1/token?grant_type=refresh_token returns a new access token and a new refresh token.".into(),
            CredentialKind::PkceCode => "a PKCE authorization code: not a token. The client exchanges it once (with its code verifier) at /auth/v1/token?grant_type=pkce for a session; a second exchange fails.".into(),
            CredentialKind::CodeVerifier => "a PKCE code verifier: the secret half of a PKCE sign-in, kept by the client until the code is exchanged.".into(),
            CredentialKind::ProviderToken => "an OAuth provider's token (Google, GitHub, …): for that provider's API, not for Supabase.".into(),
            CredentialKind::Password => "a password in a request body.".into(),
            CredentialKind::Unknown => "neither a JWT nor a Supabase key.".into(),
        }
    }

    /// The opaque key's kind, for `sb_` keys.
    pub fn opaque_kind(&self) -> Option<OpaqueKind> {
        match self.kind {
            CredentialKind::SbPublishable => Some(OpaqueKind::Publishable),
            CredentialKind::SbSecret => Some(OpaqueKind::Secret),
            _ => None,
        }
    }

    /// The offline checksum result, for `sb_` keys.
    pub fn opaque_check(&self) -> Option<OpaqueCheck> {
        self.opaque_kind()
            .map(|k| crate::supabase::opaque::check_opaque_key(&self.value, k))
    }

    fn checksum_words(&self) -> &'static str {
        if crate::supabase::opaque::CLI_DEMO_OPAQUE_KEYS.contains(&self.value.as_str()) {
            return "This is the Supabase CLI's PUBLIC local key: never use it for a reachable deployment.";
        }
        match self.opaque_check() {
            Some(OpaqueCheck::ChecksumOk) => "Its self-hosted checksum matches.",
            Some(OpaqueCheck::ChecksumMismatch) => {
                "Its last 8 characters are not the self-hosted checksum: a hosted project's key, or a mistyped / truncated self-hosted one."
            }
            _ => "It is not prefix + 22 characters + _ + 8: truncated or mistyped.",
        }
    }
}

/// The request a paste describes (curl, fetch, raw HTTP, HAR entry, header lines).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestInfo {
    /// `GET`, `POST`, … when known.
    pub method: Option<String>,
    /// The URL, when known.
    pub url: Option<String>,
    /// Header names (lower-case) with their values, as sent.
    pub headers: Vec<(String, String)>,
}

impl RequestInfo {
    /// The first header with this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sent by a browser: `Origin`, `Sec-Fetch-*` or a browser `User-Agent`.
    pub fn from_browser(&self) -> bool {
        self.headers.iter().any(|(n, v)| {
            n == "origin"
                || n.starts_with("sec-fetch-")
                || n == "sec-ch-ua"
                || (n == "user-agent" && v.starts_with("Mozilla/"))
        })
    }
}

/// Everything the recogniser read from a paste.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inspection {
    /// The credentials, in the order they appear.
    pub credentials: Vec<Credential>,
    /// The request around them, when the paste was one.
    pub request: Option<RequestInfo>,
    /// What the paste looked like ("a curl command (bash quoting)").
    pub shape: String,
    /// Facts about the paste that are not credentials (redirect errors, missing chunks).
    pub remarks: Vec<Finding>,
    /// Credentials and remarks found beyond [`MAX_CREDENTIALS`]: counted, not kept.
    pub omitted: usize,
}

impl Inspection {
    /// "+ 79,950 more, not shown", when the paste held more than [`MAX_CREDENTIALS`].
    pub fn omitted_line(&self) -> Option<String> {
        omitted_line(self.omitted)
    }
}

/// "+ N more, not shown (…)" for `n` > 0.
pub fn omitted_line(n: usize) -> Option<String> {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(d);
    }
    (n > 0).then(|| {
        format!("+ {grouped} more, not shown (a paste reports its first {MAX_CREDENTIALS} credentials and remarks)")
    })
}
