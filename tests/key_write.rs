//! `supajwt key add --write` and `--format k8s` on upstream's stack: the `.env` rewritten in
//! place (backup, 0600, every other byte kept, a symbolic link kept), refusals that leave the
//! file byte for byte and its mtime as they were, and the Secret `rotate --format k8s` prints.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod lifecycle_kit;
mod upstream_stack;

use common::clock::UPSTREAM_NOW as NOW;
use lifecycle_kit::*;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use upstream_stack::*;

/// The backup name of `--now` NOW (2026-03-01T00:00:00Z).
const BACKUP: &str = ".env.bak.20260301T000000Z";

fn add(f: &Files, extra: &[&str]) -> common::cli::Output {
    let mut args = vec!["--kid", "next"];
    args.extend_from_slice(extra);
    key_cli(f, &["add"], NOW, &args)
}

/// Upstream's stack with what an editor leaves in a `.env`: CRLF lines, comments, quoting,
/// and no final newline.
fn edited_stack() -> String {
    opaque_stack()
        + "# local additions\r\nEXTRA_QUOTED=\"a b # c\"\r\n  # indented comment\nSINGLE='x $y'\nTAIL=1"
}

fn dir_of(f: &Files) -> PathBuf {
    Path::new(&f.env).parent().unwrap().to_path_buf()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `key add --write` with `extra` exits 2 naming `expect`; the file, its mtime and its
/// directory are as they were.
fn assert_refused(f: &Files, extra: &[&str], expect: &str) {
    let path = Path::new(&f.env);
    let (bytes, mtime) = (
        std::fs::read(path).unwrap(),
        path.metadata().unwrap().modified().unwrap(),
    );
    let listing = names(&dir_of(f));
    let mut args = vec!["--write"];
    args.extend_from_slice(extra);
    let r = add(f, &args);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(expect), "{}", r.stderr);
    assert_eq!(std::fs::read(path).unwrap(), bytes);
    assert_eq!(path.metadata().unwrap().modified().unwrap(), mtime);
    assert_eq!(names(&dir_of(f)), listing, "no backup or temporary file");
}

#[test]
fn write_rewrites_the_env_keeping_every_other_byte() {
    let env = edited_stack();
    let f = files(&env, &opaque_compose(true), &kong_opaque());
    let dry = add(&f, &[]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout
            .starts_with("Dry run: nothing is written; --write applies it.\n")
    );
    assert_eq!(std::fs::read_to_string(&f.env).unwrap(), env);

    let r = add(&f, &["--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let backup = dir_of(&f).join(BACKUP);
    assert!(
        r.stdout.starts_with(&format!("Wrote {} (0600)", f.env)),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(&backup.display().to_string()) && r.stdout.contains("Steps:"));
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), env);
    let new = std::fs::read_to_string(&f.env).unwrap();
    let mode = |p: &Path| p.metadata().unwrap().permissions().mode() & 0o777;
    assert_eq!((mode(Path::new(&f.env)), mode(&backup)), (0o600, 0o600));

    let record = "# supajwt: key next standby since 2026-03-01T00:00:00Z\n";
    let kept: Vec<&str> = new.split_inclusive('\n').filter(|l| *l != record).collect();
    let old: Vec<&str> = env.split_inclusive('\n').collect();
    assert_eq!(kept.len(), old.len());
    assert_eq!(new.matches(record).count(), 1);
    for (a, b) in old.iter().zip(&kept) {
        if a != b {
            assert!(
                a.starts_with("JWT_KEYS=") || a.starts_with("JWT_JWKS="),
                "{a:?} -> {b:?}"
            );
        }
    }
    assert!(new.ends_with("\nTAIL=1") && new.contains("EXTRA_QUOTED=\"a b # c\"\r\n"));

    let listed = list_json(&f);
    let next = listed["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == "next");
    assert_eq!(next.unwrap()["state"], "standby", "{listed}");
    assert_eq!(listed["keys"][0]["state"], "signing");
}

#[test]
fn write_keeps_a_symlink_and_rewrites_its_target() {
    let env = opaque_stack();
    let f = files(&env, &opaque_compose(true), &kong_opaque());
    let real = dir_of(&f).join("real");
    std::fs::create_dir(&real).unwrap();
    std::fs::rename(&f.env, real.join(".env")).unwrap();
    std::os::unix::fs::symlink(real.join(".env"), &f.env).unwrap();
    let r = add(&f, &["--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let link = std::fs::symlink_metadata(&f.env).unwrap();
    assert!(link.file_type().is_symlink());
    assert!(
        std::fs::read_to_string(real.join(".env"))
            .unwrap()
            .contains("standby since")
    );
    assert_eq!(std::fs::read_to_string(real.join(BACKUP)).unwrap(), env);
}

#[test]
fn refusals_leave_the_env_untouched() {
    let f = files(&opaque_stack(), &opaque_compose(true), &kong_opaque());
    let ro = std::fs::Permissions::from_mode(0o444);
    std::fs::set_permissions(&f.env, ro).unwrap();
    assert_refused(&f, &[], "is read-only (mode 0444)");
    assert_refused(&f, &[], "chmod u+w");
    std::fs::set_permissions(&f.env, std::fs::Permissions::from_mode(0o644)).unwrap();

    let dir = dir_of(&f);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    assert_refused(&f, &[], "is read-only (mode 0555)");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();

    assert_refused(&f, &["--alg", "XS999"], "XS999");

    let env = opaque_stack();
    let keys = raw_var(&env, "JWT_KEYS");
    assert!(keys.contains("\"alg\":\"ES256\""), "{keys}");
    let unknown = keys.replace("\"alg\":\"ES256\"", "\"alg\":\"XS512\"");
    let g = files(
        &set_var(&env, "JWT_KEYS", &unknown, false),
        &opaque_compose(true),
        &kong_opaque(),
    );
    assert_refused(&g, &[], "\"alg\": \"XS512\"");

    let bad = set_var(&opaque_stack(), "JWT_KEYS", "'[{\"kty\":\"EC\",'", false);
    let g = files(&bad, &opaque_compose(true), &kong_opaque());
    assert_refused(&g, &[], "JWT_KEYS");
}

#[test]
fn format_k8s_prints_the_changed_variables_as_a_secret() {
    let env = opaque_stack();
    let f = files(&env, &opaque_compose(true), &kong_opaque());
    let secret = |out: &str| {
        let docs = yaml_rust2::YamlLoader::load_from_str(out).unwrap();
        let doc = &docs[0];
        assert_eq!(doc["kind"].as_str(), Some("Secret"), "{out}");
        let data = &doc["stringData"];
        let keys: Value = serde_json::from_str(data["JWT_KEYS"].as_str().unwrap()).unwrap();
        let jwks: Value = serde_json::from_str(data["JWT_JWKS"].as_str().unwrap()).unwrap();
        let kids = |v: &Value| v.as_array().unwrap().iter().any(|k| k["kid"] == "next");
        assert!(kids(&keys) && kids(&jwks["keys"]), "{out}");
        assert!(
            data["ANON_KEY"].is_badvalue(),
            "only the changed variables: {out}"
        );
    };
    let r = add(&f, &["--format", "k8s"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    secret(&r.stdout);
    assert_eq!(std::fs::read_to_string(&f.env).unwrap(), env, "a dry run");

    let r = add(&f, &["--format", "k8s", "--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    secret(&r.stdout);
    assert!(
        r.stderr.contains("Wrote ") && r.stderr.contains(BACKUP),
        "{}",
        r.stderr
    );
    assert!(
        std::fs::read_to_string(&f.env)
            .unwrap()
            .contains("standby since")
    );
}
