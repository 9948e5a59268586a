//! Interoperability with another JOSE implementation, PyJWT (with `cryptography`):
//! supajwt-minted tokens verify in PyJWT and PyJWT-minted tokens verify in supajwt, for HS256,
//! RS256, RS512, ES256, ES512 and EdDSA; tampered tokens fail in both.
//!
//! `.ci/run` installs PyJWT and sets `SUPAJWT_REQUIRE_INTEROP=1`, which makes a missing PyJWT a
//! failure; on a machine without it the test says so and passes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::clock::NOW;
use common::sign::anon_request;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::keys::{
    KeySet, KeySetShape, KeygenAlg, KidChoice, generate, load_keys, public_pem, secret_key,
};
use supajwt::jose::token::Jws;
use supajwt::jose::verify::{VerifyOptions, verify_token};
use supajwt::supabase::mint::mint;

const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/interop/pyjwt_interop.py"
);

fn pyjwt_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import jwt, cryptography"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("SUPAJWT_REQUIRE_INTEROP").is_none(),
            "PyJWT is required (SUPAJWT_REQUIRE_INTEROP is set): pip install pyjwt cryptography"
        );
        eprintln!(
            "skipping PyJWT interop: python3 with pyjwt + cryptography not found (pip install pyjwt cryptography)"
        );
    }
    ok
}

fn python(mode: &str, input: Option<&Value>) -> Value {
    let mut child = Command::new("python3")
        .args([SCRIPT, mode])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    if let Some(input) = input {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.to_string().as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn tamper(token: &str) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let payload = Jws::parse_unverified(token)
        .unwrap()
        .payload_text()
        .unwrap()
        .replace("anon", "service_role");
    parts[1] = supajwt::jose::b64::encode(payload.as_bytes());
    parts.join(".")
}

#[test]
fn supajwt_tokens_verify_in_pyjwt() {
    if !pyjwt_available() {
        return;
    }
    let secret = "supajwt-interop-secret-long-enough-for-hs256";
    let mut cases = Vec::new();
    let hs = secret_key(secret, SecretEncoding::Text).unwrap();
    let token = mint(&anon_request(), &hs, None).unwrap();
    cases.push(json!({"alg": "HS256", "token": token, "key": secret}));
    for (alg, name) in [
        (KeygenAlg::RS256 { bits: 2048 }, "RS256"),
        (KeygenAlg::RS512 { bits: 2048 }, "RS512"),
        (KeygenAlg::ES256, "ES256"),
        (KeygenAlg::ES512, "ES512"),
        (KeygenAlg::EdDSA, "EdDSA"),
    ] {
        let key = generate(alg, KidChoice::Uuid).unwrap();
        let token = mint(&anon_request(), &key, None).unwrap();
        cases.push(json!({"alg": name, "token": token, "key": public_pem(&key).unwrap()}));
    }
    let mut all = cases.clone();
    for c in &cases {
        let mut bad = c.clone();
        bad["token"] = json!(tamper(c["token"].as_str().unwrap()));
        all.push(bad);
    }
    let results = python("verify", Some(&Value::Array(all)));
    let results: Vec<bool> = serde_json::from_value(results).unwrap();
    assert_eq!(
        results,
        [vec![true; 6], vec![false; 6]].concat(),
        "PyJWT verdicts (6 genuine, then 6 tampered)"
    );
}

#[test]
fn pyjwt_tokens_verify_in_supajwt() {
    if !pyjwt_available() {
        return;
    }
    let minted = python("mint", None);
    assert!(
        minted
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["alg"] == "ES512"),
        "PyJWT mints ES512 too"
    );
    for case in minted.as_array().unwrap() {
        let alg = case["alg"].as_str().unwrap();
        let key_text = case["key"].as_str().unwrap();
        let keys = if alg == "HS256" {
            KeySet::single(
                secret_key(key_text, SecretEncoding::Text).unwrap(),
                KeySetShape::Secret,
            )
        } else {
            load_keys(key_text).unwrap()
        };
        let token = case["token"].as_str().unwrap();
        let jws = Jws::parse_unverified(token).unwrap();
        let v = verify_token(&jws, &keys, &VerifyOptions::default(), NOW)
            .unwrap_or_else(|e| panic!("{alg}: {e}"));
        assert_eq!(v.alg.name(), alg);
        let bad = Jws::parse_unverified(&tamper(token)).unwrap();
        assert!(
            verify_token(&bad, &keys, &VerifyOptions::default(), NOW).is_err(),
            "{alg} tampered"
        );
    }
}

/// ES512 both ways, named for the issue item: a supajwt ES512 token's PyJWT verdict, and
/// PyJWT's ES512 token in supajwt (both also run in the tests above).
#[test]
fn es512_interop_pyjwt_round_trip() {
    if !pyjwt_available() {
        return;
    }
    let key = generate(KeygenAlg::ES512, KidChoice::Uuid).unwrap();
    let token = mint(&anon_request(), &key, None).unwrap();
    assert_eq!(
        Jws::parse_unverified(&token).unwrap().alg_name(),
        Some("ES512")
    );
    let case = json!({"alg": "ES512", "token": token, "key": public_pem(&key).unwrap()});
    let results = python("verify", Some(&json!([case])));
    assert_eq!(results, json!([true]));
    let minted = python("mint", None);
    let es512 = minted
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["alg"] == "ES512")
        .unwrap();
    let keys = load_keys(es512["key"].as_str().unwrap()).unwrap();
    let jws = Jws::parse_unverified(es512["token"].as_str().unwrap()).unwrap();
    let v = verify_token(&jws, &keys, &VerifyOptions::default(), NOW).unwrap();
    assert_eq!(v.alg.name(), "ES512");
}

/// RS512 both ways (issue 22 §3): a token from a key `keygen --alg RS512` makes is an RS512
/// token PyJWT accepts (and refuses tampered), and PyJWT's RS512 token verifies in supajwt.
#[test]
fn rs512_interop_pyjwt_round_trip() {
    if !pyjwt_available() {
        return;
    }
    let key = generate(KeygenAlg::RS512 { bits: 2048 }, KidChoice::Uuid).unwrap();
    let token = mint(&anon_request(), &key, None).unwrap();
    assert_eq!(
        Jws::parse_unverified(&token).unwrap().alg_name(),
        Some("RS512")
    );
    let pem = public_pem(&key).unwrap();
    let cases = json!([
        {"alg": "RS512", "token": token, "key": pem},
        {"alg": "RS512", "token": tamper(&token), "key": pem},
    ]);
    assert_eq!(python("verify", Some(&cases)), json!([true, false]));
    let minted = python("mint", None);
    let rs512 = minted
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["alg"] == "RS512")
        .expect("PyJWT mints RS512");
    let keys = load_keys(rs512["key"].as_str().unwrap()).unwrap();
    let jws = Jws::parse_unverified(rs512["token"].as_str().unwrap()).unwrap();
    let v = verify_token(&jws, &keys, &VerifyOptions::default(), NOW).unwrap();
    assert_eq!(v.alg.name(), "RS512");
}
