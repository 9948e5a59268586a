//! Known-answer checks: every algorithm supajwt signs or verifies, against embedded answers.
//! Each check also makes sure a flipped bit in the signature is rejected, so a verifier that
//! accepted everything could not pass.

use super::vectors as v;
use super::{Check, check};
use crate::jose::alg::Alg;
use crate::jose::b64::{self, SecretEncoding};
use crate::jose::crypto::{sign_raw, verify_raw};
use crate::jose::keys::{Key, KeyMaterial, KeySet, KeySetShape, load_keys, parse_jwk};
use crate::jose::secret::SecretBytes;
use crate::jose::token::Jws;
use crate::jose::verify::{VerifyOptions, verify_token};

/// Runs every known-answer check.
pub fn known_answer_checks() -> Vec<Check> {
    let mut checks = vec![
        check("RFC 7515 A.1 HS256", rfc7515_a1),
        check("RFC 7515 A.2 RS256", rfc7515_a2),
        check("RFC 7515 A.3 ES256", rfc7515_a3),
    ];
    for (name, json) in v::COOKBOOK {
        checks.push(check(name, || cookbook(json)));
    }
    checks.push(check("RFC 4231 4.8 HS384, HS512", rfc4231));
    checks.push(check("RS384, RS512 (pyca/cryptography answers)", rsa_sha2));
    checks.push(check("PS256, PS512 (pyca/cryptography answers)", rsa_pss));
    checks.push(check("ES384 (pyca/cryptography answer)", es384));
    checks
}

fn one_key(jwk: &str) -> Result<Key, String> {
    let set = load_keys(jwk).map_err(|e| e.to_string())?;
    set.keys
        .into_iter()
        .next()
        .ok_or_else(|| "the embedded key did not load".to_string())
}

fn a2_key() -> Result<Key, String> {
    one_key(&format!(
        r#"{{"kty":"RSA","n":"{}","e":"AQAB","d":"{}","p":"{}","q":"{}"}}"#,
        v::A2_N,
        v::A2_D,
        v::A2_P,
        v::A2_Q
    ))
}

fn decode(text: &str) -> Result<Vec<u8>, String> {
    b64::decode_strict(text)
}

/// `sig` verifies over `message`, and the same signature with one bit flipped does not.
fn verifies(key: &Key, alg: Alg, message: &[u8], sig: &[u8]) -> Result<(), String> {
    verify_raw(key, alg, message, sig)
        .map_err(|e| format!("{} did not verify the known signature: {e}", alg.name()))?;
    let mut flipped = sig.to_vec();
    if let Some(last) = flipped.last_mut() {
        *last ^= 1;
    }
    if verify_raw(key, alg, message, &flipped).is_ok() {
        return Err(format!("{} accepted a tampered signature", alg.name()));
    }
    Ok(())
}

/// Signing `message` reproduces `expected` byte for byte (deterministic algorithms).
fn reproduces(key: &Key, alg: Alg, message: &[u8], expected: &[u8]) -> Result<(), String> {
    let sig = sign_raw(key, alg, message).map_err(|e| e.to_string())?;
    if sig != expected {
        return Err(format!(
            "{} produced a different signature than the known answer",
            alg.name()
        ));
    }
    Ok(())
}

/// A whole RFC 7515 token through the verifier (header, `alg`, key, claims at `A_BEFORE_EXP`).
fn token_verifies(head: &str, sig: &str, key: &Key) -> Result<(), String> {
    let jws = Jws::parse_unverified(&format!("{head}.{}.{sig}", v::A_PAYLOAD))
        .map_err(|e| e.to_string())?;
    let keys = KeySet::single(key.public_only(), KeySetShape::SingleJwk);
    verify_token(&jws, &keys, &VerifyOptions::default(), v::A_BEFORE_EXP)
        .map(|_| ())
        .map_err(|e| format!("the RFC token did not verify: {e}"))
}

fn rfc7515_a1() -> Result<String, String> {
    let key = one_key(v::A1_JWK)?;
    token_verifies(v::A1_TOKEN_HEAD, v::A1_SIG, &key)?;
    let input = format!("{}.{}", v::A1_TOKEN_HEAD, v::A_PAYLOAD);
    let sig = decode(v::A1_SIG)?;
    reproduces(&key, Alg::HS256, input.as_bytes(), &sig)?;
    verifies(&key, Alg::HS256, input.as_bytes(), &sig)?;
    Ok("MAC reproduced; token verified; tampered MAC rejected".into())
}

fn rfc7515_a2() -> Result<String, String> {
    let key = a2_key()?;
    let head = "eyJhbGciOiJSUzI1NiJ9";
    token_verifies(head, v::A2_SIG, &key)?;
    let input = format!("{head}.{}", v::A_PAYLOAD);
    let sig = decode(v::A2_SIG)?;
    reproduces(&key, Alg::RS256, input.as_bytes(), &sig)?;
    verifies(&key.public_only(), Alg::RS256, input.as_bytes(), &sig)?;
    Ok("signature reproduced byte for byte; token verified; tampered signature rejected".into())
}

fn rfc7515_a3() -> Result<String, String> {
    let key = one_key(v::A3_JWK)?;
    let head = "eyJhbGciOiJFUzI1NiJ9";
    token_verifies(head, v::A3_SIG, &key)?;
    let input = format!("{head}.{}", v::A_PAYLOAD);
    verifies(
        &key.public_only(),
        Alg::ES256,
        input.as_bytes(),
        &decode(v::A3_SIG)?,
    )?;
    Ok("token verified; tampered signature rejected".into())
}

/// An RFC 7520 / RFC 8037 cookbook example: verified, and reproduced when deterministic
/// (PSS and the §4.3 ECDSA example are randomised).
fn cookbook(json: &str) -> Result<String, String> {
    let example: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let key = parse_jwk(&example["input"]["key"], "cookbook key").map_err(|e| e.to_string())?;
    let field = |a: &str, b: &str| {
        example[a][b]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("the embedded example lacks {a}.{b}"))
    };
    let compact = field("output", "compact")?;
    let jws = Jws::parse_unverified(&compact).map_err(|e| e.to_string())?;
    let alg = jws.alg().map_err(|e| e.to_string())?;
    let input = field("signing", "sig-input")?;
    let sig = decode(&field("signing", "sig")?)?;
    verifies(&key.public_only(), alg, input.as_bytes(), &sig)?;
    if matches!(alg, Alg::PS384 | Alg::ES512) {
        return Ok("signature verified; tampered signature rejected".into());
    }
    reproduces(&key, alg, input.as_bytes(), &sig)?;
    Ok("signature reproduced byte for byte and verified; tampered signature rejected".into())
}

fn rfc4231() -> Result<String, String> {
    let key = Key::new(
        KeyMaterial::Hmac {
            secret: SecretBytes::new(vec![v::RFC4231_KEY_BYTE; v::RFC4231_KEY_LEN]),
            read_as: SecretEncoding::Hex,
        },
        "RFC 4231 key",
    );
    let data = v::RFC4231_DATA.as_bytes();
    for (alg, hex) in [
        (Alg::HS384, v::RFC4231_HS384),
        (Alg::HS512, v::RFC4231_HS512),
    ] {
        let mac = SecretEncoding::Hex
            .decode(hex)
            .ok_or_else(|| "the embedded answer is not hex".to_string())?;
        reproduces(&key, alg, data, &mac)?;
        verifies(&key, alg, data, &mac)?;
    }
    Ok("MACs reproduced; tampered MACs rejected".into())
}

fn rsa_sha2() -> Result<String, String> {
    let key = a2_key()?;
    let message = v::OTHER_MESSAGE.as_bytes();
    for (alg, sig) in [(Alg::RS384, v::RS384_SIG), (Alg::RS512, v::RS512_SIG)] {
        let sig = decode(sig)?;
        reproduces(&key, alg, message, &sig)?;
        verifies(&key.public_only(), alg, message, &sig)?;
    }
    Ok("signatures reproduced byte for byte; tampered signatures rejected".into())
}

fn rsa_pss() -> Result<String, String> {
    let key = a2_key()?.public_only();
    let message = v::OTHER_MESSAGE.as_bytes();
    for (alg, sig) in [(Alg::PS256, v::PS256_SIG), (Alg::PS512, v::PS512_SIG)] {
        verifies(&key, alg, message, &decode(sig)?)?;
    }
    Ok("signatures verified; tampered signatures rejected".into())
}

fn es384() -> Result<String, String> {
    let key = one_key(v::ES384_JWK)?;
    verifies(
        &key,
        Alg::ES384,
        v::OTHER_MESSAGE.as_bytes(),
        &decode(v::ES384_SIG)?,
    )?;
    Ok("signature verified; tampered signature rejected".into())
}
