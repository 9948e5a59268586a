//! The notes a successful verification carries: typed, each with a stable code.

/// Something worth knowing about a token that passed: it did not fail the check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyNote {
    /// A single key verified a token whose `kid` names another key.
    KidDiffers {
        /// The token's `kid`.
        token_kid: String,
        /// The key's `kid`.
        key_kid: String,
    },
    /// The secret that verified is publicly known (for example a project's demo value).
    PublicSecret {
        /// What it is, in words ("the public self-hosted demo JWT_SECRET").
        what: &'static str,
    },
}

impl VerifyNote {
    /// The stable code (snake_case), for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyNote::KidDiffers { .. } => "kid_differs",
            VerifyNote::PublicSecret { .. } => "public_secret",
        }
    }
}

impl std::fmt::Display for VerifyNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyNote::KidDiffers { token_kid, key_kid } => write!(
                f,
                "the token's kid \"{token_kid}\" differs from the key's kid \"{key_kid}\""
            ),
            VerifyNote::PublicSecret { what } => write!(
                f,
                "the secret is {what}: it is public, anyone can forge tokens for this deployment"
            ),
        }
    }
}

/// Notes serialise as their text, the shape `verify --json` has always printed.
impl serde::Serialize for VerifyNote {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
