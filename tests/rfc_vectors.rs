//! Known-answer tests from the RFCs: RFC 7515 Appendix A, RFC 7638 §3.1, RFC 7520 §4 (JOSE
//! cookbook) and RFC 8037 Appendix A.4 (Ed25519).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use supajwt::jose::alg::Alg;
use supajwt::jose::b64;
use supajwt::jose::crypto::sign_raw;
use supajwt::jose::error::CoreError;
use supajwt::jose::keys::{KeySet, KeySetShape, load_keys, parse_jwk, thumbprint};
use supajwt::jose::token::Jws;
use supajwt::jose::verify::{VerifyOptions, verify_signature, verify_token};

const A_PAYLOAD: &str = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
/// The RFC 7515 examples expire at 1300819380 (2011-03-22).
const BEFORE_EXP: i64 = 1_300_819_379;

fn single(jwk: &str) -> KeySet {
    let set = load_keys(jwk).expect("key");
    assert_eq!(set.shape, KeySetShape::SingleJwk);
    set
}

/// RFC 7515 Appendix A.1: HS256 with the given symmetric key.
#[test]
fn rfc7515_a1_hs256() {
    let token = format!(
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.{A_PAYLOAD}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
    let keys = single(
        r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#,
    );
    let jws = Jws::parse_unverified(&token).unwrap();
    let v = verify_token(&jws, &keys, &VerifyOptions::default(), BEFORE_EXP).unwrap();
    assert_eq!(v.alg, Alg::HS256);
    // Same token, one second after exp: rejected as expired with the time in words.
    let e = verify_token(&jws, &keys, &VerifyOptions::default(), BEFORE_EXP + 1).unwrap_err();
    assert!(matches!(e, CoreError::Expired { .. }));
    assert!(e.to_string().contains("2011-03-22"), "{e}");
    // The signature input is the raw segments (the header has \r\n inside): reproduce the MAC.
    let sig = sign_raw(&keys.keys[0], Alg::HS256, &jws.signing_input()).unwrap();
    assert_eq!(
        b64::encode(&sig),
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
}

const A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
const A2_D: &str = "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
const A2_P: &str = "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc";
const A2_Q: &str = "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc";
const A2_SIG: &str = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/// RFC 7515 Appendix A.2: RS256. PKCS#1 v1.5 is deterministic, so the signature is reproduced
/// byte for byte from the private key, and the public key verifies the token.
#[test]
fn rfc7515_a2_rs256_reproduced_byte_for_byte() {
    let private = format!(
        r#"{{"kty":"RSA","n":"{A2_N}","e":"AQAB","d":"{A2_D}","p":"{A2_P}","q":"{A2_Q}"}}"#
    );
    let keys = single(&private);
    let signing_input = format!("eyJhbGciOiJSUzI1NiJ9.{A_PAYLOAD}");
    let sig = sign_raw(&keys.keys[0], Alg::RS256, signing_input.as_bytes()).unwrap();
    assert_eq!(b64::encode(&sig), A2_SIG);
    let public = single(&format!(r#"{{"kty":"RSA","n":"{A2_N}","e":"AQAB"}}"#));
    let jws = Jws::parse_unverified(&format!("{signing_input}.{A2_SIG}")).unwrap();
    verify_token(&jws, &public, &VerifyOptions::default(), BEFORE_EXP).unwrap();
}

/// RFC 7515 Appendix A.3: ES256 (verification; ECDSA signatures are randomized).
#[test]
fn rfc7515_a3_es256() {
    let keys = single(
        r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#,
    );
    let token = format!(
        "eyJhbGciOiJFUzI1NiJ9.{A_PAYLOAD}.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
    );
    let jws = Jws::parse_unverified(&token).unwrap();
    verify_token(&jws, &keys, &VerifyOptions::default(), BEFORE_EXP).unwrap();
    // The private key signs tokens that verify with its public half.
    let sig = sign_raw(&keys.keys[0], Alg::ES256, &jws.signing_input()).unwrap();
    assert_eq!(sig.len(), 64, "raw r||s, not DER");
    let fresh = Jws::parse_unverified(&format!(
        "eyJhbGciOiJFUzI1NiJ9.{A_PAYLOAD}.{}",
        b64::encode(&sig)
    ))
    .unwrap();
    let public = KeySet::single(keys.keys[0].public_only(), KeySetShape::SingleJwk);
    verify_token(&fresh, &public, &VerifyOptions::default(), BEFORE_EXP).unwrap();
}

/// RFC 7515 Appendix A.5: an unsecured JWS (`alg: none`) is always rejected, whatever the key.
#[test]
fn rfc7515_a5_unsecured_is_rejected() {
    let token = format!("eyJhbGciOiJub25lIn0.{A_PAYLOAD}.");
    let jws = Jws::parse_unverified(&token).unwrap();
    let keys = single(
        r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#,
    );
    let e = verify_token(&jws, &keys, &VerifyOptions::default(), BEFORE_EXP).unwrap_err();
    assert!(matches!(e, CoreError::AlgNone(_)), "{e}");
}

/// RFC 7638 §3.1: the thumbprint of the example RSA key.
#[test]
fn rfc7638_thumbprint() {
    let jwk = serde_json::json!({
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29"
    });
    let key = parse_jwk(&jwk, "RFC 7638 key").unwrap();
    assert_eq!(
        thumbprint(&key),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}

fn cookbook(path: &str) -> (KeySet, Jws, serde_json::Value) {
    let example = common::data::json(path);
    let key = parse_jwk(&example["input"]["key"], "cookbook key").unwrap();
    let compact = example["output"]["compact"].as_str().unwrap();
    (
        KeySet::single(key, KeySetShape::SingleJwk),
        Jws::parse_unverified(compact).unwrap(),
        example,
    )
}

/// RFC 7520 §4.1 (RS256, reproducible: the signature is reproduced byte for byte) and
/// §4.4 (HS256, reproducible).
#[test]
fn rfc7520_reproducible_signatures() {
    for path in [
        "jose-cookbook/jws/4_1.rsa_v15_signature.json",
        "jose-cookbook/jws/4_4.hmac-sha2_integrity_protection.json",
    ] {
        let (keys, jws, example) = cookbook(path);
        verify_signature(&jws, &keys, &[]).unwrap();
        let alg = jws.alg().unwrap();
        let sig = sign_raw(
            &keys.keys[0],
            alg,
            example["signing"]["sig-input"].as_str().unwrap().as_bytes(),
        )
        .unwrap();
        assert_eq!(
            b64::encode(&sig),
            example["signing"]["sig"].as_str().unwrap(),
            "{path}"
        );
    }
}

/// RFC 7520 §4.2 (PS384) verifies.
#[test]
fn rfc7520_pss() {
    let (keys, jws, _) = cookbook("jose-cookbook/jws/4_2.rsa-pss_signature.json");
    assert_eq!(verify_signature(&jws, &keys, &[]).unwrap().alg, Alg::PS384);
}

/// RFC 7520 §4.3: ES512 on P-521 verifies (ECDSA is randomised: the signature cannot be
/// reproduced, but a fresh one over the same input verifies and the tampered one does not).
#[test]
fn es512_rfc7520_verifies() {
    let (keys, jws, _) = cookbook("jose-cookbook/jws/4_3.ecdsa_signature.json");
    assert_eq!(verify_signature(&jws, &keys, &[]).unwrap().alg, Alg::ES512);
    let sig = sign_raw(&keys.keys[0], Alg::ES512, &jws.signing_input()).unwrap();
    assert_eq!(sig.len(), 132);
    assert!(
        supajwt::jose::crypto::verify_raw(&keys.keys[0], Alg::ES512, &jws.signing_input(), &sig)
            .is_ok()
    );
    let mut bad = jws.signature.clone();
    bad[131] ^= 1;
    assert!(
        supajwt::jose::crypto::verify_raw(&keys.keys[0], Alg::ES512, &jws.signing_input(), &bad)
            .is_err()
    );
}

/// RFC 8037 Appendix A.4 (also the cookbook's curve25519 example): Ed25519 is deterministic.
#[test]
fn rfc8037_ed25519_reproduced() {
    let (keys, jws, example) = cookbook("jose-cookbook/curve25519/jws.json");
    assert_eq!(verify_signature(&jws, &keys, &[]).unwrap().alg, Alg::EdDSA);
    let sig = sign_raw(&keys.keys[0], Alg::EdDSA, &jws.signing_input()).unwrap();
    assert_eq!(
        b64::encode(&sig),
        example["signing"]["sig"].as_str().unwrap()
    );
}
