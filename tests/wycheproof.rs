//! Project Wycheproof vectors (C2SP/wycheproof, Apache-2.0, copied into `tests/data/wycheproof`):
//! every JWS and JWK case as labelled, with the upstream mislabels decided case by case below,
//! and the raw ECDSA P-256, P-384 and P-521 (P1363), RSA PKCS#1 v1.5, RSA-PSS, Ed25519 and HMAC-SHA256
//! files through the core's raw verification path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::Value;
use supajwt::jose::alg::Alg;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::crypto::verify_raw;
use supajwt::jose::error::CoreError;
use supajwt::jose::keys::{Key, KeyMaterial, KeySet, KeySetShape, parse_jwk};
use supajwt::jose::secret::SecretBytes;
use supajwt::jose::token::Jws;
use supajwt::jose::verify::verify_signature;

/// A case where supajwt deliberately differs from the Wycheproof label, and why.
struct Decision {
    tc_id: u64,
    accepted: bool,
    why: &'static str,
}

/// `json_web_signature_test.json` mislabels (see `tests/data` README and wycheproof issue #236).
const JWS_DECISIONS: &[Decision] = &[
    Decision {
        tc_id: 367,
        accepted: true,
        why: "byte-identical to the valid tcId 357 (upstream issue #236): a verifier cannot tell them apart",
    },
    Decision {
        tc_id: 370,
        accepted: true,
        why: "byte-identical to the valid tcId 357 (upstream issue #236)",
    },
    Decision {
        tc_id: 372,
        accepted: false,
        why: "a '?' inside the header: strict RFC 7515 base64url rejects it",
    },
    Decision {
        tc_id: 373,
        accepted: false,
        why: "a '?' inside the payload: strict RFC 7515 base64url rejects it",
    },
    Decision {
        tc_id: 346,
        accepted: false,
        why: "the key declares alg PS256 but the token is PS384: a key is used only with its declared alg (as PostgREST does)",
    },
    Decision {
        tc_id: 350,
        accepted: false,
        why: "the key declares alg PS256 but the token is PS384",
    },
    Decision {
        tc_id: 347,
        accepted: false,
        why: "the key declares alg \"ES521\" (a typo for ES512), which is no registered algorithm: a key is used only with its declared alg",
    },
    Decision {
        tc_id: 351,
        accepted: false,
        why: "the key declares alg \"ES521\" (a typo for ES512)",
    },
];

/// `json_web_key_test.json`: the one case where Supabase compatibility wins over the label.
const JWK_DECISIONS: &[Decision] = &[Decision {
    tc_id: 1,
    accepted: true,
    why: "a key set mixing an oct secret with public keys is flagged 'Ambiguous' upstream, but it is exactly \
          Supabase's JWT_JWKS (legacy oct key beside the EC key), which PostgREST, Realtime and Storage accept; \
          supajwt accepts it and warns when such a set is shown as a JWKS",
}];

fn decided(decisions: &[Decision], tc_id: u64, labelled_valid: bool) -> bool {
    decisions
        .iter()
        .find(|d| d.tc_id == tc_id)
        .map_or(labelled_valid, |d| d.accepted)
}

fn keyset_from_group(group: &Value, shape: KeySetShape) -> Result<KeySet, CoreError> {
    let jwk = group
        .get("public")
        .or_else(|| group.get("private"))
        .expect("group key");
    match shape {
        KeySetShape::Jwks => supajwt::jose::keys::load_keys(&jwk.to_string()),
        _ => Ok(KeySet::single(
            parse_jwk(jwk, "group key")?,
            KeySetShape::SingleJwk,
        )),
    }
}

fn check_token(keys: &Result<KeySet, CoreError>, jws: &Value) -> Result<(), CoreError> {
    let keys = keys.as_ref().map_err(Clone::clone)?;
    let text = match jws {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let token = Jws::parse_unverified(&text)?;
    verify_signature(&token, keys, &[]).map(|_| ())
}

fn run_token_file(file: &str, shape: KeySetShape, decisions: &[Decision]) -> usize {
    let data = common::data::json(file);
    let mut mismatches = Vec::new();
    let mut count = 0;
    for group in data["testGroups"].as_array().unwrap() {
        let keys = keyset_from_group(group, shape);
        for case in group["tests"].as_array().unwrap() {
            count += 1;
            let tc_id = case["tcId"].as_u64().unwrap();
            let labelled_valid = case["result"] == "valid";
            let expected = decided(decisions, tc_id, labelled_valid);
            let outcome = check_token(&keys, &case["jws"]);
            if outcome.is_ok() != expected {
                mismatches.push(format!(
                    "tcId {tc_id} ({}): expected accepted={expected}, got {outcome:?}",
                    case["comment"]
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{file}:\n{}", mismatches.join("\n"));
    count
}

#[test]
fn json_web_signature_cases() {
    assert_eq!(
        run_token_file(
            "wycheproof/json_web_signature_test.json",
            KeySetShape::SingleJwk,
            JWS_DECISIONS
        ),
        401
    );
}

#[test]
fn json_web_signature_mislabels_are_what_the_readme_says() {
    let data = common::data::json("wycheproof/json_web_signature_test.json");
    let find = |id: u64| {
        data["testGroups"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|g| g["tests"].as_array().unwrap())
            .find(|t| t["tcId"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(find(367)["jws"], find(357)["jws"]);
    assert_eq!(find(370)["jws"], find(357)["jws"]);
    for id in [372, 373] {
        let e = Jws::parse_unverified(find(id)["jws"].as_str().unwrap()).unwrap_err();
        assert!(matches!(e, CoreError::Base64 { .. }), "tcId {id}: {e}");
    }
    for d in JWS_DECISIONS {
        assert!(!d.why.is_empty());
    }
}

#[test]
fn json_web_key_cases() {
    assert_eq!(
        run_token_file(
            "wycheproof/json_web_key_test.json",
            KeySetShape::Jwks,
            JWK_DECISIONS
        ),
        26
    );
}

/// Runs a raw-signature file: `make_key` builds the key of a group, `check` classifies a case.
fn run_raw_file(
    file: &str,
    mut per_case: impl FnMut(&Value, &Value) -> (bool, Option<bool>),
) -> usize {
    let data = common::data::json(file);
    let mut mismatches = Vec::new();
    let mut count = 0;
    for group in data["testGroups"].as_array().unwrap() {
        for case in group["tests"].as_array().unwrap() {
            count += 1;
            let (accepted, expected) = per_case(group, case);
            let ok = match expected {
                Some(e) => e == accepted,
                None => true,
            };
            if !ok {
                mismatches.push(format!(
                    "tcId {} ({}): accepted={accepted}",
                    case["tcId"], case["comment"]
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{file}:\n{}", mismatches.join("\n"));
    count
}

/// The core's raw verification of a case's `msg` and `sig`.
fn raw_accepts(key: &Key, alg: Alg, case: &Value) -> bool {
    let msg = common::data::hex(case["msg"].as_str().unwrap());
    verify_raw(
        key,
        alg,
        &msg,
        &common::data::hex(case["sig"].as_str().unwrap()),
    )
    .is_ok()
}

fn label(case: &Value) -> Option<bool> {
    match case["result"].as_str() {
        Some("valid") => Some(true),
        Some("invalid") => Some(false),
        _ => None,
    }
}

#[test]
fn ecdsa_p256_p1363_raw() {
    let n = run_raw_file(
        "wycheproof/ecdsa_secp256r1_sha256_p1363_test.json",
        |group, case| {
            let point = common::data::hex(group["publicKey"]["uncompressed"].as_str().unwrap());
            let jwk = serde_json::json!({
                "kty": "EC", "crv": "P-256",
                "x": supajwt::jose::b64::encode(&point[1..33]), "y": supajwt::jose::b64::encode(&point[33..65]),
            });
            let key = parse_jwk(&jwk, "wycheproof key").expect("P-256 key");
            (raw_accepts(&key, Alg::ES256, case), label(case))
        },
    );
    assert!(n > 200);
}

#[test]
fn ecdsa_p384_p1363_raw() {
    let n = run_raw_file(
        "wycheproof/ecdsa_secp384r1_sha384_p1363_test.json",
        |group, case| {
            let point = common::data::hex(group["publicKey"]["uncompressed"].as_str().unwrap());
            let jwk = serde_json::json!({
                "kty": "EC", "crv": "P-384",
                "x": supajwt::jose::b64::encode(&point[1..49]), "y": supajwt::jose::b64::encode(&point[49..97]),
            });
            let key = parse_jwk(&jwk, "wycheproof key").expect("P-384 key");
            (raw_accepts(&key, Alg::ES384, case), label(case))
        },
    );
    assert!(n > 200);
}

#[test]
fn es512_p521_p1363_raw() {
    let n = run_raw_file(
        "wycheproof/ecdsa_secp521r1_sha512_p1363_test.json",
        |group, case| {
            let point = common::data::hex(group["publicKey"]["uncompressed"].as_str().unwrap());
            let jwk = serde_json::json!({
                "kty": "EC", "crv": "P-521",
                "x": supajwt::jose::b64::encode(&point[1..67]), "y": supajwt::jose::b64::encode(&point[67..133]),
            });
            let key = parse_jwk(&jwk, "wycheproof key").expect("P-521 key");
            (raw_accepts(&key, Alg::ES512, case), label(case))
        },
    );
    assert_eq!(n, 318);
}

/// The ES521-typo keys of tcId 347/351 verify once their `alg` is the registered ES512: the
/// refusal is the declared alg, not P-521.
#[test]
fn es512_wycheproof_jws_with_registered_alg_verifies() {
    let data = common::data::json("wycheproof/json_web_signature_test.json");
    let mut checked = 0;
    for group in data["testGroups"].as_array().unwrap() {
        for case in group["tests"].as_array().unwrap() {
            if ![347, 351].contains(&case["tcId"].as_u64().unwrap()) {
                continue;
            }
            let mut jwk = group
                .get("public")
                .or_else(|| group.get("private"))
                .unwrap()
                .clone();
            jwk["alg"] = "ES512".into();
            let keys = Ok(KeySet::single(
                parse_jwk(&jwk, "k").unwrap(),
                KeySetShape::SingleJwk,
            ));
            check_token(&keys, &case["jws"]).unwrap();
            checked += 1;
        }
    }
    assert_eq!(checked, 2);
}

#[test]
fn rsa_pss_2048_sha256_mgf1_32_raw() {
    let n = run_raw_file(
        "wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json",
        |group, case| {
            let mut jwk = group["publicKeyJwk"].clone();
            jwk.as_object_mut().unwrap().remove("kid");
            let key = parse_jwk(&jwk, "wycheproof key").expect("RSA key");
            (raw_accepts(&key, Alg::PS256, case), label(case))
        },
    );
    assert!(n > 100);
}

/// Every Ed25519 case through strict verification (`verify_strict`: S < L, no small-order R,
/// no weak key), as labelled.
#[test]
fn ed25519_strict_wycheproof_raw() {
    let n = run_raw_file("wycheproof/ed25519_test.json", |group, case| {
        let pk: [u8; 32] = common::data::hex(group["publicKey"]["pk"].as_str().unwrap())
            .try_into()
            .unwrap();
        let public = ed25519_dalek::VerifyingKey::from_bytes(&pk).expect("Ed25519 key");
        let key = Key::new(
            KeyMaterial::Ed25519 {
                public,
                private: None,
            },
            "wycheproof key",
        );
        (raw_accepts(&key, Alg::EdDSA, case), label(case))
    });
    assert_eq!(n, 151);
}

#[test]
fn rsa_pkcs1_2048_sha256_raw() {
    let n = run_raw_file(
        "wycheproof/rsa_signature_2048_sha256_test.json",
        |group, case| {
            let mut jwk = group["keyJwk"].clone();
            jwk.as_object_mut().unwrap().remove("kid");
            let key = parse_jwk(&jwk, "wycheproof key").expect("RSA key");
            // "acceptable" (a missing NULL in the DigestInfo) may go either way; supajwt is strict.
            (raw_accepts(&key, Alg::RS256, case), label(case))
        },
    );
    assert!(n > 200);
}

/// HMAC-SHA256 through the raw path. supajwt's policy refuses keys shorter than 32 bytes
/// (RFC 7518 §3.2) and truncated tags (a JWS HS256 MAC is the full 32 bytes): for those groups
/// the expected outcome is that policy error, whatever the label.
#[test]
fn hmac_sha256_raw() {
    let n = run_raw_file("wycheproof/hmac_sha256_test.json", |group, case| {
        let key = Key::new(
            KeyMaterial::Hmac {
                secret: SecretBytes::new(common::data::hex(case["key"].as_str().unwrap())),
                read_as: SecretEncoding::Hex,
            },
            "wycheproof key",
        );
        let outcome = verify_raw(
            &key,
            Alg::HS256,
            &common::data::hex(case["msg"].as_str().unwrap()),
            &common::data::hex(case["tag"].as_str().unwrap()),
        );
        let key_bits = group["keySize"].as_u64().unwrap();
        let tag_bits = group["tagSize"].as_u64().unwrap();
        if key_bits < 256 {
            assert!(
                matches!(outcome, Err(CoreError::HmacKeyTooShort { .. })),
                "tcId {}: {outcome:?}",
                case["tcId"]
            );
            return (false, None);
        }
        if tag_bits != 256 {
            assert!(
                matches!(outcome, Err(CoreError::SignatureLength { .. })),
                "tcId {}: {outcome:?}",
                case["tcId"]
            );
            return (false, None);
        }
        (outcome.is_ok(), label(case))
    });
    assert_eq!(n, 174);
}
