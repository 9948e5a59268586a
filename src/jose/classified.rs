//! Values on their way to the screen, the clipboard or a file, typed by whether they are
//! secret: the front ends mask, wipe and write `0600` by this type, never by a flag beside a
//! string.

use crate::jose::secret::{Redacted, SecretString};

/// An owned value to copy or save. A [`Classified::Secret`] is masked until revealed, wiped from
/// the clipboard after the countdown (and kept out of clipboard histories), saved with mode
/// 0600, and zeroized when dropped; a [`Classified::Public`] is none of these.
#[derive(Clone, PartialEq, Eq)]
pub enum Classified {
    /// Public keys, JWKS, anon tokens: shown, copied and saved as they are.
    Public(String),
    /// Private keys, secrets, service_role tokens, `.env` blocks with secrets.
    Secret(SecretString),
}

impl Classified {
    /// The text; handle a secret with care.
    pub fn expose(&self) -> &str {
        match self {
            Classified::Public(text) => text,
            Classified::Secret(secret) => secret.expose(),
        }
    }

    /// Whether it is a [`Classified::Secret`].
    pub fn is_secret(&self) -> bool {
        matches!(self, Classified::Secret(_))
    }

    /// The borrowed form, for a widget that shows it.
    pub fn as_shown(&self) -> Shown<'_> {
        match self {
            Classified::Public(text) => Shown::Public(text),
            Classified::Secret(secret) => Shown::Secret(secret.expose()),
        }
    }
}

impl std::fmt::Debug for Classified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Classified::Public(text) => f.debug_tuple("Public").field(text).finish(),
            Classified::Secret(secret) => f.debug_tuple("Secret").field(secret).finish(),
        }
    }
}

/// A borrowed [`Classified`]: what a widget draws, copies or saves. A secret can only be
/// turned back into an owned value as a [`Classified::Secret`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shown<'a> {
    /// A public value.
    Public(&'a str),
    /// A secret value (borrowed from a [`SecretString`] or a token that must be masked).
    Secret(&'a str),
}

impl<'a> Shown<'a> {
    /// `text`, secret when `secret` is true: for a value whose secrecy is decided by what it
    /// holds (a token is secret unless its role is `anon`).
    pub fn by(text: &'a str, secret: bool) -> Shown<'a> {
        if secret {
            Shown::Secret(text)
        } else {
            Shown::Public(text)
        }
    }

    /// The text; handle a secret with care.
    pub fn expose(self) -> &'a str {
        match self {
            Shown::Public(text) | Shown::Secret(text) => text,
        }
    }

    /// Whether it is a [`Shown::Secret`].
    pub fn is_secret(self) -> bool {
        matches!(self, Shown::Secret(_))
    }

    /// The owned value, a secret one wrapped in a [`SecretString`].
    pub fn to_classified(self) -> Classified {
        match self {
            Shown::Public(text) => Classified::Public(text.to_string()),
            Shown::Secret(text) => Classified::Secret(SecretString::new(text.to_string())),
        }
    }
}

impl std::fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shown::Public(text) => f.debug_tuple("Public").field(text).finish(),
            Shown::Secret(text) => f.debug_tuple("Secret").field(&Redacted(text)).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_stays_secret_both_ways_and_never_prints() {
        let shown = Shown::by("hunter2hunter2", true);
        assert!(shown.is_secret() && shown.to_classified().is_secret());
        assert_eq!(shown.to_classified().expose(), "hunter2hunter2");
        assert!(!format!("{shown:?}{:?}", shown.to_classified()).contains("hunter2"));
        assert!(!Shown::by("public", false).to_classified().is_secret());
    }
}
