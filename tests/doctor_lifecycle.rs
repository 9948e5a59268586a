//! The Doctor's lifecycle findings (issue 20), each firing on a stack crafted from upstream's
//! own (a standby key Realtime cannot see, a key only in JWT_JWKS, an API key whose signer was
//! revoked, two keys under one kid, an unused legacy secret) and none on upstream's stacks.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod lifecycle_kit;
mod upstream_stack;

use common::clock::UPSTREAM_NOW as NOW;
use lifecycle_kit::*;
use serde_json::Value;
use supajwt::jose::keys::KeygenAlg;
use supajwt::supabase::doctor::{Finding, Inputs, Report, Severity, diagnose, load};
use supajwt::supabase::lifecycle::add::plan_add;
use supajwt::supabase::lifecycle::read_stack;
use upstream_stack::*;

const LIFECYCLE: [&str; 5] = [
    "standby_key_unseen",
    "jwks_key_not_in_jwt_keys",
    "api_key_signer_revoked",
    "duplicate_kid",
    "legacy_secret_unused",
];

fn run(env: &str, compose: Option<&str>, kong: &str) -> Report {
    let inputs = Inputs {
        env: Some(env.into()),
        compose: compose.map(str::to_string),
        kong: Some(kong.into()),
        ..Inputs::default()
    };
    diagnose(&inputs, NOW).unwrap()
}

fn found<'a>(report: &'a Report, code: &str) -> Vec<&'a Finding> {
    report.findings.iter().filter(|f| f.code == code).collect()
}

fn lifecycle_codes(report: &Report) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| LIFECYCLE.contains(&f.code.as_str()))
        .map(|f| format!("[{}] {}: {}", f.code, f.title, f.detail))
        .collect()
}

/// upstream's stack plus a standby ES256 key "standby-1", as `key add` plans it.
fn with_standby() -> String {
    let env = opaque_stack();
    let config = load(&Inputs {
        env: Some(env.clone()),
        ..Inputs::default()
    })
    .unwrap();
    let stack = read_stack(&env, &config).unwrap();
    plan_add(
        &env,
        &stack,
        &config,
        KeygenAlg::ES256,
        Some("standby-1".into()),
        NOW - 7200,
    )
    .unwrap()
    .new_env
}

fn json_var(env: &str, var: &str) -> Value {
    serde_json::from_str(&raw_var(env, var)).unwrap()
}

fn set_json(env: &str, var: &str, v: &Value) -> String {
    set_var(env, var, &v.to_string(), true)
}

#[test]
fn none_fires_on_upstreams_stacks() {
    let legacy = legacy_stack();
    let opaque = opaque_stack();
    let rotated = rotate_new_api_keys(&opaque);
    let cases = [
        (env_example(), compose_2026_02(), kong_2026_02()),
        (env_example_opaque(), opaque_compose(false), kong_opaque()),
        (env_example_opaque(), opaque_compose(true), kong_opaque()),
        (legacy.clone(), compose_2026_02(), kong_2026_02()),
        (legacy, opaque_compose(false), kong_opaque()),
        (opaque.clone(), opaque_compose(true), kong_opaque()),
        (opaque.clone(), opaque_compose(false), kong_opaque()),
        (
            opaque.clone(),
            with_functions_jwks(&opaque_compose(true), true),
            kong_opaque(),
        ),
        (
            opaque.clone(),
            with_functions_jwks(&opaque_compose(false), false),
            kong_opaque(),
        ),
        (rotated, opaque_compose(true), kong_opaque()),
        // A standby key added by `key add` to a compose file that passes the key set.
        (with_standby(), opaque_compose(true), kong_opaque()),
    ];
    for (i, (env, compose, kong)) in cases.iter().enumerate() {
        for compose in [Some(compose.as_str()), None] {
            let report = run(env, compose, kong);
            let bad = lifecycle_codes(&report);
            assert!(bad.is_empty(), "case {i}: {bad:#?}\n{env}");
        }
    }
}

#[test]
fn a_standby_key_realtime_cannot_see_is_named_with_the_line_to_uncomment() {
    let env = with_standby();
    let compose = opaque_compose(true).replace("      API_JWT_JWKS:", "      # API_JWT_JWKS:");
    let report = run(&env, Some(&compose), &kong_opaque());
    let f = found(&report, "standby_key_unseen");
    assert_eq!(f.len(), 1, "{:#?}", report.findings);
    let f = f[0];
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.title.contains("\"standby-1\""), "{}", f.title);
    assert!(f.title.contains("realtime"), "{}", f.title);
    assert!(!f.title.contains("postgrest"), "{}", f.title);
    assert!(f.detail.contains("JWT_KEYS (.env line"), "{}", f.detail);
    assert!(
        f.fix
            .contains("uncomment the realtime service's line API_JWT_JWKS"),
        "{}",
        f.fix
    );
    // The whole asymmetric block commented out: GoTrue and Storage too.
    let report = run(&env, Some(&opaque_compose(false)), &kong_opaque());
    let f = found(&report, "standby_key_unseen");
    assert_eq!(f.len(), 1, "{:#?}", report.findings);
    for s in ["gotrue", "realtime", "storage"] {
        assert!(f[0].title.contains(s), "{}", f[0].title);
    }
    assert!(f[0].fix.contains("GOTRUE_JWT_KEYS"), "{}", f[0].fix);
}

#[test]
fn a_key_only_in_jwt_jwks_is_named() {
    let base = with_standby();
    let mut keys = json_var(&base, "JWT_KEYS");
    keys.as_array_mut()
        .unwrap()
        .retain(|k| k["kid"] != "standby-1");
    let env = set_json(&base, "JWT_KEYS", &keys);
    let report = run(&env, Some(&opaque_compose(true)), &kong_opaque());
    let f = found(&report, "jwks_key_not_in_jwt_keys");
    assert_eq!(f.len(), 1, "{:#?}", report.findings);
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(f[0].title.contains("\"standby-1\""), "{}", f[0].title);
    assert!(
        f[0].detail.contains("JWT_JWKS (.env line"),
        "{}",
        f[0].detail
    );
    assert!(
        f[0].fix.contains("supajwt key revoke standby-1"),
        "{}",
        f[0].fix
    );
    assert!(found(&report, "standby_key_unseen").is_empty());
}

/// upstream's stack after a promote of "standby-1" (it signs, the EC key of the script is
/// verify-only), then `old` applied to the EC key: the API keys still carry its kid.
fn promoted(keep_in_jwks: bool) -> (String, String) {
    let base = with_standby();
    let mut keys = json_var(&base, "JWT_KEYS");
    let old_kid = keys[0]["kid"].as_str().unwrap().to_string();
    for k in keys.as_array_mut().unwrap() {
        if k["kid"] == "standby-1" {
            k["key_ops"] = serde_json::json!(["sign", "verify"]);
        }
    }
    keys.as_array_mut().unwrap().remove(0);
    let mut env = set_json(&base, "JWT_KEYS", &keys);
    if !keep_in_jwks {
        let mut jwks = json_var(&env, "JWT_JWKS");
        jwks["keys"]
            .as_array_mut()
            .unwrap()
            .retain(|k| k["kid"] != old_kid.as_str());
        env = set_json(&env, "JWT_JWKS", &jwks);
    }
    (env, old_kid)
}

#[test]
fn an_api_key_whose_signer_left_jwt_keys_is_one_error() {
    // Still in JWT_JWKS: GoTrue refuses the API keys, the others accept them.
    let (env, old) = promoted(true);
    let report = run(&env, Some(&opaque_compose(true)), &kong_opaque());
    let f = found(&report, "api_key_signer_revoked");
    assert_eq!(f.len(), 2, "{:#?}", report.findings);
    assert!(f.iter().all(|f| f.severity == Severity::Error));
    assert!(f[0].title.contains(&format!("\"{old}\"")), "{}", f[0].title);
    assert!(f[0].detail.contains("GoTrue"), "{}", f[0].detail);
    assert!(!f[0].detail.contains("PostgREST"), "{}", f[0].detail);
    // One finding per cause: the key itself is not reported as JWKS-only on top.
    assert!(found(&report, "jwks_key_not_in_jwt_keys").is_empty());

    // Gone from both: the Doctor's asym_key_kid, refined only when a record says the key was
    // in this stack.
    let (env, old) = promoted(false);
    let report = run(&env, Some(&opaque_compose(true)), &kong_opaque());
    assert_eq!(found(&report, "asym_key_kid").len(), 2);
    assert!(found(&report, "api_key_signer_revoked").is_empty());
    let env = format!("{env}# supajwt: key {old} stopped signing 2026-02-27T10:00:00Z\n");
    let report = run(&env, Some(&opaque_compose(true)), &kong_opaque());
    assert!(
        found(&report, "asym_key_kid").is_empty(),
        "{:#?}",
        report.findings
    );
    let f = found(&report, "api_key_signer_revoked");
    assert_eq!(f.len(), 2, "{:#?}", report.findings);
    assert!(f[0].detail.contains(".env line"), "{}", f[0].detail);
    assert!(f[0].detail.contains("2026-02-27"), "{}", f[0].detail);
}

#[test]
fn two_keys_with_one_kid_are_one_error_per_kid() {
    // Within both variables: the standby key takes the signing key's kid.
    let base = with_standby();
    let mut keys = json_var(&base, "JWT_KEYS");
    let mut jwks = json_var(&base, "JWT_JWKS");
    let kid = keys[0]["kid"].clone();
    keys[2]["kid"] = kid.clone();
    jwks["keys"][2]["kid"] = kid.clone();
    assert_eq!(jwks["keys"][2]["kty"], "EC");
    let env = set_json(&set_json(&base, "JWT_KEYS", &keys), "JWT_JWKS", &jwks);
    let report = run(&env, Some(&opaque_compose(true)), &kong_opaque());
    let f = found(&report, "duplicate_kid");
    assert_eq!(f.len(), 1, "{:#?}", report.findings);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].title.contains(kid.as_str().unwrap()), "{}", f[0].title);
    assert!(
        f[0].detail.contains("JWT_KEYS: thumbprint"),
        "{}",
        f[0].detail
    );
    assert!(found(&report, "jwt_jwks_missing_key").is_empty());

    // Across them only: JWT_JWKS has another key under the signing key's kid (and the
    // standby key is gone from JWT_KEYS).
    let mut keys = json_var(&base, "JWT_KEYS");
    keys.as_array_mut().unwrap().remove(2);
    let base = set_json(&base, "JWT_KEYS", &keys);
    let mut jwks = json_var(&base, "JWT_JWKS");
    let standby = jwks["keys"][2].clone();
    jwks["keys"][0] = standby;
    jwks["keys"][0]["kid"] = kid.clone();
    jwks["keys"].as_array_mut().unwrap().remove(2);
    let env = set_json(&base, "JWT_JWKS", &jwks);
    let report = run(&env, Some(&opaque_compose(true)), &kong_opaque());
    assert_eq!(
        found(&report, "duplicate_kid").len(),
        1,
        "{:#?}",
        report.findings
    );
    for other in ["jwt_jwks_missing_key", "jwks_key_not_in_jwt_keys"] {
        assert!(found(&report, other).is_empty(), "{:#?}", report.findings);
    }
}

/// upstream's stack whose ANON_KEY / SERVICE_ROLE_KEY are the ES256 ones: the legacy secret
/// signs nothing.
fn off_the_secret() -> String {
    let env = opaque_stack();
    let env = set_var(
        &env,
        "ANON_KEY",
        &raw_var(&env, "ANON_KEY_ASYMMETRIC"),
        true,
    );
    set_var(
        &env,
        "SERVICE_ROLE_KEY",
        &raw_var(&env, "SERVICE_ROLE_KEY_ASYMMETRIC"),
        true,
    )
}

#[test]
fn a_legacy_secret_nothing_needs_is_safe_to_revoke() {
    let env = off_the_secret();
    let report = run(&env, Some(&opaque_compose(true)), &kong_opaque());
    let f = found(&report, "legacy_secret_unused");
    assert_eq!(f.len(), 1, "{:#?}", report.findings);
    assert_eq!(f[0].severity, Severity::Info);
    assert!(f[0].fix.contains("supajwt key revoke "), "{}", f[0].fix);
    assert!(
        f[0].detail.contains("No `# supajwt:` record"),
        "{}",
        f[0].detail
    );
    let config = load(&Inputs {
        env: Some(env.clone()),
        ..Inputs::default()
    })
    .unwrap();
    let stack = read_stack(&env, &config).unwrap();
    let secret = stack
        .keys
        .iter()
        .find(|k| k.held_in.contains(&"JWT_SECRET"))
        .unwrap();
    let prefix = &secret.thumbprint[..8];
    assert!(
        f[0].fix.contains(&format!("revoke {prefix}")),
        "{}",
        f[0].fix
    );

    // Realtime without API_JWT_JWKS still needs the secret: nothing to say.
    let compose = opaque_compose(true).replace("      API_JWT_JWKS:", "      # API_JWT_JWKS:");
    assert!(
        found(
            &run(&env, Some(&compose), &kong_opaque()),
            "legacy_secret_unused"
        )
        .is_empty()
    );
    // It stopped signing 10 minutes ago: sessions it signed are live, not yet.
    let record = |at: &str| format!("{env}# supajwt: key {prefix} stopped signing {at}\n");
    let recent = record("2026-02-28T23:50:00Z");
    assert!(
        found(
            &run(&recent, Some(&opaque_compose(true)), &kong_opaque()),
            "legacy_secret_unused"
        )
        .is_empty()
    );
    let old = record("2026-02-27T10:00:00Z");
    let report = run(&old, Some(&opaque_compose(true)), &kong_opaque());
    let f = found(&report, "legacy_secret_unused");
    assert_eq!(f.len(), 1, "{:#?}", report.findings);
    assert!(
        f[0].detail.contains("stopped signing at 2026-02-27"),
        "{}",
        f[0].detail
    );
}

#[test]
fn an_unreadable_stack_adds_no_lifecycle_finding() {
    let env = set_var(&opaque_stack(), "JWT_KEYS", "[{\"kty\":", true);
    let report = run(&env, Some(&opaque_compose(true)), &kong_opaque());
    assert!(!found(&report, "jwt_keys_invalid").is_empty());
    assert!(
        lifecycle_codes(&report).is_empty(),
        "{:#?}",
        report.findings
    );
}
