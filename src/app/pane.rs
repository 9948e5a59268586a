//! The closed set of panes: it drives the tab bar, the keyboard shortcuts and the tests.

use serde::{Deserialize, Serialize};

/// One tab of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Pane {
    /// Paste a token, see what is inside.
    #[default]
    Decode,
    /// Load a JWKS from a file, a paste or a URL.
    Jwks,
    /// Check a token against a secret or key.
    Verify,
    /// Generate and import keys.
    Keys,
    /// Make tokens.
    Mint,
    /// Check a whole configuration for 401 causes.
    Doctor,
}

impl Pane {
    /// Every pane, in tab order (Ctrl+1 .. Ctrl+6).
    pub const ALL: [Pane; 6] = [
        Pane::Decode,
        Pane::Jwks,
        Pane::Verify,
        Pane::Keys,
        Pane::Mint,
        Pane::Doctor,
    ];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Pane::Decode => "Decode",
            Pane::Jwks => "JWKS",
            Pane::Verify => "Verify",
            Pane::Keys => "Keys",
            Pane::Mint => "Mint",
            Pane::Doctor => "Doctor",
        }
    }

    /// One line saying what the pane is for.
    pub fn blurb(self) -> &'static str {
        match self {
            Pane::Decode => {
                "Paste a token (Bearer ..., ANON_KEY=... lines are fine): header, claims, times, Supabase role."
            }
            Pane::Jwks => {
                "Load a key set from a file, a paste or a URL (project ref, project URL or jwks.json URL)."
            }
            Pane::Verify => {
                "Check a token's signature and claims against a secret, PEM, JWK or JWKS, with the reason when it fails."
            }
            Pane::Keys => {
                "Generate ES256 / RS256 / EdDSA key pairs and HS256 secrets on this machine, or import keys."
            }
            Pane::Mint => {
                "Make anon / service_role / authenticated tokens, or re-sign a token with another key."
            }
            Pane::Doctor => {
                "Check a whole Supabase configuration (.env, compose, kong.yml, Kubernetes, config.toml) for the mismatches that cause 401s."
            }
        }
    }

    /// The number key that selects it with Ctrl.
    pub fn shortcut(self) -> egui::Key {
        match self {
            Pane::Decode => egui::Key::Num1,
            Pane::Jwks => egui::Key::Num2,
            Pane::Verify => egui::Key::Num3,
            Pane::Keys => egui::Key::Num4,
            Pane::Mint => egui::Key::Num5,
            Pane::Doctor => egui::Key::Num6,
        }
    }
}
