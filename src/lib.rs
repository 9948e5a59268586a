//! supajwt: decode, verify, generate and mint Supabase JWTs and keys, offline.
//!
//! The layers, bottom up (each imports only those below it; ARCHITECTURE.md draws them):
//! [`safe_text`] (escaping, redaction) → [`jose`] (tokens, keys, algorithms, verify, sign) →
//! [`supabase`] (roles, mint presets, the Doctor, rotation), [`inspect`] (pasted text, HAR) and
//! [`selftest`] → [`fetch`] (the only network I/O) → [`cli`] and `app` (the desktop window, the
//! default `gui` feature); [`hardening`] turns core dumps off in both programs.
#![forbid(unsafe_code)]

#[cfg(feature = "gui")]
pub mod app;
pub mod build_info;
pub mod cli;
pub mod db;
pub mod fetch;
pub mod hardening;
pub mod in_place;
pub mod inspect;
pub mod jose;
pub mod safe_text;
pub mod selftest;
pub mod supabase;
