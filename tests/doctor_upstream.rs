//! Never an error on a healthy stack: upstream's own files (tests/data/upstream/) as shipped,
//! after generate-keys.sh, after add-new-auth-keys.sh and after rotate-new-api-keys.sh, each with
//! hundreds of random keys, through the core and through the CLI (exit 0).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::cli::command;
use common::clock::UPSTREAM_NOW as NOW;
use supajwt::supabase::doctor::{Inputs, Report, Severity, diagnose};
use upstream_stack::*;

/// The day before NOW (2026-03-01): when the scripts ran and minted the keys.
const SCRIPT_TIME: i64 = NOW - 86_400;

fn doctor(env: &str, compose: &str, kong: &str) -> Report {
    let inputs = Inputs {
        env: Some(env.into()),
        compose: Some(compose.into()),
        kong: Some(kong.into()),
        ..Inputs::default()
    };
    diagnose(&inputs, NOW).unwrap()
}

fn assert_healthy(report: &Report, what: &str, env: &str) {
    let bad: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Error)
        .map(|f| format!("[{}] {}: {}", f.code, f.title, f.detail))
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:#?}\n.env:\n{env}");
    // The lifecycle findings (issue 20) never fire on upstream's stacks, whatever the severity.
    let lifecycle: Vec<&str> = codes(report)
        .into_iter()
        .filter(|c| LIFECYCLE.contains(c))
        .collect();
    assert!(lifecycle.is_empty(), "{what}: {lifecycle:?}\n.env:\n{env}");
}

const LIFECYCLE: [&str; 5] = [
    "standby_key_unseen",
    "jwks_key_not_in_jwt_keys",
    "api_key_signer_revoked",
    "duplicate_kid",
    "legacy_secret_unused",
];

fn codes(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn the_stacks_as_shipped_only_warn_that_the_demo_keys_are_public() {
    for (what, env, compose, kong) in [
        ("2026-02", env_example(), compose_2026_02(), kong_2026_02()),
        (
            "opaque",
            env_example_opaque(),
            opaque_compose(false),
            kong_opaque(),
        ),
        (
            "opaque, asymmetric lines uncommented",
            env_example_opaque(),
            opaque_compose(true),
            kong_opaque(),
        ),
    ] {
        let report = doctor(&env, &compose, &kong);
        assert_healthy(&report, what, &env);
        for code in ["demo_secret", "demo_key"] {
            let f = report.findings.iter().find(|f| f.code == code).unwrap();
            assert_eq!(f.severity, Severity::Warning, "{what}: {code}");
        }
    }
    // The demo keys expire 2027-01-09: within 60 days, a warning with the date.
    let inputs = Inputs {
        env: Some(env_example()),
        ..Inputs::default()
    };
    let late = diagnose(&inputs, 1_799_535_600 - 30 * 86_400).unwrap();
    let expiring = late
        .findings
        .iter()
        .find(|f| f.code == "api_key_expiring")
        .unwrap();
    assert!(expiring.title.contains("2027-01-09"), "{}", expiring.title);
    assert!(!late.has_errors());
}

#[test]
fn the_nested_default_warns_only_where_podman_compose_before_1_6_mangles_it() {
    let report = doctor(&env_example_opaque(), &opaque_compose(true), &kong_opaque());
    let podman: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "podman_nested_default")
        .collect();
    assert!(podman.iter().all(|f| f.severity == Severity::Warning));
    // JWT_JWKS empty: PGRST_JWT_SECRET gets the literal ${JWT_SECRET}; storage's JWT_JWKS (its
    // own name) breaks in 1.5.0; realtime's API_JWT_JWKS default {"keys":[]} comes out right.
    let titles: Vec<&str> = podman.iter().map(|f| f.title.as_str()).collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("PGRST_JWT_SECRET (rest)")),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.starts_with("JWT_JWKS (storage)")),
        "{titles:?}"
    );
    assert!(
        !titles.iter().any(|t| t.starts_with("API_JWT_JWKS")),
        "{titles:?}"
    );
    assert!(
        podman
            .iter()
            .all(|f| f.detail.contains("podman-compose < 1.6.0"))
    );
    // With keys: every nested default gets a stray '}' in podman-compose < 1.6.0.
    let env = add_new_auth_keys(
        &generate_keys(&env_example_opaque(), SCRIPT_TIME),
        SCRIPT_TIME,
    );
    let report = doctor(&env, &opaque_compose(true), &kong_opaque());
    assert_healthy(&report, "with keys", &env);
    let stray = report
        .findings
        .iter()
        .filter(|f| f.code == "podman_nested_default" && f.detail.contains("stray"))
        .count();
    assert_eq!(stray, 3, "{:#?}", report.findings);
    // The 2026-02 compose has no nested default: nothing to say.
    let report = doctor(&env, &compose_2026_02(), &kong_2026_02());
    assert!(!codes(&report).contains(&"podman_nested_default"));
}

#[test]
fn new_legacy_keys_are_healthy_on_both_stacks() {
    for i in 0..300 {
        let env = generate_keys(&env_example(), SCRIPT_TIME);
        let report = doctor(&env, &compose_2026_02(), &kong_2026_02());
        assert_healthy(&report, "generate-keys.sh, 2026-02", &env);
        assert!(report.findings.is_empty() || !codes(&report).contains(&"demo_key"));
        if i % 3 == 0 {
            let env = generate_keys(&env_example_opaque(), SCRIPT_TIME);
            let report = doctor(&env, &opaque_compose(false), &kong_opaque());
            assert_healthy(&report, "generate-keys.sh, opaque", &env);
        }
    }
}

#[test]
fn asymmetric_and_opaque_keys_are_healthy() {
    for _ in 0..200 {
        let env = generate_keys(&env_example_opaque(), SCRIPT_TIME);
        let env = add_new_auth_keys(&env, SCRIPT_TIME);
        let report = doctor(&env, &opaque_compose(true), &kong_opaque());
        assert_healthy(&report, "add-new-auth-keys.sh", &env);
        assert!(!codes(&report).contains(&"opaque_key_checksum"), "{env}");
    }
}

#[test]
fn edge_functions_accept_the_stacks_es256_tokens() {
    use supajwt::jose::keys::load_keys;
    use supajwt::jose::sign::sign_claims;
    let env = add_new_auth_keys(
        &generate_keys(&env_example_opaque(), SCRIPT_TIME),
        SCRIPT_TIME,
    );
    let env = set_var(&env, "FUNCTIONS_VERIFY_JWT", "true", true);
    let keys = load_keys(&raw_var(&env, "JWT_KEYS")).unwrap();
    let claims = serde_json::json!({"sub":"6b1d3c3e-0000-4000-8000-000000000001","role":"authenticated","aud":"authenticated","exp":NOW + 3600,"iat":NOW});
    let user = sign_claims(claims.as_object().unwrap(), &keys.keys[0], None).unwrap();
    // The compose files before and after supabase/supabase PR #45635 (SUPABASE_JWKS), each as
    // add-new-auth-keys.sh leaves it; and the stack's own ES256 API keys.
    for compose in [
        opaque_compose(true),
        with_functions_jwks(&opaque_compose(true), true),
    ] {
        for token in [user.clone(), raw_var(&env, "ANON_KEY_ASYMMETRIC")] {
            let inputs = Inputs {
                env: Some(env.clone()),
                compose: Some(compose.clone()),
                kong: Some(kong_opaque()),
                token: Some(token),
                ..Inputs::default()
            };
            let report = diagnose(&inputs, NOW).unwrap();
            assert_healthy(&report, "ES256 token", &env);
            let f = report
                .services
                .iter()
                .find(|s| s.service == "Functions")
                .unwrap();
            assert_eq!(f.accepted, Some(true), "{}", f.message);
        }
    }
}

#[test]
fn rotated_opaque_keys_are_healthy() {
    let base = add_new_auth_keys(
        &generate_keys(&env_example_opaque(), SCRIPT_TIME),
        SCRIPT_TIME,
    );
    let mut underscore_in_checksum = 0;
    for _ in 0..200 {
        let env = rotate_new_api_keys(&base);
        for var in ["SUPABASE_PUBLISHABLE_KEY", "SUPABASE_SECRET_KEY"] {
            let key = raw_var(&env, var);
            underscore_in_checksum += usize::from(key[key.len() - 8..].contains('_'));
        }
        let report = doctor(&env, &opaque_compose(true), &kong_opaque());
        assert_healthy(&report, "rotate-new-api-keys.sh", &env);
        assert!(!codes(&report).contains(&"opaque_key_checksum"), "{env}");
    }
    assert!(
        underscore_in_checksum > 0,
        "the random keys cover '_' in the checksum"
    );
}

#[test]
fn opaque_keys_with_underscores_in_the_checksum_are_parsed_by_position() {
    // Found by brute force with upstream's generateOpaqueKey: random part and checksum hold '_'.
    let mut env = generate_keys(&env_example_opaque(), SCRIPT_TIME);
    env = add_new_auth_keys(&env, SCRIPT_TIME);
    let mut found = None;
    for _ in 0..10_000 {
        let key = opaque_key("sb_secret_");
        if key[33..].contains('_') {
            found = Some(key);
            break;
        }
    }
    let key = found.unwrap();
    env = set_var(&env, "SUPABASE_SECRET_KEY", &key, true);
    let report = doctor(&env, &opaque_compose(true), &kong_opaque());
    assert_healthy(&report, "checksum with _", &env);
    let bad = set_var(&env, "SUPABASE_SECRET_KEY", &key[..40], true);
    let report = doctor(&bad, &opaque_compose(true), &kong_opaque());
    assert!(codes(&report).contains(&"opaque_key_format"));
}

#[test]
fn the_cli_exits_0_on_upstreams_files() {
    let dir = tempfile::tempdir().unwrap();
    let env = add_new_auth_keys(
        &generate_keys(&env_example_opaque(), SCRIPT_TIME),
        SCRIPT_TIME,
    );
    for (name, text) in [
        (".env", env.as_str()),
        ("docker-compose.yml", &opaque_compose(true)),
        ("kong.yml", &kong_opaque()),
        (".env.example", &env_example()),
        ("compose-2026-02.yml", &compose_2026_02()),
        ("kong-2026-02.yml", &kong_2026_02()),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let p = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
    for (env, compose, kong) in [
        (".env", "docker-compose.yml", "kong.yml"),
        (".env.example", "compose-2026-02.yml", "kong-2026-02.yml"),
    ] {
        let out = command()
            .args(["doctor", "--env", &p(env), "--compose", &p(compose)])
            .args(["--kong", &p(kong), "--now", &NOW.to_string()])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{env}: {stdout}");
    }
}
