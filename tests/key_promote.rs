//! `supajwt key promote` on upstream's own stacks, and the whole rotation walk (add → promote →
//! revoke, each plan's `.env` fed back) with the Doctor healthy and nobody logged out at every
//! step; promote refused too early, with JWKS lines still commented, and on bad input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod lifecycle_kit;
mod upstream_stack;

use common::clock::UPSTREAM_NOW as NOW;
use lifecycle_kit::*;
use supajwt::supabase::lifecycle::KeyState;
use supajwt::supabase::lifecycle::promote::plan_promote;
use supajwt::supabase::lifecycle::revoke::plan_revoke;
use upstream_stack::*;

/// upstream's opaque stack with a standby key "next" added at NOW.
fn with_standby() -> String {
    add_next(&opaque_stack(), &opaque_compose(true), &kong_opaque(), NOW)
        .0
        .new_env
}

fn promote_cli(f: &Files, key: &str, now: i64, extra: &[&str]) -> common::cli::Output {
    key_cli(f, &["promote", key], now, extra)
}

#[test]
fn a_whole_rotation_logs_nobody_out() {
    let (compose, kong) = (opaque_compose(true), kong_opaque());
    let env0 = opaque_stack();
    let (add, old) = add_next(&env0, &compose, &kong, NOW);
    let env1 = add.new_env;
    assert_other_lines_kept(&env0, &env1);
    assert_healthy(&env1, &compose, &kong, NOW);
    assert_session_accepted(&env1, &compose, &kong, &old, NOW);

    let t2 = NOW + 21 * 60;
    let (config, stack) = stack_of(&env1, &compose, &kong);
    let promote = plan_promote(&env1, &stack, &config, "next", t2, false).unwrap();
    let env2 = promote.new_env;
    assert_other_lines_kept(&env1, &env2);
    assert!(env2.contains(&format!(
        "# supajwt: key {old} stopped signing 2026-03-01T00:21:00Z\n"
    )));
    assert!(env2.contains("# supajwt: key next signing since 2026-03-01T00:21:00Z\n"));
    assert_healthy(&env2, &compose, &kong, t2);
    let (_, stack2) = stack_of(&env2, &compose, &kong);
    let next = stack2.find("next").unwrap();
    assert_eq!(next.state, KeyState::Signing);
    assert_eq!(
        next.signed,
        ["ANON_KEY_ASYMMETRIC", "SERVICE_ROLE_KEY_ASYMMETRIC"],
        "re-minted with the new key"
    );
    let was = stack2.find(&old).unwrap();
    assert_eq!(
        (was.state, was.stopped_signing),
        (KeyState::PreviouslyUsed, Some(t2))
    );
    assert_session_accepted(&env2, &compose, &kong, &old, t2);
    assert_session_accepted(&env2, &compose, &kong, "next", t2);
    assert_eq!(promote.revoke_after, Some(t2 + 3600 + 15 * 60));

    let t3 = t2 + 3600 + 16 * 60;
    let (config, stack) = stack_of(&env2, &compose, &kong);
    assert_session_accepted(&env2, &compose, &kong, &old, t3 - 1);
    let revoke = plan_revoke(&env2, &stack, &config, &old, t3, false).unwrap();
    let env3 = revoke.new_env;
    assert_other_lines_kept(&env2, &env3);
    assert!(!env3.contains(&old), "the key and its records are gone");
    assert_healthy(&env3, &compose, &kong, t3);
    assert_session_accepted(&env3, &compose, &kong, "next", t3);
    let (_, stack3) = stack_of(&env3, &compose, &kong);
    assert_eq!(stack3.keys.len(), 2, "next and the legacy secret");
}

#[test]
fn promote_is_refused_before_the_key_has_been_published_for_20_minutes() {
    let env = with_standby();
    let f = files(&env, &opaque_compose(true), &kong_opaque());
    let r = promote_cli(&f, "next", NOW + 5 * 60, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("2026-03-01 00:20:00 UTC"), "{}", r.stderr);
    assert!(r.stderr.contains("in 15 min"), "{}", r.stderr);
    let r = promote_cli(&f, "next", NOW + 20 * 60, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("+# supajwt: key next signing since"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Before:") && r.stdout.contains("After:"));
    assert!(r.stdout.contains("supajwt key revoke"), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(&f.env).unwrap(), env, "dry run");
}

#[test]
fn promote_names_the_compose_lines_still_commented() {
    let env = with_standby();
    let f = files(&env, &opaque_compose(false), &kong_opaque());
    let r = promote_cli(&f, "next", NOW + 30 * 60, &[]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("realtime"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("uncomment the realtime service's line API_JWT_JWKS"),
        "{}",
        r.stderr
    );
    let r = promote_cli(&f, "next", NOW + 30 * 60, &["--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Forced past"), "{}", r.stdout);
}

#[test]
fn promote_refuses_bad_input_and_the_signing_key() {
    let env = with_standby();
    let (config, stack) = stack_of(&env, &opaque_compose(true), &kong_opaque());
    let old = stack.signing().unwrap().name();
    let later = NOW + 3600;
    let e = plan_promote(&env, &stack, &config, &old, later, true).unwrap_err();
    assert!(e.to_string().contains("already the signing key"), "{e}");
    let e = plan_promote(&env, &stack, &config, "nope", later, false).unwrap_err();
    assert!(e.to_string().contains("no key has the kid"), "{e}");
    let oct = stack.keys.iter().find(|k| k.key.kid.is_none()).unwrap();
    let e = plan_promote(&env, &stack, &config, &oct.thumbprint[..8], later, true).unwrap_err();
    assert!(e.to_string().contains("shared secret"), "{e}");

    let two = env.replace(r#""key_ops":["verify"]"#, r#""key_ops":["sign","verify"]"#);
    let bad_json = set_var(&env, "JWT_KEYS", "[{\"kty\":", false);
    for (text, why) in [(two, "2 signing keys"), (bad_json, "not valid JSON")] {
        let f = files(&text, &opaque_compose(true), &kong_opaque());
        let r = promote_cli(&f, "next", later, &[]);
        assert_eq!(r.code, 2, "{why}: {}", r.stdout);
        assert!(r.stderr.contains(why), "{}", r.stderr);
        assert_eq!(std::fs::read_to_string(&f.env).unwrap(), text);
    }
}
