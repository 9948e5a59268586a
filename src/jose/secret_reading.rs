//! The readings of a secret given as text (as text, base64, base64url, hex) and which of them
//! verifies a signature: the verdict `secret_encoding_mismatch` and the near misses share it.

use crate::jose::alg::Alg;
use crate::jose::b64::SecretEncoding;
use crate::jose::crypto::verify_raw;
use crate::jose::keys::{KeyMaterial, KeySet, secret_key};
use crate::jose::token::Jws;

pub(crate) const ALL_READINGS: [SecretEncoding; 4] = [
    SecretEncoding::Text,
    SecretEncoding::Base64,
    SecretEncoding::Base64Url,
    SecretEncoding::Hex,
];
pub(crate) const OTHER_READINGS: [SecretEncoding; 3] = [
    SecretEncoding::Base64,
    SecretEncoding::Base64Url,
    SecretEncoding::Hex,
];

/// The first of `readings` of `text` as a secret under which the signature verifies (a
/// reading too short for `alg` never counts).
pub(crate) fn reading_that_verifies(
    text: &str,
    readings: &[SecretEncoding],
    alg: Alg,
    message: &[u8],
    signature: &[u8],
) -> Option<SecretEncoding> {
    readings.iter().copied().find(|enc| {
        secret_key(text, *enc).is_ok_and(|k| verify_raw(&k, alg, message, signature).is_ok())
    })
}

/// When an HMAC check of a secret given as text failed, the other reading of that text
/// (base64, base64url, hex) under which it verifies: the verdict `secret_encoding_mismatch`.
pub(crate) fn other_secret_reading(
    jws: &Jws,
    keys: &KeySet,
    alg: Alg,
    candidates: &[usize],
) -> Option<SecretEncoding> {
    let message = jws.signing_input();
    candidates.iter().find_map(|&i| {
        let KeyMaterial::Hmac {
            secret,
            read_as: SecretEncoding::Text,
        } = &keys.keys[i].material
        else {
            return None;
        };
        let text = std::str::from_utf8(secret.expose()).ok()?;
        reading_that_verifies(text, &OTHER_READINGS, alg, &message, &jws.signature)
    })
}
