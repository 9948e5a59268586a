//! Supabase's opaque API keys, `sb_publishable_…` and `sb_secret_…` (not JWTs): format and the
//! self-hosted checksum of upstream's `generateOpaqueKey` (`utils/add-new-auth-keys.sh`):
//! `<prefix><22 base64url chars>_<8-char checksum>`, checksum =
//! `base64url(sha256("supabase-self-hosted|" + prefix + random))[..8]`.
//! `_` can occur inside the random part and the checksum, so the key is read by position.

use sha2::Digest;

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
            OpaqueKind::Publishable => "sb_publishable_",
            OpaqueKind::Secret => "sb_secret_",
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

const RANDOM_LEN: usize = 22;
const SUM_LEN: usize = 8;

fn is_b64url(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Checks an opaque key's shape and self-hosted checksum offline.
pub fn check_opaque_key(value: &str, kind: OpaqueKind) -> OpaqueCheck {
    let Some(rest) = value.strip_prefix(kind.prefix()) else {
        return OpaqueCheck::Malformed;
    };
    if rest.len() != RANDOM_LEN + 1 + SUM_LEN
        || !rest.chars().all(is_b64url)
        || rest.as_bytes()[RANDOM_LEN] != b'_'
    {
        return OpaqueCheck::Malformed;
    }
    let (random, sum) = (&rest[..RANDOM_LEN], &rest[RANDOM_LEN + 1..]);
    let digest =
        sha2::Sha256::digest(format!("supabase-self-hosted|{}{random}", kind.prefix()).as_bytes());
    if crate::core::b64::encode(&digest).starts_with(sum) {
        OpaqueCheck::ChecksumOk
    } else {
        OpaqueCheck::ChecksumMismatch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(kind: OpaqueKind, random: &str) -> String {
        let digest = sha2::Sha256::digest(
            format!("supabase-self-hosted|{}{random}", kind.prefix()).as_bytes(),
        );
        format!(
            "{}{random}_{}",
            kind.prefix(),
            &crate::core::b64::encode(&digest)[..8]
        )
    }

    #[test]
    fn reads_by_position_even_with_underscores() {
        let key = make(OpaqueKind::Secret, "ab_de-ghijklmnopqrstuv");
        assert_eq!(
            check_opaque_key(&key, OpaqueKind::Secret),
            OpaqueCheck::ChecksumOk
        );
        let mut bad = key.clone();
        bad.pop();
        bad.push(if key.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(
            check_opaque_key(&bad, OpaqueKind::Secret),
            OpaqueCheck::ChecksumMismatch
        );
        assert_eq!(
            check_opaque_key("sb_secret_short", OpaqueKind::Secret),
            OpaqueCheck::Malformed
        );
    }

    #[test]
    fn checksum_with_an_underscore_is_read_by_position() {
        // Search a random part whose checksum contains '_' (about 1 in 5 do).
        let key = (0..200)
            .map(|i| make(OpaqueKind::Publishable, &format!("{i:0>22}")))
            .find(|k| k[k.len() - 8..].contains('_'))
            .unwrap();
        assert_eq!(
            check_opaque_key(&key, OpaqueKind::Publishable),
            OpaqueCheck::ChecksumOk
        );
    }
}
