//! Checks with fresh keys from the operating system's random generator: every algorithm
//! signs a token that verifies with the public half (and not once tampered with), and two
//! keys generated one after the other differ.

use super::{Check, check};
use crate::jose::alg::Alg;
use crate::jose::b64::SecretEncoding;
use crate::jose::keys::{Key, KeyMaterial, KeySet, KeySetShape, KeygenAlg, KidChoice, generate};
use crate::jose::secret::SecretBytes;
use crate::jose::sign::sign_claims;
use crate::jose::token::Jws;
use crate::jose::verify::{VerifyOptions, verify_token};
use rand_core::{OsRng, RngCore};
use serde_json::{Map, json};

/// A family's round trip: its label, how to make a fresh key, the algorithms it signs with.
type Family = (&'static str, fn() -> Result<Key, String>, &'static [Alg]);

/// Round trips for every algorithm, then the "keys differ" checks. `now` stamps the tokens.
pub fn fresh_key_checks(now: i64) -> Vec<Check> {
    let mut checks = vec![check("OS random generator", random_source)];
    let families: [Family; 6] = [
        ("HS256", || fresh(KeygenAlg::HS256), &[Alg::HS256]),
        ("HS384, HS512", long_secret, &[Alg::HS384, Alg::HS512]),
        (
            "RS256 to PS512 (RSA-2048)",
            || fresh(KeygenAlg::RS256 { bits: 2048 }),
            &[
                Alg::RS256,
                Alg::RS384,
                Alg::RS512,
                Alg::PS256,
                Alg::PS384,
                Alg::PS512,
            ],
        ),
        ("ES256", || fresh(KeygenAlg::ES256), &[Alg::ES256]),
        ("ES384", p384_key, &[Alg::ES384]),
        ("ES512", || fresh(KeygenAlg::ES512), &[Alg::ES512]),
    ];
    for (label, make, algs) in families {
        checks.push(check(&format!("sign-verify {label}, fresh key"), || {
            // Generated keys declare one `alg`; the round trip covers the whole family.
            let mut key = make()?;
            key.alg = None;
            for &alg in algs {
                round_trip(&key, alg, now)?;
            }
            Ok(format!("{} verified; tampered token rejected", names(algs)))
        }));
    }
    checks.push(check("sign-verify EdDSA, fresh key", || {
        round_trip(&fresh(KeygenAlg::EdDSA)?, Alg::EdDSA, now)?;
        Ok("EdDSA verified; tampered token rejected".into())
    }));
    checks.push(check("generate every offered algorithm", || {
        every_offered(now)
    }));
    checks.push(check("two generated keys differ", keys_differ));
    checks
}

/// A fresh key for every algorithm `keygen` and the Keys pane offer (the table's rows, so a new
/// one is covered without an edit here): it declares that algorithm and signs with it.
fn every_offered(now: i64) -> Result<String, String> {
    let mut done = Vec::new();
    for (alg, _) in Alg::generated() {
        let request = KeygenAlg::new(alg, 2048).map_err(|e| e.to_string())?;
        let key = fresh(request)?;
        if key.alg.as_deref() != Some(alg.name()) {
            return Err(format!(
                "a generated {} key declares {:?}",
                alg.name(),
                key.alg
            ));
        }
        round_trip(&key, alg, now)?;
        done.push(alg);
    }
    Ok(format!(
        "{} keys declare their algorithm and verify",
        names(&done)
    ))
}

fn names(algs: &[Alg]) -> String {
    algs.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
}

fn fresh(alg: KeygenAlg) -> Result<Key, String> {
    generate(alg, KidChoice::None).map_err(|e| e.to_string())
}

fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| format!("the OS random generator failed: {e}"))?;
    Ok(bytes)
}

/// 64 random bytes: long enough for HS512 (RFC 7518 §3.2).
fn long_secret() -> Result<Key, String> {
    let material = KeyMaterial::Hmac {
        secret: SecretBytes::new(random_bytes::<64>()?.to_vec()),
        read_as: SecretEncoding::Hex,
    };
    Ok(Key::new(material, "selftest secret"))
}

fn p384_key() -> Result<Key, String> {
    let sk = p384::SecretKey::random(&mut OsRng);
    let material = KeyMaterial::P384 {
        public: sk.public_key(),
        private: Some(sk),
    };
    Ok(Key::new(material, "selftest P-384 key"))
}

/// Signs a token with `key`, verifies it with the public half, and checks that the same
/// token with another payload is rejected.
fn round_trip(key: &Key, alg: Alg, now: i64) -> Result<(), String> {
    let mut claims = Map::new();
    claims.insert("sub".into(), json!("selftest"));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now.saturating_add(300)));
    let token = sign_claims(&claims, key, Some(alg)).map_err(|e| e.to_string())?;
    let keys = KeySet::single(key.public_only(), KeySetShape::SingleJwk);
    let parsed = Jws::parse_unverified(&token).map_err(|e| e.to_string())?;
    verify_token(&parsed, &keys, &VerifyOptions::default(), now)
        .map_err(|e| format!("{}: a fresh token did not verify: {e}", alg.name()))?;
    let mut parts = token.split('.');
    let (Some(head), Some(_), Some(sig)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("a signed token does not have three parts".into());
    };
    let other = crate::jose::b64::encode(br#"{"sub":"someone else"}"#);
    let tampered =
        Jws::parse_unverified(&format!("{head}.{other}.{sig}")).map_err(|e| e.to_string())?;
    if verify_token(&tampered, &keys, &VerifyOptions::default(), now).is_ok() {
        return Err(format!("{}: a tampered token verified", alg.name()));
    }
    Ok(())
}

fn random_source() -> Result<String, String> {
    let (a, b) = (random_bytes::<32>()?, random_bytes::<32>()?);
    if a == b || a == [0u8; 32] {
        return Err("two reads of the OS random generator gave the same bytes".into());
    }
    Ok("two reads of 32 bytes differ".into())
}

/// The private halves of two keys generated in a row, for each family.
fn keys_differ() -> Result<String, String> {
    for alg in [KeygenAlg::ES256, KeygenAlg::EdDSA, KeygenAlg::HS256] {
        let (a, b) = (fresh(alg)?, fresh(alg)?);
        if private_bytes(&a) == private_bytes(&b) {
            return Err(format!("two {alg:?} keys generated in a row are equal"));
        }
    }
    Ok("ES256, EdDSA and HS256 keys generated in a row differ".into())
}

fn private_bytes(key: &Key) -> zeroize::Zeroizing<Vec<u8>> {
    zeroize::Zeroizing::new(match &key.material {
        KeyMaterial::Hmac { secret, .. } => secret.expose().to_vec(),
        KeyMaterial::P256 {
            private: Some(sk), ..
        } => sk.to_bytes().to_vec(),
        KeyMaterial::Ed25519 {
            private: Some(sk), ..
        } => sk.to_bytes().to_vec(),
        _ => Vec::new(),
    })
}
