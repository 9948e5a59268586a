//! Public keys without PEM armour: an OpenSSH public key line (`ssh-ed25519 AAAA... comment`,
//! parsed by RustCrypto's `ssh-key`) and a bare base64 SPKI or PKCS#1 DER body. Text that only
//! looks like one of these is refused with what to do, never read as a shared secret.

use super::KeyMaterial;
use super::pem::spki;
use crate::jose::error::CoreError;
use base64::Engine;
use rsa::BigUint;
use rsa::pkcs1::DecodeRsaPublicKey;
use ssh_key::public::{EcdsaPublicKey, KeyData};

/// True when the first word of `text` is an OpenSSH public key type (`ssh-…`, `ecdsa-sha2-…`,
/// `sk-…`), or the text is an RFC 4716 `---- BEGIN SSH2 PUBLIC KEY ----` block.
pub fn looks_like_openssh(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    first.starts_with("ssh-")
        || first.starts_with("ecdsa-sha2-")
        || first.starts_with("sk-")
        || text.starts_with("---- BEGIN SSH2 PUBLIC KEY")
}

/// Reads one OpenSSH public key line: Ed25519, ECDSA P-256/P-384 and RSA are used; any other
/// type, or an unreadable line, is refused with the `ssh-keygen` conversion hint.
pub fn parse_openssh(text: &str) -> Result<KeyMaterial, CoreError> {
    let unusable = |what: String| CoreError::OpenSshKeyUnusable { what };
    if text.lines().filter(|l| !l.trim().is_empty()).count() != 1 {
        return Err(unusable("give exactly one key line".into()));
    }
    let key = ssh_key::PublicKey::from_openssh(text.trim())
        .map_err(|e| unusable(format!("unreadable: {e}")))?;
    let origin = "the OpenSSH public key";
    match key.key_data() {
        KeyData::Ed25519(pk) => {
            let public = ed25519_dalek::VerifyingKey::from_bytes(&pk.0)
                .map_err(|_| unusable("an invalid Ed25519 point".into()))?;
            super::check_ed25519_public(&public, origin)?;
            Ok(KeyMaterial::Ed25519 {
                public,
                private: None,
            })
        }
        KeyData::Ecdsa(EcdsaPublicKey::NistP256(point)) => {
            p256::PublicKey::from_sec1_bytes(point.as_bytes())
                .map(|public| KeyMaterial::P256 {
                    public,
                    private: None,
                })
                .map_err(|_| unusable("an invalid P-256 point".into()))
        }
        KeyData::Ecdsa(EcdsaPublicKey::NistP384(point)) => {
            p384::PublicKey::from_sec1_bytes(point.as_bytes())
                .map(|public| KeyMaterial::P384 {
                    public,
                    private: None,
                })
                .map_err(|_| unusable("an invalid P-384 point".into()))
        }
        KeyData::Ecdsa(EcdsaPublicKey::NistP521(point)) => {
            p521::PublicKey::from_sec1_bytes(point.as_bytes())
                .map(|public| KeyMaterial::P521 {
                    public,
                    private: None,
                })
                .map_err(|_| unusable("an invalid P-521 point".into()))
        }
        KeyData::Rsa(rsa_key) => {
            let (Some(n), Some(e)) = (rsa_key.n.as_positive_bytes(), rsa_key.e.as_positive_bytes())
            else {
                return Err(unusable("an RSA key with a negative number".into()));
            };
            rsa::RsaPublicKey::new(BigUint::from_bytes_be(n), BigUint::from_bytes_be(e))
                .map(|public| KeyMaterial::Rsa {
                    public,
                    private: None,
                })
                .map_err(|e| unusable(format!("an unusable RSA key: {e}")))
        }
        other => Err(unusable(format!(
            "type {}, which JWS has no algorithm for",
            other.algorithm()
        ))),
    }
}

/// Reads whitespace-separated standard base64 (as inside a PEM block) as a DER public key body
/// (SPKI or PKCS#1 RSA). `None` when the text is not base64 of DER; base64 DER that is not a
/// public key (a private key or certificate body) is refused: it needs its PEM lines.
pub fn parse_bare_base64(text: &str) -> Result<Option<KeyMaterial>, CoreError> {
    let compact: String = text.split_whitespace().collect();
    if compact.len() < 16
        || !compact
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return Ok(None);
    }
    let Ok(der) = base64::engine::general_purpose::STANDARD.decode(&compact) else {
        return Ok(None);
    };
    if der.first() != Some(&0x30) {
        return Ok(None);
    }
    if let Ok(public) = rsa::RsaPublicKey::from_pkcs1_der(&der) {
        return Ok(Some(KeyMaterial::Rsa {
            public,
            private: None,
        }));
    }
    match spki(&der, "the base64 DER key") {
        Ok(material) => Ok(Some(material)),
        Err(e @ CoreError::Ed25519WeakKey { .. }) => Err(e),
        Err(_) => Err(CoreError::UnarmouredBase64),
    }
}
