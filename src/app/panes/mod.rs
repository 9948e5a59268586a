//! The panes, one folder each. A pane owns its state and its private helpers, implements
//! [`PaneInfo`](super::pane::PaneInfo) and [`PaneView`](super::pane::PaneView), and imports only
//! the vocabulary, the widgets and shared state below it, and the crate's lower layers: never
//! another pane, never the registry. It reaches another pane only by its id, with
//! [`Action::Go`](super::vocab::Action::Go).

pub mod decode;
pub mod doctor;
pub mod jwks;
pub mod keys;
pub mod mint;
pub mod verify;
