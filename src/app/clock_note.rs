//! The clock warning of the panes that stamp `iat`/`exp` (Keys' .env block, Mint): the same
//! core check, and the same words, as `supajwt mint` and `supajwt keygen`.

use super::widgets::{WARN, esc};
use egui::{RichText, Ui};

/// Checks the system clock against this binary's build date.
pub struct ClockCheck {
    /// Reads the system clock (tests replace it).
    pub system_clock: fn() -> i64,
    warning: Option<String>,
}

impl Default for ClockCheck {
    fn default() -> Self {
        ClockCheck {
            system_clock: crate::jose::time::system_now,
            warning: None,
        }
    }
}

impl ClockCheck {
    /// Re-reads the clock (cheap: a comparison, text only when it looks wrong).
    pub fn refresh(&mut self) {
        self.warning = crate::selftest::clock_before_build(
            (self.system_clock)(),
            crate::build_info::build_time(),
        )
        .map(|problem| format!("Warning: {problem} — set the system clock."));
    }

    /// The warning, if the clock looks wrong.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// Shows the warning, if any.
    pub fn ui(&self, ui: &mut Ui) {
        if let Some(w) = &self.warning {
            ui.label(RichText::new(esc(w)).color(WARN));
        }
    }
}
