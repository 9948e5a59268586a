//! UI tests (issue 12): files_layout.

#[allow(unused_imports)]
use super::*;
