//! Key material in every shape supajwt reads (OpenSSL-made PEM files in `tests/data/pem`),
//! signature-format policy, claim checks and the claims report.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::clock::NOW;
use common::data;
use common::sign::anon_request;
use supajwt::jose::alg::Alg;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::error::CoreError;
use supajwt::jose::keys::{
    KeySet, KeySetShape, KeygenAlg, KidChoice, generate, load_keys, private_pem, public_pem, to_jwk,
};
use supajwt::jose::sign::sign_claims;
use supajwt::jose::token::Jws;
use supajwt::jose::verify::VerifyOptions;
use supajwt::supabase::claims::{Severity, TimeStatus, claims_report};
use supajwt::supabase::mint::{MintRequest, MintRole, mint};
use supajwt::supabase::roles::{DOCKER_DEMO_ANON_KEY, DOCKER_DEMO_SECRET};
use supajwt::supabase::verify::verify_token;

fn pem(name: &str) -> KeySet {
    let text = data::read(&format!("pem/{name}"));
    load_keys(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
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
    let rs = data::read("rs256_openssl.jwt");
    let jws = Jws::parse_unverified(rs.trim()).unwrap();
    verify_token(
        &jws,
        &pem("rsa_spki_public.pem"),
        &VerifyOptions::default(),
        NOW,
    )
    .unwrap();
    let der = data::read("es256_der_signature.jwt");
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
    let text = data::read("pem/ec_encrypted_private.pem");
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
        KeygenAlg::ES512,
        KeygenAlg::EdDSA,
        KeygenAlg::RS256 { bits: 2048 },
        KeygenAlg::RS512 { bits: 2048 },
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
        v.notes.iter().any(|n| n.to_string().contains("public")),
        "{:?}",
        v.notes
    );
}

/// ES512 keys: generated, exported and imported (JWK, PKCS#8, SPKI, SEC1), thumbprint stable,
/// minted tokens verify with the public half, and the allow-list comes from the key.
#[test]
fn es512_generate_export_import_mint_verify() {
    use supajwt::jose::keys::thumbprint;
    let key = generate(KeygenAlg::ES512, KidChoice::Thumbprint).unwrap();
    assert_eq!(key.kind_label(), "EC P-521");
    assert_eq!(key.alg.as_deref(), Some("ES512"));
    let jwk = to_jwk(&key, true);
    assert_eq!(jwk["crv"], "P-521");
    for m in ["x", "y", "d"] {
        let bytes = supajwt::jose::b64::decode_strict(jwk[m].as_str().unwrap()).unwrap();
        assert_eq!(bytes.len(), 66, "{m} is 66 bytes");
    }
    assert_eq!(key.kid.as_deref(), Some(thumbprint(&key).as_str()));
    let public = load_keys(&public_pem(&key).unwrap()).unwrap();
    assert_eq!(thumbprint(&public.keys[0]), thumbprint(&key));
    let from_pkcs8 = load_keys(private_pem(&key).unwrap().expose()).unwrap();
    assert!(from_pkcs8.keys[0].has_private());
    let sec1 = {
        use p521::pkcs8::DecodePrivateKey;
        let sk = p521::SecretKey::from_pkcs8_pem(private_pem(&key).unwrap().expose()).unwrap();
        sk.to_sec1_pem(p521::pkcs8::LineEnding::LF)
            .unwrap()
            .to_string()
    };
    assert!(sec1.contains("EC PRIVATE KEY"));
    let from_sec1 = load_keys(&sec1).unwrap();
    assert_eq!(thumbprint(&from_sec1.keys[0]), thumbprint(&key));
    let token = mint(&anon_request(), &key, None).unwrap();
    let jws = Jws::parse_unverified(&token).unwrap();
    assert_eq!(jws.alg_name(), Some("ES512"));
    assert_eq!(jws.signature.len(), 132);
    let v = verify_token(&jws, &public, &VerifyOptions::default(), NOW).unwrap();
    assert_eq!(v.alg, Alg::ES512);
    // A P-256 key never verifies an ES512 token, and an ES512 key never signs ES256.
    let p256 =
        load_keys(&public_pem(&generate(KeygenAlg::ES256, KidChoice::None).unwrap()).unwrap())
            .unwrap();
    assert!(verify_token(&jws, &p256, &VerifyOptions::default(), NOW).is_err());
    assert!(matches!(
        mint(&anon_request(), &key, Some(Alg::ES256)),
        Err(CoreError::AlgorithmNotAllowed { .. })
    ));
    assert_eq!(Alg::parse("ES512").unwrap(), Alg::ES512);
}

/// ES512 signatures are exactly 132 bytes of r||s: a short one, a DER one and out-of-range
/// scalars are refused by their format before any curve arithmetic.
#[test]
fn es512_signature_format_rules() {
    use supajwt::jose::crypto::{sign_raw, verify_raw};
    let key = generate(KeygenAlg::ES512, KidChoice::None).unwrap();
    let msg = b"header.payload";
    let sig = sign_raw(&key, Alg::ES512, msg).unwrap();
    assert_eq!(sig.len(), 132);
    verify_raw(&key, Alg::ES512, msg, &sig).unwrap();
    assert!(matches!(
        verify_raw(&key, Alg::ES512, msg, &sig[..131]),
        Err(CoreError::SignatureLength {
            got: 131,
            expected: 132,
            ..
        })
    ));
    let (r, s) = sig.split_at(66);
    let der_int = |v: &[u8]| {
        let v: Vec<u8> = v.iter().copied().skip_while(|b| *b == 0).collect();
        let mut out = vec![0x02];
        if v[0] & 0x80 != 0 {
            out.push(u8::try_from(v.len() + 1).unwrap());
            out.push(0);
        } else {
            out.push(u8::try_from(v.len()).unwrap());
        }
        out.extend(v);
        out
    };
    let body = [der_int(r), der_int(s)].concat();
    let mut der = vec![0x30, 0x81, u8::try_from(body.len()).unwrap()];
    der.extend(body);
    assert!(matches!(
        verify_raw(&key, Alg::ES512, msg, &der),
        Err(CoreError::DerSignature { .. })
    ));
    let mut zero_r = sig.clone();
    zero_r[..66].fill(0);
    assert!(matches!(
        verify_raw(&key, Alg::ES512, msg, &zero_r),
        Err(CoreError::EcdsaScalarOutOfRange)
    ));
    let mut big_s = sig.clone();
    big_s[66..].fill(0xff);
    assert!(matches!(
        verify_raw(&key, Alg::ES512, msg, &big_s),
        Err(CoreError::EcdsaScalarOutOfRange)
    ));
    let mut flipped = sig.clone();
    flipped[10] ^= 1;
    assert!(matches!(
        verify_raw(&key, Alg::ES512, msg, &flipped),
        Err(CoreError::SignatureInvalid { .. })
    ));
}

/// A P-256 key whose `x` starts with exactly one zero byte, as a private JWK (x, y, d full length).
fn p256_key_with_leading_zero_x() -> serde_json::Map<String, serde_json::Value> {
    loop {
        let key = generate(KeygenAlg::ES256, KidChoice::Given("short-x".into())).unwrap();
        let jwk = to_jwk(&key, true);
        let x = supajwt::jose::b64::decode_strict(jwk["x"].as_str().unwrap()).unwrap();
        if x[0] == 0 && x[1] != 0 {
            return jwk;
        }
    }
}

/// A JWK whose `x` lost its leading zero byte (31 bytes) is read left-padded, with a typed
/// warning naming the key and coordinate; a token signed by the full key verifies.
#[test]
fn short_ec_coordinate_jwk_is_accepted_with_a_warning() {
    use supajwt::jose::keys::{KeySetWarning, parse_jwk};
    let full = p256_key_with_leading_zero_x();
    let key = parse_jwk(&serde_json::Value::Object(full.clone()), "k").unwrap();
    let token = mint(&anon_request(), &key, None).unwrap();
    let mut short = full.clone();
    let x = supajwt::jose::b64::decode_strict(full["x"].as_str().unwrap()).unwrap();
    short["x"] = supajwt::jose::b64::encode(&x[1..]).into();
    short.remove("d");
    let jwks = serde_json::json!({ "keys": [short] }).to_string();
    let set = load_keys(&jwks).unwrap();
    assert_eq!(set.keys.len(), 1);
    let warning = set
        .warnings
        .iter()
        .find(|w| matches!(w, KeySetWarning::ShortEcCoordinate { .. }))
        .expect("a short-coordinate warning");
    assert_eq!(warning.code(), "short_ec_coordinate");
    assert!(
        matches!(warning, KeySetWarning::ShortEcCoordinate { coordinate, len: 31, expected: 32, kid: Some(kid), .. } if coordinate == "x" && kid == "short-x"),
        "{warning:?}"
    );
    let text = warning.to_string();
    assert!(
        text.contains("short-x") && text.contains("invalid \"x\" length (31)"),
        "{text}"
    );
    verify_token(
        &Jws::parse_unverified(&token).unwrap(),
        &set,
        &VerifyOptions::default(),
        NOW,
    )
    .unwrap();
    assert_eq!(
        to_jwk(&set.keys[0], false)["x"],
        full["x"],
        "exported full length again"
    );
    // A single JWK warns the same way; a full-length key has no warning.
    let single = load_keys(&serde_json::Value::Object(short).to_string()).unwrap();
    assert!(
        single
            .warnings
            .iter()
            .any(|w| w.code() == "short_ec_coordinate")
    );
    let healthy = load_keys(&serde_json::Value::Object(full).to_string()).unwrap();
    assert!(healthy.warnings.is_empty(), "{:?}", healthy.warnings);
}

/// A too-long coordinate is still an error, and a short one that is not a dropped zero (the
/// point is off the curve) is refused, not guessed.
#[test]
fn short_ec_coordinate_that_is_not_a_dropped_zero_is_refused() {
    let key = generate(KeygenAlg::ES256, KidChoice::None).unwrap();
    let mut jwk = to_jwk(&key, false);
    let x = supajwt::jose::b64::decode_strict(jwk["x"].as_str().unwrap()).unwrap();
    let mut long = vec![0u8];
    long.extend_from_slice(&x);
    jwk["x"] = supajwt::jose::b64::encode(&long).into();
    let e = load_keys(&serde_json::Value::Object(jwk.clone()).to_string()).unwrap_err();
    assert!(e.to_string().contains("length (33)"), "{e}");
    if x[0] != 0 {
        jwk["x"] = supajwt::jose::b64::encode(&x[1..]).into();
        let e = load_keys(&serde_json::Value::Object(jwk).to_string()).unwrap_err();
        assert!(e.to_string().contains("not a point"), "{e}");
    }
}

/// Every algorithm the table offers to generate maps to a generation request and back, and
/// RS512 (issue 22 §3) keeps the RSA size asked for.
#[test]
fn every_offered_algorithm_maps_to_a_generation_request() {
    use supajwt::jose::alg::Alg;
    for (alg, _) in Alg::generated() {
        assert_eq!(KeygenAlg::new(alg, 2048).unwrap().alg(), alg);
    }
    assert!(Alg::generated().iter().any(|(a, _)| *a == Alg::RS512));
    assert_eq!(
        KeygenAlg::new(Alg::RS512, 3072).unwrap(),
        KeygenAlg::RS512 { bits: 3072 }
    );
    assert!(KeygenAlg::new(Alg::PS256, 2048).is_err());
}
