//! The one list of the window's panes: the concrete type behind each [`Pane`] id, its title and
//! blurb (from its [`PaneInfo`]) and its keyboard shortcut, and every pane's state ([`Panes`]).
//! It drives the tab bar, the shortcuts, the routing of dropped files and the tests. Only this
//! module (and the root above it) knows the panes; a pane knows the others by their ids alone.
//! Adding a pane is a folder under `panes/`, its id in the vocabulary and one line here.

use super::pane::{PaneInfo, PaneView};
use super::vocab::{Pane, Settings};

/// The Doctor's views (tests and screenshots open the Signing keys view).
pub use super::panes::doctor::DoctorTab;
/// The Mint pane's signer choice (the public API names it; tests set it).
pub use super::panes::mint::Signer as MintSigner;
/// The Verify pane's key source (the public API names it; tests set it).
pub use super::panes::verify::KeySource as VerifyKeySource;

macro_rules! panes {
    ($($variant:ident($field:ident): $ty:ty, $key:ident;)+) => {
        impl Pane {
            /// The tab's title.
            pub fn title(self) -> &'static str {
                match self { $(Pane::$variant => <$ty as PaneInfo>::TITLE),+ }
            }

            /// One line saying what the pane is for.
            pub fn blurb(self) -> &'static str {
                match self { $(Pane::$variant => <$ty as PaneInfo>::BLURB),+ }
            }

            /// The number key that selects it with Ctrl.
            pub fn shortcut(self) -> egui::Key {
                match self { $(Pane::$variant => egui::Key::$key),+ }
            }
        }

        /// Every pane's state.
        pub struct Panes {
            $(
                #[doc = concat!("The ", stringify!($variant), " pane.")]
                pub $field: $ty,
            )+
        }

        impl Panes {
            /// The panes as they open.
            pub fn new(settings: &Settings) -> Panes {
                Panes { $($field: <$ty as PaneInfo>::new(settings)),+ }
            }

            /// One pane, to draw or update.
            pub fn get_mut(&mut self, pane: Pane) -> &mut dyn PaneView {
                match pane { $(Pane::$variant => &mut self.$field),+ }
            }

            /// One pane, to read.
            pub fn get(&self, pane: Pane) -> &dyn PaneView {
                match pane { $(Pane::$variant => &self.$field),+ }
            }
        }
    };
}

panes! {
    Decode(decode): super::panes::decode::DecodePane, Num1;
    Jwks(jwks): super::panes::jwks::JwksPane, Num2;
    Verify(verify): super::panes::verify::VerifyPane, Num3;
    Keys(keys): super::panes::keys::KeysPane, Num4;
    Mint(mint): super::panes::mint::MintPane, Num5;
    Doctor(doctor): super::panes::doctor::DoctorPane, Num6;
}
