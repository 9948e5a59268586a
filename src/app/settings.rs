//! The saved settings: theme, last pane, last JWKS URL, clipboard auto-clear. Nothing secret.

use super::pane::Pane;
use serde::{Deserialize, Serialize};

/// Light, dark, or what the system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

/// The only state that is saved between sessions. Nothing secret belongs here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Colour theme.
    pub theme: ThemeChoice,
    /// The pane open at exit.
    pub last_pane: Pane,
    /// The last JWKS URL / project ref fetched (public information).
    pub last_jwks_url: String,
    /// Wipe copied secrets from the clipboard after a while.
    pub clipboard_auto_clear: bool,
    /// After how many seconds.
    pub clipboard_clear_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: ThemeChoice::System,
            last_pane: Pane::Decode,
            last_jwks_url: String::new(),
            clipboard_auto_clear: true,
            clipboard_clear_secs: 60,
        }
    }
}

/// Sets egui's theme from the setting.
pub fn apply_theme(ctx: &egui::Context, theme: ThemeChoice) {
    ctx.set_theme(match theme {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    });
}
