//! UI tests (issue 12): decode_verify.

#[allow(unused_imports)]
use super::*;
