//! Raw signature operations over typed keys, through jsonwebtoken's `rust_crypto` backend
//! (ES512, which jsonwebtoken lacks, through the RustCrypto `p521` crate directly),
//! with the JOSE format checks that come first: signature sizes, DER-encoded ECDSA,
//! ECDSA scalars in range (RFC 7518 §3.4, RFC 8725 §3.1–3.5).

use crate::jose::alg::{Alg, AlgFamily};
use crate::jose::b64;
use crate::jose::error::CoreError;
use crate::jose::keys::{Key, KeyMaterial, KeyOp};
use jsonwebtoken::{DecodingKey, EncodingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::pkcs8::EncodePrivateKey;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;

const P256_ORDER: [u8; 32] =
    hex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
const P384_ORDER: [u8; 48] = hex(
    "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
);

const P521_ORDER: [u8; 66] = hex(
    "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
);

/// Verifies `signature` over `message` with `key` and `alg`: key usability first, then the
/// signature's format, then the cryptographic check.
pub fn verify_raw(key: &Key, alg: Alg, message: &[u8], signature: &[u8]) -> Result<(), CoreError> {
    key.check_usable(alg, KeyOp::Verify)?;
    check_signature_format(key, alg, signature)?;
    if let KeyMaterial::Ed25519 { public, .. } = &key.material {
        return verify_ed25519_strict(key, public, message, signature);
    }
    if let KeyMaterial::P521 { public, .. } = &key.material {
        return verify_p521(key, public, message, signature);
    }
    let jwt_alg = alg.to_jwt().ok_or_else(|| CoreError::KeyTypeMismatch {
        key: key.describe(),
        alg: alg.name().into(),
    })?;
    let decoding = decoding_key(key);
    match jsonwebtoken::crypto::verify(&b64::encode(signature), message, &decoding, jwt_alg) {
        Ok(true) => Ok(()),
        Ok(false) => Err(CoreError::SignatureInvalid {
            key: key.describe(),
        }),
        Err(e) => Err(backend_error(e.kind(), key, alg)),
    }
}

/// Whether an HMAC `signature` matches `secret`, whatever the secret's length: for explaining a
/// secret refused as too short (RFC 7518 §3.2) that did sign the token. Never a verdict.
pub fn hmac_signature_matches(secret: &[u8], alg: Alg, message: &[u8], signature: &[u8]) -> bool {
    if alg.family() != AlgFamily::Hmac || secret.is_empty() {
        return false;
    }
    let Some(jwt_alg) = alg.to_jwt() else {
        return false;
    };
    let key = DecodingKey::from_secret(secret);
    matches!(
        jsonwebtoken::crypto::verify(&b64::encode(signature), message, &key, jwt_alg),
        Ok(true)
    )
}

/// What a failure of jsonwebtoken's backend means, in the core's terms: it fails only while
/// building its verifier from the key (the signature check itself answers true or false).
pub fn backend_error(kind: &jsonwebtoken::errors::ErrorKind, key: &Key, alg: Alg) -> CoreError {
    use jsonwebtoken::errors::ErrorKind;
    match kind {
        ErrorKind::InvalidKeyFormat | ErrorKind::InvalidAlgorithm => CoreError::KeyTypeMismatch {
            key: key.describe(),
            alg: alg.name().into(),
        },
        ErrorKind::InvalidEcdsaKey => CoreError::BackendKeyRejected {
            key: key.describe(),
            detail: "not a valid EC public key".into(),
        },
        ErrorKind::InvalidEddsaKey => CoreError::BackendKeyRejected {
            key: key.describe(),
            detail: "not a valid Ed25519 public key".into(),
        },
        ErrorKind::InvalidRsaKey(detail) => CoreError::BackendKeyRejected {
            key: key.describe(),
            detail: format!("not a valid RSA public key ({detail})"),
        },
        ErrorKind::Base64(_) => CoreError::Base64 {
            segment: crate::jose::error::Segment::Signature,
            detail: "the backend could not read the signature".into(),
        },
        other => CoreError::Backend(format!("verification failed: {other:?}")),
    }
}

/// The group order L of edwards25519, little-endian (RFC 8032 §5.1).
const ED25519_ORDER_LE: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// Strict Ed25519 (ed25519-dalek's `verify_strict`): the key is neither small-order nor
/// non-canonical, S < L, R is not a small-order point, and R is compared as encoded.
fn verify_ed25519_strict(
    key: &Key,
    public: &ed25519_dalek::VerifyingKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), CoreError> {
    crate::jose::keys::check_ed25519_public(public, &key.describe())?;
    let bytes: [u8; 64] = signature
        .try_into()
        .map_err(|_| CoreError::SignatureLength {
            alg: "EdDSA".into(),
            got: signature.len(),
            expected: 64,
        })?;
    let s_le = &bytes[32..];
    if s_le.iter().rev().ge(ED25519_ORDER_LE.iter().rev()) {
        return Err(CoreError::Ed25519ScalarOutOfRange);
    }
    public
        .verify_strict(message, &ed25519_dalek::Signature::from_bytes(&bytes))
        .map_err(|_| CoreError::SignatureInvalid {
            key: key.describe(),
        })
}

/// ES512: ECDSA over P-521 with SHA-512 (RFC 7518 §3.4), the signature already checked to be
/// 132 bytes of r||s with both scalars in [1, n). Like ES256 and ES384 (jsonwebtoken's
/// backend), a high-S signature is accepted: JOSE does not require low-S.
fn verify_p521(
    key: &Key,
    public: &p521::PublicKey,
    message: &[u8],
    signature: &[u8],
) -> Result<(), CoreError> {
    use p521::ecdsa::signature::Verifier;
    let invalid = || CoreError::SignatureInvalid {
        key: key.describe(),
    };
    let verifying = p521::ecdsa::VerifyingKey::from_affine(*public.as_affine()).map_err(|_| {
        CoreError::BackendKeyRejected {
            key: key.describe(),
            detail: "not a valid EC P-521 public key".into(),
        }
    })?;
    let sig = p521::ecdsa::Signature::from_slice(signature).map_err(|_| invalid())?;
    verifying.verify(message, &sig).map_err(|_| invalid())
}

/// ES512 signing (deterministic ECDSA, RFC 6979), raw r||s of 132 bytes.
fn sign_p521(sk: &p521::SecretKey, message: &[u8]) -> Result<Vec<u8>, CoreError> {
    use p521::ecdsa::signature::Signer;
    let signing = p521::ecdsa::SigningKey::from_bytes(&sk.to_bytes())
        .map_err(|e| CoreError::Backend(format!("signing failed: {e}")))?;
    let sig: p521::ecdsa::Signature = signing
        .try_sign(message)
        .map_err(|e| CoreError::Backend(format!("signing failed: {e}")))?;
    Ok(sig.to_bytes().to_vec())
}

/// Signs `message` with `key` and `alg`; ECDSA signatures come out raw r||s.
pub fn sign_raw(key: &Key, alg: Alg, message: &[u8]) -> Result<Vec<u8>, CoreError> {
    key.check_usable(alg, KeyOp::Sign)?;
    if let KeyMaterial::P521 {
        private: Some(sk), ..
    } = &key.material
    {
        return sign_p521(sk, message);
    }
    let jwt_alg = alg.to_jwt().ok_or_else(|| CoreError::KeyTypeMismatch {
        key: key.describe(),
        alg: alg.name().into(),
    })?;
    let encoding = encoding_key(key)?;
    let sig = jsonwebtoken::crypto::sign(message, &encoding, jwt_alg)
        .map_err(|e| CoreError::Backend(format!("signing failed: {e}")))?;
    b64::decode_strict(&sig).map_err(CoreError::Backend)
}

fn expected_len(key: &Key, alg: Alg) -> usize {
    match (&key.material, alg) {
        (_, Alg::HS256) => 32,
        (_, Alg::HS384) => 48,
        (_, Alg::HS512) => 64,
        (KeyMaterial::Rsa { public, .. }, _) => public.size(),
        (_, Alg::ES256) => 64,
        (_, Alg::ES384) => 96,
        (_, Alg::ES512) => 132,
        _ => 64,
    }
}

fn check_signature_format(key: &Key, alg: Alg, sig: &[u8]) -> Result<(), CoreError> {
    let expected = expected_len(key, alg);
    let family = alg.family();
    if sig.len() != expected {
        if matches!(
            family,
            AlgFamily::EcP256 | AlgFamily::EcP384 | AlgFamily::EcP521
        ) && looks_like_der(sig)
        {
            return Err(CoreError::DerSignature {
                alg: alg.name().into(),
                len: sig.len(),
                expected,
            });
        }
        return Err(CoreError::SignatureLength {
            alg: alg.name().into(),
            got: sig.len(),
            expected,
        });
    }
    let order: &[u8] = match family {
        AlgFamily::EcP256 => &P256_ORDER,
        AlgFamily::EcP384 => &P384_ORDER,
        AlgFamily::EcP521 => &P521_ORDER,
        _ => return Ok(()),
    };
    let (r, s) = sig.split_at(expected / 2);
    for scalar in [r, s] {
        if scalar.iter().all(|b| *b == 0) || scalar >= order {
            return Err(CoreError::EcdsaScalarOutOfRange);
        }
    }
    Ok(())
}

/// A DER `SEQUENCE { INTEGER r, INTEGER s }` with a consistent length (short form, or the
/// one-byte long form `0x81 len` of the larger P-521 signatures).
fn looks_like_der(sig: &[u8]) -> bool {
    if sig.len() < 8 || sig[0] != 0x30 {
        return false;
    }
    if sig[1] == 0x81 {
        return usize::from(sig[2]) == sig.len() - 3 && sig[3] == 0x02;
    }
    usize::from(sig[1]) == sig.len() - 2 && sig[2] == 0x02
}

fn decoding_key(key: &Key) -> DecodingKey {
    match &key.material {
        KeyMaterial::Hmac { secret, .. } => DecodingKey::from_secret(secret.expose()),
        KeyMaterial::Rsa { public, .. } => DecodingKey::from_rsa_raw_components(
            &public.n().to_bytes_be(),
            &public.e().to_bytes_be(),
        ),
        KeyMaterial::P256 { public, .. } => {
            DecodingKey::from_ec_der(public.to_encoded_point(false).as_bytes())
        }
        KeyMaterial::P384 { public, .. } => {
            DecodingKey::from_ec_der(public.to_encoded_point(false).as_bytes())
        }
        KeyMaterial::Ed25519 { public, .. } => DecodingKey::from_ed_der(public.as_bytes()),
        // Never reached: ES512 is verified by `verify_p521`. An empty EC key fails cleanly.
        KeyMaterial::P521 { .. } => DecodingKey::from_ec_der(&[]),
    }
}

fn encoding_key(key: &Key) -> Result<EncodingKey, CoreError> {
    let der_err =
        |e: &dyn std::fmt::Display| CoreError::Backend(format!("key encoding failed: {e}"));
    Ok(match &key.material {
        KeyMaterial::Hmac { secret, .. } => EncodingKey::from_secret(secret.expose()),
        KeyMaterial::Rsa {
            private: Some(sk), ..
        } => EncodingKey::from_rsa_der(sk.to_pkcs1_der().map_err(|e| der_err(&e))?.as_bytes()),
        KeyMaterial::P256 {
            private: Some(sk), ..
        } => EncodingKey::from_ec_der(sk.to_pkcs8_der().map_err(|e| der_err(&e))?.as_bytes()),
        KeyMaterial::P384 {
            private: Some(sk), ..
        } => EncodingKey::from_ec_der(sk.to_pkcs8_der().map_err(|e| der_err(&e))?.as_bytes()),
        KeyMaterial::Ed25519 {
            private: Some(sk), ..
        } => EncodingKey::from_ed_der(sk.to_pkcs8_der().map_err(|e| der_err(&e))?.as_bytes()),
        _ => return Err(CoreError::NotAPrivateKey(key.describe())),
    })
}

const fn hex_nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

const fn hex<const N: usize>(s: &str) -> [u8; N] {
    let b = s.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = hex_nibble(b[2 * i]) << 4 | hex_nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}
