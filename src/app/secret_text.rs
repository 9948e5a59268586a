//! The text buffer behind the window's secret fields (shared secrets, pasted private keys): an
//! editable [`egui::TextBuffer`] that wipes every buffer it leaves behind — when it grows, when
//! text is deleted, and when it is dropped — and prints redacted.
//!
//! Limit: while a field is being edited egui keeps its own copies of the text in memory (the
//! field's undo history, the previous text of the frame), which this type cannot wipe. They are
//! never persisted (the undo history is not serialised), and a password field lays out bullets,
//! not the secret.

use egui::TextBuffer;
use egui::text::CharIndex;
use std::ops::Range;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Secret text typed or pasted into a field. Wiped on drop; `Debug` shows only the length.
#[derive(Default, Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct SecretText(String);

impl SecretText {
    /// The secret text; handle with care.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Moves the text into a buffer with room for `extra` more bytes, wiping the old one, so
    /// `String`'s own reallocation never frees secret bytes unwiped.
    fn reserve_wiping(&mut self, extra: usize) {
        if self.0.capacity() - self.0.len() >= extra {
            return;
        }
        let capacity = (self.0.len() + extra).max(self.0.capacity() * 2).max(64);
        let mut grown = String::with_capacity(capacity);
        grown.push_str(&self.0);
        std::mem::swap(&mut self.0, &mut grown);
        grown.zeroize();
    }
}

impl From<&str> for SecretText {
    fn from(text: &str) -> SecretText {
        SecretText(text.to_string())
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SecretText([redacted; {} chars])",
            self.0.chars().count()
        )
    }
}

impl TextBuffer for SecretText {
    fn is_mutable(&self) -> bool {
        true
    }

    fn as_str(&self) -> &str {
        &self.0
    }

    fn insert_text(&mut self, text: &str, char_index: CharIndex) -> usize {
        let at: usize = self.byte_index_from_char_index(char_index).into();
        self.reserve_wiping(text.len());
        self.0.insert_str(at, text);
        text.chars().count()
    }

    fn delete_char_range(&mut self, char_range: Range<CharIndex>) {
        let start: usize = self.byte_index_from_char_index(char_range.start).into();
        let end: usize = self.byte_index_from_char_index(char_range.end).into();
        if start >= end {
            return;
        }
        // Rebuilt rather than drained: draining would leave the old tail's bytes in the spare
        // capacity. Fields are short (see FIELD_CHAR_LIMIT), so the copy costs nothing.
        let mut kept = String::with_capacity(self.0.capacity());
        kept.push_str(&self.0[..start]);
        kept.push_str(&self.0[end..]);
        std::mem::swap(&mut self.0, &mut kept);
        kept.zeroize();
    }

    fn type_id(&self) -> std::any::TypeId {
        std::any::TypeId::of::<SecretText>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_like_a_string() {
        let mut s = SecretText::default();
        assert_eq!(s.insert_text("héllo", CharIndex(0)), 5);
        s.insert_text(" wörld", CharIndex(5));
        s.delete_char_range(CharIndex(1)..CharIndex(5));
        assert_eq!(s.expose(), "h wörld");
        s.delete_char_range(CharIndex(3)..CharIndex(3));
        assert_eq!(s.expose(), "h wörld");
        s.replace_with("new");
        assert_eq!(s.expose(), "new");
    }

    #[test]
    fn debug_is_redacted() {
        let s = SecretText::from("hunter2hunter2");
        assert_eq!(format!("{s:?}"), "SecretText([redacted; 14 chars])");
    }
}
