//! JOSE: compact tokens, typed keys, algorithms, the header rules, verification and signing, as
//! the RFCs (7515, 7517, 7518, 7519, 7638, 8037, 8725) define them, with no Supabase knowledge.
//! Pure functions over typed values, no screen output: every clock-dependent check takes `now`
//! (seconds since 1970) from the caller.

pub mod alg;
pub mod b64;
pub mod classified;
pub mod crypto;
pub mod duplicates;
pub mod error;
pub mod header;
pub mod input;
pub mod keys;
pub mod near_miss;
pub mod secret;
pub mod secret_reading;
pub mod sign;
pub mod time;
pub mod token;
pub mod verify;
pub mod verify_note;
