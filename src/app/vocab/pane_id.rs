//! The pane ids: which tabs the window has, in tab order. A pane is named by its id everywhere
//! below the registry (jumps, routing, the saved last pane); what each id is (its type, title,
//! blurb and shortcut) is listed once, in the registry.

use serde::{Deserialize, Serialize};

macro_rules! pane_ids {
    ($($variant:ident),+ $(,)?) => {
        /// One tab of the window.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Pane {
            $(
                #[doc = concat!("The ", stringify!($variant), " pane.")]
                $variant,
            )+
        }

        impl Pane {
            /// Every pane, in tab order (Ctrl+1 ..).
            pub const ALL: &'static [Pane] = &[$(Pane::$variant),+];
        }
    };
}

pane_ids!(Decode, Jwks, Verify, Keys, Mint, Doctor);

impl Default for Pane {
    fn default() -> Pane {
        Pane::ALL[0]
    }
}
