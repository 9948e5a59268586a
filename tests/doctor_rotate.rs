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

fn refused_by(r: &Report, service: &str) -> bool {
    r.services
        .iter()
        .find(|s| s.service == service)
        .is_some_and(|s| s.accepted == Some(false))
}

/// RS512 (issue 22 §3): GoTrue signs with an RS512 key of JWT_KEYS (`GetSigningAlg`) and, with
/// GOTRUE_JWT_VALID_METHODS unset, accepts the algorithms of its keys: the rotated stack is
/// healthy, the new RS512 keys pass GoTrue, PostgREST, Realtime and Storage, old tokens still
/// verify, and supabase-js getClaims() refuses the RS512 token. With VALID_METHODS set without
/// RS512, the Doctor and the steps say to add it.
#[test]
fn an_rs512_rotation_is_treated_as_gotrue_does() {
    let before = stack();
    let output = rotate(
        &before,
        Some(KeygenAlg::RS512 { bits: 2048 }),
        RotateFormat::Env,
    );
    let after = apply_env_diff(&before, &output);
    let keys = raw_var(&after, "JWT_KEYS");
    assert!(keys.contains(r#""alg":"RS512""#), "{keys}");
    assert_healthy(&doctor(&after, &kong_opaque(), None), "RS512 rotation");
    let new = raw_var(&after, "ANON_KEY_ASYMMETRIC");
    let r = doctor(&after, &kong_opaque(), Some(&new));
    let jws = supajwt::jose::token::Jws::parse_unverified(&new).unwrap();
    assert_eq!(jws.alg_name(), Some("RS512"));
    for s in ["PostgREST", "GoTrue", "Realtime", "Storage"] {
        assert!(accepted_by(&r, s), "RS512 at {s}: {:#?}", r.services);
    }
    assert!(refused_by(&r, "supabase-js"), "{:#?}", r.services);
    for old in ["ANON_KEY_ASYMMETRIC", "ANON_KEY"] {
        let r = doctor(&after, &kong_opaque(), Some(&raw_var(&before, old)));
        assert!(accepted_by(&r, "GoTrue"), "{old}: {:#?}", r.services);
    }
    // GOTRUE_JWT_VALID_METHODS set without RS512: the steps and the Doctor say to add it.
    let compose = opaque_compose(true).replacen(
        "      GOTRUE_JWT_SECRET: ${JWT_SECRET}\n",
        "      GOTRUE_JWT_SECRET: ${JWT_SECRET}\n      GOTRUE_JWT_VALID_METHODS: HS256,ES256\n",
        1,
    );
    let inputs = |env: &str, token: Option<String>| Inputs {
        env: Some(env.into()),
        compose: Some(compose.clone()),
        kong: Some(kong_opaque()),
        token,
        ..Inputs::default()
    };
    let rotation = plan(
        &load(&inputs(&before, None)).unwrap(),
        KeygenAlg::RS512 { bits: 2048 },
        NOW,
    )
    .unwrap();
    let output = render(&rotation, RotateFormat::Env).expose().to_string();
    assert!(output.contains("add RS512"), "{output}");
    let after = apply_env_diff(&before, &output);
    let token = raw_var(&after, "ANON_KEY_ASYMMETRIC");
    let r = diagnose(&inputs(&after, Some(token)), NOW).unwrap();
    assert!(
        r.findings
            .iter()
            .any(|f| f.title.contains("does not include RS512")),
        "{:#?}",
        r.findings
    );
    assert!(refused_by(&r, "GoTrue"), "{:#?}", r.services);
}
