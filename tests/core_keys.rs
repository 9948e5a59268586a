//! Key material in every shape supajwt reads (OpenSSL-made PEM files in `tests/data/pem`),
//! signature-format policy, claim checks and the claims report.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use supajwt::core::alg::Alg;
use supajwt::core::b64::SecretEncoding;
use supajwt::core::claims::{Severity, TimeStatus, claims_report};
use supajwt::core::error::CoreError;
use supajwt::core::keys::{
    KeySet, KeySetShape, KeygenAlg, KidChoice, generate, load_keys, private_pem, public_pem, to_jwk,
};
use supajwt::core::mint::{Lifetime, MintRequest, MintRole, mint, sign_claims};
use supajwt::core::supabase::{DOCKER_DEMO_ANON_KEY, DOCKER_DEMO_SECRET};
use supajwt::core::token::Jws;
use supajwt::core::verify::{VerifyOptions, verify_token};

const NOW: i64 = 1_767_225_600;

fn pem(name: &str) -> KeySet {
    let text = std::fs::read_to_string(common::data(&format!("pem/{name}"))).unwrap();
    load_keys(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn anon_request() -> MintRequest {
    MintRequest::preset(MintRole::Anon, NOW, Lifetime::Seconds(3600))
}

/// Every private PEM form signs, every public PEM form (and the certificate) verifies.
#[test]
fn pem_shapes_sign_and_verify() {
    let pairs = [
        ("rsa_pkcs1_private.pem", "rsa_spki_public.pem", Alg::RS256),
        ("rsa_pkcs1_private.pem", "rsa_pkcs1_public.pem", Alg::PS256),
        ("ec_sec1_private.pem", "ec_spki_public.pem", Alg::ES256),
        ("ec_pkcs8_private.pem", "ec_certificate.pem", Alg::ES256),
        (
            "ed25519_pkcs8_private.pem",
            "ed25519_spki_public.pem",
            Alg::EdDSA,
        ),
    ];
    for (private, public, alg) in pairs {
        let signer = pem(private);
        assert_eq!(signer.shape, KeySetShape::Pem);
        let token = mint(&anon_request(), &signer.keys[0], Some(alg)).unwrap();
        let jws = Jws::parse_unverified(&token).unwrap();
        let verified = verify_token(&jws, &pem(public), &VerifyOptions::default(), NOW).unwrap();
        assert_eq!(verified.alg, alg, "{private} -> {public}");
    }
    let p384 = pem("ec384_sec1_private.pem");
    let token = mint(&anon_request(), &p384.keys[0], None).unwrap();
    assert_eq!(
        Jws::parse_unverified(&token).unwrap().alg().unwrap(),
        Alg::ES384
    );
}

/// An RS256 token signed by OpenSSL verifies; an ES256 token with OpenSSL's DER signature is
/// refused with the hint to convert it.
#[test]
fn openssl_signatures() {
    let rs = std::fs::read_to_string(common::data("rs256_openssl.jwt")).unwrap();
    let jws = Jws::parse_unverified(rs.trim()).unwrap();
    verify_token(
        &jws,
        &pem("rsa_spki_public.pem"),
        &VerifyOptions::default(),
        NOW,
    )
    .unwrap();
    let der = std::fs::read_to_string(common::data("es256_der_signature.jwt")).unwrap();
    let jws = Jws::parse_unverified(der.trim()).unwrap();
    let e = verify_token(
        &jws,
        &pem("ec_spki_public.pem"),
        &VerifyOptions::default(),
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, CoreError::DerSignature { .. }), "{e}");
    assert!(e.to_string().contains("raw r||s"), "{e}");
}

#[test]
fn weak_and_unreadable_keys_are_refused_clearly() {
    let small = pem("rsa1024_private.pem");
    let e = mint(&anon_request(), &small.keys[0], None).unwrap_err();
    assert!(
        matches!(e, CoreError::RsaKeyTooSmall { bits: 1024, .. }),
        "{e}"
    );
    let text = std::fs::read_to_string(common::data("pem/ec_encrypted_private.pem")).unwrap();
    let e = load_keys(&text).unwrap_err();
    assert!(e.to_string().contains("password-protected"), "{e}");
    let e =
        load_keys("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"}").unwrap_err();
    assert!(e.to_string().contains("invalid \"x\" length (3)"), "{e}");
    let short = KeySet::secret("too-short-secret", SecretEncoding::Text).unwrap();
    let e = mint(&anon_request(), &short.keys[0], None).unwrap_err();
    assert!(
        matches!(
            e,
            CoreError::HmacKeyTooShort {
                len: 16,
                min: 32,
                ..
            }
        ),
        "{e}"
    );
}

/// Export then import gives the same key, for every generated kind.
#[test]
fn generated_keys_round_trip_through_jwk_and_pem() {
    for alg in [
        KeygenAlg::ES256,
        KeygenAlg::EdDSA,
        KeygenAlg::RS256 { bits: 2048 },
    ] {
        let key = generate(alg, KidChoice::Thumbprint).unwrap();
        let jwk = serde_json::Value::Object(to_jwk(&key, true)).to_string();
        let back = load_keys(&jwk).unwrap();
        assert_eq!(to_jwk(&back.keys[0], true), to_jwk(&key, true));
        let from_pem = load_keys(private_pem(&key).unwrap().expose()).unwrap();
        assert_eq!(
            to_jwk(&from_pem.keys[0], false).get("x"),
            to_jwk(&key, false).get("x")
        );
        let public = load_keys(&public_pem(&key).unwrap()).unwrap();
        let token = mint(&anon_request(), &key, None).unwrap();
        verify_token(
            &Jws::parse_unverified(&token).unwrap(),
            &public,
            &VerifyOptions::default(),
            NOW,
        )
        .unwrap();
        assert!(
            !format!("{key:?}").contains(to_jwk(&key, true)["d"].as_str().unwrap()),
            "Debug must not show d"
        );
    }
}

#[test]
fn claim_checks() {
    let key = KeySet::secret(
        "a-legacy-secret-that-is-long-enough-0123456789",
        SecretEncoding::Text,
    )
    .unwrap();
    let token = |claims: serde_json::Value| {
        let t = sign_claims(claims.as_object().unwrap(), &key.keys[0], None).unwrap();
        Jws::parse_unverified(&t).unwrap()
    };
    let opts = VerifyOptions::default();
    let e = verify_token(
        &token(serde_json::json!({"nbf": NOW + 60})),
        &key,
        &opts,
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, CoreError::NotYetValid { .. }), "{e}");
    let e = verify_token(
        &token(serde_json::json!({"iat": NOW + 60})),
        &key,
        &opts,
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, CoreError::IssuedInFuture { .. }), "{e}");
    let leeway = VerifyOptions {
        leeway: 60,
        ..VerifyOptions::default()
    };
    verify_token(
        &token(serde_json::json!({"iat": NOW + 60, "exp": NOW - 30})),
        &key,
        &leeway,
        NOW,
    )
    .unwrap();
    let e = verify_token(
        &token(serde_json::json!({"exp": "tomorrow"})),
        &key,
        &opts,
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(e, CoreError::ClaimType { .. }),
        "wrong-type exp is an error, never absent: {e}"
    );
    let strict = VerifyOptions {
        issuer: Some("supabase".into()),
        audience: Some("authenticated".into()),
        ..VerifyOptions::default()
    };
    let e = verify_token(
        &token(serde_json::json!({"iss": "other", "aud": "authenticated"})),
        &key,
        &strict,
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, CoreError::IssuerMismatch { .. }), "{e}");
    let e = verify_token(
        &token(serde_json::json!({"iss": "supabase", "aud": ["x"]})),
        &key,
        &strict,
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, CoreError::AudienceMismatch { .. }), "{e}");
    verify_token(
        &token(serde_json::json!({"iss": "supabase", "aud": ["x", "authenticated"]})),
        &key,
        &strict,
        NOW,
    )
    .unwrap();
    let narrowed = VerifyOptions {
        algorithms: vec![Alg::HS512],
        ..VerifyOptions::default()
    };
    let e = verify_token(&token(serde_json::json!({})), &key, &narrowed, NOW).unwrap_err();
    assert!(matches!(e, CoreError::AlgorithmNotAllowed { .. }), "{e}");
}

#[test]
fn claims_report_for_supabase_tokens() {
    let jws = Jws::parse_unverified(DOCKER_DEMO_ANON_KEY).unwrap();
    let report = claims_report(&jws, NOW);
    assert_eq!(report.times[0].name, "exp");
    assert_eq!(report.times[0].status, Some(TimeStatus::Valid));
    assert_eq!(report.times[0].relative, "expires in 1 year 8 days");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.severity == Severity::Danger && n.text.contains("public demo ANON_KEY"))
    );
    let after = claims_report(&jws, 1_799_535_600 + 3 * 86_400);
    assert_eq!(after.times[0].relative, "expired 3 days ago");
    let key = KeySet::secret(
        "a-legacy-secret-that-is-long-enough-0123456789",
        SecretEncoding::Text,
    )
    .unwrap();
    let bad = sign_claims(
        serde_json::json!({"exp": "soon", "role": "service_role"})
            .as_object()
            .unwrap(),
        &key.keys[0],
        None,
    )
    .unwrap();
    let report = claims_report(&Jws::parse_unverified(&bad).unwrap(), NOW);
    assert!(
        report.times[0]
            .value
            .as_ref()
            .unwrap_err()
            .contains("must be a number")
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.text.contains("bypasses Row Level Security"))
    );
    let user = mint(
        &MintRequest {
            role: MintRole::Authenticated,
            project_ref: Some("abcdefghijklmnopqrst".into()),
            ..anon_request()
        },
        &key.keys[0],
        None,
    )
    .unwrap();
    let report = claims_report(&Jws::parse_unverified(&user).unwrap(), NOW);
    let field = |name: &str| {
        report
            .fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(field("aud").as_deref(), Some("authenticated"));
    assert_eq!(
        field("iss").as_deref(),
        Some("https://abcdefghijklmnopqrst.supabase.co/auth/v1")
    );
    assert!(report.notes.iter().any(|n| {
        n.text
            .contains("hosted Supabase Auth of project abcdefghijklmnopqrst")
    }));
}

#[test]
fn demo_secret_is_flagged_when_it_verifies() {
    let keys = KeySet::secret(DOCKER_DEMO_SECRET, SecretEncoding::Text).unwrap();
    let v = verify_token(
        &Jws::parse_unverified(DOCKER_DEMO_ANON_KEY).unwrap(),
        &keys,
        &VerifyOptions::default(),
        NOW,
    )
    .unwrap();
    assert!(
        v.notes.iter().any(|n| n.contains("public")),
        "{:?}",
        v.notes
    );
}
