//! Signing: a JOSE header for a key, a payload signed into a compact token, and an existing
//! token's payload re-signed with another key, byte for byte.

use crate::jose::alg::Alg;
use crate::jose::b64;
use crate::jose::crypto::sign_raw;
use crate::jose::error::CoreError;
use crate::jose::keys::Key;
use crate::jose::token::Jws;
use serde_json::{Map, Value, json};

/// The algorithm a key signs with: its declared `alg`, else the family default
/// (HS256, RS256, ES256, ES384, ES512, EdDSA).
pub fn default_alg(key: &Key) -> Result<Alg, CoreError> {
    let algs = key.allowed_algs()?;
    algs.first().copied().ok_or(CoreError::NoKeys)
}

/// The header a new token gets: `alg`, `typ: JWT`, and the key's `kid` when it has one.
pub fn header_for(key: &Key, alg: Alg) -> Map<String, Value> {
    let mut h = Map::new();
    h.insert("alg".into(), json!(alg.name()));
    h.insert("typ".into(), json!("JWT"));
    if let Some(kid) = &key.kid {
        h.insert("kid".into(), json!(kid));
    }
    h
}

/// Signs `payload_b64` (kept byte for byte) under a header for `key`.
fn sign_segments(key: &Key, alg: Alg, payload_b64: &str) -> Result<String, CoreError> {
    let header = Value::Object(header_for(key, alg)).to_string();
    let signing_input = format!("{}.{}", b64::encode(header.as_bytes()), payload_b64);
    let sig = sign_raw(key, alg, signing_input.as_bytes())?;
    Ok(format!("{signing_input}.{}", b64::encode(&sig)))
}

/// Signs claims into a compact token with `key` (and `alg`, default [`default_alg`]).
pub fn sign_claims(
    claims: &Map<String, Value>,
    key: &Key,
    alg: Option<Alg>,
) -> Result<String, CoreError> {
    let alg = alg.map_or_else(|| default_alg(key), Ok)?;
    let payload = Value::Object(claims.clone()).to_string();
    sign_segments(key, alg, &b64::encode(payload.as_bytes()))
}

/// Re-signs an existing token's payload, unchanged byte for byte, with another key (rotation).
pub fn resign(token: &Jws, key: &Key, alg: Option<Alg>) -> Result<String, CoreError> {
    let alg = alg.map_or_else(|| default_alg(key), Ok)?;
    sign_segments(key, alg, &token.payload_b64)
}
