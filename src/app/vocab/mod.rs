//! The window's vocabulary: the words every layer above shares and none of them owns. The pane
//! ids ([`Pane`]), what panes and the window ask of each other ([`Action`], [`Intent`]), what a
//! dropped file is ([`Content`], [`ConfigKind`]), where a ring key came from ([`KeyOrigin`],
//! [`RingKey`]) and what is saved ([`Settings`]). It names nothing else of the window: panes,
//! the registry and the root import it, never the other way round.

pub mod action;
pub mod pane_id;
pub mod ring;
pub mod route;
pub mod settings;

pub use action::{Action, Intent};
pub use pane_id::Pane;
pub use ring::{KeyOrigin, RingKey};
pub use route::{ConfigKind, Content};
pub use settings::{Settings, ThemeChoice};
