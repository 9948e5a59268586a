//! Every rotation output fed back into upstream's stack and doctored: healthy, previous
//! asymmetric keys still verify, legacy keys still pass PostgREST through the new JWT_JWKS;
//! `--format kong` is upstream's `$VAR` consumers block, `--format envoy` the api-gw environment,
//! `--api-keys` new opaque keys as rotate-new-api-keys.sh makes them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::cli::command;
use common::clock::UPSTREAM_NOW as NOW;
use supajwt::jose::keys::KeygenAlg;
use supajwt::supabase::doctor::rotate::{RotateFormat, plan, plan_api_keys, render};
use supajwt::supabase::doctor::{Inputs, Report, Severity, diagnose, load};
use upstream_stack::*;

fn stack() -> String {
    add_new_auth_keys(
        &generate_keys(&env_example_opaque(), NOW - 86_400),
        NOW - 86_400,
    )
}

fn doctor(env: &str, kong: &str, token: Option<&str>) -> Report {
    let inputs = Inputs {
        env: Some(env.into()),
        compose: Some(opaque_compose(true)),
        kong: Some(kong.into()),
        token: token.map(str::to_string),
        ..Inputs::default()
    };
    diagnose(&inputs, NOW).unwrap()
}

fn assert_healthy(r: &Report, what: &str) {
    let bad: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Error)
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:#?}");
}

fn rotate(env: &str, alg: Option<KeygenAlg>, format: RotateFormat) -> String {
    let config = load(&Inputs {
        env: Some(env.into()),
        compose: Some(opaque_compose(true)),
        ..Inputs::default()
    })
    .unwrap();
    let rotation = match alg {
        Some(alg) => plan(&config, alg, NOW).unwrap(),
        None => plan_api_keys(&config).unwrap(),
    };
    render(&rotation, format).expose().to_string()
}

fn accepted_by(r: &Report, service: &str) -> bool {
    r.services
        .iter()
        .find(|s| s.service == service)
        .is_some_and(|s| s.accepted == Some(true))
}

#[test]
fn a_new_signing_key_is_healthy_and_old_tokens_still_verify() {
    for alg in [KeygenAlg::ES256, KeygenAlg::RS256 { bits: 2048 }] {
        let before = stack();
        let output = rotate(&before, Some(alg), RotateFormat::Env);
        assert!(!output.contains("JWT_METHODS"), "{output}");
        let after = apply_env_diff(&before, &output);
        assert_healthy(
            &doctor(&after, &kong_opaque(), None),
            "ES256/RS256 rotation",
        );
        for old in ["ANON_KEY_ASYMMETRIC", "ANON_KEY"] {
            let r = doctor(&after, &kong_opaque(), Some(&raw_var(&before, old)));
            for s in ["PostgREST", "GoTrue", "Realtime", "Storage"] {
                assert!(accepted_by(&r, s), "{old} at {s}: {:#?}", r.services);
            }
        }
    }
}

#[test]
fn an_hs256_rotation_replaces_the_oct_key_too() {
    let before = stack();
    let output = rotate(&before, Some(KeygenAlg::HS256), RotateFormat::Env);
    assert!(
        output.contains("+JWT_KEYS=") && output.contains("+JWT_JWKS="),
        "{output}"
    );
    let after = apply_env_diff(&before, &output);
    let r = doctor(&after, &kong_opaque(), Some(&raw_var(&after, "ANON_KEY")));
    assert_healthy(&r, "HS256 rotation");
    assert!(accepted_by(&r, "PostgREST"), "{:#?}", r.services);
}

#[test]
fn new_api_keys_as_rotate_new_api_keys_sh() {
    let before = stack();
    let output = rotate(&before, None, RotateFormat::Env);
    let after = apply_env_diff(&before, &output);
    for (var, prefix) in [
        ("SUPABASE_PUBLISHABLE_KEY", "sb_publishable_"),
        ("SUPABASE_SECRET_KEY", "sb_secret_"),
    ] {
        let key = raw_var(&after, var);
        assert_ne!(key, raw_var(&before, var));
        assert!(supajwt::supabase::opaque::split_opaque_key(&key, prefix).is_some());
    }
    assert_eq!(raw_var(&after, "JWT_KEYS"), raw_var(&before, "JWT_KEYS"));
    let r = doctor(
        &after,
        &kong_opaque(),
        Some(&raw_var(&after, "SUPABASE_SECRET_KEY")),
    );
    assert_healthy(&r, "--api-keys");
    assert!(accepted_by(&r, "Kong"), "{:#?}", r.services);
    assert!(
        output.contains("kong"),
        "the steps name the gateway: {output}"
    );
}

#[test]
fn the_kong_format_is_upstreams_consumers_block() {
    let before = stack();
    let output = rotate(&before, Some(KeygenAlg::ES256), RotateFormat::Kong);
    let block: String = output
        .lines()
        .skip_while(|l| !l.starts_with("consumers:"))
        .take_while(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(block.contains("- key: $SUPABASE_ANON_KEY\n      - key: $SUPABASE_PUBLISHABLE_KEY"));
    assert!(!block.contains("ASYMMETRIC") && !block.contains("eyJ") && !block.contains("${"));
    let kong = kong_opaque();
    let start = kong.find("consumers:").unwrap();
    let end = kong.find("\n###\n### Access Control List").unwrap();
    let new_kong = format!("{}{}{}", &kong[..start], block.trim_end(), &kong[end..]);
    let after = apply_env_diff(&before, &output);
    assert_healthy(&doctor(&after, &new_kong, None), "--format kong");
    let envoy = rotate(&before, Some(KeygenAlg::ES256), RotateFormat::Envoy);
    assert!(
        envoy.contains("#      SUPABASE_PUBLISHABLE_KEY: ${SUPABASE_PUBLISHABLE_KEY:-}"),
        "{envoy}"
    );
    assert!(envoy.contains("api-gw"));
}

#[test]
fn cli_rotate_api_keys_and_envoy() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    std::fs::write(&env, stack()).unwrap();
    let env = env.to_string_lossy().into_owned();
    for args in [
        vec!["rotate", "--env", &env, "--api-keys"],
        vec!["rotate", "--env", &env, "--format", "envoy"],
    ] {
        let out = command().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("+SUPABASE_") || stdout.contains("+JWT_KEYS"),
            "{stdout}"
        );
    }
}
