//! Secret bytes: zeroized when dropped, never printed.

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Secret key bytes (an HMAC secret, a serialized private key). `Debug` shows only the length;
/// the memory is wiped on drop.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    /// Wraps bytes, taking ownership.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The secret bytes; handle with care.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretBytes([redacted; {} bytes])", self.0.len())
    }
}

/// Secret text (a generated `JWT_SECRET`, a private key PEM). `Debug` is redacted; wiped on drop.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SecretString(String);

impl SecretString {
    /// Wraps text, taking ownership.
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// The secret text; handle with care.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SecretString([redacted; {} chars])",
            self.0.chars().count()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = SecretBytes::new(b"hunter2hunter2".to_vec());
        assert_eq!(format!("{s:?}"), "SecretBytes([redacted; 14 bytes])");
        let t = SecretString::new("top secret".into());
        assert!(!format!("{t:?}").contains("top"));
    }
}
