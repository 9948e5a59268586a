//! PEM key files: SPKI `PUBLIC KEY`, PKCS#1 `RSA PUBLIC KEY` / `RSA PRIVATE KEY`, PKCS#8
//! `PRIVATE KEY`, SEC1 `EC PRIVATE KEY` and the public key of an X.509 `CERTIFICATE`.

use super::{Key, KeyMaterial};
use crate::jose::error::CoreError;
use crate::jose::secret::SecretString;
use der::{Decode, Encode};
use p256::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};

/// Parses every PEM block in `text` into keys: at most [`super::MAX_KEYS`] blocks, counted
/// before any is decoded.
pub fn parse_pem(text: &str) -> Result<Vec<Key>, CoreError> {
    let count = text.matches("-----BEGIN ").count();
    if count > super::MAX_KEYS {
        return Err(CoreError::KeyParse(format!(
            "the PEM text has {count} blocks; at most {} are read",
            super::MAX_KEYS
        )));
    }
    let blocks = ::pem::parse_many(text.as_bytes())
        .map_err(|e| CoreError::KeyParse(format!("the PEM text is malformed: {e}")))?;
    if blocks.is_empty() {
        return Err(CoreError::KeyParse(
            "no PEM block (-----BEGIN ...-----) found".into(),
        ));
    }
    blocks
        .iter()
        .enumerate()
        .map(|(i, block)| {
            let origin = if blocks.len() == 1 {
                format!("PEM {}", block.tag())
            } else {
                format!("PEM block #{} ({})", i + 1, block.tag())
            };
            parse_block(block.tag(), block.contents(), &origin).map(|m| Key::new(m, origin))
        })
        .collect()
}

fn bad(origin: &str, what: &str) -> CoreError {
    CoreError::KeyParse(format!("{origin}: {what}"))
}

fn parse_block(tag: &str, der: &[u8], origin: &str) -> Result<KeyMaterial, CoreError> {
    match tag {
        "PUBLIC KEY" => spki(der, origin),
        "RSA PUBLIC KEY" => rsa::RsaPublicKey::from_pkcs1_der(der)
            .map(|public| KeyMaterial::Rsa {
                public,
                private: None,
            })
            .map_err(|e| bad(origin, &format!("not a PKCS#1 RSA public key: {e}"))),
        "RSA PRIVATE KEY" => rsa::RsaPrivateKey::from_pkcs1_der(der)
            .map(rsa_private)
            .map_err(|e| bad(origin, &format!("not a PKCS#1 RSA private key: {e}"))),
        "PRIVATE KEY" => pkcs8(der, origin),
        "EC PRIVATE KEY" => {
            if let Ok(sk) = p256::SecretKey::from_sec1_der(der) {
                Ok(KeyMaterial::P256 {
                    public: sk.public_key(),
                    private: Some(sk),
                })
            } else if let Ok(sk) = p384::SecretKey::from_sec1_der(der) {
                Ok(KeyMaterial::P384 {
                    public: sk.public_key(),
                    private: Some(sk),
                })
            } else if let Ok(sk) = p521::SecretKey::from_sec1_der(der) {
                Ok(KeyMaterial::P521 {
                    public: sk.public_key(),
                    private: Some(sk),
                })
            } else {
                Err(bad(origin, "not a SEC1 P-256, P-384 or P-521 private key"))
            }
        }
        "CERTIFICATE" => {
            let cert = x509_cert::Certificate::from_der(der)
                .map_err(|e| bad(origin, &format!("not an X.509 certificate: {e}")))?;
            let spki_der = cert
                .tbs_certificate
                .subject_public_key_info
                .to_der()
                .map_err(|e| bad(origin, &format!("unreadable certificate key: {e}")))?;
            spki(&spki_der, origin)
        }
        "ENCRYPTED PRIVATE KEY" => Err(bad(
            origin,
            "the private key is password-protected; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem)",
        )),
        other => Err(bad(
            origin,
            &format!("\"{other}\" blocks are not keys supajwt reads"),
        )),
    }
}

fn rsa_private(sk: rsa::RsaPrivateKey) -> KeyMaterial {
    KeyMaterial::Rsa {
        public: sk.to_public_key(),
        private: Some(Box::new(sk)),
    }
}

pub(super) fn spki(der: &[u8], origin: &str) -> Result<KeyMaterial, CoreError> {
    if let Ok(public) = rsa::RsaPublicKey::from_public_key_der(der) {
        return Ok(KeyMaterial::Rsa {
            public,
            private: None,
        });
    }
    if let Ok(public) = p256::PublicKey::from_public_key_der(der) {
        return Ok(KeyMaterial::P256 {
            public,
            private: None,
        });
    }
    if let Ok(public) = p384::PublicKey::from_public_key_der(der) {
        return Ok(KeyMaterial::P384 {
            public,
            private: None,
        });
    }
    if let Ok(public) = p521::PublicKey::from_public_key_der(der) {
        return Ok(KeyMaterial::P521 {
            public,
            private: None,
        });
    }
    if let Ok(public) = ed25519_dalek::VerifyingKey::from_public_key_der(der) {
        super::check_ed25519_public(&public, origin)?;
        return Ok(KeyMaterial::Ed25519 {
            public,
            private: None,
        });
    }
    Err(bad(
        origin,
        "not an RSA, P-256, P-384, P-521 or Ed25519 public key",
    ))
}

fn pkcs8(der: &[u8], origin: &str) -> Result<KeyMaterial, CoreError> {
    if let Ok(sk) = rsa::RsaPrivateKey::from_pkcs8_der(der) {
        return Ok(rsa_private(sk));
    }
    if let Ok(sk) = p256::SecretKey::from_pkcs8_der(der) {
        return Ok(KeyMaterial::P256 {
            public: sk.public_key(),
            private: Some(sk),
        });
    }
    if let Ok(sk) = p384::SecretKey::from_pkcs8_der(der) {
        return Ok(KeyMaterial::P384 {
            public: sk.public_key(),
            private: Some(sk),
        });
    }
    if let Ok(sk) = p521::SecretKey::from_pkcs8_der(der) {
        return Ok(KeyMaterial::P521 {
            public: sk.public_key(),
            private: Some(sk),
        });
    }
    if let Ok(sk) = ed25519_dalek::SigningKey::from_pkcs8_der(der) {
        return Ok(KeyMaterial::Ed25519 {
            public: sk.verifying_key(),
            private: Some(Box::new(sk)),
        });
    }
    Err(bad(
        origin,
        "not an RSA, P-256, P-384, P-521 or Ed25519 private key",
    ))
}

fn export_err(e: impl std::fmt::Display) -> CoreError {
    CoreError::Backend(format!("PEM export failed: {e}"))
}

/// The public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
pub fn public_pem(key: &Key) -> Result<String, CoreError> {
    match &key.material {
        KeyMaterial::Hmac { .. } => Err(CoreError::InvalidOption(
            "a shared secret has no PEM form".into(),
        )),
        KeyMaterial::Rsa { public, .. } => {
            public.to_public_key_pem(LineEnding::LF).map_err(export_err)
        }
        KeyMaterial::P256 { public, .. } => {
            public.to_public_key_pem(LineEnding::LF).map_err(export_err)
        }
        KeyMaterial::P384 { public, .. } => {
            public.to_public_key_pem(LineEnding::LF).map_err(export_err)
        }
        KeyMaterial::P521 { public, .. } => {
            public.to_public_key_pem(LineEnding::LF).map_err(export_err)
        }
        KeyMaterial::Ed25519 { public, .. } => {
            public.to_public_key_pem(LineEnding::LF).map_err(export_err)
        }
    }
}

/// The private key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
pub fn private_pem(key: &Key) -> Result<SecretString, CoreError> {
    let pem = match &key.material {
        KeyMaterial::Hmac { .. } => {
            return Err(CoreError::InvalidOption(
                "a shared secret has no PEM form".into(),
            ));
        }
        KeyMaterial::Rsa {
            private: Some(sk), ..
        } => sk.to_pkcs8_pem(LineEnding::LF),
        KeyMaterial::P256 {
            private: Some(sk), ..
        } => sk.to_pkcs8_pem(LineEnding::LF),
        KeyMaterial::P384 {
            private: Some(sk), ..
        } => sk.to_pkcs8_pem(LineEnding::LF),
        KeyMaterial::P521 {
            private: Some(sk), ..
        } => sk.to_pkcs8_pem(LineEnding::LF),
        KeyMaterial::Ed25519 {
            private: Some(sk), ..
        } => sk.to_pkcs8_pem(LineEnding::LF),
        _ => return Err(CoreError::NotAPrivateKey(key.describe())),
    }
    .map_err(export_err)?;
    Ok(SecretString::new(pem.to_string()))
}
