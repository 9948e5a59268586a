//! Issue 23 §B.5: when the files agree, the token verifies and the user typed the error they
//! see, the Doctor does not say "no problem". It says first that the running services are not
//! using these files, with the likely causes and their checks, and the CLI exits 1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::cli::run;
use common::clock::UPSTREAM_NOW as NOW;
use supajwt::supabase::doctor::{Inputs, Report, diagnose};
use upstream_stack::*;

/// Upstream's 2026-02 stack as shipped, with a token and an error message.
fn report(token: Option<&str>, error: &str) -> Report {
    let inputs = Inputs {
        env: Some(env_example()),
        compose: Some(compose_2026_02()),
        kong: Some(kong_2026_02()),
        token: token.map(str::to_string),
        error_message: Some(error.into()),
        ..Inputs::default()
    };
    diagnose(&inputs, NOW).unwrap()
}

fn anon_key() -> String {
    raw_var(&env_example(), "ANON_KEY")
}

#[test]
fn a_verifying_token_and_consistent_files_mean_the_services_use_other_files() {
    let r = report(Some(&anon_key()), "JWSInvalidSignature");
    assert!(
        !r.has_errors(),
        "the shipped stack is consistent: {:#?}",
        r.findings
    );
    let u = r.unexplained.as_ref().expect("not explained by the files");
    assert_eq!(
        u.headline,
        "Your files agree with each other and this token verifies against them, so the running services are not using these files."
    );
    let causes: String = u
        .causes
        .iter()
        .map(|c| format!("{} {}\n", c.cause, c.check))
        .collect();
    for wanted in [
        "docker compose up -d --force-recreate (not docker compose restart)",
        "docker compose config",
        "rendered copy of kong.yml",
        "another project",
        "--env-file",
    ] {
        assert!(causes.contains(wanted), "{wanted:?} in {causes}");
    }
    assert!(r.failing());
}

#[test]
fn without_a_token_the_files_still_do_not_explain_the_message() {
    let r = report(None, "No suitable key or wrong key type");
    let u = r.unexplained.expect("not explained");
    assert!(
        u.headline
            .starts_with("Your files agree with each other, so they do not explain")
    );
    assert!(!u.causes.is_empty());
}

#[test]
fn a_message_about_the_request_says_so_instead() {
    let r = report(Some(&anon_key()), "No API key found in request");
    let u = r.unexplained.expect("not explained by the files");
    assert!(
        u.headline.contains("about what the request sent"),
        "{}",
        u.headline
    );
    assert!(u.causes.is_empty());
}

#[test]
fn a_token_the_files_refuse_is_explained_not_unexplained() {
    let other = add_new_auth_keys(&generate_keys(&env_example_opaque(), NOW - 60), NOW - 60);
    let foreign = raw_var(&other, "ANON_KEY");
    let r = report(Some(&foreign), "JWSInvalidSignature");
    assert!(r.unexplained.is_none(), "{:?}", r.unexplained);
    assert!(r.services.iter().any(|s| s.accepted == Some(false)));
}

#[test]
fn the_cli_puts_the_reconciliation_first_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (name, text) in [
        (".env", env_example()),
        ("docker-compose.yml", compose_2026_02()),
        ("kong.yml", kong_2026_02()),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        paths.push(p.to_str().unwrap().to_string());
    }
    let (token, now) = (anon_key(), NOW.to_string());
    let args = [
        "doctor",
        "--env",
        &paths[0],
        "--compose",
        &paths[1],
        "--kong",
        &paths[2],
        "--token",
        &token,
        "--error",
        "JWSInvalidSignature",
        "--now",
        &now,
    ];
    let out = run(&args, None);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let headline = out
        .stdout
        .find(
            "NOT EXPLAINED: Your files agree with each other and this token verifies against them",
        )
        .expect("the reconciliation");
    let meaning = out
        .stdout
        .find("means: The signature does not match")
        .unwrap();
    let first_finding = out.stdout.find("WARNING [").unwrap();
    assert!(
        headline < meaning && meaning < first_finding,
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("no problems found"));
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let out = run(&json_args, None);
    assert_eq!(out.code, 1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        v["unexplained"]["headline"]
            .as_str()
            .unwrap()
            .contains("not using these files")
    );
    // Without the message, the same stack passes.
    let out = run(
        &args[..args.len() - 4]
            .iter()
            .chain(["--now", &now].iter())
            .copied()
            .collect::<Vec<_>>(),
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
}

/// A token the verifiers refuse is a failure even when the files are fine; Kong's "as apikey"
/// and supabase-js' getClaims() are not counted, so the stack's own keys and a user's session
/// still pass.
#[test]
fn a_token_the_verifiers_refuse_is_a_failure_and_the_stack_s_own_tokens_are_not() {
    let anon = anon_key();
    let broken = format!("{}.AAAA", anon.rsplit_once('.').unwrap().0);
    let inputs = |token: &str| Inputs {
        env: Some(env_example()),
        compose: Some(compose_2026_02()),
        kong: Some(kong_2026_02()),
        token: Some(token.into()),
        ..Inputs::default()
    };
    let r = diagnose(&inputs(&broken), NOW).unwrap();
    assert_eq!(
        r.refused_by(),
        ["GoTrue", "PostgREST", "Realtime", "Storage"]
    );
    assert!(r.failing());
    for healthy in [anon, raw_var(&env_example(), "SERVICE_ROLE_KEY")] {
        let r = diagnose(&inputs(&healthy), NOW).unwrap();
        assert!(r.refused_by().is_empty(), "{:#?}", r.services);
        assert!(!r.failing(), "{:#?}", r.services);
    }
}
