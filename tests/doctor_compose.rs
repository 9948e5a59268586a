//! The one `.env` + compose reader, behaving like docker compose v2: `.env` quoting and
//! interpolation (a `$` in JWT_SECRET), `${A:?e}`, malformed interpolation, override files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::clock::UPSTREAM_NOW as NOW;
use supajwt::supabase::doctor::{Inputs, Report, Severity, diagnose, load};
use upstream_stack::*;

fn inputs(env: &str, compose: &[&str]) -> Inputs {
    Inputs {
        env: Some(env.into()),
        compose: compose.first().map(|c| c.to_string()),
        compose_overrides: compose.iter().skip(1).map(|c| c.to_string()).collect(),
        ..Inputs::default()
    }
}

fn report(env: &str, compose: &[&str]) -> Report {
    diagnose(&inputs(env, compose), NOW).unwrap()
}

fn codes(r: &Report) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

fn healthy_env() -> String {
    generate_keys(&env_example(), NOW - 86_400)
}

#[test]
fn a_dollar_in_an_unquoted_jwt_secret_is_expanded_by_compose() {
    // Compose expands `$PART` in an unquoted or double-quoted value: the services get
    // another secret than the one the keys were signed with.
    let written = "abc$PART-0123456789-0123456789-0123456789";
    for (line, expanded) in [
        (format!("JWT_SECRET={written}"), true),
        (format!("JWT_SECRET=\"{written}\""), true),
        (format!("JWT_SECRET='{written}'"), false),
        (format!("JWT_SECRET={}", written.replace('$', "$$")), false),
    ] {
        let e = set_var(&healthy_env(), "JWT_SECRET", "x", false).replace("JWT_SECRET=x", &line);
        let config = load(&inputs(&e, &[])).unwrap();
        let seen = config.get("JWT_SECRET").unwrap().to_string();
        assert_eq!(seen != written, expanded, "{line}: {seen}");
        let r = report(&e, &[&compose_2026_02()]);
        let f = r.findings.iter().find(|f| f.code == "env_dollar_expanded");
        assert_eq!(f.is_some(), expanded, "{line}: {:#?}", r.findings);
        if let Some(f) = f {
            assert_eq!(f.severity, Severity::Warning);
            assert!(f.fix.contains("single quotes"), "{}", f.fix);
        }
    }
}

#[test]
fn env_quoting_follows_compose() {
    let env = "A=plain # comment\nB='single $A # kept'\nC=\"dq \\\"x\\\" $A\"\nD=$A-${A}-$$A\nexport E=e\nF: yaml\n";
    let config = load(&inputs(env, &[])).unwrap();
    let get = |n: &str| config.get(n).unwrap_or_default().to_string();
    assert_eq!(get("A"), "plain");
    assert_eq!(get("B"), "single $A # kept");
    assert_eq!(get("C"), "dq \"x\" plain");
    assert_eq!(get("D"), "plain-plain-$A");
    assert_eq!(get("E"), "e");
    assert_eq!(get("F"), "yaml");
}

#[test]
fn required_and_malformed_interpolation_stop_compose() {
    let env = healthy_env();
    let compose = compose_2026_02().replace(
        "GOTRUE_JWT_SECRET: ${JWT_SECRET}",
        "GOTRUE_JWT_SECRET: ${JWT_SECRET}\n      GOTRUE_X: ${NOT_SET:?set NOT_SET in .env}\n      GOTRUE_Y: ${BROKEN",
    );
    let r = report(&env, &[&compose]);
    let c = codes(&r);
    assert!(c.contains(&"compose_required_variable"), "{c:?}");
    assert!(c.contains(&"compose_invalid_interpolation"), "{c:?}");
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "compose_required_variable")
        .unwrap();
    assert!(f.detail.contains("set NOT_SET in .env"), "{}", f.detail);
}

#[test]
fn override_files_are_merged_in_order() {
    let env = healthy_env();
    let base = compose_2026_02();
    let stale = "services:\n  auth:\n    environment:\n      GOTRUE_JWT_SECRET: an-old-secret-left-in-the-override-file-123\n";
    let r = report(&env, &[&base, stale]);
    assert!(
        r.findings.iter().any(|f| f.code == "service_value_mismatch"
            && f.variables.contains(&"GOTRUE_JWT_SECRET".to_string())),
        "{:#?}",
        r.findings
    );
    assert!(
        r.read.iter().any(|s| s.contains("1 override")),
        "{:?}",
        r.read
    );
    // A later file putting it back wins.
    let fixed = "services:\n  auth:\n    environment:\n      - GOTRUE_JWT_SECRET=${JWT_SECRET}\n";
    let r = report(&env, &[&base, stale, fixed]);
    assert!(!r.has_errors(), "{:#?}", r.findings);
    // The Envoy override disables kong (profiles) and adds api-gw.
    let config = load(&inputs(&env, &[&base, &compose_envoy()])).unwrap();
    assert!(config.service_var("kong", "SUPABASE_ANON_KEY").is_none());
    assert_eq!(
        config
            .service_var("api-gw", "ANON_KEY")
            .map(|v| v.value.clone()),
        Some(raw_var(&env, "ANON_KEY"))
    );
}

#[test]
fn nested_defaults_are_right_in_compose_v2() {
    let env = add_new_auth_keys(&healthy_env(), NOW - 86_400);
    let config = load(&inputs(&env, &[&opaque_compose(true)])).unwrap();
    let v = |s: &str, n: &str| config.service_var(s, n).unwrap().value.clone();
    assert_eq!(v("rest", "PGRST_JWT_SECRET"), raw_var(&env, "JWT_JWKS"));
    assert_eq!(v("storage", "JWT_JWKS"), raw_var(&env, "JWT_JWKS"));
    assert_eq!(v("auth", "GOTRUE_JWT_KEYS"), raw_var(&env, "JWT_KEYS"));
    let bare = load(&inputs(&env_example_opaque(), &[&opaque_compose(true)])).unwrap();
    let v = |s: &str, n: &str| bare.service_var(s, n).unwrap().value.clone();
    assert_eq!(
        v("rest", "PGRST_JWT_SECRET"),
        raw_var(&env_example(), "JWT_SECRET")
    );
    assert_eq!(v("realtime", "API_JWT_JWKS"), r#"{"keys":[]}"#);
    assert_eq!(v("auth", "GOTRUE_JWT_KEYS"), "[]");
}
