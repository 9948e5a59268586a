//! End-to-end tests of the `supajwt` binary: keygen → mint → verify round trips, exit codes,
//! hostile inputs, the Supabase demo keys and the `.env` output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{Output, run};
use common::clock::NOW_ARG as NOW;
use common::{data, sign};
use serde_json::Value;
use std::path::Path;
use supajwt::supabase::roles::{DOCKER_DEMO_ANON_KEY, DOCKER_DEMO_SECRET, DOCKER_DEMO_SERVICE_KEY};

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn keygen_mint_verify_round_trip_every_algorithm() {
    let dir = tempfile::tempdir().unwrap();
    for (alg, extra) in [
        ("ES256", vec![]),
        ("ES512", vec![]),
        ("RS256", vec!["--bits", "2048"]),
        ("EdDSA", vec![]),
        ("HS256", vec![]),
    ] {
        let mut args = vec!["keygen", "--alg", alg, "--format", "jwk"];
        args.extend(extra.iter().copied());
        let private = run(&args, None);
        assert_eq!(private.code, 0, "{alg}: {}", private.stderr);
        let private_file = write(dir.path(), &format!("{alg}.jwk"), &private.stdout);
        let token = run(
            &[
                "mint",
                "--role",
                "anon",
                "--key",
                &private_file,
                "--now",
                NOW,
                "--expires-in",
                "1h",
            ],
            None,
        );
        assert_eq!(token.code, 0, "{alg}: {}", token.stderr);
        let token = token.stdout.trim().to_string();
        let verify_key = if alg == "HS256" {
            private_file.clone()
        } else {
            let jwk: Value = serde_json::from_str(&private.stdout).unwrap();
            // Build the public JWK of *this* key by dropping the private members.
            let mut pubjwk = jwk.as_object().unwrap().clone();
            for m in ["d", "p", "q", "dp", "dq", "qi"] {
                pubjwk.remove(m);
            }
            write(
                dir.path(),
                &format!("{alg}.pub.jwk"),
                &Value::Object(pubjwk).to_string(),
            )
        };
        let ok = run(
            &["verify", &token, "--key", &verify_key, "--now", NOW],
            None,
        );
        assert_eq!(ok.code, 0, "{alg}: {}{}", ok.stdout, ok.stderr);
        assert!(ok.stdout.starts_with("valid:"), "{alg}: {}", ok.stdout);
        // One byte changed in the payload: rejected with exit 1.
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        parts[1] = format!("{}A", &parts[1][..parts[1].len() - 1]);
        let tampered = parts.join(".");
        let bad = run(
            &[
                "verify",
                &tampered,
                "--key",
                &verify_key,
                "--now",
                NOW,
                "--json",
            ],
            None,
        );
        assert_eq!(bad.code, 1, "{alg}: {}{}", bad.stdout, bad.stderr);
        let v: Value = serde_json::from_str(&bad.stdout).unwrap();
        assert_eq!(v["valid"], false);
        // After expiry: exit 1, reason in words.
        let late = run(
            &[
                "verify",
                &token,
                "--key",
                &verify_key,
                "--now",
                "1767232800",
            ],
            None,
        );
        assert_eq!(late.code, 1);
        assert!(
            late.stdout.contains("expired at 2026-01-01 01:00:00 UTC"),
            "{}",
            late.stdout
        );
    }
}

#[test]
fn pem_round_trip_and_resign() {
    let dir = tempfile::tempdir().unwrap();
    let pem = run(&["keygen", "--alg", "ES256", "--format", "pem"], None);
    assert_eq!(pem.code, 0);
    assert!(pem.stdout.starts_with("-----BEGIN PRIVATE KEY-----"));
    let key = write(dir.path(), "key.pem", &pem.stdout);
    let secret = "a-legacy-secret-that-is-long-enough-0123456789";
    let legacy = run(
        &[
            "mint",
            "--role",
            "service_role",
            "--secret",
            secret,
            "--now",
            NOW,
        ],
        None,
    );
    let resigned = run(
        &["mint", "--resign", legacy.stdout.trim(), "--key", &key],
        None,
    );
    assert_eq!(resigned.code, 0, "{}", resigned.stderr);
    // Same payload segment, new header and signature.
    assert_eq!(
        legacy.stdout.split('.').nth(1),
        resigned.stdout.split('.').nth(1)
    );
    let ok = run(
        &[
            "verify",
            resigned.stdout.trim(),
            "--key",
            &key,
            "--now",
            NOW,
        ],
        None,
    );
    assert_eq!(ok.code, 0, "{}", ok.stdout);
}

#[test]
fn exit_codes_and_hostile_inputs() {
    let secret = "a-legacy-secret-that-is-long-enough-0123456789";
    // Garbage, truncated, huge, JSON, JWE, non-UTF-8: exit 2 with a message, never a panic.
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"hello world".to_vec(), "3 segments"),
        (
            b"eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9".to_vec(),
            "3 segments",
        ),
        (
            b"eyJhbGciOiJIUzI1NiJ9.e30.a.b.c".to_vec(),
            "encrypted token",
        ),
        (
            b"eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5v!.sig".to_vec(),
            "payload (2nd segment)",
        ),
        (vec![b'a'; 300 * 1024], "limit"),
        (vec![0xff, 0xfe, 0x00], "not UTF-8"),
        (
            br#"{"payload":"e30","signatures":[]}"#.to_vec(),
            "JSON serialization",
        ),
    ];
    for (input, expected) in cases {
        for cmd in [vec!["decode", "-"], vec!["verify", "-", "--secret", secret]] {
            let r = run(&cmd, Some(&input));
            assert_eq!(r.code, 2, "{cmd:?} {expected}: {} {}", r.stdout, r.stderr);
            assert!(
                r.stderr.contains(expected),
                "{cmd:?}: wanted {expected:?} in {:?}",
                r.stderr
            );
            assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        }
    }
    // No key given: usage error.
    let r = run(&["verify", DOCKER_DEMO_ANON_KEY], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("give the key"));
    // Wrong key type: an EC key cannot check an HS256 token (key confusion), exit 1.
    let dir = tempfile::tempdir().unwrap();
    let ec = run(
        &["keygen", "--alg", "ES256", "--format", "public-pem"],
        None,
    );
    let ec_file = write(dir.path(), "ec.pem", &ec.stdout);
    let r = run(
        &[
            "verify",
            DOCKER_DEMO_ANON_KEY,
            "--key",
            &ec_file,
            "--now",
            NOW,
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("only allows ES256"), "{}", r.stdout);
    // alg none: exit 1.
    let none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.";
    let r = run(&["verify", none, "--secret", secret], None);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("unsigned"), "{}", r.stdout);
    // A key file that is not a key: exit 2 naming the file.
    let junk = write(dir.path(), "junk.json", "{\"hello\":1}");
    let r = run(&["verify", DOCKER_DEMO_ANON_KEY, "--key", &junk], None);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("junk.json") && r.stderr.contains("neither a JWK"),
        "{}",
        r.stderr
    );
}

#[test]
fn secrets_are_not_echoed() {
    let r = run(
        &[
            "verify",
            DOCKER_DEMO_ANON_KEY,
            "--secret",
            "not-the-secret-but-long-enough-1234567890",
        ],
        None,
    );
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains("not-the-secret") && !r.stderr.contains("not-the-secret"));
}

/// The demo keys of Supabase's self-hosted `.env.example` verify with its demo secret, are
/// flagged as public demo values, and are reported expired after 2027-01-09.
#[test]
fn supabase_demo_keys() {
    for key in [DOCKER_DEMO_ANON_KEY, DOCKER_DEMO_SERVICE_KEY] {
        let ok = run(
            &["verify", key, "--secret", DOCKER_DEMO_SECRET, "--now", NOW],
            None,
        );
        assert_eq!(ok.code, 0, "{}", ok.stdout);
        let late = run(
            &[
                "verify",
                key,
                "--secret",
                DOCKER_DEMO_SECRET,
                "--now",
                "1799535601",
            ],
            None,
        );
        assert_eq!(late.code, 1);
        assert!(
            late.stdout.contains("expired at 2027-01-09"),
            "{}",
            late.stdout
        );
        let decoded = run(
            &[
                "decode",
                &format!("SERVICE_ROLE_KEY=\"{key}\""),
                "--now",
                NOW,
            ],
            None,
        );
        assert_eq!(decoded.code, 0);
        assert!(decoded.stdout.contains("public demo"), "{}", decoded.stdout);
    }
    let decoded = run(&["decode", DOCKER_DEMO_SERVICE_KEY, "--now", NOW], None);
    assert!(decoded.stdout.contains("bypasses Row Level Security"));
}

#[test]
fn decode_json_shape() {
    let r = run(
        &[
            "decode",
            &format!("Authorization: Bearer {DOCKER_DEMO_ANON_KEY}"),
            "--json",
            "--now",
            NOW,
        ],
        None,
    );
    assert_eq!(r.code, 0);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["header"]["alg"], "HS256");
    assert_eq!(v["payload"]["role"], "anon");
    assert_eq!(
        v["segments"]["payload"].as_str().unwrap(),
        DOCKER_DEMO_ANON_KEY.split('.').nth(1).unwrap()
    );
    assert_eq!(v["claims"]["times"][0]["name"], "exp");
    assert_eq!(v["claims"]["times"][0]["status"], "valid");
}

#[test]
fn keygen_env_is_what_supabase_reads() {
    let secret = "a-legacy-secret-that-is-long-enough-0123456789";
    let r = run(
        &[
            "keygen", "--alg", "ES256", "--format", "env", "--secret", secret, "--now", NOW,
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let vars: std::collections::HashMap<&str, &str> = r
        .stdout
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k, v.trim_matches('\'')))
        .collect();
    let keys: Value = serde_json::from_str(vars["JWT_KEYS"]).unwrap();
    let keys = keys.as_array().expect("JWT_KEYS is a bare array");
    let signing: Vec<&Value> = keys
        .iter()
        .filter(|k| {
            k["key_ops"]
                .as_array()
                .is_some_and(|o| o.iter().any(|x| x == "sign"))
        })
        .collect();
    assert_eq!(signing.len(), 1, "exactly one signing key");
    assert_eq!(signing[0]["ext"], true);
    assert_eq!(
        signing[0]["x"].as_str().unwrap().len(),
        43,
        "32-byte coordinate"
    );
    let jwks: Value = serde_json::from_str(vars["JWT_JWKS"]).unwrap();
    let jwks_keys = jwks["keys"]
        .as_array()
        .expect("JWT_JWKS is an object with keys");
    assert!(
        jwks_keys.iter().all(|k| k.get("d").is_none()),
        "no private members in JWT_JWKS"
    );
    let oct = jwks_keys.iter().find(|k| k["kty"] == "oct").unwrap();
    assert_eq!(oct["k"], supajwt::jose::b64::encode(secret.as_bytes()));
    assert!(
        !vars.contains_key("JWT_METHODS"),
        "JWT_METHODS is read by no upstream file"
    );
    for (name, prefix) in [
        ("SUPABASE_PUBLISHABLE_KEY", "sb_publishable_"),
        ("SUPABASE_SECRET_KEY", "sb_secret_"),
    ] {
        let (random, sum) = supajwt::supabase::opaque::split_opaque_key(vars[name], prefix)
            .expect("upstream's opaque key format");
        assert_eq!(
            sum,
            supajwt::supabase::opaque::checksum("supabase-self-hosted", prefix, random)
        );
    }
    // The asymmetric keys verify against JWT_JWKS (by kid), the legacy ones too (no kid, oct key).
    let dir = tempfile::tempdir().unwrap();
    let jwks_file = write(dir.path(), "jwks.json", vars["JWT_JWKS"]);
    for var in [
        "ANON_KEY_ASYMMETRIC",
        "SERVICE_ROLE_KEY_ASYMMETRIC",
        "ANON_KEY",
        "SERVICE_ROLE_KEY",
    ] {
        let ok = run(
            &["verify", vars[var], "--key", &jwks_file, "--now", NOW],
            None,
        );
        assert_eq!(ok.code, 0, "{var}: {}", ok.stdout);
    }
    // A kid that is not in the set: the reason lists the kids it has.
    let other = run(&["keygen", "--alg", "ES256", "--kid", "other-kid"], None);
    let other_file = write(dir.path(), "other.jwk", &other.stdout);
    let token = run(
        &["mint", "--role", "anon", "--key", &other_file, "--now", NOW],
        None,
    );
    let r = run(
        &[
            "verify",
            token.stdout.trim(),
            "--key",
            &jwks_file,
            "--now",
            NOW,
        ],
        None,
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("\"other-kid\" is not in the key set (it has: \""),
        "{}",
        r.stdout
    );
}

#[test]
fn secret_encoding_hint() {
    // A token signed with the base64-decoded bytes of a secret fails with the text reading,
    // and the reason says which reading works.
    let text = "c2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2gtZm9yLWhzMjU2LW9rYXk=";
    let token = run(
        &[
            "mint",
            "--role",
            "anon",
            "--secret",
            text,
            "--secret-encoding",
            "base64",
            "--now",
            NOW,
        ],
        None,
    );
    assert_eq!(token.code, 0, "{}", token.stderr);
    let r = run(
        &[
            "verify",
            token.stdout.trim(),
            "--secret",
            text,
            "--now",
            NOW,
        ],
        None,
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("read as base64"), "{}", r.stdout);
}

/// Built without the window (`--no-default-features`), no arguments is a usage error that lists
/// the subcommands, instead of trying to open a window.
#[cfg(not(feature = "gui"))]
#[test]
fn without_the_gui_no_arguments_prints_usage() {
    let r = run(&[], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Usage"), "{}", r.stderr);
}

/// With the window built, no arguments hands over to `supajwt-window` (the window is a program
/// of its own so the command line starts fast); with no display it says so and exits 2.
#[cfg(feature = "gui")]
#[test]
fn no_arguments_opens_the_window_program() {
    let out = common::cli::command()
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_RUNTIME_DIR", "/nonexistent")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot open the window"), "{stderr}");
}

/// `supajwt` itself carries no window: copied alone, with no arguments it says where the window
/// is instead of opening one.
#[cfg(feature = "gui")]
#[test]
fn the_command_line_binary_holds_no_window() {
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("supajwt");
    std::fs::copy(common::cli::binary(), &alone).unwrap();
    let out = std::process::Command::new(&alone).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the window is the program supajwt-window"),
        "{stderr}"
    );
    let decode = std::process::Command::new(&alone)
        .args(["decode", supajwt::supabase::roles::DOCKER_DEMO_ANON_KEY])
        .output()
        .unwrap();
    assert_eq!(decode.status.code(), Some(0));
}

#[test]
fn key_file_never_hmac_forged_token_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let claims = r#"{"role":"service_role","iss":"supabase","exp":1999999999}"#;
    for (name, text, expected) in [
        (
            "dsa.pub",
            data::read("ssh/dsa.pub"),
            "ssh-keygen -e -m PKCS8",
        ),
        (
            "notes.txt",
            "this file is some public text a-long-long-line-of-text".to_string(),
            "for a shared secret use --secret/--secret-file",
        ),
        (
            "url.txt",
            "https://abc.supabase.co/auth/v1/.well-known/jwks.json".to_string(),
            "use --jwks-url",
        ),
        (
            "p8.txt",
            "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC".to_string(),
            "add the BEGIN/END lines",
        ),
    ] {
        let file = write(dir.path(), name, &text);
        let forged = sign::hs256(text.trim(), r#"{"alg":"HS256","typ":"JWT"}"#, claims);
        let r = run(&["verify", &forged, "--key", &file, "--now", NOW], None);
        assert_eq!(r.code, 2, "{name}: {}{}", r.stdout, r.stderr);
        assert!(!r.stdout.contains("valid:"), "{name}: {}", r.stdout);
        assert!(r.stderr.contains(expected), "{name}: {}", r.stderr);
    }
    // The same bytes given on purpose as a secret still work: that is the explicit path.
    let secret = write(
        dir.path(),
        "secret.txt",
        "this file is some public text a-long-long-line-of-text",
    );
    let forged = sign::hs256(
        "this file is some public text a-long-long-line-of-text",
        r#"{"alg":"HS256"}"#,
        claims,
    );
    let r = run(
        &["verify", &forged, "--secret-file", &secret, "--now", NOW],
        None,
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn key_file_openssh_lines_and_bare_der_verify_real_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let strip = |pem: &str| -> String {
        let text = data::read(pem);
        text.lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (private, public, alg) in [
        ("pem/ed25519_pkcs8_private.pem", "ssh/ed25519.pub", "EdDSA"),
        ("pem/ec_pkcs8_private.pem", "ssh/ec_p256.pub", "ES256"),
        ("pem/ec384_sec1_private.pem", "ssh/ec_p384.pub", "ES384"),
        ("pem/rsa_pkcs1_private.pem", "ssh/rsa.pub", "RS256"),
    ] {
        let minted = run(
            &[
                "mint",
                "--role",
                "anon",
                "--key",
                &data::arg(private),
                "--now",
                NOW,
            ],
            None,
        );
        assert_eq!(minted.code, 0, "{alg}: {}", minted.stderr);
        let token = minted.stdout.trim();
        let r = run(
            &["verify", token, "--key", &data::arg(public), "--now", NOW],
            None,
        );
        assert_eq!(r.code, 0, "{alg} {public}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout.starts_with(&format!("valid: {alg}")),
            "{}",
            r.stdout
        );
        if alg != "EdDSA" && alg != "ES384" {
            let spki = if alg == "RS256" {
                "pem/rsa_spki_public.pem"
            } else {
                "pem/ec_spki_public.pem"
            };
            let bare = write(dir.path(), &format!("{alg}.b64"), &strip(spki));
            let r = run(&["verify", token, "--key", &bare, "--now", NOW], None);
            assert_eq!(r.code, 0, "{alg} bare DER: {}{}", r.stdout, r.stderr);
        }
    }
    let pkcs1 = write(dir.path(), "pkcs1.b64", &strip("pem/rsa_pkcs1_public.pem"));
    let minted = run(
        &[
            "mint",
            "--role",
            "anon",
            "--key",
            &data::arg("pem/rsa_pkcs1_private.pem"),
            "--now",
            NOW,
        ],
        None,
    );
    let r = run(
        &[
            "verify",
            minted.stdout.trim(),
            "--key",
            &pkcs1,
            "--now",
            NOW,
        ],
        None,
    );
    assert_eq!(r.code, 0, "PKCS#1 bare DER: {}{}", r.stdout, r.stderr);
}

#[test]
fn duplicate_member_verify_refuses_and_decode_warns_with_every_copy() {
    let secret = "a-legacy-secret-that-is-long-enough-0123456789";
    let token = sign::hs256(
        secret,
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"role":"anon","iss":"supabase","role":"service_role"}"#,
    );
    let r = run(&["verify", &token, "--secret", secret, "--now", NOW], None);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("the payload has two `role` members; JSON parsers disagree on which wins, so the token is refused"),
        "{}",
        r.stdout
    );
    let r = run(
        &["verify", &token, "--secret", secret, "--now", NOW, "--json"],
        None,
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["code"], "duplicate_member");
    let r = run(&["decode", &token, "--now", NOW], None);
    assert_eq!(r.code, 0);
    let warning = r
        .stdout
        .find("WARNING: the payload has 2 `role` members")
        .expect(&r.stdout);
    assert!(
        warning < r.stdout.find("== payload").unwrap(),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("\"anon\", \"service_role\""),
        "{}",
        r.stdout
    );
    let r = run(&["decode", &token, "--now", NOW, "--json"], None);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["claims"]["duplicates"][0]["code"], "duplicate_member");
    assert_eq!(
        v["claims"]["duplicates"][0]["copies"],
        serde_json::json!(["anon", "service_role"])
    );
}

#[test]
fn crit_and_b64_are_refused_with_stable_codes() {
    let secret = "a-legacy-secret-that-is-long-enough-0123456789";
    for (header, code) in [
        (
            r#"{"alg":"HS256","crit":["http://example.com/x"],"http://example.com/x":1}"#,
            "crit_unsupported",
        ),
        (r#"{"alg":"HS256","crit":"exp"}"#, "crit_malformed"),
        (
            r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#,
            "unencoded_payload",
        ),
        (r#"{"alg":"HS256","kid":17}"#, "header_member_type"),
    ] {
        let token = sign::hs256(secret, header, r#"{"role":"anon"}"#);
        let r = run(
            &["verify", &token, "--secret", secret, "--now", NOW, "--json"],
            None,
        );
        assert_eq!(r.code, 1, "{header}: {}{}", r.stdout, r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["code"], code, "{header}: {}", r.stdout);
    }
}

/// `selftest`: one line per check, exit 0, and the same checks as JSON.
#[test]
fn selftest_passes_with_a_line_per_check_and_json() {
    let r = run(&["selftest"], None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for line in [
        "RFC 7515 A.2 RS256",
        "RFC 8037 A.4 EdDSA",
        "sign-verify ES384, fresh key",
        "two generated keys differ",
        "clock: the clock reads",
    ] {
        assert!(r.stdout.contains(line), "{line} missing from {}", r.stdout);
    }
    assert!(r.stdout.contains("checks passed"), "{}", r.stdout);
    let json = run(&["selftest", "--json"], None);
    assert_eq!(json.code, 0);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["passed"], true);
    let checks = v["checks"].as_array().unwrap();
    assert!(checks.len() >= 20, "{checks:?}");
    assert!(checks.iter().all(|c| c["status"] != "fail"));
}

/// `--version`, and `version --verbose` with what a reviewer asks for.
#[test]
fn version_and_verbose_build_facts() {
    let r = run(&["--version"], None);
    assert_eq!(
        r.stdout.trim(),
        format!("supajwt {}", env!("CARGO_PKG_VERSION"))
    );
    let r = run(&["version", "--verbose"], None);
    assert_eq!(r.code, 0);
    for field in [
        "version: ",
        "commit: ",
        "build date: ",
        "features: ",
        "target: ",
        "crypto crates (Cargo.lock): jsonwebtoken 11",
    ] {
        assert!(
            r.stdout.contains(field),
            "{field} missing from {}",
            r.stdout
        );
    }
    assert!(r.stdout.contains("rsa 0.9") && r.stdout.contains("p256 0.13"));
    // Every crate that signs or parses keys, P-521 and OpenSSH keys included.
    assert!(r.stdout.contains("p521 0.13") && r.stdout.contains("ssh-key 0.6"));
    // `-vV` and its spellings, as rustc and cargo read them.
    for args in [
        &["-vV"][..],
        &["-Vv"],
        &["-V", "-v"],
        &["--version", "--verbose"],
        &["--verbose", "-V"],
    ] {
        let alias = run(args, None);
        assert_eq!((alias.code, &alias.stdout), (0, &r.stdout), "{args:?}");
    }
    assert_eq!(run(&["-vVx"], None).code, 2);
    assert_eq!(run(&["-v"], None).code, 2);
}

/// Completion scripts for each shell, and one man page per visible subcommand.
#[test]
fn completions_and_man_pages() {
    for (shell, marker) in [
        ("bash", "complete -F _supajwt"),
        ("zsh", "#compdef supajwt"),
        ("fish", "complete -c supajwt"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let r = run(&["completions", shell], None);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains(marker), "{shell}: {}", r.stdout);
        assert!(r.stdout.contains("selftest"), "{shell}");
        // A subcommand's own flags are there too (its arguments are built only on demand).
        assert!(r.stdout.contains("jwks-url"), "{shell}: verify's flags");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man");
    let r = run(&["manpages", out.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in ["supajwt.1", "supajwt-verify.1", "supajwt-selftest.1"] {
        let text = std::fs::read_to_string(out.join(page)).unwrap();
        assert!(text.contains(".TH"), "{page}");
    }
    let verify = std::fs::read_to_string(out.join("supajwt-verify.1")).unwrap();
    assert!(
        verify.contains("jwks\\-url"),
        "verify's flags in its man page"
    );
    assert!(
        !out.join("supajwt-manpages.1").exists(),
        "hidden subcommand"
    );
}

/// `supajwt X --help` opens with the same description `supajwt --help` lists for X (the
/// subcommands' arguments are built only when used; their descriptions must not change).
#[test]
fn each_subcommand_help_opens_with_its_listed_description() {
    let top = run(&["--help"], None);
    assert_eq!(top.code, 0);
    let listed: Vec<(&str, &str)> = top
        .stdout
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.trim().split_once(' '))
        .map(|(name, about)| (name, about.trim()))
        .filter(|(name, _)| *name != "help")
        .collect();
    assert!(listed.len() >= 12, "{}", top.stdout);
    for (name, about) in listed {
        for flag in ["-h", "--help"] {
            let help = run(&[name, flag], None);
            assert_eq!(help.code, 0, "{name} {flag}");
            assert_eq!(help.stdout.lines().next(), Some(about), "{name} {flag}");
        }
    }
}

/// Conflicting key options are refused by clap (exit 2) with both flags named.
#[test]
fn conflicting_key_sources_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let key = write(dir.path(), "k.txt", "x");
    for args in [
        vec![
            "verify",
            DOCKER_DEMO_ANON_KEY,
            "--secret",
            "s",
            "--key",
            &key,
        ],
        vec![
            "verify",
            DOCKER_DEMO_ANON_KEY,
            "--secret",
            "s",
            "--secret-env",
            "V",
        ],
        vec![
            "verify",
            DOCKER_DEMO_ANON_KEY,
            "--jwks-url",
            "abc",
            "--secret",
            "s",
        ],
        vec![
            "mint",
            "--role",
            "anon",
            "--secret-file",
            &key,
            "--key",
            &key,
        ],
    ] {
        let r = run(&args, None);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("cannot be used with"),
            "{args:?}: {}",
            r.stderr
        );
    }
}

/// Keygen and mint warn on stderr when a given --now is more than a day from the clock; the
/// output itself is unchanged.
#[test]
fn a_now_far_from_the_clock_warns() {
    let far = run(
        &[
            "mint",
            "--role",
            "anon",
            "--secret",
            DOCKER_DEMO_SECRET,
            "--now",
            "1000000000",
        ],
        None,
    );
    assert_eq!(far.code, 0, "{}", far.stderr);
    assert!(far.stderr.contains("warning: --now"), "{}", far.stderr);
    let now = supajwt::jose::time::system_now().to_string();
    let close = run(
        &[
            "mint",
            "--role",
            "anon",
            "--secret",
            DOCKER_DEMO_SECRET,
            "--now",
            &now,
        ],
        None,
    );
    assert_eq!(close.code, 0);
    assert!(!close.stderr.contains("warning"), "{}", close.stderr);
    let keygen = run(&["keygen", "--alg", "EdDSA", "--now", "1000000000"], None);
    assert!(
        keygen.stderr.contains("warning: --now"),
        "{}",
        keygen.stderr
    );
}

/// keygen, mint and rotate with EdDSA say on stderr that supabase-js getClaims() and Edge
/// Functions refuse EdDSA tokens and recommend ES256; ES256 gets no such note.
#[test]
fn eddsa_warning_keygen_mint_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let warned = |r: &Output| {
        r.stderr.contains("getClaims()")
            && r.stderr.contains("Edge Functions")
            && r.stderr.contains("use ES256")
    };
    let ed = run(&["keygen", "--alg", "EdDSA", "--format", "jwk"], None);
    assert_eq!(ed.code, 0, "{}", ed.stderr);
    assert!(warned(&ed), "{}", ed.stderr);
    assert!(
        !ed.stdout.contains("getClaims"),
        "the note stays off stdout"
    );
    let key = write(dir.path(), "ed.jwk", &ed.stdout);
    let minted = run(
        &["mint", "--role", "anon", "--key", &key, "--now", NOW],
        None,
    );
    assert_eq!(minted.code, 0, "{}", minted.stderr);
    assert!(warned(&minted), "{}", minted.stderr);
    let es = run(&["keygen", "--alg", "ES256", "--format", "jwk"], None);
    assert!(!es.stderr.contains("getClaims"), "{}", es.stderr);
    let es_key = write(dir.path(), "es.jwk", &es.stdout);
    let es_minted = run(
        &["mint", "--role", "anon", "--key", &es_key, "--now", NOW],
        None,
    );
    assert!(
        !es_minted.stderr.contains("getClaims"),
        "{}",
        es_minted.stderr
    );
    let env = write(
        dir.path(),
        ".env",
        &format!(
            "JWT_SECRET={DOCKER_DEMO_SECRET}\nANON_KEY={DOCKER_DEMO_ANON_KEY}\nSERVICE_ROLE_KEY={DOCKER_DEMO_SERVICE_KEY}\n"
        ),
    );
    let rotated = run(
        &["rotate", "--env", &env, "--alg", "EdDSA", "--now", NOW],
        None,
    );
    assert_eq!(rotated.code, 0, "{}", rotated.stderr);
    assert!(warned(&rotated), "{}", rotated.stderr);
    let rotated_es = run(
        &["rotate", "--env", &env, "--alg", "ES256", "--now", NOW],
        None,
    );
    assert!(
        !rotated_es.stderr.contains("getClaims"),
        "{}",
        rotated_es.stderr
    );
}

/// ES512 through the binary: keygen --alg ES512 gives a P-521 key, and a token minted with it
/// verifies against its public PEM.
#[test]
fn es512_keygen_mint_verify_cli() {
    let dir = tempfile::tempdir().unwrap();
    let private = run(&["keygen", "--alg", "ES512", "--format", "pem"], None);
    assert_eq!(private.code, 0, "{}", private.stderr);
    let private_file = write(dir.path(), "p521.pem", &private.stdout);
    let public = run(
        &["keygen", "--alg", "ES512", "--format", "public-jwk"],
        None,
    );
    assert!(public.stdout.contains("\"P-521\""), "{}", public.stdout);
    let token = run(
        &[
            "mint",
            "--role",
            "anon",
            "--key",
            &private_file,
            "--alg",
            "ES512",
            "--now",
            NOW,
        ],
        None,
    );
    assert_eq!(token.code, 0, "{}", token.stderr);
    let verified = run(
        &[
            "verify",
            "--key",
            &private_file,
            "--now",
            NOW,
            token.stdout.trim(),
        ],
        None,
    );
    assert_eq!(verified.code, 0, "{}{}", verified.stdout, verified.stderr);
    assert!(verified.stdout.contains("ES512"), "{}", verified.stdout);
}

/// RS512 (issue 22 §3) through the binary: `keygen --alg RS512` gives an RSA key declared for
/// RS512 with the supabase-js warning, `mint` signs RS512 with it (and with its PEM given
/// `--alg RS512`), `verify` accepts the token, and `rotate --alg RS512` makes an RS512 signing
/// key and re-signed keys.
#[test]
fn rs512_keygen_mint_verify_rotate_cli() {
    let dir = tempfile::tempdir().unwrap();
    let jwk = run(&["keygen", "--alg", "RS512", "--format", "jwk"], None);
    assert_eq!(jwk.code, 0, "{}", jwk.stderr);
    assert!(jwk.stderr.contains("getClaims()"), "{}", jwk.stderr);
    let parsed: Value = serde_json::from_str(&jwk.stdout).unwrap();
    assert_eq!(
        (parsed["kty"].as_str(), parsed["alg"].as_str()),
        (Some("RSA"), Some("RS512"))
    );
    let key = write(dir.path(), "rs512.jwk", &jwk.stdout);
    let token = run(
        &["mint", "--role", "anon", "--key", &key, "--now", NOW],
        None,
    );
    assert_eq!(token.code, 0, "{}", token.stderr);
    assert!(token.stderr.contains("getClaims()"), "{}", token.stderr);
    let token = token.stdout.trim().to_string();
    let header = supajwt::jose::token::Jws::parse_unverified(&token).unwrap();
    assert_eq!(header.alg_name(), Some("RS512"));
    let ok = run(&["verify", &token, "--key", &key, "--now", NOW], None);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(ok.stdout.contains("RS512"), "{}", ok.stdout);
    // A PEM has no alg: --alg RS512 picks it.
    let pem = run(&["keygen", "--alg", "RS512", "--format", "pem"], None);
    let pem = write(dir.path(), "rs512.pem", &pem.stdout);
    let minted = run(
        &[
            "mint", "--role", "anon", "--key", &pem, "--alg", "RS512", "--now", NOW,
        ],
        None,
    );
    assert_eq!(minted.code, 0, "{}", minted.stderr);
    let ok = run(
        &["verify", minted.stdout.trim(), "--key", &pem, "--now", NOW],
        None,
    );
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    let env = write(
        dir.path(),
        ".env",
        &format!(
            "JWT_SECRET={DOCKER_DEMO_SECRET}\nANON_KEY={DOCKER_DEMO_ANON_KEY}\nSERVICE_ROLE_KEY={DOCKER_DEMO_SERVICE_KEY}\n"
        ),
    );
    let rotated = run(
        &["rotate", "--env", &env, "--alg", "RS512", "--now", NOW],
        None,
    );
    assert_eq!(rotated.code, 0, "{}", rotated.stderr);
    assert!(rotated.stderr.contains("getClaims()"), "{}", rotated.stderr);
    assert!(
        rotated.stdout.contains(r#""alg":"RS512""#),
        "{}",
        rotated.stdout
    );
    let help = run(&["keygen", "--help"], None);
    assert!(help.stdout.contains("RS512"), "{}", help.stdout);
}
