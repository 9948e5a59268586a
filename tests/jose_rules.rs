//! Issue 10 §1, §4, §5, §8 through the public core API: key files are keys or errors (never an
//! HMAC secret), the JOSE header rules, strict Ed25519 and typed errors and warnings.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::clock::NOW;
use common::{data, sign};
use supajwt::jose::alg::Alg;
use supajwt::jose::b64::{SecretEncoding, encode};
use supajwt::jose::crypto::{backend_error, sign_raw};
use supajwt::jose::error::CoreError;
use supajwt::jose::keys::{KeySet, KeySetShape, KeySetWarning, load_keys};
use supajwt::jose::token::Jws;
use supajwt::jose::verify::{VerifyOptions, verify_token};

fn forge(secret: &str, header: &str, payload: &str) -> Jws {
    Jws::parse_unverified(&sign::hs256(secret, header, payload)).unwrap()
}

#[test]
fn key_file_never_hmac_public_key_bytes_forge_nothing() {
    // An attacker signs HS256 with the exact text of a public key file supajwt cannot parse.
    let text = data::read("ssh/dsa.pub");
    let forged = forge(
        text.trim(),
        r#"{"alg":"HS256"}"#,
        r#"{"role":"service_role"}"#,
    );
    let e = load_keys(&text).unwrap_err();
    assert_eq!(e.code(), "openssh_key_unusable", "{e}");
    assert!(
        e.to_string().contains("ssh-keygen -e -m PKCS8 -f key.pub"),
        "{e}"
    );
    // Only the explicit secret path makes an HMAC key of it.
    let explicit = KeySet::secret(text.trim(), SecretEncoding::Text).unwrap();
    assert!(verify_token(&forged, &explicit, &VerifyOptions::default(), NOW).is_ok());
    // A parsed public key never verifies an HS256 token signed with its own PEM text.
    let pem = data::read("pem/ec_spki_public.pem");
    let forged = forge(
        pem.trim(),
        r#"{"alg":"HS256"}"#,
        r#"{"role":"service_role"}"#,
    );
    let set = load_keys(&pem).unwrap();
    let e = verify_token(&forged, &set, &VerifyOptions::default(), NOW).unwrap_err();
    assert_eq!(e.code(), "algorithm_not_allowed", "{e}");
}

#[test]
fn key_file_openssh_lines_are_read_as_their_keys() {
    for (file, kind, spki) in [
        ("ssh/ed25519.pub", "Ed25519", "pem/ed25519_spki_public.pem"),
        ("ssh/ec_p256.pub", "EC P-256", "pem/ec_spki_public.pem"),
        ("ssh/ec_p384.pub", "EC P-384", ""),
        ("ssh/rsa.pub", "RSA 2048-bit", "pem/rsa_spki_public.pem"),
    ] {
        let set = load_keys(&data::read(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(set.shape, KeySetShape::OpenSsh);
        assert_eq!(set.keys[0].kind_label(), kind);
        if !spki.is_empty() {
            let pem = load_keys(&data::read(spki)).unwrap();
            assert_eq!(
                supajwt::jose::keys::thumbprint(&set.keys[0]),
                supajwt::jose::keys::thumbprint(&pem.keys[0]),
                "{file}"
            );
        }
    }
}

#[test]
fn crit_unsupported_and_malformed_through_verify() {
    let secret = "a-legacy-secret-that-is-long-enough-0123456789";
    let keys = KeySet::secret(secret, SecretEncoding::Text).unwrap();
    let check = |header: &str| {
        verify_token(
            &forge(secret, header, r#"{"role":"anon"}"#),
            &keys,
            &VerifyOptions::default(),
            NOW,
        )
    };
    let e = check(r#"{"alg":"HS256","crit":["urn:x"],"urn:x":true}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the token requires the header extension(s) \"urn:x\", which supajwt does not support (RFC 7515 §4.1.11: a recipient must reject it)"
    );
    assert_eq!(
        check(r#"{"alg":"HS256","crit":["kid"],"kid":"a"}"#)
            .unwrap_err()
            .code(),
        "crit_malformed"
    );
    assert_eq!(
        check(r#"{"alg":"HS256","b64":false}"#).unwrap_err().code(),
        "unencoded_payload"
    );
    assert!(check(r#"{"alg":"HS256","typ":"JWT"}"#).is_ok());
}

#[test]
fn kid_not_a_string_is_malformed_not_missing() {
    let keys = load_keys(&data::read("pem/ec_spki_public.pem")).unwrap();
    let jwks = format!(
        "{{\"keys\":[{}]}}",
        serde_json::to_string(&supajwt::jose::keys::to_jwk(&keys.keys[0], false)).unwrap()
    );
    let set = load_keys(&jwks).unwrap();
    let token = forge(
        "x-long-enough-secret-for-hs256-0123456789",
        r#"{"alg":"ES256","kid":42}"#,
        "{}",
    );
    let e = verify_token(&token, &set, &VerifyOptions::default(), NOW).unwrap_err();
    assert_eq!(e.code(), "header_member_type", "{e}");
    assert!(
        e.to_string()
            .contains("\"kid\" must be a string, found the number 42"),
        "{e}"
    );
}

#[test]
fn duplicate_member_in_header_or_nested_payload_is_refused() {
    let secret = "a-legacy-secret-that-is-long-enough-0123456789";
    let keys = KeySet::secret(secret, SecretEncoding::Text).unwrap();
    let header_dup = forge(secret, r#"{"alg":"HS256","alg":"HS256"}"#, "{}");
    let e = verify_token(&header_dup, &keys, &VerifyOptions::default(), NOW).unwrap_err();
    assert_eq!(e.code(), "duplicate_member");
    assert!(
        e.to_string()
            .starts_with("the header has two `alg` members"),
        "{e}"
    );
    let nested = forge(
        secret,
        r#"{"alg":"HS256"}"#,
        r#"{"app_metadata":{"provider":"email","provider":"admin"}}"#,
    );
    let e = verify_token(&nested, &keys, &VerifyOptions::default(), NOW).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the payload has two `provider` members (inside `app_metadata`); JSON parsers disagree on which wins, so the token is refused"
    );
}

#[test]
fn ed25519_strict_small_order_keys_are_refused_in_jwk_and_pem() {
    // The identity point as a JWK, the order-4 point (y = 0) as SPKI PEM (non-canonical
    // encodings: see the unit tests of src/core/keys/ed25519.rs).
    let identity = encode(&{
        let mut b = [0u8; 32];
        b[0] = 1;
        b
    });
    let e = load_keys(&format!(
        r#"{{"kty":"OKP","crv":"Ed25519","x":"{identity}"}}"#
    ))
    .unwrap_err();
    assert_eq!(e.code(), "ed25519_weak_key", "{e}");
    let mut spki = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    spki.extend_from_slice(&[0u8; 32]);
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        base64_std(&spki)
    );
    assert_eq!(load_keys(&pem).unwrap_err().code(), "ed25519_weak_key");
}

fn base64_std(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn ed25519_strict_rejects_s_not_below_the_order() {
    let set = load_keys(&data::read("pem/ed25519_pkcs8_private.pem")).unwrap();
    let key = &set.keys[0];
    let msg = b"eyJhbGciOiJFZERTQSJ9.e30";
    let mut sig = sign_raw(key, Alg::EdDSA, msg).unwrap();
    assert!(supajwt::jose::crypto::verify_raw(key, Alg::EdDSA, msg, &sig).is_ok());
    // S + L: the classic malleated signature, accepted by non-strict verifiers.
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(sig[32 + i]) + u16::from(L[i]) + carry;
        sig[32 + i] = (sum & 0xff) as u8;
        carry = sum >> 8;
    }
    assert_eq!(
        supajwt::jose::crypto::verify_raw(key, Alg::EdDSA, msg, &sig),
        Err(CoreError::Ed25519ScalarOutOfRange)
    );
}

#[test]
fn backend_error_kinds_map_to_distinct_variants() {
    use jsonwebtoken::errors::ErrorKind;
    let set = load_keys(&data::read("pem/ec_spki_public.pem")).unwrap();
    let key = &set.keys[0];
    let code = |kind: ErrorKind| backend_error(&kind, key, Alg::ES256).code();
    assert_eq!(code(ErrorKind::InvalidKeyFormat), "key_type_mismatch");
    assert_eq!(code(ErrorKind::InvalidAlgorithm), "key_type_mismatch");
    assert_eq!(code(ErrorKind::InvalidEcdsaKey), "backend_key_rejected");
    assert_eq!(
        code(ErrorKind::InvalidRsaKey("bad".into())),
        "backend_key_rejected"
    );
    assert_eq!(code(ErrorKind::InvalidEddsaKey), "backend_key_rejected");
    assert_eq!(code(ErrorKind::UnsupportedAlgorithm), "backend");
    // And the two the core decides itself before the backend: length, then the check.
    let msg = b"a.b";
    assert_eq!(
        supajwt::jose::crypto::verify_raw(key, Alg::ES256, msg, &[1u8; 63])
            .unwrap_err()
            .code(),
        "signature_length"
    );
    assert_eq!(
        supajwt::jose::crypto::verify_raw(key, Alg::ES256, msg, &[1u8; 64])
            .unwrap_err()
            .code(),
        "signature_invalid"
    );
}

#[test]
fn backend_error_key_set_warnings_are_typed_with_codes() {
    let jwks = r#"{"keys":[
        {"kty":"oct","kid":"a","k":"c2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2gtZm9yLWhzMjU2"},
        {"kty":"oct","kid":"a","k":"c2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2gtZm9yLWhzMjU3"},
        {"kty":"EC","crv":"P-256","kid":"b","x":"AAAA","y":"AAAA"}]}"#;
    let set = load_keys(jwks).unwrap();
    let codes: Vec<&str> = set.warnings.iter().map(KeySetWarning::code).collect();
    assert_eq!(codes, ["skipped_key", "duplicate_kid", "secret_in_jwks"]);
    assert!(set.warnings[2].exposes_secrets());
    assert!(!set.warnings[0].exposes_secrets());
    assert!(set.warnings[0].to_string().starts_with("skipped: "));
}
