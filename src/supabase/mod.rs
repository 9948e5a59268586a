//! What Supabase does with JOSE: its roles, issuers and demo values, the claims report, minting
//! its API keys, the `.env` blocks, the opaque `sb_` keys, and the 401 Doctor (configuration
//! rules, the per-service verifiers, rotation) and the signing-key lifecycle. Built on [`crate::jose`]; no screen output.

pub mod claims;
pub mod doctor;
pub mod env;
pub mod lifecycle;
pub mod mint;
pub mod opaque;
pub mod rls;
pub mod roles;
pub mod verify;
