//! Issue 24 §3: `har --redact` leaks nothing, wherever a browser puts a secret, and its output
//! stays valid JSON with every entry; a file that is not a HAR exits 2. Issue 22 §4: `har`
//! skips response bodies without building them, and its memos of decoded credentials are
//! bounded and never change what a request says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{binary, run};
use common::clock::{NOW, NOW_ARG};
use common::sign::hs256;
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Stdio};

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

/// The peak resident memory of a running process, in KiB (`VmHWM`).
fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A 64 MiB response body is skipped, not built: `har` reads it from standard input, and its
/// peak memory, taken while it waits for the end of the file (so the whole body has gone
/// through it), stays under 16 MiB. Before, the body became a 64 MiB string.
#[cfg(target_os = "linux")]
#[test]
fn har_skips_a_huge_response_body_without_building_it() {
    let mut child = Command::new(binary())
        .args(["har", "-", "--json", "--now", NOW_ARG])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let head = r#"{"log":{"entries":[{"request":{"method":"GET","url":"https://abc.supabase.co/rest/v1/t","headers":[{"name":"apikey","value":"not-a-key"}]},"response":{"status":200,"content":{"mimeType":"application/json","text":"["#;
    stdin.write_all(head.as_bytes()).unwrap();
    let chunk = r#"{\"task\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"},"#.repeat(1 << 14);
    let mut sent = head.len();
    while sent < 64 << 20 {
        stdin.write_all(chunk.as_bytes()).unwrap();
        sent += chunk.len();
    }
    let peak = peak_rss_kib(child.id());
    stdin.write_all(br#"0]"}}}]}}"#).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        v["requests"][0]["status"], 200,
        "the entry is still read: {stdout}"
    );
    assert_eq!(
        v["requests"][0]["credentials"][0]["source"],
        "header apikey"
    );
    assert!(
        peak < 16 * 1024,
        "peak {peak} KiB while a {} MiB body went through",
        sent >> 20
    );
}

/// One entry sending `token` as the Bearer, with the anon key.
fn entry_with(token: &str, anon: &str, i: usize) -> Value {
    json!({"request": {"method": "GET", "url": format!("https://abcdefghijklmnopqrst.supabase.co/auth/v1/user?i={i}"),
        "headers": [{"name": "apikey", "value": anon}, {"name": "authorization", "value": format!("Bearer {token}")},
                    {"name": "origin", "value": "http://localhost:3000"}]},
        "response": {"status": if i.is_multiple_of(3) { 401 } else { 200 }, "content": {"text": "{\"msg\":\"JWT expired\"}"}}})
}

/// More distinct tokens than the memos hold (each sent twice, far apart, and some expired):
/// every request is listed exactly as in a HAR of that request alone, where nothing was
/// remembered from before.
#[test]
fn har_with_more_distinct_tokens_than_the_memos_hold_reads_like_each_entry_alone() {
    const SECRET: &str = "a-secret-that-is-long-enough-for-hs256-0123";
    let anon = hs256(
        SECRET,
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"iss":"supabase","ref":"abcdefghijklmnopqrst","role":"anon"}"#,
    );
    let tokens: Vec<String> = (0..1200usize)
        .map(|i| {
            let exp = NOW + if i.is_multiple_of(2) { -60 } else { 3600 };
            let payload = format!(r#"{{"sub":"user-{i}","role":"authenticated","ref":"abcdefghijklmnopqrst","exp":{exp}}}"#);
            hs256(SECRET, r#"{"alg":"HS256","typ":"JWT"}"#, &payload)
        })
        .collect();
    let entries: Vec<Value> = (0..2 * tokens.len())
        .map(|i| entry_with(&tokens[i % tokens.len()], &anon, i))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.har");
    let har = |entries: &[Value]| json!({"log": {"entries": entries}}).to_string();
    std::fs::write(&path, har(&entries)).unwrap();
    let all = run(
        &["har", path.to_str().unwrap(), "--json", "--now", NOW_ARG],
        None,
    );
    assert_eq!(all.code, 0, "{}", all.stderr);
    let all: Value = serde_json::from_str(&all.stdout).unwrap();
    assert_eq!(all["requests"].as_array().unwrap().len(), entries.len());
    for i in [0, 1, 511, 512, 1199, 1200, 1201, 2399] {
        let one = dir.path().join("one.har");
        std::fs::write(&one, har(&entries[i..=i])).unwrap();
        let r = run(
            &["har", one.to_str().unwrap(), "--json", "--now", NOW_ARG],
            None,
        );
        let alone: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(all["requests"][i], alone["requests"][0], "request {i}");
    }
    let expired = all["requests"][1200]["findings"].to_string();
    assert!(expired.contains("bearer_expired"), "{expired}");
}

/// A reader that hands over one byte per call, so every string, escape and number of a HAR
/// straddles the stream's buffer refills.
struct OneByte<'a>(&'a [u8]);

impl std::io::Read for OneByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some((first, rest)) = self.0.split_first() else {
            return Ok(0);
        };
        if let Some(b) = buf.first_mut() {
            *b = *first;
            self.0 = rest;
            return Ok(1);
        }
        Ok(0)
    }
}

/// The stream reads a HAR the same whether it comes in one piece or a byte at a time (escaped
/// quotes, `\u` escapes, numbers and keys cut anywhere).
#[test]
fn har_read_a_byte_at_a_time_reads_the_same() {
    let text = std::fs::read(common::data::arg("inputs/small_401.har")).unwrap();
    let mut extra = hostile_har();
    extra["log"]["entries"][0]["request"]["headers"][0]["value"] =
        json!("quote \" backslash \\ unicode \u{e9} \u{1F600} tab \t end");
    extra["log"]["pages"] = json!([{"title": "\u{0001}", "n": -1.5e3, "ok": true, "no": null}]);
    for har in [text, extra.to_string().into_bytes()] {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let n = supajwt::inspect::har::scan_har(har.as_slice(), NOW, |r| a.push(format!("{r:?}")));
        let m = supajwt::inspect::har::scan_har(OneByte(&har), NOW, |r| b.push(format!("{r:?}")));
        assert_eq!(n, m);
        assert!(n.is_ok() && !a.is_empty(), "{n:?}");
        assert_eq!(a, b);
    }
}
