//! The stacks and files the lifecycle tests share (`tests/key_list.rs`, `tests/key_add.rs`):
//! upstream's two stacks, a temporary directory holding the files, the `key` commands run on
//! them (`key_cli`), `key list --json`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::cli::run;
use crate::common::clock::UPSTREAM_NOW as NOW;
use crate::upstream_stack::*;
use serde_json::{Value, json};
use supajwt::jose::keys::KeygenAlg;
use supajwt::supabase::doctor::{Inputs, Report, diagnose};
use supajwt::supabase::lifecycle::add::plan_add;
use supajwt::supabase::lifecycle::plan::StepPlan;

/// generate-keys.sh only: HS256 `JWT_SECRET`, nothing asymmetric.
pub fn legacy_stack() -> String {
    generate_keys(&env_example(), NOW - 86_400)
}

/// generate-keys.sh then add-new-auth-keys.sh: an ES256 signing key and the oct secret.
pub fn opaque_stack() -> String {
    add_new_auth_keys(
        &generate_keys(&env_example_opaque(), NOW - 86_400),
        NOW - 86_400,
    )
}

pub struct Files {
    _dir: tempfile::TempDir,
    pub env: String,
    pub compose: String,
    pub kong: String,
}

pub fn files(env: &str, compose: &str, kong: &str) -> Files {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    Files {
        env: path(".env", env),
        compose: path("docker-compose.yml", compose),
        kong: path("kong.yml", kong),
        _dir: dir,
    }
}

/// `supajwt key SUB… --env … --compose … --kong … --now NOW` followed by `extra`.
pub fn key_cli(f: &Files, sub: &[&str], now: i64, extra: &[&str]) -> crate::common::cli::Output {
    let now = now.to_string();
    let mut args = vec!["key"];
    args.extend_from_slice(sub);
    args.extend_from_slice(&[
        "--env",
        &f.env,
        "--compose",
        &f.compose,
        "--kong",
        &f.kong,
        "--now",
        &now,
    ]);
    args.extend_from_slice(extra);
    run(&args, None)
}

pub fn list_json(f: &Files) -> Value {
    let r = key_cli(f, &["list"], NOW, &["--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

pub fn doctor(env: &str, compose: &str, kong: &str, token: &str) -> Report {
    let inputs = Inputs {
        env: Some(env.into()),
        compose: Some(compose.into()),
        kong: Some(kong.into()),
        token: Some(token.into()),
        ..Inputs::default()
    };
    diagnose(&inputs, NOW).unwrap()
}

pub fn column(doctor_name: &str) -> &'static str {
    match doctor_name {
        "Kong" => "kong",
        "GoTrue" => "gotrue",
        "PostgREST" => "postgrest",
        "Realtime" => "realtime",
        "Storage" => "storage",
        "Functions" => "functions",
        "supabase-js" => "supabase_js",
        other => panic!("{other}"),
    }
}

/// Every API-key row of the matrix says what the Doctor says, service by service.
pub fn assert_agrees_with_doctor(matrix: &[Value], env: &str, compose: &str, kong: &str) {
    for var in [
        "ANON_KEY",
        "SERVICE_ROLE_KEY",
        "ANON_KEY_ASYMMETRIC",
        "SERVICE_ROLE_KEY_ASYMMETRIC",
    ] {
        let token = raw_var(env, var);
        if token.is_empty() {
            assert!(!matrix.iter().any(|c| c["token"] == var), "{var}");
            continue;
        }
        let report = doctor(env, compose, kong, &token);
        for v in &report.services {
            let cell = matrix
                .iter()
                .find(|c| c["token"] == var && c["service"] == column(v.service))
                .unwrap_or_else(|| panic!("{var} {}", v.service));
            // Not how anyone uses an API key: supabase-js' getClaims() (a session's check) and
            // Kong's apikey check of an `*_ASYMMETRIC` key (the gateway's translation target)
            // are "not checked", with the Doctor's words kept for Kong.
            let unused = column(v.service) == "supabase_js"
                || (column(v.service) == "kong"
                    && var.ends_with("_ASYMMETRIC")
                    && v.accepted == Some(false));
            if unused {
                assert_eq!(cell["accepted"], Value::Null, "{var} at {}", v.service);
                continue;
            }
            assert_eq!(
                cell["accepted"],
                json!(v.accepted),
                "{var} at {}",
                v.service
            );
            assert_eq!(cell["reason"], json!(v.message), "{var} at {}", v.service);
        }
    }
}

/// The configuration and stack of `env` with upstream's other files.
pub fn stack_of(
    env: &str,
    compose: &str,
    kong: &str,
) -> (
    supajwt::supabase::doctor::Config,
    supajwt::supabase::lifecycle::Stack,
) {
    let config = supajwt::supabase::doctor::load(&Inputs {
        env: Some(env.into()),
        compose: Some(compose.into()),
        kong: Some(kong.into()),
        ..Inputs::default()
    })
    .unwrap();
    let stack = supajwt::supabase::lifecycle::read_stack(env, &config).unwrap();
    (config, stack)
}

/// The Doctor on `env` (no token) at `now`: no error finding.
pub fn assert_healthy(env: &str, compose: &str, kong: &str, now: i64) {
    let report = diagnose(
        &Inputs {
            env: Some(env.into()),
            compose: Some(compose.into()),
            kong: Some(kong.into()),
            ..Inputs::default()
        },
        now,
    )
    .unwrap();
    assert!(!report.has_errors(), "{:#?}", report.findings);
}

/// A user session (`authenticated`, `JWT_EXPIRY` 3600) signed at `now` by the key named `name`
/// of `env`, and what each verifier of the Doctor says about it: every one accepts it.
pub fn assert_session_accepted(env: &str, compose: &str, kong: &str, name: &str, now: i64) {
    use supajwt::supabase::mint::{Lifetime, MintRequest, MintRole, mint};
    let (_, stack) = stack_of(env, compose, kong);
    let mut key = stack.find(name).unwrap().key.clone();
    (key.key_ops, key.key_use) = (None, None);
    let request = MintRequest {
        subject: Some("00000000-0000-4000-8000-000000000001".into()),
        ..MintRequest::preset(MintRole::Authenticated, now, Lifetime::Seconds(3600))
    };
    let token = mint(&request, &key, None).unwrap();
    let report = diagnose(
        &Inputs {
            env: Some(env.into()),
            compose: Some(compose.into()),
            kong: Some(kong.into()),
            token: Some(token),
            ..Inputs::default()
        },
        now,
    )
    .unwrap();
    for v in &report.services {
        if v.service != "Kong" {
            assert_ne!(
                v.accepted,
                Some(false),
                "{name} at {}: {}",
                v.service,
                v.message
            );
        }
    }
    assert!(
        report
            .services
            .iter()
            .filter(|v| v.accepted == Some(true))
            .count()
            >= 4,
        "{:#?}",
        report.services
    );
}

/// The lines of `before` that a step may not touch (all but `JWT_KEYS`, `JWT_JWKS`, the
/// `*_ASYMMETRIC` keys and the records) are in `after`, byte for byte and in order.
pub fn assert_other_lines_kept(before: &str, after: &str) {
    let kept = |t: &str| -> Vec<String> {
        t.split_inclusive('\n')
            .filter(|l| {
                ![
                    "JWT_KEYS=",
                    "JWT_JWKS=",
                    "ANON_KEY_ASYMMETRIC=",
                    "SERVICE_ROLE_KEY_ASYMMETRIC=",
                    "# supajwt:",
                ]
                .iter()
                .any(|p| l.starts_with(p))
            })
            .map(str::to_string)
            .collect()
    };
    assert_eq!(kept(before), kept(after));
}

/// `plan_add` of an ES256 standby key "next" at `now` to the stack of `env` with upstream's
/// other files, and the name of the key that signed before it.
pub fn add_next(env: &str, compose: &str, kong: &str, now: i64) -> (StepPlan, String) {
    let (config, stack) = stack_of(env, compose, kong);
    let signer = stack.signing().unwrap().name();
    let plan = plan_add(
        env,
        &stack,
        &config,
        KeygenAlg::ES256,
        Some("next".into()),
        now,
    )
    .unwrap();
    (plan, signer)
}
