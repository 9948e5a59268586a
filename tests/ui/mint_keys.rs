//! UI tests (issue 12): mint_keys.

#[allow(unused_imports)]
use super::*;
