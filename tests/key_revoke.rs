//! `supajwt key revoke` on upstream's own stacks (refused for the signing key, for a key that
//! signed an API key of the stack, before JWT_EXPIRY + 15 minutes, and for a key with no
//! history; the no-regression rule naming the sessions an early forced revoke breaks), and
//! `key add` on the legacy-only stack of generate-keys.sh, through to the legacy secret.

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

const T2: i64 = NOW + 21 * 60;
const SAFE: i64 = T2 + 3600 + 15 * 60;

/// upstream's opaque stack after add (NOW) and promote (T2) of "next"; the old signer's name.
fn promoted() -> (String, String, String) {
    let (compose, kong) = (opaque_compose(true), kong_opaque());
    let env0 = opaque_stack();
    let (added, old) = add_next(&env0, &compose, &kong, NOW);
    let env1 = added.new_env;
    let (config, stack) = stack_of(&env1, &compose, &kong);
    let env2 = plan_promote(&env1, &stack, &config, "next", T2, false)
        .unwrap()
        .new_env;
    (env1, env2, old)
}

fn revoke_cli(f: &Files, key: &str, now: i64) -> common::cli::Output {
    key_cli(f, &["revoke", key], now, &[])
}

#[test]
fn revoke_waits_for_the_sessions_of_the_old_key_to_expire() {
    let (_, env2, old) = promoted();
    let f = files(&env2, &opaque_compose(true), &kong_opaque());
    let r = revoke_cli(&f, &old, T2 + 1800);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("2026-03-01 01:36:00 UTC"), "{}", r.stderr);
    assert!(r.stderr.contains("in 45 min"), "{}", r.stderr);
    let r = revoke_cli(&f, &old, SAFE);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("-JWT_KEYS=") && r.stdout.contains("-JWT_JWKS="));
    assert_eq!(std::fs::read_to_string(&f.env).unwrap(), env2, "dry run");

    // Forced early, the no-regression rule names the sessions it breaks.
    let (config, stack) = stack_of(&env2, &opaque_compose(true), &kong_opaque());
    let plan = plan_revoke(&env2, &stack, &config, &old, T2 + 1800, true).unwrap();
    let forced = plan
        .steps
        .iter()
        .find(|s| s.starts_with("Forced: "))
        .unwrap();
    assert!(
        forced.contains(&format!("user sessions signed by {old} at gotrue")),
        "{forced}"
    );
    let plan = plan_revoke(&env2, &stack, &config, &old, SAFE, false).unwrap();
    assert!(!plan.steps.iter().any(|s| s.starts_with("Forced")));
}

#[test]
fn revoke_refuses_the_signing_key_a_key_that_signed_an_api_key_and_unknown_history() {
    let (env1, env2, old) = promoted();
    let (compose, kong) = (opaque_compose(true), kong_opaque());
    let (config, stack) = stack_of(&env2, &compose, &kong);
    let e = plan_revoke(&env2, &stack, &config, "next", SAFE, true).unwrap_err();
    assert!(e.to_string().contains("is the signing key"), "{e}");
    let e = plan_revoke(&env2, &stack, &config, "nope", SAFE, true).unwrap_err();
    assert!(e.to_string().contains("no key has the kid"), "{e}");

    // The old *_ASYMMETRIC keys put back: the old key still signs them.
    let mut stale = env2.clone();
    for var in ["ANON_KEY_ASYMMETRIC", "SERVICE_ROLE_KEY_ASYMMETRIC"] {
        stale = set_var(&stale, var, &raw_var(&env1, var), false);
    }
    let f = files(&stale, &compose, &kong);
    let r = revoke_cli(&f, &old, SAFE);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("ANON_KEY_ASYMMETRIC, SERVICE_ROLE_KEY_ASYMMETRIC"),
        "{}",
        r.stderr
    );

    // The legacy secret of upstream's stack: it signed ANON_KEY / SERVICE_ROLE_KEY.
    let oct = stack.keys.iter().find(|k| k.key.kid.is_none()).unwrap();
    let e = plan_revoke(&env2, &stack, &config, &oct.thumbprint[..8], SAFE, true).unwrap_err();
    let e = e.to_string();
    assert!(e.contains("ANON_KEY, SERVICE_ROLE_KEY"), "{e}");
    assert!(
        e.contains("sb_publishable_") && e.contains("SUPABASE_SECRET_KEY"),
        "{e}"
    );

    // A verify-only key with no record needs --force.
    let unrecorded: String = env2
        .lines()
        .filter(|l| !l.starts_with("# supajwt:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (config, stack) = stack_of(&unrecorded, &compose, &kong);
    assert_eq!(stack.find(&old).unwrap().state, KeyState::VerifyOnly);
    let e = plan_revoke(&unrecorded, &stack, &config, &old, SAFE, false).unwrap_err();
    assert!(e.to_string().contains("--force"), "{e}");
    assert!(plan_revoke(&unrecorded, &stack, &config, &old, SAFE, true).is_ok());
}

#[test]
fn key_add_on_the_legacy_only_stack_writes_a_jwt_keys_gotrue_starts_with() {
    let (compose, kong) = (compose_2026_02(), kong_2026_02());
    let env0 = legacy_stack();
    let (_, stack) = stack_of(&env0, &compose, &kong);
    let secret = stack.signing().unwrap().thumbprint.clone();
    let (plan, _) = add_next(&env0, &compose, &kong, NOW);
    let env1 = plan.new_env;
    assert!(
        env1.starts_with(&env0),
        "lines appended, the rest untouched"
    );
    assert_healthy(&env1, &compose, &kong, NOW);
    let (_, stack1) = stack_of(&env1, &compose, &kong);
    let signing = stack1.signing().unwrap();
    assert_eq!(signing.thumbprint, secret, "the legacy secret still signs");
    assert_eq!(signing.held_in, ["JWT_KEYS", "JWT_JWKS", "JWT_SECRET"]);
    assert_eq!(signing.signed, ["ANON_KEY", "SERVICE_ROLE_KEY"]);
    assert_eq!(stack1.find("next").unwrap().state, KeyState::Standby);
    assert!(
        plan.steps.iter().any(|s| s.contains("GOTRUE_JWT_KEYS")),
        "{:#?}",
        plan.steps
    );
    let f = files(&env0, &compose, &kong);
    let r = key_cli(&f, &["add"], NOW, &["--kid", "next"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("+JWT_KEYS=[{\"kty\":\"oct\""),
        "{}",
        r.stdout
    );
}

/// generate-keys.sh on the opaque stack's `.env.example` (empty JWT_KEYS= lines), then the
/// migration: add, promote (the legacy secret stops signing), and the secret refused for
/// revoke while the HS256 API keys need it.
#[test]
fn the_legacy_secret_hands_over_to_an_asymmetric_key() {
    let (compose, kong) = (opaque_compose(true), kong_opaque());
    let env0 = generate_keys(&env_example_opaque(), NOW - 86_400);
    let (added, secret) = add_next(&env0, &compose, &kong, NOW);
    let env1 = added.new_env;
    assert_other_lines_kept(&env0, &env1);
    assert_healthy(&env1, &compose, &kong, NOW);
    let (config, stack) = stack_of(&env1, &compose, &kong);
    let plan = plan_promote(&env1, &stack, &config, "next", T2, false).unwrap();
    let env2 = plan.new_env;
    assert_other_lines_kept(&env1, &env2);
    assert_healthy(&env2, &compose, &kong, T2);
    assert_session_accepted(&env2, &compose, &kong, &secret, T2);
    assert_session_accepted(&env2, &compose, &kong, "next", T2);
    let (config, stack) = stack_of(&env2, &compose, &kong);
    let legacy = stack.find(&secret).unwrap();
    assert_eq!(
        (legacy.state, legacy.stopped_signing),
        (KeyState::LegacySecret, Some(T2))
    );
    let e = plan_revoke(&env2, &stack, &config, &secret, SAFE, false).unwrap_err();
    assert!(e.to_string().contains("ANON_KEY, SERVICE_ROLE_KEY"), "{e}");

    // Clients moved to the sb_ keys and the HS256 API keys removed: the secret's oct key goes.
    let mut moved = rotate_new_api_keys(&env2);
    for var in ["ANON_KEY", "SERVICE_ROLE_KEY"] {
        moved = set_var(&moved, var, "", false);
    }
    let (config, stack) = stack_of(&moved, &compose, &kong);
    let plan = plan_revoke(&moved, &stack, &config, &secret, SAFE, false).unwrap();
    assert!(
        plan.steps.iter().any(|s| s.contains("JWT_SECRET stays")),
        "{:#?}",
        plan.steps
    );
    let (_, after) = stack_of(&plan.new_env, &compose, &kong);
    let left = after.find(&secret).unwrap();
    assert_eq!(left.held_in, ["JWT_SECRET"]);
}
