//! The crypto core: pure functions over typed values, no UI and no screen output.
//! Every clock-dependent check takes `now` (seconds since 1970) from the caller.

pub mod alg;
pub mod b64;
pub mod claims;
pub mod crypto;
pub mod doctor;
pub mod duplicates;
pub mod env;
pub mod error;
pub mod escape;
pub mod header;
pub mod input;
pub mod inspect;
pub mod keys;
pub mod mint;
pub mod near_miss;
pub mod opaque;
pub mod secret;
pub mod selftest;
pub mod supabase;
pub mod time;
pub mod token;
pub mod verify;

pub use alg::Alg;
pub use error::CoreError;
pub use token::Jws;

/// The current time in seconds since 1970, for callers (the core itself never reads the clock).
pub fn system_now() -> i64 {
    jiff::Timestamp::now().as_second()
}
