//! Supabase's opaque API keys as upstream's self-hosted scripts make them
//! (`generateOpaqueKey` in `docker/utils/add-new-auth-keys.sh` and `rotate-new-api-keys.sh`):
//! `<prefix><random>_<checksum>`, random = the first 22 characters of base64url(17 random bytes),
//! checksum = the first 8 characters of base64url(SHA-256("supabase-self-hosted|" + prefix +
//! random)). Both parts use the base64url alphabet, so `_` may appear inside them: parse by
//! position, never by splitting on `_`.

use crate::jose::b64;
use crate::jose::error::CoreError;
use crate::jose::secret::SecretString;
use rand_core::{OsRng, RngCore};
use sha2::Digest;

/// The publishable (client) key's prefix.
pub const PUBLISHABLE_PREFIX: &str = "sb_publishable_";
/// The secret (server) key's prefix.
pub const SECRET_PREFIX: &str = "sb_secret_";
/// The project ref the self-hosted scripts hash into the checksum.
pub const SELF_HOSTED_REF: &str = "supabase-self-hosted";

/// The 8-character checksum of `prefix` + `random` for project `project_ref`.
pub fn checksum(project_ref: &str, prefix: &str, random: &str) -> String {
    let digest = sha2::Sha256::digest(format!("{project_ref}|{prefix}{random}").as_bytes());
    b64::encode(&digest).chars().take(8).collect()
}

/// A key made from 17 given random bytes (the scripts' `crypto.randomBytes(17)`).
pub fn opaque_key_from(prefix: &str, random_bytes: &[u8; 17]) -> String {
    let random: String = b64::encode(random_bytes).chars().take(22).collect();
    let sum = checksum(SELF_HOSTED_REF, prefix, &random);
    format!("{prefix}{random}_{sum}")
}

/// A fresh self-hosted key with `prefix` ([`PUBLISHABLE_PREFIX`] or [`SECRET_PREFIX`]).
pub fn generate_opaque_key(prefix: &str) -> Result<SecretString, CoreError> {
    let mut raw = [0u8; 17];
    OsRng
        .try_fill_bytes(&mut raw)
        .map_err(|e| CoreError::Backend(format!("the OS random generator failed: {e}")))?;
    let key = opaque_key_from(prefix, &raw);
    zeroize::Zeroize::zeroize(&mut raw);
    Ok(SecretString::new(key))
}

/// Splits a key by position into (random, checksum): `prefix` + 22 characters + `_` + 8
/// characters, all from the base64url alphabet.
pub fn split_opaque_key<'a>(value: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    let rest = value.strip_prefix(prefix)?;
    let b64url = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if rest.len() != 31 || !b64url(rest) || rest.as_bytes().get(22) != Some(&b'_') {
        return None;
    }
    Some((&rest[..22], &rest[23..]))
}

/// The Supabase CLI's public local `sb_` keys.
pub const CLI_DEMO_OPAQUE_KEYS: [&str; 2] = [
    "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH",
    "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz",
];

/// Which opaque key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpaqueKind {
    /// `sb_publishable_`: safe in a browser, maps to the anon role.
    Publishable,
    /// `sb_secret_`: server-only, maps to service_role.
    Secret,
}

impl OpaqueKind {
    /// The key's prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            OpaqueKind::Publishable => PUBLISHABLE_PREFIX,
            OpaqueKind::Secret => SECRET_PREFIX,
        }
    }

    /// The Postgres role the gateway maps the key to.
    pub fn role(self) -> &'static str {
        match self {
            OpaqueKind::Publishable => "anon",
            OpaqueKind::Secret => "service_role",
        }
    }

    /// Which kind `text` starts like, if any.
    pub fn of(text: &str) -> Option<OpaqueKind> {
        [OpaqueKind::Publishable, OpaqueKind::Secret]
            .into_iter()
            .find(|k| text.starts_with(k.prefix()))
    }
}

/// What the self-hosted checksum says about a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpaqueCheck {
    /// Prefix + 22 + `_` + 8 characters, and the checksum matches.
    ChecksumOk,
    /// Well formed, but the checksum does not match (hosted keys use another scheme; a
    /// self-hosted key was mistyped or truncated).
    ChecksumMismatch,
    /// Not prefix + 22 + `_` + 8 base64url characters.
    Malformed,
}

/// Checks an opaque key's shape and self-hosted checksum offline.
pub fn check_opaque_key(value: &str, kind: OpaqueKind) -> OpaqueCheck {
    match split_opaque_key(value, kind.prefix()) {
        None => OpaqueCheck::Malformed,
        Some((random, sum)) if checksum(SELF_HOSTED_REF, kind.prefix(), random) == sum => {
            OpaqueCheck::ChecksumOk
        }
        Some(_) => OpaqueCheck::ChecksumMismatch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_by_position() {
        let mut with_underscore = 0;
        for n in 0..=255u8 {
            let key = opaque_key_from(SECRET_PREFIX, &[n; 17]);
            let (random, sum) = split_opaque_key(&key, SECRET_PREFIX).unwrap_or_default();
            assert_eq!(
                sum,
                checksum(SELF_HOSTED_REF, SECRET_PREFIX, random),
                "{key}"
            );
            assert_eq!(key.len(), 41);
            with_underscore += usize::from(sum.contains('_') || random.contains('_'));
        }
        assert!(with_underscore > 0);
        assert!(split_opaque_key("sb_secret_short_abcdefgh", SECRET_PREFIX).is_none());
        let key = generate_opaque_key(PUBLISHABLE_PREFIX).map(|k| k.expose().to_string());
        assert_eq!(key.map(|k| k.len()).ok(), Some(46));
    }
}
