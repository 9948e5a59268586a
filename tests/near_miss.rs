//! Verify's near misses (issue 12 §7) through the core and the CLI, and `verify --redact`
//! (issue 13 §4): a secret with stray whitespace, a secret meant as base64, an HMAC secret
//! shorter than the hash that did sign the token, a kid naming a key loaded for another alg.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::run;
use common::clock::NOW;
use common::sign;
use serde_json::Value;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::keys::{KeySet, KeySetShape, load_keys, secret_key};
use supajwt::jose::near_miss::{NearMiss, near_misses};
use supajwt::jose::token::Jws;
use supajwt::jose::verify::{VerifyOptions, verify_token};

const SECRET: &str = "super-secret-jwt-token-with-at-least-32-characters-long";
/// RFC 7515 A.3's P-256 public key, under kid "abc".
const EC_JWKS: &str = r#"{"keys":[{"kty":"EC","kid":"abc","alg":"ES256","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#;

/// An HS256 token over `header`, signed with `key` bytes whatever their length.
fn hs256(header: &str, key: &[u8]) -> String {
    let payload = format!(r#"{{"role":"anon","iss":"supabase","exp":{}}}"#, NOW + 3600);
    sign::independent_hs256(key, header, &payload)
}

fn secret_set(text: &str) -> KeySet {
    KeySet::single(
        secret_key(text, SecretEncoding::Text).unwrap(),
        KeySetShape::Secret,
    )
}

fn misses(token: &str, keys: &KeySet) -> Vec<NearMiss> {
    let jws = Jws::parse_unverified(token).unwrap();
    let options = VerifyOptions::default();
    assert!(verify_token(&jws, keys, &options, NOW).is_err());
    near_misses(&jws, keys, &options)
}

#[test]
fn trailing_newline_and_leading_space_are_named_and_the_trimmed_secret_verifies() {
    let token = hs256(r#"{"alg":"HS256","typ":"JWT"}"#, SECRET.as_bytes());
    let found = misses(&token, &secret_set(&format!("{SECRET}\r\n")));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code(), "secret_whitespace");
    let words = found[0].describe();
    assert!(
        words.contains("ends with a carriage return and a newline"),
        "{words}"
    );
    assert!(
        words.contains("without it the signature verifies"),
        "{words}"
    );
    let found = misses(&token, &secret_set(&format!(" {SECRET}")));
    assert!(
        found[0].describe().contains("starts with a space"),
        "{found:?}"
    );
    let other = misses(&token, &secret_set(&format!("{SECRET}-other\n")));
    assert!(
        other[0]
            .describe()
            .contains("does not verify without it either"),
        "{other:?}"
    );
}

#[test]
fn a_secret_meant_as_base64_is_the_verdict_not_repeated_as_a_near_miss() {
    let b64_secret = "c3VwZXItc2VjcmV0LWp3dC10b2tlbi13aXRoLWF0LWxlYXN0LTMy";
    let bytes = SecretEncoding::Base64.decode(b64_secret).unwrap();
    let token = hs256(r#"{"alg":"HS256"}"#, &bytes);
    let keys = secret_set(b64_secret);
    let jws = Jws::parse_unverified(&token).unwrap();
    let e = verify_token(&jws, &keys, &VerifyOptions::default(), NOW).unwrap_err();
    assert_eq!(e.code(), "secret_encoding_mismatch");
    assert!(near_misses(&jws, &keys, &VerifyOptions::default()).is_empty());
    // The same reading behind stray whitespace is a whitespace miss naming the reading.
    let found = misses(&token, &secret_set(&format!("{b64_secret}\n")));
    assert_eq!(
        found,
        vec![NearMiss::SecretWhitespace {
            key: "the shared secret (53 bytes, read as UTF-8 text)".into(),
            leading: String::new(),
            trailing: "\n".into(),
            verifies_trimmed: Some(SecretEncoding::Base64),
        }]
    );
}

#[test]
fn a_short_secret_that_signed_the_token_is_named_as_such() {
    let token = hs256(r#"{"alg":"HS256"}"#, b"short-secret");
    let found = misses(&token, &secret_set("short-secret"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code(), "short_secret");
    let words = found[0].describe();
    assert!(
        words.contains("12 bytes is shorter than the 32 bytes HS256 requires (RFC 7518 §3.2)"),
        "{words}"
    );
    assert!(
        words.contains("it is the secret that signed the token"),
        "{words}"
    );
    let other = misses(&token, &secret_set("another-short"));
    assert!(
        other[0].describe().contains("does not match it either"),
        "{other:?}"
    );
}

#[test]
fn a_kid_naming_an_es256_key_on_an_hs256_token_names_the_key() {
    let token = hs256(r#"{"alg":"HS256","kid":"abc"}"#, SECRET.as_bytes());
    let found = misses(&token, &load_keys(EC_JWKS).unwrap());
    assert_eq!(found.len(), 1, "{found:?}");
    // A short oct key without a kid is never tried for a token with a kid (services select
    // by kid): no near miss about it.
    let with_oct = EC_JWKS.replace("]}", r#",{"kty":"oct","k":"c2hvcnQtc2VjcmV0"}]}"#);
    let short_token = hs256(r#"{"alg":"HS256","kid":"abc"}"#, b"short-secret");
    let found_with_oct = misses(&short_token, &load_keys(&with_oct).unwrap());
    assert_eq!(found_with_oct.len(), 1, "{found_with_oct:?}");
    assert_eq!(found_with_oct[0].code(), "kid_other_alg");
    assert_eq!(found[0].code(), "kid_other_alg");
    let words = found[0].describe();
    assert!(
        words.contains(
            "the token's kid \"abc\" names the EC P-256 public key (kid \"abc\"), which is loaded for ES256, but the token says HS256"
        ),
        "{words}"
    );
}

#[test]
fn no_near_miss_when_the_signature_verifies() {
    let token = hs256(r#"{"alg":"HS256"}"#, SECRET.as_bytes());
    let jws = Jws::parse_unverified(&token).unwrap();
    let keys = secret_set(SECRET);
    // Expired: the verdict fails, but not the signature.
    let options = VerifyOptions::default();
    assert!(verify_token(&jws, &keys, &options, NOW + 7200).is_err());
    assert!(near_misses(&jws, &keys, &options).is_empty());
}

#[test]
fn cli_verify_prints_the_near_misses_in_the_cores_words() {
    let token = hs256(r#"{"alg":"HS256"}"#, SECRET.as_bytes());
    let secret = format!("{SECRET}\n");
    let now = NOW.to_string();
    let (code, stdout, _) = run(
        &["verify", &token, "--secret", &secret, "--now", &now],
        None,
    )
    .into_parts();
    assert_eq!(code, 1, "{stdout}");
    let expected = misses(&token, &secret_set(&secret))[0].describe();
    assert!(
        stdout.contains(&format!("near miss: {expected}\n")),
        "{stdout}"
    );
    let (code, stdout, _) = run(
        &[
            "verify", &token, "--secret", &secret, "--now", &now, "--json",
        ],
        None,
    )
    .into_parts();
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["near_misses"][0]["code"], "secret_whitespace");
    assert_eq!(v["near_misses"][0]["message"], expected);

    let kid_token = hs256(r#"{"alg":"HS256","kid":"abc"}"#, SECRET.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let jwks = dir.path().join("jwks.json");
    std::fs::write(&jwks, EC_JWKS).unwrap();
    let (code, stdout, _) = run(
        &[
            "verify",
            &kid_token,
            "--key",
            jwks.to_str().unwrap(),
            "--now",
            &now,
            "--json",
        ],
        None,
    )
    .into_parts();
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["near_misses"][0]["code"], "kid_other_alg", "{v}");
}

#[test]
fn cli_verify_redact_never_prints_the_secret_or_the_token() {
    let planted = "planted-secret-7f3a9c-never-to-be-seen-in-output";
    let token = hs256(r#"{"alg":"HS256","kid":"k1"}"#, planted.as_bytes());
    let signature = token.rsplit('.').next().unwrap();
    let now = NOW.to_string();
    for (secret, extra) in [
        (planted.to_string(), None),
        (format!("{planted}\n"), None),
        (planted.to_string(), Some("--json")),
        (format!(" {planted}"), Some("--json")),
    ] {
        let mut args = vec![
            "verify", &token, "--secret", &secret, "--now", &now, "--redact",
        ];
        args.extend(extra);
        let (code, stdout, stderr) = run(&args, None).into_parts();
        assert!(code == 0 || code == 1, "{stderr}");
        for leaked in [planted, &token, signature] {
            assert!(!stdout.contains(leaked), "{args:?}: {stdout}");
            assert!(!stderr.contains(leaked), "{args:?}: {stderr}");
        }
        assert!(stdout.contains("sha256:"), "{stdout}");
    }
    // The signature's fingerprint is the one `decode --redact` shows.
    let (_, decoded, _) = run(&["decode", &token, "--redact", "--json"], None).into_parts();
    let decoded: Value = serde_json::from_str(&decoded).unwrap();
    let (_, verified, _) = run(
        &[
            "verify", &token, "--secret", planted, "--now", &now, "--redact", "--json",
        ],
        None,
    )
    .into_parts();
    let verified: Value = serde_json::from_str(&verified).unwrap();
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["signature"], decoded["signature"]);
}
