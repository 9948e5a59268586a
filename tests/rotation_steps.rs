//! Issue 23 §B.7: the rotation's compose step is worded for the compose files that were loaded.
//! Upstream's 2026-02 compose file has no JWKS lines at all ("add" them, and change PostgREST's
//! `${JWT_SECRET}`); the opaque-key one has them commented out ("uncomment"); a stack that
//! passes them already needs nothing; with no compose file the step says it was not checked.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::cli::run;
use common::clock::UPSTREAM_NOW as NOW;
use supajwt::jose::keys::KeygenAlg;
use supajwt::supabase::doctor::rotate::plan;
use supajwt::supabase::doctor::{Inputs, load};
use upstream_stack::*;

/// The compose step of an ES256 rotation of upstream's `.env.example` with `compose`.
fn compose_step(compose: Option<String>) -> String {
    let config = load(&Inputs {
        env: Some(env_example()),
        compose,
        ..Inputs::default()
    })
    .unwrap();
    let rotation = plan(&config, KeygenAlg::ES256, NOW).unwrap();
    rotation
        .steps
        .into_iter()
        .find(|s| s.contains("docker-compose.yml"))
        .expect("a compose step")
}

#[test]
fn the_2026_02_compose_file_gets_add_not_uncomment() {
    let step = compose_step(Some(compose_2026_02()));
    assert!(!step.contains("uncomment"), "nothing to uncomment: {step}");
    for wanted in [
        "add GOTRUE_JWT_KEYS: ${JWT_KEYS:-[]} to the auth service",
        "add API_JWT_JWKS",
        "add JWT_JWKS",
        "change PGRST_JWT_SECRET to PGRST_JWT_SECRET: ${JWT_JWKS:-${JWT_SECRET}}",
    ] {
        assert!(step.contains(wanted), "{wanted:?} in {step}");
    }
    assert!(
        !step.contains("SUPABASE_JWKS"),
        "this compose file's functions gate fetches GoTrue's keys: {step}"
    );
}

#[test]
fn the_opaque_compose_file_gets_uncomment_for_its_commented_lines() {
    let step = compose_step(Some(with_functions_jwks(&opaque_compose(false), false)));
    for var in [
        "GOTRUE_JWT_KEYS",
        "API_JWT_JWKS",
        "JWT_JWKS: ${JWT_JWKS",
        "SUPABASE_JWKS",
    ] {
        assert!(
            step.contains(&format!("uncomment {var}")),
            "{var} in {step}"
        );
    }
    assert!(
        !step.contains("add "),
        "every line is there, commented: {step}"
    );
    assert!(
        step.contains("Already passed: rest (PGRST_JWT_SECRET)"),
        "{step}"
    );
}

#[test]
fn a_compose_file_that_passes_the_key_set_needs_no_change() {
    let step = compose_step(Some(with_functions_jwks(&opaque_compose(true), true)));
    assert!(step.contains("nothing to change"), "{step}");
    assert!(
        !step.contains("uncomment") && !step.contains("add "),
        "{step}"
    );
}

#[test]
fn without_a_compose_file_the_step_says_it_was_not_checked() {
    let step = compose_step(None);
    assert!(
        step.contains("was not loaded, so this step is not checked"),
        "{step}"
    );
}

#[test]
fn cli_rotate_words_the_step_for_its_compose_file() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    let compose = dir.path().join("docker-compose.yml");
    std::fs::write(&env, env_example()).unwrap();
    std::fs::write(&compose, compose_2026_02()).unwrap();
    let (env, compose) = (env.to_str().unwrap(), compose.to_str().unwrap());
    let now = NOW.to_string();
    let out = run(
        &["rotate", "--env", env, "--compose", compose, "--now", &now],
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("add GOTRUE_JWT_KEYS"), "{}", out.stdout);
    assert!(!out.stdout.contains("uncomment"), "{}", out.stdout);
    let out = run(&["rotate", "--env", env, "--now", &now], None);
    assert!(out.stdout.contains("was not loaded"), "{}", out.stdout);
}
