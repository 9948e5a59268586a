//! Issue 23 §A.4: upstream's demo JWT_SECRET is a warning on a stack that only this machine
//! reaches (upstream's `.env.example` as shipped, `http://localhost:8000`) and an error naming
//! the variable once `API_EXTERNAL_URL`, `SUPABASE_PUBLIC_URL` or `SITE_URL` names another host.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::cli::run;
use common::clock::UPSTREAM_NOW as NOW;
use supajwt::supabase::doctor::{Finding, Inputs, Severity, diagnose};
use upstream_stack::*;

fn demo_secret_finding(env: &str) -> Finding {
    let report = diagnose(
        &Inputs {
            env: Some(env.into()),
            ..Inputs::default()
        },
        NOW,
    )
    .unwrap();
    report
        .findings
        .into_iter()
        .find(|f| f.code == "demo_secret")
        .unwrap()
}

#[test]
fn the_demo_secret_on_localhost_stays_a_warning() {
    assert_eq!(
        demo_secret_finding(&env_example()).severity,
        Severity::Warning
    );
    for local in [
        "http://127.0.0.1:8000",
        "http://[::1]:8000",
        "http://studio.localhost:8000",
        "http://LOCALHOST:8000",
    ] {
        let env = set_var(&env_example(), "API_EXTERNAL_URL", local, false);
        assert_eq!(
            demo_secret_finding(&env).severity,
            Severity::Warning,
            "{local}"
        );
    }
}

#[test]
fn the_demo_secret_on_an_exposed_stack_is_an_error_naming_the_variable() {
    for var in ["API_EXTERNAL_URL", "SUPABASE_PUBLIC_URL", "SITE_URL"] {
        for host in [
            "https://supabase.example.com",
            "http://192.168.1.10:8000",
            "http://0.0.0.0:8000",
        ] {
            let env = set_var(&env_example(), var, host, false);
            let f = demo_secret_finding(&env);
            assert_eq!(f.severity, Severity::Error, "{var}={host}");
            assert!(f.detail.contains(var), "{var}: {}", f.detail);
        }
    }
}

#[test]
fn the_command_line_exits_1_for_an_exposed_demo_stack_and_0_on_localhost() {
    let dir = tempfile::tempdir().unwrap();
    let now = NOW.to_string();
    let write = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let local = write("local.env", env_example());
    let exposed = write(
        "exposed.env",
        set_var(&env_example(), "SITE_URL", "https://app.example.com", false),
    );
    assert_eq!(
        run(&["doctor", "--env", &local, "--now", &now], None).code,
        0
    );
    let out = run(&["doctor", "--env", &exposed, "--now", &now], None);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("ERROR [demo_secret]"), "{}", out.stdout);
    assert!(
        out.stdout.contains("SITE_URL names app.example.com"),
        "{}",
        out.stdout
    );
}
