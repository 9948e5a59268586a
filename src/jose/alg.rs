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

/// One algorithm's facts. Everything supajwt knows about an algorithm is in its row of
/// [`ALGORITHMS`]: the CLI's `--alg` values and the window's choice lists are derived from it.
#[derive(Debug, Clone, Copy)]
pub struct AlgRow {
    /// The algorithm.
    pub alg: Alg,
    /// The registered name: a JWS header's `alg`, the CLI value.
    pub name: &'static str,
    /// The key family it needs.
    pub family: AlgFamily,
    /// For HMAC, the shortest key in bytes (the hash output size, RFC 7518 §3.2); 0 otherwise.
    pub min_hmac_key_len: usize,
    /// jsonwebtoken's equivalent; `None` for ES512, signed with the RustCrypto `p521` crate.
    jsonwebtoken: Option<jsonwebtoken::Algorithm>,
    /// Whether supabase-js `getClaims()` and the Edge Functions gate refuse its tokens.
    pub refused_by_supabase_clients: bool,
    /// How supajwt offers to generate a key for it; `None` when it does not.
    pub keygen: Option<KeygenRow>,
}

/// How an algorithm's key generation is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeygenRow {
    /// Where it stands in the CLI's values and the window's choices (0 first: the recommended
    /// ES256, the shared secret last).
    pub rank: u8,
    /// The window's label for it ("ES256 (P-256)").
    pub label: &'static str,
    /// The CLI's help for the `--alg` value ("ECDSA P-256 (Supabase's default)").
    pub help: &'static str,
}

const fn row(
    alg: Alg,
    name: &'static str,
    family: AlgFamily,
    jsonwebtoken: Option<jsonwebtoken::Algorithm>,
) -> AlgRow {
    let min_hmac_key_len = match alg {
        Alg::HS256 => 32,
        Alg::HS384 => 48,
        Alg::HS512 => 64,
        _ => 0,
    };
    AlgRow {
        alg,
        name,
        family,
        min_hmac_key_len,
        jsonwebtoken,
        refused_by_supabase_clients: false,
        keygen: None,
    }
}

impl AlgRow {
    const fn refused_by_supabase_clients(mut self) -> AlgRow {
        self.refused_by_supabase_clients = true;
        self
    }

    const fn generated(mut self, rank: u8, label: &'static str, help: &'static str) -> AlgRow {
        self.keygen = Some(KeygenRow { rank, label, help });
        self
    }
}

use jsonwebtoken::Algorithm as Jwt;

/// Every supported algorithm, one row each, in the order of [`Alg`]'s variants.
pub const ALGORITHMS: [AlgRow; 13] = [
    row(Alg::HS256, "HS256", AlgFamily::Hmac, Some(Jwt::HS256)).generated(
        5,
        "HS256 secret",
        "Random shared secret",
    ),
    row(Alg::HS384, "HS384", AlgFamily::Hmac, Some(Jwt::HS384)),
    row(Alg::HS512, "HS512", AlgFamily::Hmac, Some(Jwt::HS512)),
    row(Alg::RS256, "RS256", AlgFamily::Rsa, Some(Jwt::RS256)).generated(1, "RS256", "RSA"),
    row(Alg::RS384, "RS384", AlgFamily::Rsa, Some(Jwt::RS384)).refused_by_supabase_clients(),
    row(Alg::RS512, "RS512", AlgFamily::Rsa, Some(Jwt::RS512))
        .refused_by_supabase_clients()
        .generated(2, "RS512", "RSA with SHA-512 (GoTrue signs it too)"),
    row(Alg::PS256, "PS256", AlgFamily::Rsa, Some(Jwt::PS256)).refused_by_supabase_clients(),
    row(Alg::PS384, "PS384", AlgFamily::Rsa, Some(Jwt::PS384)).refused_by_supabase_clients(),
    row(Alg::PS512, "PS512", AlgFamily::Rsa, Some(Jwt::PS512)).refused_by_supabase_clients(),
    row(Alg::ES256, "ES256", AlgFamily::EcP256, Some(Jwt::ES256)).generated(
        0,
        "ES256 (P-256)",
        "ECDSA P-256 (Supabase's default)",
    ),
    row(Alg::ES384, "ES384", AlgFamily::EcP384, Some(Jwt::ES384)).refused_by_supabase_clients(),
    row(Alg::ES512, "ES512", AlgFamily::EcP521, None)
        .refused_by_supabase_clients()
        .generated(3, "ES512 (P-521)", "ECDSA P-521"),
    row(Alg::EdDSA, "EdDSA", AlgFamily::Ed25519, Some(Jwt::EdDSA))
        .refused_by_supabase_clients()
        .generated(4, "EdDSA (Ed25519)", "Ed25519"),
];

impl Alg {
    /// Every supported algorithm.
    pub const ALL: [Alg; ALGORITHMS.len()] = {
        let mut all = [Alg::HS256; ALGORITHMS.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = ALGORITHMS[i].alg;
            i += 1;
        }
        all
    };

    /// This algorithm's row of [`ALGORITHMS`].
    pub fn row(self) -> &'static AlgRow {
        &ALGORITHMS[self as usize]
    }

    /// The algorithms supajwt generates keys for, with their key-generation rows, in the order
    /// they are offered ([`KeygenRow::rank`]).
    pub fn generated() -> Vec<(Alg, KeygenRow)> {
        let mut generated: Vec<(Alg, KeygenRow)> = ALGORITHMS
            .iter()
            .filter_map(|r| r.keygen.map(|k| (r.alg, k)))
            .collect();
        generated.sort_by_key(|(_, keygen)| keygen.rank);
        generated
    }

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
        self.row().name
    }

    /// The key family this algorithm needs.
    pub fn family(self) -> AlgFamily {
        self.row().family
    }

    /// For HMAC: the minimum key length in bytes (the hash output size, RFC 7518 §3.2); 32 for
    /// the other families, which have no such minimum.
    pub fn min_hmac_key_len(self) -> usize {
        self.row().min_hmac_key_len.max(32)
    }

    /// What Supabase's clients do with tokens of this algorithm, when they refuse them:
    /// supabase-js `getClaims()` verifies only ES256 and RS256 locally (and HS256 through
    /// `/user`) and throws "Invalid alg claim" for any other asymmetric algorithm; the Edge
    /// Functions gate accepts only HS256, ES256 and RS256
    /// (`UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM`). GoTrue itself signs and verifies them.
    pub fn supabase_client_warning(self) -> Option<String> {
        if !self.row().refused_by_supabase_clients {
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
        self.row().jsonwebtoken
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

    #[test]
    fn the_table_follows_the_enum() {
        for (i, row) in ALGORITHMS.iter().enumerate() {
            assert_eq!(row.alg as usize, i, "{} is out of place", row.name);
            assert_eq!(format!("{:?}", row.alg), row.name);
        }
    }
}
