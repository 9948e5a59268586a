//! A Doctor finding says its fix in words; the command that carries it out is the front end's
//! (issue 19 §4: the core names no `--flag`; issue 23 §8: the window offers a button). The
//! command line prints the command under the fix and in `--json`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::cli::run;
use common::clock::UPSTREAM_NOW as NOW;
use supajwt::supabase::doctor::{Inputs, Remedy, diagnose};
use upstream_stack::*;

fn demo_findings() -> Vec<supajwt::supabase::doctor::Finding> {
    let env = set_var(
        &env_example(),
        "ANON_KEY",
        &raw_var(&env_example(), "SERVICE_ROLE_KEY"),
        false,
    );
    let env = set_var(&env, "JWT_KEYS", "[{\"kty\":\"EC\"}]", true);
    let inputs = Inputs {
        env: Some(env),
        ..Inputs::default()
    };
    diagnose(&inputs, NOW).unwrap().findings
}

#[test]
fn fix_texts_name_no_command_and_remedies_are_typed() {
    let findings = demo_findings();
    for f in &findings {
        assert!(
            !f.fix.contains("supajwt ") && !f.fix.contains(" --"),
            "{}: the fix names a command: {}",
            f.code,
            f.fix
        );
    }
    let remedy = |code: &str| {
        findings
            .iter()
            .find(|f| f.code == code)
            .and_then(|f| f.remedy)
    };
    assert_eq!(remedy("demo_secret"), Some(Remedy::NewSecretEnv));
    assert!(matches!(
        remedy("keys_swapped"),
        Some(Remedy::MintApiKey(_))
    ));
}

#[test]
fn the_command_line_prints_the_command_of_each_remedy() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    std::fs::write(&env, env_example()).unwrap();
    let env = env.to_string_lossy().into_owned();
    let now = NOW.to_string();
    let text = run(&["doctor", "--env", &env, "--now", &now], None);
    assert!(
        text.stdout
            .contains("  fix: Generate a new secret and new ANON_KEY / SERVICE_ROLE_KEY, then restart every service.\n  run: supajwt keygen --alg HS256 --format env\n"),
        "{}",
        text.stdout
    );
    let json = run(&["doctor", "--env", &env, "--now", &now, "--json"], None);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let demo = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "demo_secret")
        .unwrap();
    assert_eq!(demo["command"], "supajwt keygen --alg HS256 --format env");
}
