//! `supajwt db` against a real PostgreSQL 15 (issue 21 §2, §3): its counts, `auth.uid()` and
//! named policies match an independent session in which the test runs PostgREST's
//! `set_config` sequence itself; bad inputs end in exit 2 with a clear message; the password
//! is never printed; nothing in the database changes (every table's checksum). Skipped, saying
//! so, without PostgreSQL 15 (a failure under CI).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::{Output, command};
use common::postgres::{Cluster, PASSWORD, USER_A};
use common::sign::hs256;
use serde_json::{Value, json};

const SECRET: &str = "a-test-secret-of-at-least-32-characters!!";
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

fn token(payload: &Value) -> String {
    hs256(SECRET, HEADER, &payload.to_string())
}

fn db(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = command();
    cmd.arg("db").args(args).env_remove("PGPASSWORD");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The independent count: the test's own set_config sequence, psql quoting the values.
fn count_by_hand(cluster: &Cluster, role: &str, claims: &Value, table: &str) -> i64 {
    let script = format!(
        "begin;\nselect set_config('role', :'role', true), set_config('request.jwt.claims', :'claims', true);\n\
         select 'C|' || count(*) from {table};\nrollback;\n"
    );
    let claims = claims.to_string();
    let (code, stdout, stderr) = cluster.psql_with(
        "authenticator",
        &script,
        &[("role", role), ("claims", &claims)],
    );
    assert_eq!(code, 0, "{stderr}");
    let line = stdout.lines().find(|l| l.starts_with("C|")).unwrap();
    line[2..].parse().unwrap()
}

#[test]
fn db_reports_what_the_role_sees_and_changes_nothing() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let before = cluster.checksums();
    let user = json!({"sub": USER_A, "role": "authenticated", "app_metadata": {"org": "acme"}});
    let cases = [
        (json!({"role": "anon"}), "public.todos", "anon"),
        (user.clone(), "public.todos", "authenticated"),
        (user.clone(), "public.projects", "authenticated"),
        (
            json!({"role": "service_role"}),
            "public.todos",
            "service_role",
        ),
        (json!({"role": "anon"}), "public.notes", "anon"),
        // A hostile claim stays data (the settings go as query parameters).
        (
            json!({"sub": USER_A, "role": "authenticated", "email": "x'); drop table public.todos; -- \\' $$",
                   "app_metadata": {"org": "acme' or '1'='1"}}),
            "public.projects",
            "authenticated",
        ),
    ];
    for connect_as in ["postgres", "authenticator"] {
        let url = cluster.url(connect_as);
        for (payload, table, role) in &cases {
            let out = db(
                &[&token(payload), "--db", &url, "--table", table, "--json"],
                &[],
            );
            assert_eq!(out.code, 0, "{}", out.stderr);
            assert!(!out.stdout.contains(PASSWORD) && !out.stderr.contains(PASSWORD));
            let report: Value = serde_json::from_str(&out.stdout).unwrap();
            let mut claims = payload.as_object().unwrap().clone();
            claims.insert("role".into(), json!(role));
            let claims = Value::Object(claims);
            assert_eq!(report["role"], json!(role));
            assert_eq!(report["current_user"], json!(role));
            assert_eq!(report["claims"], claims);
            assert_eq!(report["can_switch"], json!(true));
            let expected = count_by_hand(&cluster, role, &claims, table);
            assert_eq!(
                report["table"]["visible_rows"],
                json!(expected),
                "{table} as {role}: {report}"
            );
            let total = report["table"]["total_rows"].clone();
            if connect_as == "postgres" {
                assert!(total.is_i64(), "{report}");
            } else {
                assert!(total.is_null(), "authenticator is subject to RLS: {report}");
            }
            assert!(!report["explanation"].as_str().unwrap().is_empty());
        }
    }
    // The named policies and their counts, as authenticated on todos.
    let out = db(
        &[
            &token(&user),
            "--db",
            &cluster.url("postgres"),
            "--table",
            "public.todos",
            "--json",
        ],
        &[],
    );
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["uid"], json!(USER_A));
    let policies = report["table"]["policies"].as_array().unwrap();
    let names: Vec<(&str, bool, i64)> = policies
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap(),
                p["permissive"].as_bool().unwrap(),
                p["admits"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [("own todos", true, 3), ("not archived", false, 11)],
        "{report}"
    );
    assert_eq!(report["table"]["total_rows"], json!(12));
    let why = report["explanation"].as_str().unwrap();
    assert!(
        why.contains("2 of 12 rows: the only permissive policy for authenticated, \"own todos\""),
        "{why}"
    );
    assert!(why.contains("RESTRICTIVE policy \"not archived\""), "{why}");
    // POST: the INSERT policies, with their WITH CHECK.
    let out = db(
        &[
            &token(&user),
            "--db",
            &cluster.url("postgres"),
            "--table",
            "public.todos",
            "--method",
            "POST",
            "--json",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let policies = report["table"]["policies"].as_array().unwrap();
    assert_eq!(policies.len(), 1, "{report}");
    assert_eq!(policies[0]["name"], json!("insert own"));
    assert_eq!(policies[0]["with_check"], json!("(auth.uid() = user_id)"));
    assert!(
        report["explanation"]
            .as_str()
            .unwrap()
            .contains("\"insert own\" lets a new row in when (auth.uid() = user_id)"),
        "{report}"
    );
    // Human output and RLS without a policy.
    let out = db(
        &[
            &token(&json!({"role": "anon"})),
            "--db",
            &cluster.url("postgres"),
            "--table",
            "public.notes",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("no permissive policy applies to anon: every row is hidden"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("rolled back"), "{}", out.stdout);
    // --sql runs as the role; a write is refused.
    let out = db(
        &[
            &token(&user),
            "--db",
            &cluster.url("postgres"),
            "--sql",
            "select title from public.todos order by title",
            "--json",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["sql"]["rows"], json!([["a1"], ["a2"]]));
    for (sql, message) in [
        ("delete from public.todos", "--sql must be read-only"),
        (
            "insert into public.todos (user_id, title) values (auth.uid(), 'x')",
            "--sql must be read-only",
        ),
        (
            "select 1; delete from public.todos",
            "--sql must be a single statement",
        ),
        (
            "select nextval('public.todos_id_seq')",
            "--sql must be read-only",
        ),
    ] {
        let out = db(
            &[
                &token(&json!({"role": "service_role"})),
                "--db",
                &cluster.url("postgres"),
                "--sql",
                sql,
            ],
            &[],
        );
        assert_eq!(out.code, 2, "{sql}: {}", out.stdout);
        assert!(out.stderr.contains(message), "{sql}: {}", out.stderr);
    }
    assert_eq!(
        cluster.checksums(),
        before,
        "nothing in the database changed"
    );
}

#[test]
fn db_bad_inputs_are_exit_2_with_a_clear_message() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let anon = token(&json!({"role": "anon"}));
    let wrong_pw = cluster.url("postgres").replace("test-only-pw", "wrong");
    let no_pw = format!("postgres://postgres@127.0.0.1:{}/postgres", cluster.port);
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    std::fs::write(&env, format!("POSTGRES_PASSWORD={PASSWORD}\n")).unwrap();
    // A closed port on loopback: refused at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = cluster.url("postgres");
    for (args, message) in [
        (
            vec!["--db", &wrong_pw],
            "password authentication failed for user \"postgres\"",
        ),
        (
            vec!["--db", &no_pw],
            "the server asks for a password and none was given",
        ),
        (
            vec!["--db", &url, "--table", "public.nope"],
            "no table public.nope in this database",
        ),
        (vec!["--db", &url, "--table", "a.b.c.d"], "no table a.b.c.d"),
    ] {
        let mut all = vec![anon.as_str()];
        all.extend(args.iter().copied());
        let out = db(&all, &[]);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stdout);
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
        assert!(
            !out.stderr.contains(PASSWORD) && !out.stderr.contains("wrong"),
            "{}",
            out.stderr
        );
    }
    let closed_url = format!("postgres://postgres:secret-pw@127.0.0.1:{closed}/postgres");
    let out = db(&[&anon, "--db", &closed_url], &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains(&format!("cannot connect to 127.0.0.1:{closed}")),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("secret-pw"), "{}", out.stderr);
    // An unroutable address: bounded by --timeout.
    let started = std::time::Instant::now();
    let out = db(
        &[
            &anon,
            "--db",
            "postgres://postgres@192.0.2.1:5432/postgres",
            "--timeout",
            "1",
        ],
        &[],
    );
    assert_eq!(out.code, 2);
    assert!(started.elapsed().as_secs() < 10, "bounded");
    assert!(out.stderr.contains("192.0.2.1:5432"), "{}", out.stderr);
    // The password from PGPASSWORD and from --env.
    assert_eq!(
        db(&[&anon, "--db", &no_pw], &[("PGPASSWORD", PASSWORD)]).code,
        0
    );
    assert_eq!(
        db(
            &[&anon, "--db", &no_pw, "--env", env.to_str().unwrap()],
            &[]
        )
        .code,
        0
    );
    // A role the database lacks; an administrative role.
    let out = db(&[&token(&json!({"role": "editor"})), "--db", &url], &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("the token's role \"editor\" does not exist in this database"),
        "{}",
        out.stderr
    );
    let out = db(
        &[&token(&json!({"role": "supabase_admin"})), "--db", &url],
        &[],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("administrative role"), "{}", out.stderr);
    // No auth schema: said so, not an error.
    cluster.psql("postgres", "create database plain;");
    let plain = format!("{}/plain", url.rsplit_once('/').unwrap().0);
    let out = db(&[&anon, "--db", &plain], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("no auth schema here"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("request.jwt.claims: {\"role\":\"anon\"}"),
        "{}",
        out.stdout
    );
}

/// TLS through rustls: `sslmode=require` encrypts (the server's `ssl_is_used()` says so),
/// `disable` does not, and `verify-full` refuses the self-signed certificate.
#[test]
fn db_speaks_tls_when_asked() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    if !cluster.enable_tls() {
        return;
    }
    // sslinfo's ssl_is_used(): whether this connection is encrypted, callable by anon.
    cluster.psql("postgres", "create extension sslinfo;");
    let anon = token(&json!({"role": "anon"}));
    let probe = "select ssl_is_used()::text";
    for (mode, expected) in [
        ("require", "true"),
        ("prefer", "true"),
        ("disable", "false"),
    ] {
        let url = format!("{}?sslmode={mode}", cluster.url("postgres"));
        let out = db(&[&anon, "--db", &url, "--sql", probe, "--json"], &[]);
        assert_eq!(out.code, 0, "{mode}: {}", out.stderr);
        let report: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(report["sql"]["rows"], json!([[expected]]), "{mode}");
    }
    let url = format!("{}?sslmode=verify-full", cluster.url("postgres"));
    let out = db(&[&anon, "--db", &url], &[]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("cannot connect to 127.0.0.1:"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.to_lowercase().contains("certificate"),
        "{}",
        out.stderr
    );
}
