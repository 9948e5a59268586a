//! Issue 24 §1 and §2: every scan is linear within the input caps, and `--redact` is one pass.
//! Each pathological paste of the issue must finish within a generous bound (10 s, in a debug
//! build on a loaded machine; the quadratic code took minutes), and a paste holding more than
//! the cap reports "+ N more, not shown" instead of dropping them silently.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::run;
use common::clock::NOW;
use common::deadline::within;
use supajwt::inspect::report::report_lines;
use supajwt::inspect::{Inspection, MAX_CREDENTIALS, MAX_PASTE_BYTES, recognise};
use supajwt::safe_text::redact::{fingerprint, scrub_text};

fn inspect_within(what: &str, text: String) -> Inspection {
    assert!(
        text.len() <= MAX_PASTE_BYTES,
        "{what}: {} bytes",
        text.len()
    );
    within(10, what, move || recognise(&text).unwrap())
}

fn assert_capped(what: &str, found: &Inspection, at_least: usize) {
    assert!(found.credentials.len() <= MAX_CREDENTIALS, "{what}");
    assert!(
        found.credentials.len() + found.omitted >= at_least,
        "{what}: {} + {} omitted",
        found.credentials.len(),
        found.omitted
    );
    let lines = report_lines(found, &[], NOW, false);
    let more = format!("+ {} more, not shown", found.omitted);
    assert!(
        found.omitted == 0 || lines.iter().any(|l| l.contains("more, not shown")),
        "{what}: no {more} line"
    );
}

#[test]
fn many_tiny_tokens_are_linear_and_capped() {
    let text: String = (0..80_000).map(|i| format!("eyJ{i}.a.b ")).collect();
    let found = inspect_within("80k tokens", text);
    assert_capped("80k tokens", &found, 80_000);
    assert_eq!(found.omitted, 80_000 - MAX_CREDENTIALS);
    let lines = report_lines(&found, &[], NOW, false);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("+ 79,950 more, not shown")),
        "{lines:?}"
    );
}

#[test]
fn a_cookie_header_with_100k_pairs_is_linear() {
    let pairs: Vec<String> = (0..100_000).map(|i| format!("c{i}=eyJ{i}.a.b")).collect();
    let mut text = format!("Cookie: {}", pairs.join(";"));
    text.truncate(MAX_PASTE_BYTES);
    let found = inspect_within("100k cookies", text);
    assert_capped("100k cookies", &found, 50_000);
}

#[test]
fn a_url_with_80k_token_parameters_is_linear() {
    let query: Vec<String> = (0..80_000).map(|i| format!("token={i}")).collect();
    let text = format!("https://abc.supabase.co/auth/v1/verify?{}", query.join("&"));
    let found = inspect_within("80k token=", text);
    assert_capped("80k token=", &found, 80_000);
}

#[test]
fn a_devtools_cookie_table_of_1_mib_is_linear() {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < MAX_PASTE_BYTES - 64 {
        text.push_str(&format!("sb-{i}.1\tv{i}\t.example.com\t/\n"));
        i += 1;
    }
    let found = inspect_within("1 MiB cookie table", text);
    assert!(
        found.remarks.len() <= MAX_CREDENTIALS,
        "{}",
        found.remarks.len()
    );
    assert!(found.omitted > 10_000, "{}", found.omitted);
}

#[test]
fn decode_of_256_kib_of_chunk_shaped_cookie_names_is_linear() {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 256 * 1024 - 64 {
        text.push_str(&format!("sb-{i}.1=x; "));
        i += 1;
    }
    let r = within(10, "decode -", move || {
        run(
            &["decode", "-", "--now", &NOW.to_string()],
            Some(text.as_bytes()),
        )
    });
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn scrubbing_4000_distinct_secrets_is_one_pass() {
    let secrets: Vec<String> = (0..4_000)
        .map(|i| format!("eyJ{}.{i:06}.sig{i}", "x".repeat(60)))
        .collect();
    let text = secrets.join("\n");
    let (out, secrets) = within(10, "scrub 4000 secrets", move || {
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        (scrub_text(&text, &refs), secrets)
    });
    for s in &secrets {
        assert!(!out.contains(s.as_str()));
    }
    assert!(out.contains(&fingerprint(&secrets[1234])));
}

#[test]
fn inspect_redact_of_4000_jwts_is_linear() {
    let text: String = (0..4_000)
        .map(|i| format!("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ{i:06}In0.c2lnbmF0dXJl{i:06}\n"))
        .collect();
    let r = within(10, "inspect --redact", move || {
        run(
            &["inspect", "-", "--redact", "--now", &NOW.to_string()],
            Some(text.as_bytes()),
        )
    });
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("eyJzdWIiOiJ"), "a JWT survived --redact");
    assert!(r.stdout.contains("3,950 more, not shown"), "{}", r.stdout);
}

#[test]
fn har_with_12k_jwts_in_one_request_is_linear() {
    let dir = tempfile::tempdir().unwrap();
    let tokens: Vec<String> = (0..12_000)
        .map(|i| format!("eyJhbGciOiJIUzI1NiJ9.eyJuIjo{i:06}fQ.c2ln{i:06}"))
        .collect();
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "POST", "url": "https://abc.supabase.co/rest/v1/t",
            "headers": [{"name": "cookie", "value": "a=b;".repeat(300_000)}],
            "postData": {"text": tokens.join(" ")}},
        "response": {"status": 200}
    }]}});
    let path = dir.path().join("many.har");
    std::fs::write(&path, har.to_string()).unwrap();
    let path = path.to_string_lossy().into_owned();
    for redact in [false, true] {
        let path = path.clone();
        let r = within(10, "har --json", move || {
            let mut args = vec!["har", &path, "--json", "--now"];
            let now = NOW.to_string();
            args.push(&now);
            if redact {
                args.push("--redact");
            }
            run(&args, None)
        });
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let req = &v["requests"][0];
        assert!(req["omitted"].as_u64().unwrap_or(0) > 10_000, "{req}");
        assert!(
            req["findings"].to_string().contains("har_value_too_large"),
            "the 1.2 MB cookie is skipped, and said so"
        );
        if redact {
            assert!(!r.stdout.contains("eyJuIjo"), "a JWT survived");
        }
    }
}
