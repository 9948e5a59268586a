//! What Postgres sees of a token (issue 21): the settings PostgREST applies for it before a
//! request's query ([`sql`]), which Row Level Security policies read through `auth.uid()`,
//! `auth.role()` and `auth.jwt()`.

pub mod describe;
pub mod report;
pub mod sql;
