//! Ed25519 public keys that are points on the curve but must not be trusted: small-order
//! points (any signature "verifies" for some messages) and non-canonical encodings (two byte
//! strings for one key), refused wherever a key is read and again before verifying.

use crate::jose::error::CoreError;
use ed25519_dalek::VerifyingKey;

/// Refuses a small-order or non-canonically encoded Ed25519 public key; `key` names it.
pub fn check_ed25519_public(public: &VerifyingKey, key: &str) -> Result<(), CoreError> {
    let weak = |reason| {
        Err(CoreError::Ed25519WeakKey {
            key: key.to_string(),
            reason,
        })
    };
    if public.is_weak() {
        return weak("a small-order point");
    }
    if public.to_edwards().compress().as_bytes() != public.as_bytes() {
        return weak("a non-canonical encoding");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(bytes: [u8; 32]) -> Result<(), CoreError> {
        let vk = VerifyingKey::from_bytes(&bytes).map_err(|_| CoreError::NotAKey)?;
        check_ed25519_public(&vk, "k")
    }

    #[test]
    fn ed25519_strict_refuses_small_order_keys() {
        // The identity point (y = 1) and the order-4 point (y = 0).
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(matches!(
            key(identity),
            Err(CoreError::Ed25519WeakKey { .. })
        ));
        assert!(matches!(
            key([0u8; 32]),
            Err(CoreError::Ed25519WeakKey { .. })
        ));
    }

    #[test]
    fn ed25519_strict_refuses_non_canonical_keys() {
        // y = p + k (k < 19) encodes the same point as y = k: every such point that is on the
        // curve and not small-order must be refused as non-canonical.
        let mut refused = 0;
        for k in 0u8..19 {
            let mut bytes = [0xffu8; 32];
            bytes[0] = 0xed + k;
            bytes[31] = 0x7f;
            let Ok(vk) = VerifyingKey::from_bytes(&bytes) else {
                continue;
            };
            if vk.is_weak() {
                continue;
            }
            assert_eq!(
                check_ed25519_public(&vk, "k"),
                Err(CoreError::Ed25519WeakKey {
                    key: "k".into(),
                    reason: "a non-canonical encoding"
                })
            );
            refused += 1;
        }
        assert!(refused > 0);
        // A canonical, ordinary key passes (RFC 8032 test 1).
        let ok = crate::jose::b64::decode_strict("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
            .map_err(|_| CoreError::NotAKey)
            .and_then(|b| <[u8; 32]>::try_from(b).map_err(|_| CoreError::NotAKey));
        assert_eq!(ok.and_then(key), Ok(()));
    }
}
