//! Issue 24 §4 and §6: no subcommand panics on a closed standard output (clap_complete's
//! writer used to), and `har --redact` on a terminal escapes like every other output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::binary;
use common::clock::NOW;
use common::data;
use std::io::Read;
use std::process::Stdio;

/// Runs supajwt with its standard output a pipe whose reader is already gone.
fn closed_pipe(args: &[String]) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(binary())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap().code(), stderr)
}

const SECRET: &str = "a-secret-that-is-long-enough-for-hs256-0123";

#[test]
fn every_subcommand_survives_a_closed_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    std::fs::write(&env, format!("JWT_SECRET={SECRET}\n")).unwrap();
    let paste = dir.path().join("paste.txt");
    std::fs::write(&paste, data::read("inputs/cookie_header.txt")).unwrap();
    let token = common::sign::hs256(SECRET, r#"{"alg":"HS256"}"#, r#"{"role":"anon"}"#);
    let now = NOW.to_string();
    let env = env.to_string_lossy().into_owned();
    let paste = paste.to_string_lossy().into_owned();
    let har = data::arg("inputs/small_401.har");
    let pem = data::arg("pem/ec_pkcs8_private.pem");
    let man = dir.path().join("man").to_string_lossy().into_owned();
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["decode", &token, "--now", &now],
        vec!["verify", &token, "--secret", SECRET, "--now", &now],
        vec!["keygen", "--alg", "HS256"],
        vec!["mint", "anon", "--secret", SECRET],
        vec!["doctor", "--env", &env, "--now", &now],
        vec!["rotate", "--env", &env, "--now", &now],
        vec!["inspect", &paste, "--now", &now],
        vec!["inspect", &paste, "--json", "--redact", "--now", &now],
        vec!["har", &har, "--now", &now],
        vec!["har", &har, "--json", "--now", &now],
        vec!["har", &har, "--redact"],
        vec!["key", "inspect", &pem],
        vec!["key", "convert", &pem, "--to", "jwks"],
        vec!["version", "--verbose"],
        vec!["manpages", &man],
        vec!["--help"],
    ];
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        runs.push(vec!["completions", shell]);
    }
    for args in runs {
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let (code, stderr) = closed_pipe(&args);
        assert!(code.is_some(), "{args:?}: killed by a signal: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert!(matches!(code, Some(0..=2)), "{args:?}: {code:?} {stderr}");
    }
}

/// Runs `supajwt ARGS` under `script`, whose pseudo-terminal is its standard output.
fn on_a_terminal(args: &[&str]) -> Option<String> {
    let script = std::path::Path::new("/usr/bin/script");
    if !script.exists() {
        return None;
    }
    let mut line = binary().to_string_lossy().into_owned();
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let out = std::process::Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn har_redact_escapes_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let har = dir.path().join("evil.har");
    let evil = "x\u{202e}y\u{2066}z\u{9b}31m";
    let text = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": "https://abc.supabase.co/rest/v1/t",
            "headers": [{"name": "x-note", "value": evil}]},
        "response": {"status": 200, "headers": [{"name": "x-evil", "value": evil}],
            "content": {"text": evil}}
    }]}});
    std::fs::write(&har, text.to_string()).unwrap();
    let Some(shown) = on_a_terminal(&["har", "--redact", har.to_str().unwrap()]) else {
        return;
    };
    assert!(shown.contains("x-evil"), "{shown}");
    for c in ['\u{202e}', '\u{2066}', '\u{9b}'] {
        assert!(
            !shown.contains(c),
            "{c:?} reached the terminal raw: {shown:?}"
        );
    }
}
