//! Secret bytes: zeroized when dropped, never printed; and the helpers other types use to keep
//! secrets out of their `Debug` output.

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

/// Secret text (a generated `JWT_SECRET`, a private key PEM, a secret typed into the window).
/// `Debug` is redacted; wiped on drop, and its edits wipe every buffer they leave behind.
#[derive(Default, Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
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

    /// Inserts `text` at byte index `at` (a char boundary). When the buffer must grow, the text
    /// moves to a new one and the old one is wiped, so `String`'s own reallocation never frees
    /// secret bytes unwiped.
    pub fn insert_str(&mut self, at: usize, text: &str) {
        if self.0.capacity() - self.0.len() < text.len() {
            let capacity = (self.0.len() + text.len())
                .max(self.0.capacity() * 2)
                .max(64);
            let mut grown = String::with_capacity(capacity);
            grown.push_str(&self.0);
            std::mem::swap(&mut self.0, &mut grown);
            grown.zeroize();
        }
        self.0.insert_str(at, text);
    }

    /// Removes the byte range `range` (on char boundaries). The text is rebuilt rather than
    /// drained, which would leave the old tail's bytes in the spare capacity; the old buffer is
    /// wiped.
    pub fn remove(&mut self, range: std::ops::Range<usize>) {
        if range.start >= range.end {
            return;
        }
        let mut kept = String::with_capacity(self.0.capacity());
        kept.push_str(&self.0[..range.start]);
        kept.push_str(&self.0[range.end..]);
        std::mem::swap(&mut self.0, &mut kept);
        kept.zeroize();
    }
}

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretString({:?})", Redacted(&self.0))
    }
}

/// Shows text in `Debug` output by its length only: `[redacted; 43 chars]`. For fields that may
/// hold a secret (configuration values, key text) in types that are otherwise worth printing.
pub struct Redacted<'a>(pub &'a str);

impl std::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[redacted; {} chars]", self.0.chars().count())
    }
}

/// Shows an optional secret text in `Debug` output by its length only.
pub fn redacted_opt(text: &Option<String>) -> Option<Redacted<'_>> {
    text.as_deref().map(Redacted)
}

/// Shows a token in `Debug` output without its signature, so a logged token cannot be replayed:
/// `"eyJhbGci....eyJyb2xl...".[signature redacted; 43 chars]`.
pub struct RedactedToken<'a>(pub &'a str);

impl std::fmt::Debug for RedactedToken<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.rsplit_once('.') {
            Some((signed, signature)) => write!(
                f,
                "{signed:?}.[signature redacted; {} chars]",
                signature.chars().count()
            ),
            None => Redacted(self.0).fmt(f),
        }
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

    #[test]
    fn edits_keep_the_text_right() {
        let mut s = SecretString::default();
        s.insert_str(0, "héllo");
        s.insert_str(s.expose().len(), &" wörld".repeat(20));
        assert_eq!(s.expose().len(), "héllo".len() + 20 * " wörld".len());
        s.remove(1..s.expose().len());
        assert_eq!(s.expose(), "h");
        s.remove(1..1);
        assert_eq!(s.expose(), "h");
    }
}
