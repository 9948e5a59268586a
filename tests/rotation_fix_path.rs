//! Issue 23 §A.1–A.2: a rotation never keeps a public secret trusted and issues fresh API keys.
//! Upstream's own `.env.example` (the demo JWT_SECRET) is rotated by every plan, in the core and
//! on the command line; the re-issued keys are minted as `generate-keys.sh` mints them unless
//! the old payloads are kept on request, with a warning when those expire soon.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::cli::run;
use common::clock::UPSTREAM_NOW as NOW;
use supajwt::jose::b64;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::keys::{KeySet, KeySetShape, KeygenAlg, secret_key};
use supajwt::jose::token::Jws;
use supajwt::jose::verify::VerifyOptions;
use supajwt::supabase::doctor::rotate::{ApiKeyClaims, Rotation, plan, plan_with};
use supajwt::supabase::doctor::{Inputs, load};
use supajwt::supabase::roles::{DOCKER_DEMO_ANON_KEY, DOCKER_DEMO_SECRET};
use supajwt::supabase::verify::verify_token;
use upstream_stack::*;

/// Five years of 365 days, as `generate-keys.sh` counts them, give or take the leap days.
const FIVE_YEARS: std::ops::RangeInclusive<i64> = (5 * 365 * 86_400)..=(5 * 366 * 86_400);

fn rotation_of(env: &str, alg: KeygenAlg, claims: ApiKeyClaims, now: i64) -> Rotation {
    let config = load(&Inputs {
        env: Some(env.into()),
        ..Inputs::default()
    })
    .unwrap();
    plan_with(&config, alg, claims, now).unwrap()
}

fn changed<'a>(r: &'a Rotation, var: &str) -> Option<&'a str> {
    r.changes.iter().find(|c| c.0 == var).map(|c| c.2.as_str())
}

fn claims(token: &str) -> serde_json::Map<String, serde_json::Value> {
    Jws::parse_unverified(token).unwrap().claims().unwrap()
}

/// The demo secret's `k` (base64url of its bytes), as an `oct` JWK would carry it.
fn demo_k() -> String {
    b64::encode(DOCKER_DEMO_SECRET.as_bytes())
}

#[test]
fn every_plan_replaces_the_demo_secret_and_keeps_no_oct_key_of_it() {
    let env = env_example();
    assert!(
        env.contains(DOCKER_DEMO_SECRET),
        "the fixture is upstream's demo .env"
    );
    for alg in [
        KeygenAlg::ES256,
        KeygenAlg::RS256 { bits: 2048 },
        KeygenAlg::ES512,
        KeygenAlg::HS256,
    ] {
        let r = rotation_of(&env, alg, ApiKeyClaims::Fresh, NOW);
        let secret =
            changed(&r, "JWT_SECRET").unwrap_or_else(|| panic!("{alg:?} keeps JWT_SECRET"));
        assert_ne!(secret, DOCKER_DEMO_SECRET);
        assert!(secret.len() >= 32);
        for var in ["JWT_KEYS", "JWT_JWKS"] {
            if let Some(value) = changed(&r, var) {
                assert!(
                    !value.contains(&demo_k()),
                    "{alg:?}: {var} still trusts the demo secret"
                );
            }
        }
        assert!(
            r.steps[0].contains("public demo JWT_SECRET") && r.steps[0].contains("revoked at once"),
            "{alg:?}: the plan must say why: {:?}",
            r.steps
        );
        // The legacy keys are re-issued under the new secret, so they keep working.
        let keys = KeySet::single(
            secret_key(secret, SecretEncoding::Text).unwrap(),
            KeySetShape::Secret,
        );
        for var in ["ANON_KEY", "SERVICE_ROLE_KEY"] {
            let token = changed(&r, var).unwrap();
            let jws = Jws::parse_unverified(token).unwrap();
            verify_token(&jws, &keys, &VerifyOptions::default(), NOW).unwrap();
        }
    }
}

#[test]
fn a_short_secret_is_replaced_too() {
    let env = set_var(&env_example(), "JWT_SECRET", "only-twenty-chars-xx", false);
    let r = rotation_of(&env, KeygenAlg::ES256, ApiKeyClaims::Fresh, NOW);
    assert!(changed(&r, "JWT_SECRET").is_some());
    assert!(r.steps[0].contains("only 20 characters"), "{:?}", r.steps);
}

#[test]
fn a_private_secret_stays_as_the_verification_key() {
    let env = generate_keys(&env_example(), NOW - 86_400);
    let secret = raw_var(&env, "JWT_SECRET");
    let r = rotation_of(&env, KeygenAlg::ES256, ApiKeyClaims::Fresh, NOW);
    assert!(changed(&r, "JWT_SECRET").is_none());
    assert!(
        changed(&r, "JWT_KEYS")
            .unwrap()
            .contains(&b64::encode(secret.as_bytes()))
    );
    assert!(!r.steps.iter().any(|s| s.contains("revoked at once")));
}

#[test]
fn api_keys_are_minted_fresh_as_generate_keys_does() {
    for alg in [KeygenAlg::HS256, KeygenAlg::ES256] {
        let r = rotation_of(&env_example(), alg, ApiKeyClaims::Fresh, NOW);
        for (var, role) in [("ANON_KEY", "anon"), ("SERVICE_ROLE_KEY", "service_role")] {
            let c = claims(changed(&r, var).unwrap());
            assert_eq!(c["role"], role);
            assert_eq!(c["iss"], "supabase", "{alg:?} {var}: not the demo issuer");
            assert_eq!(c["iat"], NOW);
            let lifetime = c["exp"].as_i64().unwrap() - NOW;
            assert!(
                FIVE_YEARS.contains(&lifetime),
                "{alg:?} {var}: {lifetime} s"
            );
        }
    }
    let asym = rotation_of(&env_example(), KeygenAlg::ES256, ApiKeyClaims::Fresh, NOW);
    assert_eq!(
        claims(changed(&asym, "ANON_KEY_ASYMMETRIC").unwrap())["iss"],
        "supabase"
    );
}

#[test]
fn kept_payloads_that_expire_soon_are_named() {
    let demo_exp = claims(DOCKER_DEMO_ANON_KEY)["exp"].as_i64().unwrap();
    let now = demo_exp - 33 * 86_400;
    let r = rotation_of(&env_example(), KeygenAlg::HS256, ApiKeyClaims::Keep, now);
    let anon = claims(changed(&r, "ANON_KEY").unwrap());
    assert_eq!(
        (anon["iss"].as_str(), anon["exp"].as_i64()),
        (Some("supabase-demo"), Some(demo_exp))
    );
    let warning = r
        .steps
        .iter()
        .find(|s| s.starts_with("Warning: the kept ANON_KEY"))
        .unwrap();
    assert!(
        warning.contains("in 1 month") || warning.contains("in 33 days"),
        "{warning}"
    );
    // The default mints anew: no such warning.
    let fresh = plan(
        &load(&Inputs {
            env: Some(env_example()),
            ..Inputs::default()
        })
        .unwrap(),
        KeygenAlg::HS256,
        now,
    )
    .unwrap();
    assert!(
        !fresh
            .steps
            .iter()
            .any(|s| s.starts_with("Warning: the kept"))
    );
}

#[test]
fn the_command_line_rotates_away_from_the_demo_secret() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    std::fs::write(&env, env_example()).unwrap();
    let env = env.to_string_lossy().into_owned();
    let now = NOW.to_string();
    let out = run(
        &["rotate", "--env", &env, "--alg", "ES256", "--now", &now],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stdout.contains(&demo_k()),
        "the demo secret is still trusted"
    );
    assert!(out.stdout.contains("+JWT_SECRET="));
    assert!(out.stdout.contains("revoked at once"));
    let kept = run(
        &[
            "rotate",
            "--env",
            &env,
            "--alg",
            "HS256",
            "--keep-claims",
            "--now",
            &now,
        ],
        None,
    );
    assert_eq!(kept.code, 0, "{}", kept.stderr);
    let anon = kept
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("+ANON_KEY="))
        .unwrap();
    assert_eq!(claims(anon)["iss"], "supabase-demo");
}
