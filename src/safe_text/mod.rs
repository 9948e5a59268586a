//! Text from input made safe to show or to share: terminal and label escaping, and redaction of
//! secrets into fingerprints. The bottom layer: it imports nothing from the rest of the crate.

pub mod escape;
pub mod redact;
