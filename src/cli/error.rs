//! The command line's failure: the message printed after `error: ` (exit code 2) and the stable
//! code of the typed error it came from. The core's messages name no flag; this is where the
//! command line adds its own (`use --jwks-url`, `--timeout gives it longer`), by code.

use crate::fetch::{FetchError, UrlRefusal};
use crate::jose::error::{AlgorithmLimit, CoreError};

/// A CLI failure: exit code 2 with a message on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    /// What is printed after `error: `.
    pub message: String,
    /// The stable code of the core error it came from ([`CoreError::code`],
    /// [`FetchError::code`]); `None` for the command line's own refusals.
    pub code: Option<&'static str>,
}

impl UsageError {
    /// A refusal of the command line itself (no core error under it).
    pub fn new(message: impl Into<String>) -> Self {
        UsageError {
            message: message.into(),
            code: None,
        }
    }

    /// `{prefix}: {message}`, keeping the code (`keys.pem: this is a URL, not a key: …`).
    pub fn context(self, prefix: impl std::fmt::Display) -> Self {
        UsageError {
            message: format!("{prefix}: {}", self.message),
            ..self
        }
    }
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<CoreError> for UsageError {
    fn from(e: CoreError) -> Self {
        UsageError {
            message: core_message(&e),
            code: Some(e.code()),
        }
    }
}

impl From<FetchError> for UsageError {
    fn from(e: FetchError) -> Self {
        let message = match &e {
            FetchError::Refused(refusal @ UrlRefusal::PlainHttp { .. }) => format!(
                "{refusal}: pass --allow-http to fetch over plain http from a network you trust"
            ),
            other => other.describe(Some(TIMEOUT_HINT)),
        };
        UsageError {
            message,
            code: Some(e.code()),
        }
    }
}

impl From<String> for UsageError {
    fn from(message: String) -> Self {
        UsageError::new(message)
    }
}

/// How a fetch that ran out of time is given longer, inside its message's parenthesis.
const TIMEOUT_HINT: &str = "--timeout gives it longer";

/// A core error in the command line's words: the core's message with the flag that helps.
pub fn core_message(e: &CoreError) -> String {
    match e {
        CoreError::UrlNotAKey => format!("{e}: use --jwks-url (in the window: the JWKS pane)"),
        CoreError::NotAKey => format!(
            "{e}: for a shared secret use --secret/--secret-file (in the window: the Secret field)"
        ),
        CoreError::AlgorithmNotAllowed {
            alg,
            by: AlgorithmLimit::AllowList,
            allowed,
        } => format!("the token uses {alg}, but your --alg allow-list only allows {allowed}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_core_error_keeps_its_code_and_gets_its_flag() {
        let e = UsageError::from(CoreError::UrlNotAKey).context("url.txt");
        assert_eq!(e.code, Some("url_not_a_key"));
        assert_eq!(
            e.message,
            "url.txt: this is a URL, not a key: use --jwks-url (in the window: the JWKS pane)"
        );
        let e = UsageError::from(CoreError::NotAKey);
        assert_eq!(e.code, Some("not_a_key"));
        assert!(
            e.message.ends_with(
                "for a shared secret use --secret/--secret-file (in the window: the Secret field)"
            ),
            "{}",
            e.message
        );
        let e = UsageError::from(CoreError::AlgorithmNotAllowed {
            alg: "HS256".into(),
            by: AlgorithmLimit::AllowList,
            allowed: "RS256".into(),
        });
        assert_eq!(e.code, Some("algorithm_not_allowed"));
        assert_eq!(
            e.message,
            "the token uses HS256, but your --alg allow-list only allows RS256"
        );
        let e = UsageError::from(FetchError::Deadline {
            timeout: Duration::from_secs(2),
            cause: None,
        });
        assert_eq!(e.code, Some("timeout"));
        assert_eq!(
            e.message,
            "no complete answer within 2 s (offline, or the server is slow; --timeout gives it longer)"
        );
        assert_eq!(UsageError::new("give the key").code, None);
    }
}
