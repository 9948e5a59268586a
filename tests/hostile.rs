//! Huge and hostile inputs get a bounded, clear error, fast: multi-megabyte pastes, deeply
//! nested JSON, key sets with thousands of keys, a 16384-bit RSA modulus.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::clock::NOW;
use std::time::{Duration, Instant};
use supajwt::jose::b64;
use supajwt::jose::error::CoreError;
use supajwt::jose::input::clean_token_input;
use supajwt::jose::keys::load_keys;
use supajwt::jose::token::Jws;
use supajwt::jose::verify::{VerifyOptions, verify_token};
use supajwt::supabase::doctor::{Inputs, diagnose};

fn quick<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{what} took {:?}",
        start.elapsed()
    );
    out
}

#[test]
fn multi_megabyte_inputs() {
    let huge = format!("eyJ{}", "A".repeat(5 * 1024 * 1024));
    let e = quick("token", || clean_token_input(&huge)).unwrap_err();
    assert!(matches!(e, CoreError::TooLarge { .. }), "{e}");
    assert!(e.to_string().contains("limit"));
    let e = quick("keys", || load_keys(&huge)).unwrap_err();
    assert!(matches!(e, CoreError::TooLarge { .. }), "{e}");
    let e = quick("doctor", || {
        diagnose(
            &Inputs {
                env: Some(huge.clone()),
                ..Inputs::default()
            },
            NOW,
        )
    })
    .unwrap_err();
    assert!(matches!(e, CoreError::TooLarge { .. }), "{e}");
    let e = quick("compose", || {
        diagnose(
            &Inputs {
                compose: Some(huge.clone()),
                ..Inputs::default()
            },
            NOW,
        )
    })
    .unwrap_err();
    assert!(matches!(e, CoreError::TooLarge { .. }), "{e}");
}

#[test]
fn deeply_nested_json() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = quick("nested key JSON", || load_keys(&deep)).unwrap_err();
    assert!(e.to_string().contains("malformed"), "{e}");
    let header = b64::encode(format!("{{\"alg\":\"HS256\",\"x\":{deep}}}").as_bytes());
    let token = format!("{header}.e30.AAAA");
    let e = quick("nested header", || Jws::parse_unverified(&token)).unwrap_err();
    assert!(
        matches!(e, CoreError::Json { .. }) || matches!(e, CoreError::TooLarge { .. }),
        "{e}"
    );
    let yaml = format!("services: {}{}", "[".repeat(50_000), "]".repeat(50_000));
    assert!(
        quick("nested YAML", || diagnose(
            &Inputs {
                compose: Some(yaml),
                ..Inputs::default()
            },
            NOW
        ))
        .is_err()
    );
}

#[test]
fn thousands_of_keys() {
    let key = r#"{"kty":"oct","k":"c2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2gtZm9yLWhzMjU2"}"#;
    let many = format!("{{\"keys\":[{}]}}", vec![key; 5000].join(","));
    let e = quick("5000 keys", || load_keys(&many)).unwrap_err();
    assert!(e.to_string().contains("at most 1000"), "{e}");
    let ok = format!("{{\"keys\":[{}]}}", vec![key; 1000].join(","));
    let set = quick("1000 keys", || load_keys(&ok)).unwrap();
    let token = "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJlLXRoYXQtaXMtbm90LXZhbGlkLXh4eHg";
    let e = quick("verify against 1000 keys", || {
        verify_token(
            &Jws::parse_unverified(token).unwrap(),
            &set,
            &VerifyOptions::default(),
            NOW,
        )
    })
    .unwrap_err();
    assert!(e.to_string().contains("any of the 1000"), "{e}");
}

#[test]
fn rsa_16384_bit_modulus() {
    let mut n = vec![0xffu8; 2048];
    n[2047] = 0xfb;
    let jwk = format!(r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#, b64::encode(&n));
    let set = quick("parse", || load_keys(&jwk)).unwrap();
    let sig = b64::encode(&vec![1u8; 2048]);
    let token = format!("eyJhbGciOiJSUzI1NiJ9.e30.{sig}");
    let e = quick("verify", || {
        verify_token(
            &Jws::parse_unverified(&token).unwrap(),
            &set,
            &VerifyOptions::default(),
            NOW,
        )
    })
    .unwrap_err();
    assert!(
        matches!(e, CoreError::RsaKeyTooLarge { bits: 16384, .. }),
        "{e}"
    );
    let mut bigger = vec![0xffu8; 2049];
    bigger[2048] = 0xfb;
    let e = load_keys(&format!(
        r#"{{"kty":"RSA","n":"{}","e":"AQAB"}}"#,
        b64::encode(&bigger)
    ))
    .unwrap_err();
    assert!(e.to_string().contains("not a usable RSA public key"), "{e}");
}
