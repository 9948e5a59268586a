//! GUI placeholder
