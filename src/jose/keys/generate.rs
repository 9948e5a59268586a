//! Key generation from the operating system's random generator.

use super::{Key, KeyMaterial, thumbprint};
use crate::jose::b64::{self, SecretEncoding};
use crate::jose::error::CoreError;
use crate::jose::secret::{SecretBytes, SecretString};
use rand_core::{OsRng, RngCore};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum KeygenAlg {
    /// ECDSA P-256 (Supabase's default asymmetric key).
    ES256,
    /// RSA with the given modulus size, declared for RS256 (PKCS#1 v1.5 with SHA-256).
    RS256 {
        /// 2048, 3072 or 4096.
        bits: usize,
    },
    /// RSA with the given modulus size, declared for RS512 (PKCS#1 v1.5 with SHA-512; GoTrue
    /// signs it too).
    RS512 {
        /// 2048, 3072 or 4096.
        bits: usize,
    },
    /// ECDSA P-521 (GoTrue signs ES512 too).
    ES512,
    /// Ed25519.
    EdDSA,
    /// A random shared secret.
    HS256,
}

impl KeygenAlg {
    /// The generation request for `alg` (`rsa_bits` for RSA); an error for an algorithm whose
    /// row in [`ALGORITHMS`](crate::jose::alg::ALGORITHMS) offers no key generation.
    pub fn new(alg: crate::jose::alg::Alg, rsa_bits: usize) -> Result<KeygenAlg, CoreError> {
        use crate::jose::alg::Alg;
        let unsupported = || CoreError::UnsupportedAlgorithm(format!("{alg} key generation"));
        alg.row().keygen.ok_or_else(unsupported)?;
        Ok(match alg {
            Alg::ES256 => KeygenAlg::ES256,
            Alg::RS256 => KeygenAlg::RS256 { bits: rsa_bits },
            Alg::RS512 => KeygenAlg::RS512 { bits: rsa_bits },
            Alg::ES512 => KeygenAlg::ES512,
            Alg::EdDSA => KeygenAlg::EdDSA,
            Alg::HS256 => KeygenAlg::HS256,
            _ => return Err(unsupported()),
        })
    }

    /// The JWS algorithm the generated key is declared for.
    pub fn alg(self) -> crate::jose::alg::Alg {
        use crate::jose::alg::Alg;
        match self {
            KeygenAlg::ES256 => Alg::ES256,
            KeygenAlg::RS256 { .. } => Alg::RS256,
            KeygenAlg::RS512 { .. } => Alg::RS512,
            KeygenAlg::ES512 => Alg::ES512,
            KeygenAlg::EdDSA => Alg::EdDSA,
            KeygenAlg::HS256 => Alg::HS256,
        }
    }
}

/// How the new key's `kid` is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KidChoice {
    /// A random UUID v4 (Supabase's convention).
    Uuid,
    /// The RFC 7638 thumbprint.
    Thumbprint,
    /// Given by the user.
    Given(String),
    /// No kid.
    None,
}

/// A random HS256 secret: 32 random bytes written as 43 base64url characters. Supabase uses
/// the text's UTF-8 bytes as the key, so the key is 43 bytes with 256 bits of entropy.
pub fn generate_hmac_secret() -> Result<SecretString, CoreError> {
    let mut raw = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut raw)
        .map_err(|e| CoreError::Backend(format!("the OS random generator failed: {e}")))?;
    let text = b64::encode(&raw);
    zeroize::Zeroize::zeroize(&mut raw);
    Ok(SecretString::new(text))
}

/// Generates a key pair (or secret) with `use: sig`, `key_ops: [sign, verify]`, its `alg` and kid.
pub fn generate(alg: KeygenAlg, kid: KidChoice) -> Result<Key, CoreError> {
    let material = match alg {
        KeygenAlg::ES256 => {
            let sk = p256::SecretKey::random(&mut OsRng);
            KeyMaterial::P256 {
                public: sk.public_key(),
                private: Some(sk),
            }
        }
        KeygenAlg::ES512 => {
            let sk = p521::SecretKey::random(&mut OsRng);
            KeyMaterial::P521 {
                public: sk.public_key(),
                private: Some(sk),
            }
        }
        KeygenAlg::RS256 { bits } | KeygenAlg::RS512 { bits } => {
            if ![2048, 3072, 4096].contains(&bits) {
                return Err(CoreError::InvalidOption(format!(
                    "RSA key size must be 2048, 3072 or 4096 bits, not {bits}"
                )));
            }
            let sk = super::rsa_parallel::generate_rsa(bits)?;
            KeyMaterial::Rsa {
                public: sk.to_public_key(),
                private: Some(Box::new(sk)),
            }
        }
        KeygenAlg::EdDSA => {
            let sk = ed25519_dalek::SigningKey::generate(&mut OsRng);
            KeyMaterial::Ed25519 {
                public: sk.verifying_key(),
                private: Some(Box::new(sk)),
            }
        }
        KeygenAlg::HS256 => {
            let text = generate_hmac_secret()?;
            let secret = SecretBytes::new(text.expose().as_bytes().to_vec());
            KeyMaterial::Hmac {
                secret,
                read_as: SecretEncoding::Text,
            }
        }
    };
    let mut key = Key::new(material, "generated");
    key.alg = Some(alg.alg().name().into());
    key.key_use = Some("sig".into());
    key.key_ops = Some(vec!["sign".into(), "verify".into()]);
    key.kid = match kid {
        KidChoice::Uuid => Some(uuid::Uuid::new_v4().to_string()),
        KidChoice::Thumbprint => Some(thumbprint(&key)),
        KidChoice::Given(k) => Some(k),
        KidChoice::None => None,
    };
    Ok(key)
}
