//! The JWKS fetch against a small HTTP server on loopback (the only network use of supajwt):
//! the https-only rule, redirects, timeout, the 1 MiB cap, non-JSON and wrong shapes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::command;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};
use supajwt::fetch::{FetchOptions, UrlRefusal, check_url, fetch_jwks_with, parse_jwks_url};
use supajwt::jose::keys::KeySet;

/// What a user types, as the URL the fetch would take with no opt-in (or why not).
fn jwks_url_for(input: &str) -> Result<url::Url, String> {
    let url = parse_jwks_url(input)?;
    check_url(&url, &FetchOptions::default()).map_err(|e| e.to_string())?;
    Ok(url)
}

/// The fetch with this total deadline and no opt-in.
fn fetch_jwks_with_timeout(url: &url::Url, timeout: Duration) -> Result<KeySet, String> {
    let options = FetchOptions {
        timeout,
        ..FetchOptions::default()
    };
    fetch_jwks_with(url, &options).map_err(|e| e.to_string())
}

const JWKS: &str = r#"{"keys":[{"kty":"EC","kid":"loopback","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#;

/// Serves a bounded number of requests on 127.0.0.1 and returns the base URL.
fn server(requests: usize) -> String {
    server_on("127.0.0.1:0", requests)
}

/// [`server`] on another address.
fn server_on(addr: &str, requests: usize) -> String {
    let listener = TcpListener::bind(addr).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            reader.read_line(&mut first).unwrap_or_default();
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, extra, body): (&str, String, String) = match path.as_str() {
                "/ok" | "/jwks.json" => ("200 OK", String::new(), JWKS.into()),
                "/array" => (
                    "200 OK",
                    String::new(),
                    format!("[{}]", &JWKS[9..JWKS.len() - 2]),
                ),
                "/html" => (
                    "200 OK",
                    String::new(),
                    "<html><body>Welcome to nginx</body></html>".into(),
                ),
                "/big" => (
                    "200 OK",
                    String::new(),
                    format!(
                        "{{\"keys\":[],\"pad\":\"{}\"}}",
                        "a".repeat(2 * 1024 * 1024)
                    ),
                ),
                "/redirect-http" => (
                    "302 Found",
                    "Location: http://example.com/jwks.json\r\n".into(),
                    String::new(),
                ),
                "/redirect-ok" => ("302 Found", "Location: /ok\r\n".into(), String::new()),
                "/slow" => {
                    std::thread::sleep(Duration::from_secs(3));
                    ("200 OK", String::new(), JWKS.into())
                }
                _ => ("404 Not Found", String::new(), "no".into()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

fn fetch(base: &str, path: &str) -> Result<supajwt::jose::keys::KeySet, String> {
    let url = url::Url::parse(&format!("{base}{path}")).unwrap();
    fetch_jwks_with_timeout(&url, Duration::from_millis(800))
}

#[test]
fn loopback_fetch_cases() {
    let base = server(9);
    let set = fetch(&base, "/ok").unwrap();
    assert_eq!(set.kids(), ["loopback"]);
    assert!(
        fetch(&base, "/redirect-ok").is_ok(),
        "a redirect on loopback is followed"
    );
    let e = fetch(&base, "/redirect-http").unwrap_err();
    assert!(e.contains("unsafe URL") && e.contains("plain http"), "{e}");
    let e = fetch(&base, "/array").unwrap_err();
    assert!(e.contains("must return an object"), "{e}");
    let e = fetch(&base, "/html").unwrap_err();
    assert!(e.contains("not JSON"), "{e}");
    let e = fetch(&base, "/big").unwrap_err();
    assert!(e.contains("larger than 1024 KiB"), "{e}");
    let e = fetch(&base, "/missing").unwrap_err();
    assert!(e.contains("404"), "{e}");
    let start = Instant::now();
    let e = fetch(&base, "/slow").unwrap_err();
    assert!(e.contains("no complete answer within 0.8 s"), "{e}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "the timeout bounds the wait"
    );
}

#[test]
fn urls_and_the_https_rule() {
    assert!(
        jwks_url_for("http://supabase.example.com")
            .unwrap_err()
            .contains("plain http")
    );
    assert!(jwks_url_for("ftp://x").is_err());
    assert!(
        jwks_url_for("not a url")
            .unwrap_err()
            .contains("neither a project ref")
    );
    assert_eq!(
        jwks_url_for("http://127.0.0.1:8000/").unwrap().as_str(),
        "http://127.0.0.1:8000/auth/v1/.well-known/jwks.json"
    );
    assert_eq!(
        jwks_url_for("https://abc.supabase.co/auth/v1")
            .unwrap()
            .as_str(),
        "https://abc.supabase.co/auth/v1/.well-known/jwks.json"
    );
}

#[test]
fn offline_is_a_clear_error() {
    // Port 9 on loopback: nothing listens, the connection is refused at once.
    let url = url::Url::parse("http://127.0.0.1:9/jwks.json").unwrap();
    let e = fetch_jwks_with_timeout(&url, Duration::from_secs(2)).unwrap_err();
    assert!(e.contains("cannot connect"), "{e}");
    assert!(e.contains("connection refused"), "{e}");
}

/// A server that answers each connection on its own thread, with `respond(path, stream)`.
fn threaded_server(respond: fn(&str, &mut std::net::TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                reader.read_line(&mut first).unwrap_or_default();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
                respond(&path, &mut stream);
            });
        }
    });
    base
}

/// `/body`: headers at once, then the body one byte a second (for 30 s). `/headers`: the
/// status line and headers one byte a second. `/loop`: redirects to itself. `/error`: a 500
/// with a long body full of terminal escapes.
fn drip(path: &str, stream: &mut std::net::TcpStream) {
    let second = Duration::from_secs(1);
    match path {
        p if p.starts_with("/body") => {
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n"
            );
            for _ in 0..30 {
                if stream.write_all(b" ").is_err() {
                    return;
                }
                std::thread::sleep(second);
            }
        }
        "/headers" => {
            for b in b"HTTP/1.1 200 OK\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n" {
                if stream.write_all(&[*b]).is_err() {
                    return;
                }
                std::thread::sleep(second);
            }
        }
        "/loop" => {
            let _ = write!(
                stream,
                "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
        _ => {
            let body = format!(
                "<html>\u{1b}]0;pwned\u{7}\nvalid: true\u{202e}{}</html>",
                "x".repeat(500)
            );
            let _ = write!(
                stream,
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    }
}

fn url(base: &str, path: &str) -> url::Url {
    url::Url::parse(&format!("{base}{path}")).unwrap()
}

#[test]
fn fetch_deadline_covers_a_dripping_body() {
    let base = threaded_server(drip);
    let start = Instant::now();
    let e = fetch_jwks_with_timeout(&url(&base, "/body"), Duration::from_secs(2)).unwrap_err();
    let took = start.elapsed();
    assert!(e.contains("no complete answer within 2 s"), "{e}");
    assert!(took < Duration::from_secs(4), "ended after {took:?}");
}

#[test]
fn fetch_deadline_covers_dripping_headers() {
    let base = threaded_server(drip);
    let start = Instant::now();
    let e = fetch_jwks_with_timeout(&url(&base, "/headers"), Duration::from_secs(2)).unwrap_err();
    let took = start.elapsed();
    assert!(e.contains("no complete answer within 2 s"), "{e}");
    assert!(took < Duration::from_secs(4), "ended after {took:?}");
}

#[test]
fn fetch_redirect_loop_stops_after_five() {
    let base = threaded_server(drip);
    let e = fetch_jwks_with_timeout(&url(&base, "/loop"), Duration::from_secs(5)).unwrap_err();
    assert!(e.contains("too many redirects (more than 5)"), "{e}");
}

#[test]
fn fetch_error_body_is_summarised_and_escaped() {
    let base = threaded_server(drip);
    let e = fetch_jwks_with_timeout(&url(&base, "/error"), Duration::from_secs(5)).unwrap_err();
    assert!(
        e.contains("HTTP 500 Internal Server Error (text/html)"),
        "{e}"
    );
    assert!(
        e.contains("\\u{1b}]0;pwned\\u{7}\\u{a}valid: true\\u{202e}"),
        "{e}"
    );
    assert!(
        !e.chars().any(supajwt::safe_text::escape::needs_escape),
        "{e}"
    );
    assert!(e.contains(&format!("{}...", "x".repeat(100))), "{e}");
    assert!(!e.contains(&"x".repeat(200)), "at most 200 characters: {e}");
}

#[test]
fn fetch_deadline_from_the_cli_timeout_flag() {
    let base = threaded_server(drip);
    let start = Instant::now();
    let out = command()
        .args([
            "verify",
            "--jwks-url",
            &format!("{base}/body.json"),
            "--timeout",
            "2",
        ])
        .arg("eyJhbGciOiJFUzI1NiJ9.e30.AAAA")
        .output()
        .unwrap();
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no complete answer within 2 s"), "{stderr}");
    assert!(took < Duration::from_secs(4), "ended after {took:?}");
}

#[test]
fn plain_http_to_a_lan_host_only_when_allowed() {
    let lan = url::Url::parse("http://192.168.1.20:8000/auth/v1/.well-known/jwks.json").unwrap();
    let refused = check_url(&lan, &FetchOptions::default()).unwrap_err();
    assert_eq!(
        refused,
        UrlRefusal::PlainHttp {
            host: "192.168.1.20".into()
        }
    );
    assert!(
        refused
            .to_string()
            .contains("unless you allow it for this host")
    );
    let allowed = FetchOptions {
        allow_http: true,
        ..FetchOptions::default()
    };
    let warning = check_url(&lan, &allowed).unwrap().unwrap();
    assert!(
        warning.contains("192.168.1.20")
            && warning.contains("can be swapped in transit; use only on a network you trust"),
        "{warning}"
    );
    for free in [
        "https://abc.supabase.co/x.json",
        "http://localhost:8000/x.json",
        "http://127.0.0.1:8000/x.json",
        "http://[::1]:8000/x.json",
    ] {
        let url = url::Url::parse(free).unwrap();
        assert_eq!(
            check_url(&url, &FetchOptions::default()),
            Ok(None),
            "{free}"
        );
    }
    let ftp = url::Url::parse("ftp://192.168.1.20/x.json").unwrap();
    assert!(check_url(&ftp, &allowed).is_err());
}

#[test]
fn allowing_http_for_one_host_does_not_allow_a_redirect_to_another() {
    let base = server(1);
    let url = url::Url::parse(&format!("{base}/redirect-http")).unwrap();
    let options = FetchOptions {
        allow_http: true,
        timeout: Duration::from_secs(2),
    };
    let e = fetch_jwks_with(&url, &options).unwrap_err().to_string();
    assert!(e.contains("unsafe URL") && e.contains("example.com"), "{e}");
}

#[test]
fn cli_allow_http_fetches_from_a_non_loopback_address_with_a_warning() {
    let Some(ip) = common::lan_address() else {
        eprintln!("skipped: this machine has no non-loopback address");
        return;
    };
    let base = server_on(&format!("{ip}:0"), 2);
    let url = format!("{base}/jwks.json");
    let cli = |extra: &[&str]| {
        let out = command()
            .args(["verify", "--jwks-url", &url, "--timeout", "5"])
            .args(extra)
            .arg("eyJhbGciOiJFUzI1NiIsImtpZCI6Imxvb3BiYWNrIn0.e30.AAAA")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, _, stderr) = cli(&[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("refusing plain http to {ip}")) && stderr.contains("--allow-http"),
        "{stderr}"
    );
    let (code, stdout, stderr) = cli(&["--allow-http"]);
    assert!(
        stderr.contains("keys fetched over plain http can be swapped in transit; use only on a network you trust"),
        "{stderr}"
    );
    // Fetched: the verdict is about the (bogus) signature, checked against the fetched key.
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("rejected: the ES256 signature"), "{stdout}");
    // The core, as the window calls it (the refused run never connected).
    let set = fetch_jwks_with(
        &url::Url::parse(&url).unwrap(),
        &FetchOptions {
            allow_http: true,
            ..FetchOptions::default()
        },
    )
    .unwrap();
    assert_eq!(set.kids(), ["loopback"]);
}

#[test]
fn fetch_failures_are_sorted_by_type() {
    let options = FetchOptions {
        timeout: Duration::from_secs(5),
        ..FetchOptions::default()
    };
    // `.invalid` never resolves (RFC 6761): the resolver's failure, known by its type.
    let e = fetch_jwks_with(&url("https://jwks.invalid", "/jwks.json"), &options).unwrap_err();
    assert_eq!(e.code(), "dns", "{e}");
    assert!(
        e.to_string().starts_with("cannot resolve the host name"),
        "{e}"
    );
    // TLS to a server that answers in plain http at once: rustls's error under reqwest's.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Some(Ok(mut stream)) = listener.incoming().next() {
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let e = fetch_jwks_with(&url(&base, "/ok"), &options).unwrap_err();
    assert_eq!(e.code(), "tls", "{e}");
    assert!(e.to_string().starts_with("TLS failed"), "{e}");
    // Nothing listens on port 9: the io::Error's kind.
    let e = fetch_jwks_with(&url("http://127.0.0.1:9", "/jwks.json"), &options).unwrap_err();
    assert_eq!(e.code(), "connection_refused", "{e}");
    // A redirect loop: the redirect policy's own error under reqwest's.
    let base = threaded_server(drip);
    let e = fetch_jwks_with(&url(&base, "/loop"), &options).unwrap_err();
    assert_eq!(e.code(), "too_many_redirects", "{e}");
    // The deadline names no front end; each one adds its own way to give it longer.
    let e = fetch_jwks_with(
        &url(&base, "/body"),
        &FetchOptions {
            timeout: Duration::from_secs(1),
            ..FetchOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "timeout", "{e}");
    assert_eq!(
        e.to_string(),
        "no complete answer within 1 s (offline, or the server is slow)"
    );
    assert_eq!(
        e.describe(Some("--timeout gives it longer")),
        "no complete answer within 1 s (offline, or the server is slow; --timeout gives it longer)"
    );
}
