//! Near misses: when a signature check failed, the nearby mistakes the core can tell apart —
//! a secret with stray whitespace, a secret meant to be read as base64 or hex, a secret shorter
//! than the hash (RFC 7518 §3.2) that did sign the token, a kid that names a key loaded for
//! another algorithm. The CLI's `verify` and the window show the same words.

use crate::jose::alg::{Alg, AlgFamily, list};
use crate::jose::b64::SecretEncoding;
use crate::jose::crypto::hmac_signature_matches;
use crate::jose::keys::{Key, KeyMaterial, KeySet};
use crate::jose::secret_reading::{ALL_READINGS, OTHER_READINGS, reading_that_verifies};
use crate::jose::token::Jws;
use crate::jose::verify::{VerifyOptions, verify_signature};

/// One near miss, typed. [`NearMiss::code`] is stable; [`NearMiss::describe`] is the plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NearMiss {
    /// A secret given as text starts or ends with whitespace (space, tab, newline, CR).
    SecretWhitespace {
        /// The key, described.
        key: String,
        /// The whitespace before the secret (may be empty).
        leading: String,
        /// The whitespace after the secret (may be empty).
        trailing: String,
        /// The reading of the trimmed text under which the signature verifies, if any.
        verifies_trimmed: Option<SecretEncoding>,
    },
    /// The signature verifies when the secret's text is read in another encoding.
    SecretEncoding {
        /// The key, described.
        key: String,
        /// The reading that works.
        encoding: SecretEncoding,
    },
    /// An HMAC secret shorter than the hash output: refused (RFC 7518 §3.2), whether or not
    /// it signed the token.
    ShortSecret {
        /// The key, described.
        key: String,
        /// The token's algorithm.
        alg: Alg,
        /// The secret's length in bytes.
        len: usize,
        /// The least the algorithm allows.
        min: usize,
        /// The signature matches the secret: it is the key that signed the token.
        signature_matches: bool,
    },
    /// The token's kid names a loaded key that is for other algorithms.
    KidUnderOtherAlg {
        /// The token's kid.
        kid: String,
        /// The key it names, described.
        key: String,
        /// The algorithms that key is loaded for.
        key_algs: String,
        /// The token's algorithm.
        token_alg: Alg,
    },
}

impl NearMiss {
    /// A stable identifier. The encoding miss shares its code with the verdict
    /// `secret_encoding_mismatch`, which reports the same finding.
    pub fn code(&self) -> &'static str {
        match self {
            NearMiss::SecretWhitespace { .. } => "secret_whitespace",
            NearMiss::SecretEncoding { .. } => "secret_encoding_mismatch",
            NearMiss::ShortSecret { .. } => "short_secret",
            NearMiss::KidUnderOtherAlg { .. } => "kid_other_alg",
        }
    }

    /// The near miss in plain words.
    pub fn describe(&self) -> String {
        match self {
            NearMiss::SecretWhitespace {
                key,
                leading,
                trailing,
                verifies_trimmed,
            } => {
                let mut parts = Vec::new();
                if !leading.is_empty() {
                    parts.push(format!("starts with {}", name_whitespace(leading)));
                }
                if !trailing.is_empty() {
                    parts.push(format!("ends with {}", name_whitespace(trailing)));
                }
                let outcome = match verifies_trimmed {
                    Some(SecretEncoding::Text) => {
                        "without it the signature verifies, so remove it where the secret is stored (echo -n, no trailing space or CRLF in the file)".to_string()
                    }
                    Some(enc) => format!(
                        "without it, read as {}, the signature verifies, so remove it where the secret is stored",
                        enc.label()
                    ),
                    None => "the signature does not verify without it either".to_string(),
                };
                format!("{key} {}; {outcome}", parts.join(" and "))
            }
            NearMiss::SecretEncoding { key, encoding } => format!(
                "the signature verifies when {key} is read as {} instead of UTF-8 text: the issuer and this configuration disagree on the secret's encoding",
                encoding.label()
            ),
            NearMiss::ShortSecret {
                key,
                alg,
                len,
                min,
                signature_matches,
            } => {
                if *signature_matches {
                    format!(
                        "the signature does match {key}: it is the secret that signed the token, but {len} bytes is shorter than the {min} bytes {alg} requires (RFC 7518 §3.2); replace it with a random secret of at least {min} bytes and re-mint the tokens"
                    )
                } else {
                    format!(
                        "{key} is {len} bytes, shorter than the {min} bytes {alg} requires (RFC 7518 §3.2), and the signature does not match it either"
                    )
                }
            }
            NearMiss::KidUnderOtherAlg {
                kid,
                key,
                key_algs,
                token_alg,
            } => format!(
                "the token's kid \"{kid}\" names {key}, which is loaded for {key_algs}, but the token says {token_alg}: it was signed by another key reusing that kid, or its header was changed (algorithm confusion)"
            ),
        }
    }
}

/// "a newline", "a carriage return and a newline", "2 spaces".
fn name_whitespace(text: &str) -> String {
    let names: Vec<String> = text
        .chars()
        .map(|c| match c {
            ' ' => "a space".to_string(),
            '\n' => "a newline".to_string(),
            '\r' => "a carriage return".to_string(),
            '\t' => "a tab".to_string(),
            other => format!("U+{:04X}", u32::from(other)),
        })
        .collect();
    if names.iter().all(|n| n == "a space") && names.len() > 1 {
        return format!("{} spaces", names.len());
    }
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// The near misses of a failed signature check of `jws` against `keys` (with the `--alg`
/// allow-list of `options`). Empty when the signature verifies. A miss that *is* the
/// verdict's reason (the encoding one, reported as `secret_encoding_mismatch`) is left out,
/// so a caller shows the reason and then these, each once.
pub fn near_misses(jws: &Jws, keys: &KeySet, options: &VerifyOptions) -> Vec<NearMiss> {
    let reason = match verify_signature(jws, keys, &options.algorithms) {
        Ok(_) => return Vec::new(),
        Err(e) => e,
    };
    let Ok(alg) = jws.alg() else {
        return Vec::new();
    };
    let mut misses = Vec::new();
    if alg.family() == AlgFamily::Hmac {
        let message = jws.signing_input();
        for key in hmac_candidates(jws, keys) {
            misses.extend(secret_misses(key, alg, &message, &jws.signature));
        }
    }
    misses.extend(kid_misses(jws, keys, alg));
    misses.retain(|m| m.code() != reason.code());
    misses
}

/// The HMAC keys the token is checked against: in a key set (JWKS, `JWT_KEYS`) a token with a
/// kid only meets keys with that kid, as Supabase's services select them; otherwise every one.
fn hmac_candidates<'a>(jws: &Jws, keys: &'a KeySet) -> impl Iterator<Item = &'a Key> {
    let by_kid = keys
        .shape
        .selects_by_kid()
        .then(|| jws.kid().map(str::to_string))
        .flatten();
    keys.keys.iter().filter(move |k| {
        k.family() == AlgFamily::Hmac
            && by_kid
                .as_ref()
                .is_none_or(|kid| k.kid.as_deref() == Some(kid.as_str()))
    })
}

fn secret_misses(key: &Key, alg: Alg, message: &[u8], signature: &[u8]) -> Vec<NearMiss> {
    let KeyMaterial::Hmac { secret, read_as } = &key.material else {
        return Vec::new();
    };
    let mut misses = Vec::new();
    let min = alg.min_hmac_key_len();
    if secret.len() < min {
        misses.push(NearMiss::ShortSecret {
            key: key.describe(),
            alg,
            len: secret.len(),
            min,
            signature_matches: hmac_signature_matches(secret.expose(), alg, message, signature),
        });
    }
    if *read_as != SecretEncoding::Text {
        return misses;
    }
    let Ok(text) = std::str::from_utf8(secret.expose()) else {
        return misses;
    };
    let trimmed = text.trim();
    if trimmed.len() != text.len() && !trimmed.is_empty() {
        let start = text.len() - text.trim_start().len();
        misses.push(NearMiss::SecretWhitespace {
            key: key.describe(),
            leading: text[..start].to_string(),
            trailing: text[text.trim_end().len()..].to_string(),
            verifies_trimmed: reading_that_verifies(
                trimmed,
                &ALL_READINGS,
                alg,
                message,
                signature,
            ),
        });
    } else if let Some(encoding) =
        reading_that_verifies(text, &OTHER_READINGS, alg, message, signature)
    {
        misses.push(NearMiss::SecretEncoding {
            key: key.describe(),
            encoding,
        });
    }
    misses
}

fn kid_misses(jws: &Jws, keys: &KeySet, alg: Alg) -> Vec<NearMiss> {
    let Some(kid) = jws.kid() else {
        return Vec::new();
    };
    keys.keys
        .iter()
        .filter(|k| k.kid.as_deref() == Some(kid))
        .filter_map(|k| {
            let allowed = k.allowed_algs().ok()?;
            (!allowed.contains(&alg)).then(|| NearMiss::KidUnderOtherAlg {
                kid: kid.to_string(),
                key: k.describe(),
                key_algs: list(&allowed),
                token_alg: alg,
            })
        })
        .collect()
}
