//! The one error type of the core: every way a token, a key or an input can be refused,
//! each variant a distinct outcome with a message a person can act on.

use crate::jose::time::{describe_relative, format_utc};
use thiserror::Error;

/// Which part of a compact JWS a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// The first segment (protected header).
    Header,
    /// The second segment (payload / claims).
    Payload,
    /// The third segment (signature).
    Signature,
}

impl std::fmt::Display for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Segment::Header => "header (1st segment)",
            Segment::Payload => "payload (2nd segment)",
            Segment::Signature => "signature (3rd segment)",
        })
    }
}

impl Segment {
    /// "header", "payload", "signature": the segment's short name for sentences.
    pub fn name(self) -> &'static str {
        match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        }
    }
}

/// "two", "three", ... for "the payload has two `role` members".
fn count_word(n: usize) -> String {
    match n {
        2 => "two".into(),
        3 => "three".into(),
        4 => "four".into(),
        n => n.to_string(),
    }
}

/// " (inside `app_metadata`)" for a nested member, nothing at the top level.
fn where_nested(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" (inside `{path}`)")
    }
}

/// What limits the algorithms a token may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlgorithmLimit {
    /// The key (its type, `alg`, `use`, `key_ops`), as described.
    Key(String),
    /// The algorithms the user allowed for this check.
    AllowList,
}

impl std::fmt::Display for AlgorithmLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AlgorithmLimit::Key(key) => f.write_str(key),
            AlgorithmLimit::AllowList => f.write_str("your allow-list"),
        }
    }
}

/// Everything the core can refuse, one variant per outcome.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoreError {
    // ---- input shape -------------------------------------------------------------------
    /// Nothing was given.
    #[error("the input is empty: paste a token (eyJ...)")]
    Empty,
    /// Input over the size cap.
    #[error("the input is {size} bytes; the limit is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    /// Input bytes are not UTF-8.
    #[error("the input is not UTF-8 text")]
    NotUtf8,
    /// A 5-segment compact JWE.
    #[error("this is an encrypted token (JWE, 5 segments): decrypting JWE is not supported")]
    JweNotSupported,
    /// JWS JSON serialization.
    #[error(
        "this is a JWS in JSON serialization: only the compact form (header.payload.signature) is supported"
    )]
    JsonSerializationNotSupported,
    /// Wrong number of dot-separated segments.
    #[error("a JWT has 3 segments separated by '.', this has {0}")]
    SegmentCount(usize),
    /// A segment that must not be empty is.
    #[error("the {0} is empty")]
    EmptySegment(Segment),
    /// A segment is not strict base64url.
    #[error("the {segment} is not valid base64url: {detail}")]
    Base64 { segment: Segment, detail: String },
    /// A segment is not JSON (or not a JSON object).
    #[error("the {segment} is not a JSON object: {detail}")]
    Json { segment: Segment, detail: String },
    /// A claim has the wrong JSON type.
    #[error("claim \"{claim}\" must be {expected}, found {found}")]
    ClaimType {
        claim: String,
        expected: &'static str,
        found: String,
    },

    // ---- algorithm -----------------------------------------------------------------------
    /// The header has no `alg`.
    #[error("the header has no \"alg\"")]
    MissingAlg,
    /// `alg: none` (any spelling): an unsigned token.
    #[error("the token is unsigned (\"alg\": \"{0}\"): unsigned tokens are always rejected")]
    AlgNone(String),
    /// An algorithm this tool does not implement.
    #[error(
        "algorithm \"{0}\" is not supported (supported: HS256/384/512, RS256/384/512, PS256/384/512, ES256, ES384, ES512, EdDSA)"
    )]
    UnsupportedAlgorithm(String),
    /// The token's algorithm is outside what the key (or the user) allows.
    #[error("the token uses {alg}, but {by} only allows {allowed}")]
    AlgorithmNotAllowed {
        alg: String,
        by: AlgorithmLimit,
        allowed: String,
    },

    // ---- header rules (RFC 7515 §4.1.11, RFC 7797, RFC 7515 §4) ---------------------------
    /// `crit` lists extensions; supajwt implements none.
    #[error(
        "the token requires the header extension(s) {names}, which supajwt does not support (RFC 7515 §4.1.11: a recipient must reject it)"
    )]
    CritUnsupported { names: String },
    /// `crit` is not a non-empty array of extension names.
    #[error("the header's \"crit\" is malformed: {detail} (RFC 7515 §4.1.11)")]
    CritMalformed { detail: String },
    /// `b64: false`: an unencoded payload (RFC 7797).
    #[error(
        "the header has \"b64\": false (an unencoded RFC 7797 payload): supajwt does not support it, so the token is refused"
    )]
    UnencodedPayload,
    /// A registered header member has the wrong JSON type.
    #[error("malformed header: \"{member}\" must be {expected}, found {found}")]
    HeaderMemberType {
        member: &'static str,
        expected: &'static str,
        found: String,
    },
    /// The same member name twice in one JSON object of the token (RFC 7515 §4, RFC 7519 §4 allow rejecting).
    #[error(
        "the {} has {} `{name}` members{}; JSON parsers disagree on which wins, so the token is refused",
        segment.name(), count_word(*count), where_nested(path)
    )]
    DuplicateMember {
        segment: Segment,
        path: String,
        name: String,
        count: usize,
    },

    // ---- signature format ----------------------------------------------------------------
    /// ECDSA signature in DER form instead of JOSE raw r||s.
    #[error(
        "the {alg} signature is DER-encoded ({len} bytes); JWS requires the raw r||s form ({expected} bytes). The signer used a generic ECDSA API: convert DER to raw (e.g. with p256::ecdsa::Signature::from_der)"
    )]
    DerSignature {
        alg: String,
        len: usize,
        expected: usize,
    },
    /// Signature of the wrong size for the algorithm and key.
    #[error("the {alg} signature is {got} bytes; it must be {expected} bytes")]
    SignatureLength {
        alg: String,
        got: usize,
        expected: usize,
    },
    /// Ed25519 S not below the group order L (a malleable, non-canonical signature).
    #[error(
        "the Ed25519 signature's S is not below the group order: it is non-canonical and refused (strict RFC 8032 verification)"
    )]
    Ed25519ScalarOutOfRange,
    /// ECDSA r or s outside [1, n-1].
    #[error(
        "the ECDSA signature has r or s equal to 0 or not below the curve order: it is invalid"
    )]
    EcdsaScalarOutOfRange,

    // ---- key strength and usability ------------------------------------------------------
    /// RSA modulus too small.
    #[error("{key} is an RSA key of {bits} bits; at least 2048 bits are required")]
    RsaKeyTooSmall { key: String, bits: usize },
    /// RSA modulus larger than supported.
    #[error("{key} is an RSA key of {bits} bits; at most 4096 bits are supported")]
    RsaKeyTooLarge { key: String, bits: usize },
    /// RSA public exponent unusable.
    #[error("{key} has an unsafe RSA public exponent (must be odd and at least 3)")]
    RsaBadExponent { key: String },
    /// RSA modulus generated by a vulnerable Infineon library (CVE-2017-15361).
    #[error(
        "{key} has the ROCA fingerprint (CVE-2017-15361): its private key can be recovered; replace it"
    )]
    RocaVulnerableKey { key: String },
    /// HMAC key shorter than the hash output.
    #[error("{key} is {len} bytes; {alg} needs a secret of at least {min} bytes")]
    HmacKeyTooShort {
        key: String,
        alg: String,
        len: usize,
        min: usize,
    },
    /// The key's `use` / `key_ops` forbid verification or signing.
    #[error("{key} is not meant for this: {reason}")]
    KeyNotForThisUse { key: String, reason: String },
    /// The key declares an `alg` that cannot be used for signatures with it.
    #[error(
        "{key} declares \"alg\": \"{alg}\", which is not a signature algorithm for a {kind} key"
    )]
    KeyAlgInvalid {
        key: String,
        alg: String,
        kind: String,
    },
    /// An Ed25519 public key that is a small-order point or not canonically encoded.
    #[error(
        "{key} is a weak Ed25519 public key ({reason}): signatures under it prove nothing, so it is refused"
    )]
    Ed25519WeakKey { key: String, reason: &'static str },
    /// The signature backend could not build a key from the material.
    #[error("the signature backend could not use {key}: {detail}")]
    BackendKeyRejected { key: String, detail: String },
    /// The signature backend says the key's type does not fit the algorithm.
    #[error("{key} is the wrong type of key for {alg}")]
    KeyTypeMismatch { key: String, alg: String },
    /// Signing needs a private key.
    #[error("{0} is a public key: signing needs the private key")]
    NotAPrivateKey(String),

    // ---- key selection -------------------------------------------------------------------
    /// No key with the token's kid.
    #[error("the token's kid \"{kid}\" is not in the key set (it has: {available})")]
    KidNotFound { kid: String, available: String },
    /// Two or more keys share the token's kid.
    #[error("the key set has {count} keys with kid \"{kid}\": ambiguous, refusing to choose")]
    AmbiguousKid { kid: String, count: usize },
    /// No key of a type that can check this algorithm.
    #[error("no key in the set can check a {alg} token (the set has: {available})")]
    NoKeyForAlgorithm { alg: String, available: String },
    /// The key source holds nothing usable.
    #[error("no keys were given")]
    NoKeys,

    // ---- the signature itself ------------------------------------------------------------
    /// Cryptographic check failed.
    #[error("invalid signature: the token was not signed with {key}")]
    SignatureInvalid { key: String },
    /// Cryptographic check failed with the secret as text, but passes with another reading of it.
    #[error(
        "invalid signature with the secret read as UTF-8 text, but it verifies when the secret is read as {encoding}: the issuer and this configuration disagree on the secret's encoding"
    )]
    SecretEncodingMismatch { encoding: String },

    // ---- claims --------------------------------------------------------------------------
    /// Payload is not a JSON object where claims are needed.
    #[error("the payload is not a JSON object of claims")]
    PayloadNotClaims,
    /// `exp` passed.
    #[error("expired at {} ({})", format_utc(*exp), describe_relative(*exp, *now))]
    Expired { exp: i64, now: i64 },
    /// `nbf` in the future.
    #[error("not valid yet: usable from {} ({})", format_utc(*nbf), describe_relative(*nbf, *now))]
    NotYetValid { nbf: i64, now: i64 },
    /// `iat` in the future.
    #[error("issued in the future: iat is {} ({}); check the issuer's clock", format_utc(*iat), describe_relative(*iat, *now))]
    IssuedInFuture { iat: i64, now: i64 },
    /// `iss` differs from the expected issuer.
    #[error("issuer mismatch: expected \"{expected}\", the token says {found}")]
    IssuerMismatch { expected: String, found: String },
    /// `aud` does not contain the expected audience.
    #[error("audience mismatch: expected \"{expected}\", the token says {found}")]
    AudienceMismatch { expected: String, found: String },

    // ---- key material parsing and generation ---------------------------------------------
    /// An OpenSSH public key supajwt cannot use (type, or unreadable).
    #[error(
        "this is an OpenSSH public key ({what}) that supajwt cannot use; convert it with `ssh-keygen -e -m PKCS8 -f key.pub` and give the PEM"
    )]
    OpenSshKeyUnusable { what: String },
    /// Base64 that is DER but not a public key supajwt reads bare.
    #[error(
        "this is base64 without PEM armour: add the BEGIN/END lines (-----BEGIN PRIVATE KEY----- / -----END PRIVATE KEY----- or the matching type)"
    )]
    UnarmouredBase64,
    /// A URL given where a key was expected (each front end says where a URL goes).
    #[error("this is a URL, not a key")]
    UrlNotAKey,
    /// A token given where a key was expected.
    #[error("this is a token, not a key: paste it as the token instead")]
    TokenNotAKey,
    /// Text that is no key format supajwt reads; never taken as a shared secret (each front end
    /// says where a shared secret goes).
    #[error("not a key (PEM, JWK, JWKS, JWT_KEYS, base64 DER or an OpenSSH public key)")]
    NotAKey,
    /// Key text could not be understood.
    #[error("{0}")]
    KeyParse(String),
    /// Claims JSON given by the user is unusable.
    #[error("{0}")]
    InvalidClaims(String),
    /// Unusable option value.
    #[error("{0}")]
    InvalidOption(String),
    /// OS random generator or a crypto backend failed.
    #[error("crypto backend error: {0}")]
    Backend(String),
}

impl CoreError {
    /// A short stable identifier for scripts (`--json` output).
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Empty => "empty",
            CoreError::TooLarge { .. } => "too_large",
            CoreError::NotUtf8 => "not_utf8",
            CoreError::JweNotSupported => "jwe_not_supported",
            CoreError::JsonSerializationNotSupported => "json_serialization_not_supported",
            CoreError::SegmentCount(_) => "segment_count",
            CoreError::EmptySegment(_) => "empty_segment",
            CoreError::Base64 { .. } => "base64",
            CoreError::Json { .. } => "json",
            CoreError::ClaimType { .. } => "claim_type",
            CoreError::MissingAlg => "missing_alg",
            CoreError::AlgNone(_) => "alg_none",
            CoreError::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            CoreError::AlgorithmNotAllowed { .. } => "algorithm_not_allowed",
            CoreError::CritUnsupported { .. } => "crit_unsupported",
            CoreError::CritMalformed { .. } => "crit_malformed",
            CoreError::UnencodedPayload => "unencoded_payload",
            CoreError::HeaderMemberType { .. } => "header_member_type",
            CoreError::DuplicateMember { .. } => "duplicate_member",
            CoreError::Ed25519ScalarOutOfRange => "ed25519_scalar_out_of_range",
            CoreError::Ed25519WeakKey { .. } => "ed25519_weak_key",
            CoreError::BackendKeyRejected { .. } => "backend_key_rejected",
            CoreError::KeyTypeMismatch { .. } => "key_type_mismatch",
            CoreError::OpenSshKeyUnusable { .. } => "openssh_key_unusable",
            CoreError::UnarmouredBase64 => "unarmoured_base64",
            CoreError::UrlNotAKey => "url_not_a_key",
            CoreError::TokenNotAKey => "token_not_a_key",
            CoreError::NotAKey => "not_a_key",
            CoreError::DerSignature { .. } => "der_signature",
            CoreError::SignatureLength { .. } => "signature_length",
            CoreError::EcdsaScalarOutOfRange => "ecdsa_scalar_out_of_range",
            CoreError::RsaKeyTooSmall { .. } => "rsa_key_too_small",
            CoreError::RsaKeyTooLarge { .. } => "rsa_key_too_large",
            CoreError::RsaBadExponent { .. } => "rsa_bad_exponent",
            CoreError::RocaVulnerableKey { .. } => "roca_vulnerable_key",
            CoreError::HmacKeyTooShort { .. } => "hmac_key_too_short",
            CoreError::KeyNotForThisUse { .. } => "key_not_for_this_use",
            CoreError::KeyAlgInvalid { .. } => "key_alg_invalid",
            CoreError::NotAPrivateKey(_) => "not_a_private_key",
            CoreError::KidNotFound { .. } => "kid_not_found",
            CoreError::AmbiguousKid { .. } => "ambiguous_kid",
            CoreError::NoKeyForAlgorithm { .. } => "no_key_for_algorithm",
            CoreError::NoKeys => "no_keys",
            CoreError::SignatureInvalid { .. } => "signature_invalid",
            CoreError::SecretEncodingMismatch { .. } => "secret_encoding_mismatch",
            CoreError::PayloadNotClaims => "payload_not_claims",
            CoreError::Expired { .. } => "expired",
            CoreError::NotYetValid { .. } => "not_yet_valid",
            CoreError::IssuedInFuture { .. } => "issued_in_future",
            CoreError::IssuerMismatch { .. } => "issuer_mismatch",
            CoreError::AudienceMismatch { .. } => "audience_mismatch",
            CoreError::KeyParse(_) => "key_parse",
            CoreError::InvalidClaims(_) => "invalid_claims",
            CoreError::InvalidOption(_) => "invalid_option",
            CoreError::Backend(_) => "backend",
        }
    }
}
