//! The paste recogniser, the combination findings and redaction, through the core and the
//! `supajwt inspect` / `decode` / `har` command line, on the fixtures in tests/data/inputs/
//! (regenerate them with tests/data/inputs/make_fixtures.py).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{command, run};
use common::clock::NOW;
use common::data;
use serde_json::Value;
use supajwt::inspect::{CredentialKind as K, Inspection, recognise, request_findings};

fn expected() -> Value {
    serde_json::from_str(&data::read("inputs/expected.json")).unwrap()
}

fn ex(key: &str) -> String {
    expected()[key].as_str().unwrap().to_string()
}

fn found(name: &str) -> Inspection {
    recognise(&data::read(&format!("inputs/{name}"))).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn summary(i: &Inspection) -> Vec<(String, K)> {
    i.credentials
        .iter()
        .map(|c| (c.source.clone(), c.kind))
        .collect()
}

fn codes(i: &Inspection) -> Vec<&'static str> {
    request_findings(i, NOW)
        .iter()
        .map(|f| f.code.as_str())
        .collect()
}

fn s(source: &str, kind: K) -> (String, K) {
    (source.to_string(), kind)
}

#[test]
fn supabase_js_session_and_gotrue_token_response() {
    for name in ["session_localstorage.json", "gotrue_token_response.json"] {
        let i = found(name);
        assert_eq!(
            summary(&i),
            vec![
                s("json $.access_token", K::Jwt),
                s("json $.refresh_token", K::RefreshToken)
            ],
            "{name}"
        );
        assert_eq!(i.credentials[0].value, ex("access"));
        assert_eq!(i.credentials[1].value, ex("refresh"));
        assert!(i.shape.contains("session"), "{}", i.shape);
    }
}

#[test]
fn chunked_ssr_cookie_is_reassembled_in_every_paste_form() {
    let cookie = format!("cookie sb-{}-auth-token", ex("ref"));
    for name in [
        "ssr_cookie_chunked.txt",
        "cookie_header.txt",
        "devtools_cookie_table.txt",
    ] {
        let i = found(name);
        assert_eq!(
            summary(&i),
            vec![
                s(&format!("{cookie} $.access_token"), K::Jwt),
                s(&format!("{cookie} $.refresh_token"), K::RefreshToken)
            ],
            "{name}"
        );
        assert_eq!(i.credentials[0].value, ex("access"), "{name}");
        assert!(
            i.credentials[0]
                .notes
                .iter()
                .any(|n| n.contains("2 cookie chunks")),
            "{name}: {:?}",
            i.credentials[0].notes
        );
    }
    // The chunks are at most 3180 characters, as @supabase/ssr cuts them.
    let text = data::read("inputs/ssr_cookie_chunked.txt");
    for pair in text.trim().split("; ") {
        assert!(pair.split_once('=').unwrap().1.len() <= 3180);
    }
}

#[test]
fn a_missing_chunk_is_reported() {
    let i = found("ssr_cookie_missing_chunk.txt");
    assert!(i.credentials.is_empty());
    assert_eq!(codes(&i), vec!["cookie_chunk_missing"]);
}

#[test]
fn older_cookie_formats() {
    for name in ["ssr_cookie_raw_json.txt", "auth_helpers_array_cookie.txt"] {
        let i = found(name);
        let kinds: Vec<K> = i.credentials.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, vec![K::Jwt, K::RefreshToken], "{name}");
        assert_eq!(i.credentials[1].value, ex("refresh"), "{name}");
    }
}

#[test]
fn redirect_urls() {
    let i = found("redirect_implicit.txt");
    assert_eq!(
        summary(&i),
        vec![
            s("url fragment access_token", K::Jwt),
            s("url fragment refresh_token", K::RefreshToken)
        ]
    );
    assert!(i.credentials[0].notes[0].contains("type=recovery"));
    let i = found("redirect_pkce.txt");
    assert_eq!(summary(&i), vec![s("url query code", K::PkceCode)]);
    assert_eq!(codes(&i), vec!["pkce_code"]);
    let i = found("redirect_error.txt");
    assert!(i.credentials.is_empty());
    let f = request_findings(&i, NOW);
    assert_eq!(f[0].code, "redirect_error");
    assert!(f[0].title.contains("Email link is invalid or has expired"));
    assert!(f[0].fix.contains("expired or was already used"));
}

#[test]
fn copy_as_curl_bash_and_cmd_and_fetch_and_wget_read_the_same() {
    for name in ["curl_bash.txt", "curl_cmd.txt", "fetch.txt"] {
        let i = found(name);
        assert_eq!(
            summary(&i),
            vec![
                s("header apikey", K::Jwt),
                s("header authorization", K::Jwt)
            ],
            "{name}"
        );
        assert_eq!(i.credentials[0].value, ex("anon"), "{name}");
        assert_eq!(i.credentials[1].value, ex("access"), "{name}");
        let req = i.request.as_ref().unwrap();
        assert_eq!(
            req.url.as_deref(),
            Some(
                format!(
                    "https://{}.supabase.co/rest/v1/todos?select=*&order=inserted_at.desc",
                    ex("ref")
                )
                .as_str()
            ),
            "{name}"
        );
        assert!(req.from_browser(), "{name}");
        assert_eq!(
            codes(&i),
            Vec::<&str>::new(),
            "{name}: a healthy request has no findings"
        );
    }
    assert!(found("curl_cmd.txt").shape.contains("Windows cmd"));
    let post = found("curl_bash_post.txt");
    assert_eq!(post.credentials.len(), 2);
    let i = found("wget.txt");
    assert_eq!(
        summary(&i),
        vec![
            s("header apikey", K::Jwt),
            s("header authorization", K::Jwt)
        ]
    );
}

#[test]
fn raw_http_request_with_password_body() {
    let i = found("http_request.txt");
    assert_eq!(
        summary(&i),
        vec![
            s("header apikey", K::SbPublishable),
            s("header authorization", K::SbPublishable),
            s("body $.password", K::Password)
        ]
    );
    // The same sb_ key in apikey and Bearer is swapped by the gateway: a note, not an error.
    let f = request_findings(&i, NOW);
    let sb = f.iter().find(|f| f.code == "sb_key_as_bearer").unwrap();
    assert_eq!(sb.severity, supajwt::supabase::doctor::Severity::Info);
}

#[test]
fn opaque_keys_and_refresh_tokens() {
    let i = found("opaque_keys.env");
    assert_eq!(
        summary(&i),
        vec![
            s("env SUPABASE_PUBLISHABLE_KEY", K::SbPublishable),
            s("env SUPABASE_SECRET_KEY", K::SbSecret)
        ]
    );
    for c in &i.credentials {
        assert_eq!(
            c.opaque_check(),
            Some(supajwt::supabase::opaque::OpaqueCheck::ChecksumOk)
        );
        assert!(c.explain().contains("Not a JWT"));
    }
    let i = found("curl_refresh.txt");
    assert_eq!(
        summary(&i),
        vec![
            s("header apikey", K::SbPublishable),
            s("body $.refresh_token", K::RefreshToken)
        ]
    );
    assert!(i.credentials[1].explain().contains("single use"));
}

#[test]
fn todays_wrappers_still_read() {
    let anon = ex("anon");
    for text in [
        anon.clone(),
        format!("Bearer {anon}"),
        format!("Authorization: Bearer {anon}"),
        format!("apikey: {anon}"),
        format!("export ANON_KEY=\"{anon}\""),
        format!("SERVICE_ROLE_KEY: '{anon}'"),
        format!("{}\n{}", &anon[..20], &anon[20..]),
    ] {
        let i = recognise(&text).unwrap();
        assert_eq!(i.credentials.len(), 1, "{text}");
        assert_eq!(i.credentials[0].value, anon, "{text}");
    }
}

#[test]
fn combination_findings() {
    // service_role / sb_secret_ from a browser, sb_ key as Bearer without the same apikey.
    let i = found("curl_secret_in_browser.txt");
    let c = codes(&i);
    assert!(c.contains(&"secret_key_in_browser"), "{c:?}");
    let text = data::read("inputs/curl_bash.txt").replace(&ex("access"), &ex("publishable"));
    let c = codes(&recognise(&text).unwrap());
    assert!(c.contains(&"sb_key_as_bearer"), "{c:?}");
    let text = data::read("inputs/curl_bash.txt").replace(&ex("anon"), &ex("service"));
    assert!(codes(&recognise(&text).unwrap()).contains(&"secret_key_in_browser"));
    // apikey from another project.
    let text = data::read("inputs/curl_bash.txt").replace(&ex("anon"), &ex("other_anon"));
    assert!(codes(&recognise(&text).unwrap()).contains(&"apikey_other_project"));
    // anon key as the Bearer on /auth/v1/user.
    let c = codes(&found("wget.txt"));
    assert!(c.contains(&"api_key_as_user_bearer"), "{c:?}");
    // Expired user token with its refresh token at hand.
    let c = codes(&found("session_expired.json"));
    assert_eq!(c, vec!["expired_not_refreshed"]);
    // Refresh token sent as Bearer.
    let text = format!(
        "apikey: {}\nAuthorization: Bearer {}",
        ex("anon"),
        ex("refresh")
    );
    assert!(codes(&recognise(&text).unwrap()).contains(&"bearer_not_jwt"));
}

#[test]
fn a_mebibyte_of_hostile_text_returns() {
    let mib = supajwt::inspect::MAX_PASTE_BYTES;
    // Every pass is linear (checked at 256 KiB vs 1 MiB while writing this); a debug build
    // takes about a second per MiB, so the full size is used for a few shapes only.
    let fill = |unit: &str| unit.repeat(mib / 8 / unit.len());
    let full = |unit: &str| unit.repeat(mib / unit.len());
    for text in [
        full("eyJ."),
        full("%"),
        full("{\"a\":"),
        fill("a"),
        fill("^\""),
        fill("a=b; "),
        fill("sb-x-auth-token.1=base64-; "),
        format!("curl {}", fill("'")),
        format!("fetch({}", fill("{a:'")),
        fill("["),
        fill("\t"),
        fill("x\n"),
        fill("@a."),
    ] {
        let _ = recognise(&text[..text.len().min(mib)]);
        let _ = supajwt::safe_text::redact::scrub_text(&text, &["abcdefgh"]);
    }
    assert!(recognise(&"a".repeat(mib + 1)).is_err());
}

/// Error codes are not PKCE authorization codes (issue 23 C.11): PostgREST's `PGRST301`, a
/// SQLSTATE, GoTrue's `error_code`, an error word in a URL; a real `?code=` still is one.
#[test]
fn error_codes_are_not_pkce_codes() {
    let jwt = ex("access");
    for paste in [
        r#"{"code":"PGRST301","details":null,"hint":null,"message":"JWT expired"}"#.to_string(),
        r#"{"code":"42501","details":null,"hint":null,"message":"permission denied for table todos"}"#.to_string(),
        r#"{"code":"PGRST116","message":"JSON object requested, multiple (or no) rows returned"}"#.to_string(),
        r#"{"code":401,"error_code":"bad_jwt","msg":"invalid JWT: token is expired"}"#.to_string(),
        r#"{"code":"invalid_credentials_here","status":400}"#.to_string(),
        "http://localhost:3000/cb?code=PGRST301".to_string(),
        format!(r#"{{"access":"{jwt}","response":"{{\"code\":\"PGRST301\",\"message\":\"JWT expired\"}}"}}"#),
    ] {
        let i = recognise(&paste).unwrap();
        assert!(
            i.credentials.iter().all(|c| c.kind != K::PkceCode),
            "{paste}: {:?}",
            summary(&i)
        );
        assert!(!codes(&i).contains(&"pkce_code"), "{paste}");
    }
    let i = recognise(r#"{"auth_code":"3b9f0c2e-7d41-4a8e-b5f6-1c2d3e4f5a6b"}"#).unwrap();
    assert_eq!(summary(&i), vec![s("json $.auth_code", K::PkceCode)]);
    // The command line says the same: nothing about a PKCE code.
    let body = r#"{"code":"PGRST301","details":null,"hint":null,"message":"JWT expired"}"#;
    for cmd in ["inspect", "decode"] {
        let r = run(&[cmd, "-"], Some(body.as_bytes()));
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(!all.contains("PKCE"), "{cmd}: {all}");
    }
}

#[test]
fn cli_inspect_json_shape_and_exit_codes() {
    let now = NOW.to_string();
    let (code, out, err) = run(
        &[
            "inspect",
            "--file",
            &data::arg("inputs/curl_bash.txt"),
            "--json",
            "--now",
            &now,
        ],
        None,
    )
    .into_parts();
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let creds = v["credentials"].as_array().unwrap();
    assert_eq!(creds[0]["source"], "header apikey");
    assert_eq!(creds[0]["kind"], "jwt");
    // The same members as `decode --json` for a JWT.
    for member in [
        "header",
        "payload",
        "signature",
        "signature_bytes",
        "segments",
        "claims",
        "verified",
    ] {
        assert!(creds[0].get(member).is_some(), "{member}");
    }
    assert_eq!(creds[1]["payload"]["role"], "authenticated");
    assert!(v["findings"].as_array().unwrap().is_empty());

    let (code, out, _) = run(
        &[
            "inspect",
            "--file",
            &data::arg("inputs/curl_secret_in_browser.txt"),
            "--json",
        ],
        None,
    )
    .into_parts();
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["credentials"][0]["kind"], "sb_secret");
    assert_eq!(v["credentials"][0]["checksum"], "ok");
    let f = &v["findings"][0];
    for member in ["severity", "code", "title", "detail", "fix"] {
        assert!(f.get(member).is_some(), "{member}");
    }
    assert_eq!(f["severity"], "critical");

    let (code, _, err) = run(&["inspect", "hello world"], None).into_parts();
    assert_eq!(code, 2);
    assert!(err.contains("no credential recognised"), "{err}");

    let out = command()
        .args(["inspect", "-"])
        .write_stdin(data::read("inputs/cookie_header.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("2 credentials in header lines"), "{text}");
    assert!(text.contains("refresh token"), "{text}");
}

#[test]
fn cli_decode_keeps_its_one_token_contract() {
    let (code, _, err) = run(&["decode", &data::read("inputs/curl_bash.txt")], None).into_parts();
    assert_eq!(code, 2);
    assert!(
        err.contains("holds 2 credentials") && err.contains("supajwt inspect"),
        "{err}"
    );
    let (code, _, err) = run(&["decode", &ex("publishable")], None).into_parts();
    assert_eq!(code, 2);
    assert!(err.contains("not a JWT"), "{err}");
    let (code, out, _) = run(
        &[
            "decode",
            &format!(
                "curl -H 'Authorization: Bearer {}' https://x.supabase.co/rest/v1/t",
                ex("anon")
            ),
            "--json",
        ],
        None,
    )
    .into_parts();
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["payload"]["role"], "anon");
}

/// Every secret of every kind in the fixtures: tokens, their segments and signatures, refresh
/// tokens, sb_ keys, the password, cookie values, and the email address.
fn planted() -> Vec<String> {
    let mut out = vec![];
    for k in [
        "anon",
        "service",
        "access",
        "expired",
        "refresh",
        "refresh2",
        "publishable",
        "secret_key",
    ] {
        let v = ex(k);
        if v.starts_with("eyJ") {
            let parts: Vec<&str> = v.split('.').collect();
            out.push(parts[1].to_string());
            out.push(parts[2].to_string());
        }
        out.push(v);
    }
    out.push("correct horse battery".into());
    out.push("alice@example.com".into());
    out.push("3b9f0c2e-7d41-4a8e-b5f6-1c2d3e4f5a6b".into());
    let cookies = data::read("inputs/ssr_cookie_chunked.txt");
    for pair in cookies.trim().split("; ") {
        out.push(pair.split_once('=').unwrap().1[..40].to_string());
    }
    out
}

fn assert_clean(what: &str, text: &str) {
    for secret in planted() {
        assert!(
            !text.contains(&secret),
            "{what}: {secret} survived redaction"
        );
    }
}

#[test]
fn redaction_lets_no_planted_secret_through() {
    let names = [
        "session_localstorage.json",
        "gotrue_token_response.json",
        "ssr_cookie_chunked.txt",
        "cookie_header.txt",
        "devtools_cookie_table.txt",
        "ssr_cookie_raw_json.txt",
        "auth_helpers_array_cookie.txt",
        "redirect_implicit.txt",
        "redirect_pkce.txt",
        "curl_bash.txt",
        "curl_cmd.txt",
        "curl_bash_post.txt",
        "curl_secret_in_browser.txt",
        "curl_refresh.txt",
        "fetch.txt",
        "http_request.txt",
        "wget.txt",
        "opaque_keys.env",
        "session_expired.json",
    ];
    let fp = supajwt::safe_text::redact::fingerprint(&ex("anon"));
    let mut saw_fingerprint = false;
    for name in names {
        for json in [false, true] {
            let p = data::arg(&format!("inputs/{name}"));
            let mut args = vec!["inspect", "--file", &p, "--redact"];
            if json {
                args.push("--json");
            }
            let (code, out, err) = run(&args, None).into_parts();
            assert_eq!(code, 0, "{name}: {err}");
            assert_clean(name, &out);
            saw_fingerprint |= out.contains(&fp);
        }
    }
    assert!(saw_fingerprint, "the same key gets the same fingerprint");
    for args in [
        vec!["decode", "--redact"],
        vec!["decode", "--redact", "--json"],
    ] {
        let mut a = args.clone();
        let access = ex("access");
        a.push(&access);
        let (code, out, err) = run(&a, None).into_parts();
        assert_eq!(code, 0, "{err}");
        assert_clean("decode --redact", &out);
        assert!(out.contains("authenticated"), "claims are kept: {out}");
    }
}

#[test]
fn har_lists_supabase_requests_and_diagnoses_401_403() {
    let file = std::fs::File::open(data::arg("inputs/small_401.har")).unwrap();
    let mut reqs = vec![];
    let total = supajwt::inspect::har::scan_har(file, NOW, |r| reqs.push(r)).unwrap();
    assert_eq!(total, 4);
    let statuses: Vec<i64> = reqs.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        vec![200, 401, 403],
        "the fonts request is not Supabase's"
    );
    let codes = |i: usize| {
        reqs[i]
            .findings
            .iter()
            .map(|f| f.code.as_str())
            .collect::<Vec<_>>()
    };
    assert!(
        reqs[0]
            .findings
            .iter()
            .all(|f| f.code != "api_key_as_user_bearer")
    );
    assert!(
        codes(1).contains(&"expired_not_refreshed"),
        "{:?}",
        codes(1)
    );
    let (msg, ex) = reqs[1].error.as_ref().unwrap();
    assert_eq!(msg, "JWT expired");
    assert!(ex.component.contains("PostgREST"));
    assert!(
        codes(2).contains(&"api_key_as_user_bearer"),
        "{:?}",
        codes(2)
    );
    assert!(reqs[2].error.as_ref().unwrap().1.meaning.contains("no sub"));

    let (code, out, err) = run(
        &[
            "har",
            &data::arg("inputs/small_401.har"),
            "--json",
            "--now",
            &NOW.to_string(),
        ],
        None,
    )
    .into_parts();
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let r = &v["requests"][1];
    for member in ["method", "url", "status", "credentials", "findings"] {
        assert!(r.get(member).is_some(), "{member}");
    }
    assert_eq!(r["status"], 401);
    assert_eq!(r["credentials"][0]["source"], "header apikey");
    let (code, out, _) = run(
        &[
            "har",
            &data::arg("inputs/small_401.har"),
            "--now",
            &NOW.to_string(),
        ],
        None,
    )
    .into_parts();
    assert_eq!(code, 0);
    assert!(
        out.trim_end()
            .ends_with("3 Supabase requests among 4 entries"),
        "{out}"
    );
    assert!(
        out.contains("401 GET") && out.contains("JWT expired"),
        "{out}"
    );
    let (code, _, err) = run(&["har", &data::arg("inputs/curl_bash.txt")], None).into_parts();
    assert_eq!(code, 2, "{err}");
}

#[test]
fn har_redact_writes_a_safe_har() {
    let (code, out, err) = run(
        &["har", &data::arg("inputs/small_401.har"), "--redact"],
        None,
    )
    .into_parts();
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("a HAR comes out");
    assert_eq!(v["log"]["entries"].as_array().unwrap().len(), 4);
    assert_eq!(v["log"]["creator"]["name"], "WebInspector");
    assert_eq!(v["log"]["entries"][2]["response"]["status"], 401);
    assert_clean("har --redact", &out);
    let body = v["log"]["entries"][1]["response"]["content"]["text"]
        .as_str()
        .unwrap();
    let session: Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        session["access_token"],
        supajwt::safe_text::redact::fingerprint(&ex("access")).as_str()
    );
    assert_eq!(session["user"]["email"], "a***@e***.com");
    // The redacted HAR is still a HAR supajwt reads.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.har");
    std::fs::write(&path, &out).unwrap();
    let (code, listed, _) =
        run(&["har", path.to_str().unwrap(), "--redact", "--json"], None).into_parts();
    assert_eq!(code, 0);
    assert_clean("har --redact --json", &listed);
}

#[test]
fn key_inspect_and_convert() {
    let dir = tempfile::tempdir().unwrap();
    let (_, jwk, _) = run(
        &[
            "keygen", "--alg", "ES256", "--format", "jwk", "--kid", "k-1",
        ],
        None,
    )
    .into_parts();
    let jwk_path = dir.path().join("k.jwk");
    std::fs::write(&jwk_path, &jwk).unwrap();
    let p = jwk_path.to_str().unwrap();
    let (code, out, err) = run(&["key", "inspect", p, "--json"], None).into_parts();
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["kty"], "EC");
    assert_eq!(v[0]["crv"], "P-256");
    assert_eq!(v[0]["kid"], "k-1");
    assert_eq!(v[0]["private"], true);
    let thumb = v[0]["thumbprint"].as_str().unwrap().to_string();

    // JWK → PEM → public JWK: the kid is dropped by PEM, re-added by --kid-thumbprint.
    let (code, pem, _) = run(&["key", "convert", p, "--to", "pem"], None).into_parts();
    assert_eq!(code, 0);
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    let pem_path = dir.path().join("k.pem");
    std::fs::write(&pem_path, &pem).unwrap();
    let (code, public, _) = run(
        &[
            "key",
            "convert",
            pem_path.to_str().unwrap(),
            "--to",
            "public-jwk",
            "--kid-thumbprint",
        ],
        None,
    )
    .into_parts();
    assert_eq!(code, 0);
    let pv: Value = serde_json::from_str(&public).unwrap();
    assert_eq!(pv["kid"], thumb.as_str());
    assert!(pv.get("d").is_none());
    // The kid is kept when converting.
    let (_, jwks, _) = run(&["key", "convert", p, "--to", "jwks"], None).into_parts();
    let jv: Value = serde_json::from_str(&jwks).unwrap();
    assert_eq!(jv["keys"][0]["kid"], "k-1");
    let (code, env, _) = run(&["key", "convert", p, "--to", "env"], None).into_parts();
    assert_eq!(code, 0);
    assert!(
        env.contains("JWT_KEYS='[") && env.contains("JWT_JWKS='{\"keys\""),
        "{env}"
    );

    // One key out of a JWT_KEYS array, by kid; a set without --kid is refused with the kids.
    let (_, other, _) = run(
        &[
            "keygen", "--alg", "EdDSA", "--format", "jwk", "--kid", "k-2",
        ],
        None,
    )
    .into_parts();
    let set = format!("[{jwk},{other}]");
    let set_path = dir.path().join("keys.json");
    std::fs::write(&set_path, set).unwrap();
    let sp = set_path.to_str().unwrap();
    let (code, _, err) = run(&["key", "convert", sp, "--to", "public-pem"], None).into_parts();
    assert_eq!(code, 2);
    assert!(err.contains("k-1") && err.contains("k-2"), "{err}");
    let (code, out, _) = run(
        &["key", "convert", sp, "--to", "public-jwk", "--kid", "k-2"],
        None,
    )
    .into_parts();
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["crv"],
        "Ed25519"
    );
    let (code, out, _) = run(&["key", "inspect", sp], None).into_parts();
    assert_eq!(code, 0);
    assert!(out.contains("[2] Ed25519 private key"), "{out}");
    let weak = data::arg("pem/rsa1024_private.pem");
    let (code, out, _) = run(&["key", "inspect", &weak, "--json"], None).into_parts();
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["bits"], 1024);
    assert!(v[0]["warnings"][0].as_str().unwrap().contains("below 2048"));
}
