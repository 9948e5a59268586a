//! Keys typed by algorithm family: parsing (PEM, JWK, JWKS, `JWT_KEYS`, OpenSSH, bare DER,
//! explicit secrets), export,
//! generation, and the rules for when a key may be used with an algorithm.

mod bare;
mod detect;
mod ed25519;
mod generate;
mod jwk;
mod pem;
mod roca;
mod rsa_parallel;
mod summary;
mod warning;

pub use detect::{KeySet, KeySetShape, load_keys, secret_key};
pub use ed25519::check_ed25519_public;
pub use generate::{KeygenAlg, KidChoice, generate, generate_hmac_secret};
pub use jwk::{ShortEcCoordinate, jwks_value, parse_jwk, short_ec_coordinates, thumbprint, to_jwk};
pub use pem::{parse_pem, private_pem, public_pem};
pub use summary::{describe_key, key_facts, key_warnings};
pub use warning::KeySetWarning;

use crate::jose::alg::{Alg, AlgFamily, list};
use crate::jose::b64::SecretEncoding;
use crate::jose::error::{AlgorithmLimit, CoreError};
use crate::jose::secret::SecretBytes;
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};

/// The most key text supajwt reads (1 MiB).
pub const MAX_KEY_INPUT_BYTES: usize = 1024 * 1024;
/// The most keys a set may hold.
pub const MAX_KEYS: usize = 1000;

/// The smallest RSA modulus accepted (RFC 8725 §3.5 / NIST).
pub const MIN_RSA_BITS: usize = 2048;
/// The largest RSA modulus accepted (the RSA backend's limit).
pub const MAX_RSA_BITS: usize = 4096;

/// Key material by family, public half always present.
#[derive(Clone)]
pub enum KeyMaterial {
    /// A shared secret (`oct`).
    Hmac {
        /// The key bytes.
        secret: SecretBytes,
        /// How the user's text became these bytes.
        read_as: SecretEncoding,
    },
    /// RSA.
    Rsa {
        /// The public key.
        public: RsaPublicKey,
        /// The private key, when known.
        private: Option<Box<RsaPrivateKey>>,
    },
    /// ECDSA P-256.
    P256 {
        /// The public key.
        public: p256::PublicKey,
        /// The private key, when known.
        private: Option<p256::SecretKey>,
    },
    /// ECDSA P-384.
    P384 {
        /// The public key.
        public: p384::PublicKey,
        /// The private key, when known.
        private: Option<p384::SecretKey>,
    },
    /// ECDSA P-521 (ES512).
    P521 {
        /// The public key.
        public: p521::PublicKey,
        /// The private key, when known.
        private: Option<p521::SecretKey>,
    },
    /// Ed25519.
    Ed25519 {
        /// The public key.
        public: ed25519_dalek::VerifyingKey,
        /// The private key, when known.
        private: Option<Box<ed25519_dalek::SigningKey>>,
    },
}

/// What a key is to be used for, as `key_ops` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOp {
    /// Checking signatures.
    Verify,
    /// Making signatures.
    Sign,
}

impl KeyOp {
    fn name(self) -> &'static str {
        match self {
            KeyOp::Verify => "verify",
            KeyOp::Sign => "sign",
        }
    }
}

/// One key with its JWK metadata.
#[derive(Clone)]
pub struct Key {
    /// The material.
    pub material: KeyMaterial,
    /// `kid`, if any.
    pub kid: Option<String>,
    /// `alg` as declared by the key (not yet validated).
    pub alg: Option<String>,
    /// `use`, if any.
    pub key_use: Option<String>,
    /// `key_ops`, if any.
    pub key_ops: Option<Vec<String>>,
    /// Where it came from, for messages ("JWK #2", "PEM PRIVATE KEY", "secret").
    pub origin: String,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("kind", &self.kind_label())
            .field("private", &self.has_private())
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Key {
    /// A key with no metadata.
    pub fn new(material: KeyMaterial, origin: impl Into<String>) -> Key {
        Key {
            material,
            kid: None,
            alg: None,
            key_use: None,
            key_ops: None,
            origin: origin.into(),
        }
    }

    /// The family of algorithms this key can be used with.
    pub fn family(&self) -> AlgFamily {
        match self.material {
            KeyMaterial::Hmac { .. } => AlgFamily::Hmac,
            KeyMaterial::Rsa { .. } => AlgFamily::Rsa,
            KeyMaterial::P256 { .. } => AlgFamily::EcP256,
            KeyMaterial::P384 { .. } => AlgFamily::EcP384,
            KeyMaterial::P521 { .. } => AlgFamily::EcP521,
            KeyMaterial::Ed25519 { .. } => AlgFamily::Ed25519,
        }
    }

    /// The JWK `kty`.
    pub fn kty(&self) -> &'static str {
        match self.material {
            KeyMaterial::Hmac { .. } => "oct",
            KeyMaterial::Rsa { .. } => "RSA",
            KeyMaterial::P256 { .. } | KeyMaterial::P384 { .. } | KeyMaterial::P521 { .. } => "EC",
            KeyMaterial::Ed25519 { .. } => "OKP",
        }
    }

    /// `P-256`, `RSA 2048`, `secret (40 bytes)` and so on.
    pub fn kind_label(&self) -> String {
        match &self.material {
            KeyMaterial::Hmac { secret, .. } => format!("shared secret ({} bytes)", secret.len()),
            KeyMaterial::Rsa { public, .. } => format!("RSA {}-bit", public.n().bits()),
            KeyMaterial::P256 { .. } => "EC P-256".into(),
            KeyMaterial::P384 { .. } => "EC P-384".into(),
            KeyMaterial::P521 { .. } => "EC P-521".into(),
            KeyMaterial::Ed25519 { .. } => "Ed25519".into(),
        }
    }

    /// How messages name the key: `the EC P-256 public key (kid "abc")`,
    /// `the shared secret (40 bytes, read as UTF-8 text)`.
    pub fn describe(&self) -> String {
        if let KeyMaterial::Hmac { secret, read_as } = &self.material {
            return match &self.kid {
                Some(kid) => format!("the shared secret (kid \"{kid}\")"),
                None => format!(
                    "the shared secret ({} bytes, read as {})",
                    secret.len(),
                    read_as.label()
                ),
            };
        }
        let half = if self.has_private() {
            "private"
        } else {
            "public"
        };
        match &self.kid {
            Some(kid) => format!("the {} {half} key (kid \"{kid}\")", self.kind_label()),
            None => format!("the {} {half} key from {}", self.kind_label(), self.origin),
        }
    }

    /// True when the key can sign (private half known, or a shared secret).
    pub fn has_private(&self) -> bool {
        match &self.material {
            KeyMaterial::Hmac { .. } => true,
            KeyMaterial::Rsa { private, .. } => private.is_some(),
            KeyMaterial::P256 { private, .. } => private.is_some(),
            KeyMaterial::P384 { private, .. } => private.is_some(),
            KeyMaterial::P521 { private, .. } => private.is_some(),
            KeyMaterial::Ed25519 { private, .. } => private.is_some(),
        }
    }

    /// RSA modulus size in bits.
    pub fn rsa_bits(&self) -> Option<usize> {
        match &self.material {
            KeyMaterial::Rsa { public, .. } => Some(public.n().bits()),
            _ => None,
        }
    }

    /// The same key without its private half (shared secrets are returned unchanged).
    pub fn public_only(&self) -> Key {
        let material = match &self.material {
            KeyMaterial::Hmac { .. } => self.material.clone(),
            KeyMaterial::Rsa { public, .. } => KeyMaterial::Rsa {
                public: public.clone(),
                private: None,
            },
            KeyMaterial::P256 { public, .. } => KeyMaterial::P256 {
                public: *public,
                private: None,
            },
            KeyMaterial::P384 { public, .. } => KeyMaterial::P384 {
                public: *public,
                private: None,
            },
            KeyMaterial::P521 { public, .. } => KeyMaterial::P521 {
                public: *public,
                private: None,
            },
            KeyMaterial::Ed25519 { public, .. } => KeyMaterial::Ed25519 {
                public: *public,
                private: None,
            },
        };
        let key_ops = self.key_ops.as_ref().map(|ops| {
            ops.iter()
                .filter(|o| o.as_str() == "verify")
                .cloned()
                .collect()
        });
        Key {
            material,
            key_ops,
            ..self.clone()
        }
    }

    /// The algorithms this key may be used with: its declared `alg` if it has one (which must
    /// belong to its family), otherwise every algorithm of its family.
    pub fn allowed_algs(&self) -> Result<Vec<Alg>, CoreError> {
        let family = self.family();
        match &self.alg {
            None => Ok(family.algorithms()),
            Some(name) => match Alg::parse(name) {
                Ok(alg) if alg.family() == family => Ok(vec![alg]),
                _ => Err(CoreError::KeyAlgInvalid {
                    key: self.describe(),
                    alg: name.clone(),
                    kind: self.kind_label(),
                }),
            },
        }
    }

    /// Checks everything that decides whether this key may be used for `op` with `alg`:
    /// `use`, `key_ops`, the algorithm allow-list, key strength.
    pub fn check_usable(&self, alg: Alg, op: KeyOp) -> Result<(), CoreError> {
        if let Some(u) = &self.key_use
            && u != "sig"
        {
            return Err(CoreError::KeyNotForThisUse {
                key: self.describe(),
                reason: format!("its \"use\" is \"{u}\", not \"sig\""),
            });
        }
        if let Some(ops) = &self.key_ops
            && !ops.iter().any(|o| o == op.name())
        {
            return Err(CoreError::KeyNotForThisUse {
                key: self.describe(),
                reason: format!(
                    "its \"key_ops\" [{}] do not include \"{}\"",
                    ops.join(", "),
                    op.name()
                ),
            });
        }
        let allowed = self.allowed_algs()?;
        if !allowed.contains(&alg) {
            return Err(CoreError::AlgorithmNotAllowed {
                alg: alg.name().into(),
                by: AlgorithmLimit::Key(self.describe()),
                allowed: list(&allowed),
            });
        }
        if op == KeyOp::Sign && !self.has_private() {
            return Err(CoreError::NotAPrivateKey(self.describe()));
        }
        self.check_strength(alg)
    }

    fn check_strength(&self, alg: Alg) -> Result<(), CoreError> {
        match &self.material {
            KeyMaterial::Hmac { secret, .. } => {
                let min = alg.min_hmac_key_len();
                if secret.len() < min {
                    return Err(CoreError::HmacKeyTooShort {
                        key: self.describe(),
                        alg: alg.name().into(),
                        len: secret.len(),
                        min,
                    });
                }
            }
            KeyMaterial::Rsa { public, .. } => {
                let bits = public.n().bits();
                if bits < MIN_RSA_BITS {
                    return Err(CoreError::RsaKeyTooSmall {
                        key: self.describe(),
                        bits,
                    });
                }
                if bits > MAX_RSA_BITS {
                    return Err(CoreError::RsaKeyTooLarge {
                        key: self.describe(),
                        bits,
                    });
                }
                let e = public.e();
                if e.bits() < 2 || e.to_bytes_be().last().is_none_or(|b| b & 1 == 0) {
                    return Err(CoreError::RsaBadExponent {
                        key: self.describe(),
                    });
                }
                if roca::has_roca_fingerprint(&public.n().to_bytes_be()) {
                    return Err(CoreError::RocaVulnerableKey {
                        key: self.describe(),
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }
}
