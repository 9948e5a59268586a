//! The window's words for a core error: the core's message (which names no front end) and
//! where in the window the thing given belongs, chosen by the error's variant.

use crate::jose::error::CoreError;

/// A core error as the window shows it.
pub(super) fn core_error_text(e: &CoreError) -> String {
    match e {
        CoreError::UrlNotAKey => format!("{e}: fetch it with the JWKS pane's URL field"),
        CoreError::NotAKey => format!("{e}: a shared secret goes in the Secret field"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_names_its_own_fields() {
        assert_eq!(
            core_error_text(&CoreError::UrlNotAKey),
            "this is a URL, not a key: fetch it with the JWKS pane's URL field"
        );
        assert!(core_error_text(&CoreError::NotAKey).ends_with("goes in the Secret field"));
        assert!(!core_error_text(&CoreError::NotAKey).contains("--"));
    }
}
