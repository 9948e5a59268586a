//! The window's secret fields (shared secrets, pasted private keys) edit a [`SecretString`]
//! directly: this is its [`egui::TextBuffer`], over the core's wiping edits, so every buffer a
//! field leaves behind — when it grows, when text is deleted, and when it is dropped — is wiped.
//!
//! Limit: while a field is being edited egui keeps its own copies of the text in memory (the
//! field's undo history, the previous text of the frame), which this cannot wipe. They are never
//! persisted (the undo history is not serialised), and a password field lays out bullets, not
//! the secret.

use crate::jose::secret::SecretString;
use egui::TextBuffer;
use egui::text::CharIndex;
use std::ops::Range;

impl TextBuffer for SecretString {
    fn is_mutable(&self) -> bool {
        true
    }

    fn as_str(&self) -> &str {
        self.expose()
    }

    fn insert_text(&mut self, text: &str, char_index: CharIndex) -> usize {
        let at = self.byte_index_from_char_index(char_index).into();
        self.insert_str(at, text);
        text.chars().count()
    }

    fn delete_char_range(&mut self, char_range: Range<CharIndex>) {
        let start = self.byte_index_from_char_index(char_range.start).into();
        let end = self.byte_index_from_char_index(char_range.end).into();
        self.remove(start..end);
    }

    fn type_id(&self) -> std::any::TypeId {
        std::any::TypeId::of::<SecretString>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_like_a_string() {
        let mut s = SecretString::default();
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
        let s = SecretString::new("hunter2hunter2".into());
        assert_eq!(format!("{s:?}"), "SecretString([redacted; 14 chars])");
    }
}
