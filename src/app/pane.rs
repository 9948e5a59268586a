//! The closed set of panes and the small traits each implements. The list at the bottom drives
//! the tab bar, the keyboard shortcuts, the routing of dropped files and the tests: adding a pane
//! is one file plus one line there.

use super::route::Content;
use super::settings::Settings;
use super::shared::Ctx;
use egui::Ui;
use serde::{Deserialize, Serialize};
use std::any::Any;

/// What a pane is, known without an instance.
pub trait PaneInfo {
    /// The tab's title (also its accessible name).
    const TITLE: &'static str;
    /// One line saying what the pane is for.
    const BLURB: &'static str;
    /// The pane as it opens (settings give e.g. the last JWKS URL).
    fn new(settings: &Settings) -> Self;
}

/// A pane: owns its state, draws it, and reacts to shared changes and finished jobs.
pub trait PaneView {
    /// Draws the pane. It edits its own fields, records its own commands, and sends
    /// [`Action`](super::state::Action)s for shared state; core work waits for [`PaneView::update`].
    fn ui(&mut self, ui: &mut Ui, ctx: &mut Ctx<'_>);

    /// Runs after every frame's actions were applied (not while drawing): applies the commands
    /// the pane recorded and recomputes what depends on changed inputs (own fields, the current
    /// token, the key ring). Cheap when nothing changed.
    fn update(&mut self, _ctx: &mut Ctx<'_>) {}

    /// A job this pane started with [`Ctx::spawn`] finished.
    fn on_task(&mut self, _result: Box<dyn Any + Send>, _ctx: &mut Ctx<'_>) {}

    /// Whether a dropped or opened file with this content belongs here.
    fn accepts(&self, _content: &Content) -> bool {
        false
    }

    /// Takes a file this pane [`accepts`](PaneView::accepts): its name and text.
    fn receive(&mut self, _content: Content, _name: &str, _text: String, _ctx: &mut Ctx<'_>) {}

    /// What the pane is doing in the background, for the status bar ("fetching the JWKS").
    fn busy(&self) -> Option<&'static str> {
        None
    }

    /// Another pane asked this one to do something with carried-over inputs (sent as
    /// [`Action::Go`](super::state::Action::Go)); the pane is shown right after.
    fn on_intent(&mut self, _intent: &Intent, _ctx: &mut Ctx<'_>) {}
}

/// What a one-click jump from a finding asks of the pane it opens. The inputs it carries are in
/// the shared state (the current token, the key ring) or in the intent itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Verify: check the current token (with the ring's keys when `with_ring`).
    VerifyToken {
        /// Select "Loaded keys" as the key source.
        with_ring: bool,
    },
    /// Mint: prepare a new token for this role (e.g. after an expired or wrong-role key).
    MintRole(crate::supabase::mint::MintRole),
    /// Mint: re-sign the current token with another key.
    ResignToken,
    /// Doctor: open the rotation assistant.
    Rotate,
    /// Keys: show the key ring.
    ShowRing,
}

macro_rules! panes {
    ($($variant:ident($field:ident): $ty:ty, $key:ident;)+) => {
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

impl Default for Pane {
    fn default() -> Pane {
        Pane::ALL[0]
    }
}

panes! {
    Decode(decode): super::decode::DecodePane, Num1;
    Jwks(jwks): super::jwks::JwksPane, Num2;
    Verify(verify): super::verify::VerifyPane, Num3;
    Keys(keys): super::keys::KeysPane, Num4;
    Mint(mint): super::mint::MintPane, Num5;
    Doctor(doctor): super::doctor::DoctorPane, Num6;
}
