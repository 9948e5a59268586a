//! supajwt: decode, verify, generate and mint Supabase JWTs and keys, offline.
//!
//! [`core`] is the crypto core every front end calls; [`cli`] is the headless front end and
//! `app` the desktop window (the default `gui` feature).
#![forbid(unsafe_code)]

#[cfg(feature = "gui")]
pub mod app;
pub mod build_info;
pub mod cli;
pub mod core;
pub mod fetch;
