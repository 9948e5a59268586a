//! Issue 24 §3: `har --redact` leaks nothing, wherever a browser puts a secret, and its output
//! stays valid JSON with every entry; a file that is not a HAR exits 2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::run;
use common::clock::NOW;
use serde_json::{Value, json};

/// Each secret of the fixture, by where the browser put it.
const LEAKS: &[(&str, &str)] = &[
    ("HTTP/2 :path", "LEAKpathTOKEN1"),
    ("pages[].title", "LEAKtitleHASH2"),
    ("second Set-Cookie", "LEAKsetcookie3"),
    ("relative Location", "LEAKlocation4"),
    ("multipart password", "LEAKmultipart5"),
    ("new_password form field", "LEAKnewpass6"),
    ("URL userinfo password", "LEAKuserinfo7"),
];

fn hostile_har() -> Value {
    json!({"log": {
        "version": "1.2",
        "pages": [{"id": "page_1", "title": "https://app.example.com/auth/confirm?token_hash=LEAKtitleHASH2&type=signup"}],
        "entries": [
            {"request": {"method": "GET", "url": "https://abc.supabase.co/auth/v1/verify?token=LEAKpathTOKEN1",
                "headers": [{"name": ":path", "value": "/auth/v1/verify?token=LEAKpathTOKEN1&type=signup"}]},
             "response": {"status": 303, "headers": [
                {"name": "set-cookie", "value": "a=1; Path=/\nsb-abc-auth-token=LEAKsetcookie3; Path=/; HttpOnly"},
                {"name": "location", "value": "/callback?code=LEAKlocation4&next=/"}],
                "content": {"text": ""}}},
            {"request": {"method": "POST", "url": "https://abc.supabase.co/storage/v1/object/x",
                "headers": [],
                "postData": {"mimeType": "multipart/form-data; boundary=----XyZ",
                    "text": "------XyZ\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nLEAKmultipart5\r\n------XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n------XyZ--\r\n"}},
             "response": {"status": 200, "content": {"text": "{}"}}},
            {"request": {"method": "PUT", "url": "https://admin:LEAKuserinfo7@abc.supabase.co/auth/v1/user",
                "headers": [],
                "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "new_password=LEAKnewpass6&nonce=1"}},
             "response": {"status": 200, "content": {"text": "{}"}}}
        ]
    }})
}

#[test]
fn har_redact_leaks_nothing_wherever_a_browser_puts_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.har");
    std::fs::write(&path, hostile_har().to_string()).unwrap();
    let path = path.to_string_lossy().into_owned();
    let r = run(&["har", &path, "--redact"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let leaked: Vec<&str> = LEAKS
        .iter()
        .filter(|(_, s)| r.stdout.contains(s))
        .map(|(w, _)| *w)
        .collect();
    assert!(leaked.is_empty(), "leaks {leaked:?}:\n{}", r.stdout);
    let v: Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    assert_eq!(v["log"]["entries"].as_array().unwrap().len(), 3);
    let url = v["log"]["entries"][2]["request"]["url"].as_str().unwrap();
    assert!(url.contains("@abc.supabase.co/"), "the host is kept: {url}");
    let now = NOW.to_string();
    let r = run(&["har", &path, "--json", "--redact", "--now", &now], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (what, s) in LEAKS {
        assert!(!r.stdout.contains(s), "--json --redact leaks the {what}");
    }
    serde_json::from_str::<Value>(&r.stdout).expect("valid JSON");
}

#[test]
fn har_redact_on_a_file_that_is_not_a_har_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not.har");
    std::fs::write(&path, r#"{"hello": "world"}"#).unwrap();
    let r = run(&["har", path.to_str().unwrap(), "--redact"], None);
    assert_eq!(r.code, 2, "{} {}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not a HAR"), "{}", r.stderr);
}
