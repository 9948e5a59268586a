//! Issue 10 §2, §6, §7 end to end: hostile text never reaches the terminal raw, the leeway and
//! NumericDate rules, the input limits, and a closed pipe ends the output quietly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use common::cli::{binary, run};
use common::clock::NOW;
use common::sign;
use serde_json::{Value, json};
use std::io::Read;
use std::process::Stdio;
use supajwt::safe_text::escape::needs_escape;

const SECRET: &str = "a-secret-that-is-long-enough-for-hs256-0123";
/// Text an attacker puts in a token to fake supajwt's verdict or take over the terminal.
const EVIL: &str =
    "x\nvalid: true\r\u{1b}[2J\u{1b}]0;title\u{7}\u{202e}\u{2066}\u{85}\u{9b}31m\u{7f}";

/// An HS256 token over these header and payload values, signed with [`SECRET`].
fn hs256(header: &Value, payload: &Value) -> String {
    sign::hs256(SECRET, &header.to_string(), &payload.to_string())
}

/// No raw control / bidi character except the program's own newlines, and no line that starts
/// like a verdict unless it is the program's.
fn assert_clean(text: &str, what: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|&c| needs_escape(c) && c != '\n')
        .collect();
    assert!(raw.is_empty(), "{what}: raw {raw:?} in\n{text}");
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with("valid: true"),
            "{what}: injected line {line:?}"
        );
    }
}

fn evil_token() -> String {
    hs256(
        &json!({"alg": "HS256", "typ": EVIL, "kid": EVIL}),
        &json!({"role": EVIL, "sub": EVIL, "iss": EVIL, EVIL: EVIL, "exp": NOW + 3600}),
    )
}

#[test]
fn escape_decode_output_shows_no_raw_control_or_bidi() {
    let now = NOW.to_string();
    let r = run(&["decode", &evil_token(), "--now", &now], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_clean(&r.stdout, "decode");
    assert!(r.stdout.contains("\\u000avalid: true") || r.stdout.contains("\\nvalid: true"));
    assert!(
        r.stdout.contains("\\u202e"),
        "JSON escapes bidi: {}",
        r.stdout
    );
    assert!(
        r.stdout.contains("\\u0085"),
        "JSON escapes C1: {}",
        r.stdout
    );
    assert!(
        r.stdout.contains("x\\u{a}valid: true"),
        "table rows: {}",
        r.stdout
    );
    // --json stays exact JSON with the same values.
    let j = run(&["decode", &evil_token(), "--now", &now, "--json"], None);
    let v: Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["header"]["kid"], EVIL);
}

#[test]
fn escape_verify_output_and_reasons() {
    let now = NOW.to_string();
    let dir = tempfile::tempdir().unwrap();
    let valid = run(
        &["verify", &evil_token(), "--secret", SECRET, "--now", &now],
        None,
    );
    assert_eq!(valid.code, 0, "{}", valid.stderr);
    assert_clean(&valid.stdout, "verify valid");
    // A key set without the token's kid: the reason quotes the kid.
    let jwks = json!({"keys": [{"kty": "oct", "kid": "other", "alg": "HS256",
        "k": B64.encode(SECRET)}]});
    let path = dir.path().join("jwks.json");
    std::fs::write(&path, jwks.to_string()).unwrap();
    let rejected = run(
        &[
            "verify",
            &evil_token(),
            "--key",
            path.to_str().unwrap(),
            "--now",
            &now,
        ],
        None,
    );
    assert_eq!(rejected.code, 1, "{}", rejected.stderr);
    assert!(
        rejected.stdout.starts_with("rejected: "),
        "{}",
        rejected.stdout
    );
    assert_eq!(rejected.stdout.lines().count(), 1, "{}", rejected.stdout);
    assert_clean(&rejected.stdout, "verify rejected");
}

#[test]
fn escape_error_messages_on_stderr() {
    let r = run(&["decode", &format!("not-a-token{EVIL}")], None);
    assert_eq!(r.code, 2);
    assert_clean(&r.stderr, "stderr");
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

#[test]
fn escape_doctor_output_shows_env_values_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    let token = evil_token();
    std::fs::write(
        &env,
        format!(
            "JWT_SECRET=short\u{1b}[31m\u{202e}\nANON_KEY={token}\nSERVICE_ROLE_KEY=x\u{85}y\u{1b}]0;t\u{7}\n"
        ),
    )
    .unwrap();
    let r = run(
        &[
            "doctor",
            "--env",
            env.to_str().unwrap(),
            "--token",
            &token,
            "--error",
            EVIL,
            "--now",
            &NOW.to_string(),
        ],
        None,
    );
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert_clean(&r.stdout, "doctor");
}

#[test]
fn leeway_above_a_day_is_refused() {
    let now = NOW.to_string();
    let token = hs256(&json!({"alg": "HS256"}), &json!({"exp": NOW - 1}));
    let r = run(
        &[
            "verify", &token, "--secret", SECRET, "--now", &now, "--leeway", "172800",
        ],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("a leeway of 2 days disables expiry checks; the most is 86400 s"),
        "{}",
        r.stderr
    );
    let max = u64::MAX.to_string();
    let r = run(
        &[
            "verify", &token, "--secret", SECRET, "--now", &now, "--leeway", &max,
        ],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    let r = run(
        &[
            "verify", &token, "--secret", SECRET, "--now", &now, "--leeway", "86400",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn leeway_that_makes_a_token_pass_is_named() {
    let now = NOW.to_string();
    let token = hs256(&json!({"alg": "HS256"}), &json!({"exp": NOW - 1200}));
    let r = run(
        &[
            "verify", &token, "--secret", SECRET, "--now", &now, "--leeway", "3600",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("valid only because of the 3600 s leeway: it expired 20 minutes ago"),
        "{}",
        r.stdout
    );
    let j = run(
        &[
            "verify", &token, "--secret", SECRET, "--now", &now, "--leeway", "3600", "--json",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["valid"], true);
    assert!(v["leeway"].as_str().unwrap().contains("20 minutes ago"));
    // Within 5 minutes the leeway is ordinary clock skew: a plain verdict.
    let token = hs256(&json!({"alg": "HS256"}), &json!({"exp": NOW - 100}));
    let r = run(
        &[
            "verify", &token, "--secret", SECRET, "--now", &now, "--leeway", "300",
        ],
        None,
    );
    assert!(r.stdout.starts_with("valid: "), "{}", r.stdout);
    // A token that does not need the leeway is not said to.
    let token = hs256(&json!({"alg": "HS256"}), &json!({"exp": NOW + 100}));
    let r = run(
        &[
            "verify", &token, "--secret", SECRET, "--now", &now, "--leeway", "3600",
        ],
        None,
    );
    assert!(r.stdout.starts_with("valid: "), "{}", r.stdout);
}

/// A token whose `exp` is the raw JSON text `exp` (numbers serde_json would rewrite).
fn token_with_raw_exp(exp: &str) -> String {
    let payload = format!(r#"{{"role":"anon","exp":{exp},"iat":{exp},"nbf":{exp}}}"#);
    sign::hs256(SECRET, r#"{"alg":"HS256"}"#, &payload)
}

#[test]
fn numeric_date_extremes_never_overflow() {
    for now in [NOW.to_string(), i64::MIN.to_string(), i64::MAX.to_string()] {
        for exp in [
            "9223372036854775807",
            "-9223372036854775808",
            "18446744073709551615",
            "1e300",
            "-1e300",
            "1767225600.999",
            "-1",
            "0",
        ] {
            let token = token_with_raw_exp(exp);
            let now_arg = format!("--now={now}");
            let d = run(&["decode", &token, &now_arg], None);
            assert_eq!(d.code, 0, "decode exp={exp} now={now}: {}", d.stderr);
            assert!(!d.stderr.contains("panicked"), "{}", d.stderr);
            for leeway in ["0", "86400"] {
                let v = run(
                    &[
                        "verify", &token, "--secret", SECRET, &now_arg, "--leeway", leeway,
                    ],
                    None,
                );
                assert!(
                    v.code == 0 || v.code == 1,
                    "verify exp={exp} now={now}: {} {}",
                    v.stdout,
                    v.stderr
                );
            }
        }
    }
    let d = run(
        &[
            "decode",
            &token_with_raw_exp("9223372036854775807"),
            "--now",
            &NOW.to_string(),
        ],
        None,
    );
    assert!(
        d.stdout.contains("year 292277026596: out of range"),
        "{}",
        d.stdout
    );
}

#[test]
fn numeric_date_huge_and_fractional_values_verify_as_numbers() {
    let now = NOW.to_string();
    let exp_only = |exp: &str| {
        let payload = format!(r#"{{"role":"anon","exp":{exp}}}"#);
        sign::hs256(SECRET, r#"{"alg":"HS256"}"#, &payload)
    };
    let r = run(
        &[
            "verify",
            &exp_only("1e300"),
            "--secret",
            SECRET,
            "--now",
            &now,
        ],
        None,
    );
    assert_eq!(r.code, 0, "a huge exp is far in the future: {}", r.stdout);
    let r = run(
        &[
            "verify",
            &exp_only("-1e300"),
            "--secret",
            SECRET,
            "--now",
            &now,
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("expired"), "{}", r.stdout);
    let r = run(
        &[
            "verify",
            &exp_only(&format!("{}.5", NOW + 10)),
            "--secret",
            SECRET,
            "--now",
            &now,
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn numeric_date_non_numbers_rejected_in_verify_warned_in_decode() {
    let now = NOW.to_string();
    let token = hs256(&json!({"alg": "HS256"}), &json!({"exp": "tomorrow"}));
    let v = run(&["verify", &token, "--secret", SECRET, "--now", &now], None);
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(
        v.stdout.contains("claim \"exp\" must be a number"),
        "{}",
        v.stdout
    );
    let d = run(&["decode", &token, "--now", &now], None);
    assert_eq!(d.code, 0, "{}", d.stderr);
    assert!(
        d.stdout.contains("WARNING: claim \"exp\" must be a number"),
        "{}",
        d.stdout
    );
}

#[test]
fn limits_pem_block_count_is_checked_before_parsing() {
    let block = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
    let e = supajwt::jose::keys::load_keys(&block.repeat(1001)).unwrap_err();
    assert!(e.to_string().contains("at most 1000"), "{e}");
}

#[test]
fn limits_file_over_a_mebibyte_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.pem");
    // Sparse: 64 GiB claimed, nothing written.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(64 << 30)
        .unwrap();
    let r = run(&["verify", "x.y.z", "--key", path.to_str().unwrap()], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("larger than 1048576 bytes"),
        "{}",
        r.stderr
    );
}

/// Runs supajwt with its standard output a pipe whose reader is already gone.
fn closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(binary())
        .args(args)
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

#[test]
fn broken_pipe_ends_quietly() {
    let now = NOW.to_string();
    let token = evil_token();
    for args in [
        vec!["keygen", "--alg", "HS256", "--format", "jwk"],
        vec!["keygen", "--alg", "ES256", "--format", "env", "--now", &now],
        vec!["decode", &token, "--now", &now],
        vec!["verify", &token, "--secret", SECRET, "--now", &now],
        vec!["doctor", "--help"],
        vec!["--help"],
        vec!["--version"],
    ] {
        let (code, stderr) = closed_pipe(&args);
        assert!(code.is_some(), "{args:?}: killed by a signal");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert_ne!(code, Some(101), "{args:?}: {stderr}");
    }
}

#[test]
fn numeric_date_extremes_in_doctor_never_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    let far = token_with_raw_exp("9223372036854775807");
    let past = token_with_raw_exp("-9223372036854775808");
    std::fs::write(
        &env,
        format!("JWT_SECRET={SECRET}\nANON_KEY={far}\nSERVICE_ROLE_KEY={past}\n"),
    )
    .unwrap();
    for now in [i64::MIN, -1000, NOW, i64::MAX] {
        let r = run(
            &[
                "doctor",
                "--env",
                env.to_str().unwrap(),
                "--token",
                &far,
                &format!("--now={now}"),
            ],
            None,
        );
        assert!(r.code == 0 || r.code == 1, "now={now}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "now={now}: {}", r.stderr);
    }
}
