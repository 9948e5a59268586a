//! JWS signature algorithms. `none` is not representable: parsing it is an error.

use crate::jose::error::CoreError;
use std::fmt;

/// A JWS algorithm supajwt can sign and verify (RFC 7518 §3, RFC 8037).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[allow(clippy::upper_case_acronyms)]
pub enum Alg {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    EdDSA,
}

/// The kind of key an algorithm needs; a key is used with exactly one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlgFamily {
    /// Shared secret (`oct`).
    Hmac,
    /// RSA (PKCS#1 v1.5 and PSS).
    Rsa,
    /// ECDSA on P-256.
    EcP256,
    /// ECDSA on P-384.
    EcP384,
    /// ECDSA on P-521 (signed and verified with the RustCrypto `p521` crate: jsonwebtoken lacks it).
    EcP521,
    /// Ed25519.
    Ed25519,
}

impl Alg {
    /// Every supported algorithm.
    pub const ALL: [Alg; 13] = [
        Alg::HS256,
        Alg::HS384,
        Alg::HS512,
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
        Alg::ES256,
        Alg::ES384,
        Alg::ES512,
        Alg::EdDSA,
    ];

    /// Parses a header or option value. `none` in any case spelling is [`CoreError::AlgNone`].
    pub fn parse(name: &str) -> Result<Alg, CoreError> {
        if name.trim().eq_ignore_ascii_case("none") {
            return Err(CoreError::AlgNone(name.to_string()));
        }
        Alg::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| CoreError::UnsupportedAlgorithm(name.to_string()))
    }

    /// The registered name, as in a JWS header.
    pub fn name(self) -> &'static str {
        match self {
            Alg::HS256 => "HS256",
            Alg::HS384 => "HS384",
            Alg::HS512 => "HS512",
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
            Alg::ES256 => "ES256",
            Alg::ES384 => "ES384",
            Alg::ES512 => "ES512",
            Alg::EdDSA => "EdDSA",
        }
    }

    /// The key family this algorithm needs.
    pub fn family(self) -> AlgFamily {
        match self {
            Alg::HS256 | Alg::HS384 | Alg::HS512 => AlgFamily::Hmac,
            Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => {
                AlgFamily::Rsa
            }
            Alg::ES256 => AlgFamily::EcP256,
            Alg::ES384 => AlgFamily::EcP384,
            Alg::ES512 => AlgFamily::EcP521,
            Alg::EdDSA => AlgFamily::Ed25519,
        }
    }

    /// For HMAC: the minimum key length in bytes (the hash output size, RFC 7518 §3.2).
    pub fn min_hmac_key_len(self) -> usize {
        match self {
            Alg::HS384 => 48,
            Alg::HS512 => 64,
            _ => 32,
        }
    }

    /// What Supabase's clients do with tokens of this algorithm, when they refuse them:
    /// supabase-js `getClaims()` verifies only ES256 and RS256 locally (and HS256 through
    /// `/user`) and throws "Invalid alg claim" for any other asymmetric algorithm; the Edge
    /// Functions gate accepts only HS256, ES256 and RS256
    /// (`UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM`). GoTrue itself signs and verifies them.
    pub fn supabase_client_warning(self) -> Option<String> {
        if matches!(self.family(), AlgFamily::Hmac) || matches!(self, Alg::ES256 | Alg::RS256) {
            return None;
        }
        Some(format!(
            "{name} tokens are refused by supabase-js getClaims() (\"Invalid alg claim\") and by Edge Functions \
             (UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM), though GoTrue signs and verifies them; use ES256 unless \
             no client verifies tokens itself",
            name = self.name()
        ))
    }

    /// The jsonwebtoken equivalent; `None` for ES512, which jsonwebtoken lacks (the core
    /// signs and verifies it itself, see `jose::crypto`).
    pub(crate) fn to_jwt(self) -> Option<jsonwebtoken::Algorithm> {
        use jsonwebtoken::Algorithm as J;
        Some(match self {
            Alg::HS256 => J::HS256,
            Alg::HS384 => J::HS384,
            Alg::HS512 => J::HS512,
            Alg::RS256 => J::RS256,
            Alg::RS384 => J::RS384,
            Alg::RS512 => J::RS512,
            Alg::PS256 => J::PS256,
            Alg::PS384 => J::PS384,
            Alg::PS512 => J::PS512,
            Alg::ES256 => J::ES256,
            Alg::ES384 => J::ES384,
            Alg::ES512 => return None,
            Alg::EdDSA => J::EdDSA,
        })
    }
}

impl AlgFamily {
    /// The algorithms a key of this family may be used with.
    pub fn algorithms(self) -> Vec<Alg> {
        Alg::ALL
            .into_iter()
            .filter(|a| a.family() == self)
            .collect()
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Alg {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Alg::parse(s)
    }
}

/// Joins algorithm names for messages.
pub fn list(algs: &[Alg]) -> String {
    algs.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn none_in_any_case_is_rejected() {
        for n in ["none", "None", "NONE", "nOnE"] {
            assert!(matches!(Alg::parse(n), Err(CoreError::AlgNone(_))));
        }
        assert!(matches!(
            Alg::parse("hs256"),
            Err(CoreError::UnsupportedAlgorithm(_))
        ));
        assert_eq!(Alg::parse("ES256").unwrap(), Alg::ES256);
    }
}
