//! The two small traits every pane implements: what it is without an instance ([`PaneInfo`])
//! and how the window drives it ([`PaneView`]). The registry lists the panes that implement them.

use super::shared::Ctx;
use super::vocab::{Content, Intent, Settings};
use egui::Ui;
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
    /// [`Action`](super::vocab::Action)s for shared state; core work waits for
    /// [`PaneView::update`].
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

    /// What the pane last fetched over the network ("Online: fetched https://…"), for the
    /// status bar; `None` while the window has stayed offline.
    fn online(&self) -> Option<String> {
        None
    }

    /// What the pane is doing in the background, for the status bar ("fetching the JWKS").
    fn busy(&self) -> Option<&'static str> {
        None
    }

    /// Another pane (or the window) asked this one to do something with carried-over inputs
    /// (sent as [`Action::Go`](super::vocab::Action::Go)); the pane is shown right after.
    fn on_intent(&mut self, _intent: &Intent, _ctx: &mut Ctx<'_>) {}
}
