//! What reading a key set noticed without refusing it, as typed values with stable codes:
//! callers decide by variant, never by the text.

use crate::jose::error::CoreError;

/// One thing the user should know about a key set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySetWarning {
    /// An entry could not be read and was left out.
    SkippedKey {
        /// Its error (the message names the entry: "JWK #2 ...").
        error: CoreError,
    },
    /// Two or more keys share a kid.
    DuplicateKid {
        /// The kid.
        kid: String,
    },
    /// A JWKS holds private asymmetric keys.
    PrivateKeysInJwks,
    /// A JWKS holds an `oct` shared secret.
    SecretInJwks,
    /// An EC key's `x`, `y` or `d` is shorter than its curve size (a generator dropped leading
    /// zero bytes): read left-padded, but GoTrue refuses the key.
    ShortEcCoordinate {
        /// The entry ("JWK #2").
        origin: String,
        /// Its kid, if any.
        kid: Option<String>,
        /// `x`, `y` or `d`.
        coordinate: String,
        /// Its length in bytes.
        len: usize,
        /// The curve's size in bytes.
        expected: usize,
        /// The curve (`P-256` ...).
        crv: String,
    },
}

impl KeySetWarning {
    /// A short stable identifier for scripts (`--json` output).
    pub fn code(&self) -> &'static str {
        match self {
            KeySetWarning::SkippedKey { .. } => "skipped_key",
            KeySetWarning::DuplicateKid { .. } => "duplicate_kid",
            KeySetWarning::PrivateKeysInJwks => "private_keys_in_jwks",
            KeySetWarning::SecretInJwks => "secret_in_jwks",
            KeySetWarning::ShortEcCoordinate { .. } => "short_ec_coordinate",
        }
    }

    /// True when the set exposes signing material: shown as an error, not a caution.
    pub fn exposes_secrets(&self) -> bool {
        matches!(
            self,
            KeySetWarning::PrivateKeysInJwks | KeySetWarning::SecretInJwks
        )
    }
}

impl std::fmt::Display for KeySetWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySetWarning::SkippedKey { error } => write!(f, "skipped: {error}"),
            KeySetWarning::DuplicateKid { kid } => write!(
                f,
                "two or more keys share kid \"{kid}\": tokens with it are ambiguous"
            ),
            KeySetWarning::PrivateKeysInJwks => f.write_str(
                "this JWKS contains PRIVATE keys: never publish it; publish only the public halves",
            ),
            KeySetWarning::SecretInJwks => f.write_str(
                "this JWKS contains an \"oct\" shared secret: anyone who reads it can mint tokens; keep it private (fine for JWT_JWKS, never for a published jwks.json)",
            ),
            KeySetWarning::ShortEcCoordinate {
                origin,
                kid,
                coordinate,
                len,
                expected,
                crv,
            } => {
                let kid = kid
                    .as_deref()
                    .map(|k| format!(" (kid \"{k}\")"))
                    .unwrap_or_default();
                write!(
                    f,
                    "{origin}{kid}: \"{coordinate}\" is {len} bytes, {crv} needs {expected} (a leading zero was dropped); \
                     read left-padded, but GoTrue refuses this key (invalid \"{coordinate}\" length ({len})): regenerate or re-encode it"
                )
            }
        }
    }
}
