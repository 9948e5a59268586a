//! `supajwt key add` (a dry run) on upstream's own stacks: the diff of a new standby key, the
//! matrix after it, the compose lines still to uncomment, and the legacy-only stack's first JWT_KEYS.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod lifecycle_kit;
mod upstream_stack;

use common::clock::UPSTREAM_NOW as NOW;
use lifecycle_kit::*;
use serde_json::json;
use supajwt::supabase::doctor::{Inputs, diagnose};
use upstream_stack::*;

fn add(f: &Files, kid: &str) -> common::cli::Output {
    key_cli(f, &["add"], NOW, &["--kid", kid])
}

/// `key add` (dry run) on upstream's stack: a standby key whose applied diff leaves the stack
/// healthy, every other line untouched, and whose future sessions every verifier accepts.
#[test]
fn key_add_plans_a_standby_key_the_stack_accepts() {
    let env = opaque_stack();
    let f = files(&env, &opaque_compose(true), &kong_opaque());
    let r = add(&f, "next");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("+# supajwt: key next standby since 2026-03-01T00:00:00Z"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Before:") && r.stdout.contains("After:") && r.stdout.contains("Steps:")
    );
    assert!(
        r.stdout.contains("not before 2026-03-01 00:20:00 UTC"),
        "{}",
        r.stdout
    );
    let diff: String = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("+JWT_"))
        .map(|l| format!("{l}\n"))
        .collect();
    let after =
        apply_env_diff(&env, &diff) + "# supajwt: key next standby since 2026-03-01T00:00:00Z\n";
    let changed: Vec<_> = env
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.split('=').next().unwrap().to_string())
        .collect();
    assert_eq!(changed, ["JWT_KEYS", "JWT_JWKS"]);
    let report = diagnose(
        &Inputs {
            env: Some(after.clone()),
            compose: Some(opaque_compose(true)),
            kong: Some(kong_opaque()),
            ..Inputs::default()
        },
        NOW,
    )
    .unwrap();
    assert!(!report.has_errors(), "{:#?}", report.findings);
    let listed = list_json(&files(&after, &opaque_compose(true), &kong_opaque()));
    let next = listed["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == "next")
        .unwrap()
        .clone();
    assert_eq!(
        (next["state"].clone(), next["since"].clone()),
        (json!("standby"), json!(NOW))
    );
    assert_eq!(
        listed["keys"][0]["state"], "signing",
        "the old key still signs"
    );
    let promoted = r
        .stdout
        .lines()
        .find(|l| l.contains("user sessions signed by next (once promoted)"))
        .unwrap();
    assert!(!promoted.contains("NO"), "{promoted}");
}

#[test]
fn key_add_names_the_commented_lines_and_accepts_the_legacy_only_stack() {
    let env = opaque_stack();
    let f = files(&env, &opaque_compose(false), &kong_opaque());
    let r = add(&f, "next");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("uncomment API_JWT_JWKS"), "{}", r.stdout);
    let promoted = r
        .stdout
        .lines()
        .find(|l| l.contains("(once promoted)"))
        .unwrap();
    assert!(
        promoted.contains("NO"),
        "Realtime cannot see it yet: {promoted}"
    );
    let legacy = files(&legacy_stack(), &compose_2026_02(), &kong_2026_02());
    let r = add(&legacy, "next");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("had no JWT_KEYS"), "{}", r.stdout);
    // The legacy secret signs in JWT_KEYS and GoTrue signs with JWT_SECRET: the same key, so
    // the matrix has no second row for "GoTrue's real signer" (it had, found by hand).
    assert!(!r.stdout.contains("real signer"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("not with the .env's signing key"),
        "{}",
        r.stdout
    );
}
