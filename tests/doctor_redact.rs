//! `doctor --redact` and `rotate --redact` (issue 13 §4): a planted JWT_SECRET, service_role
//! key, opaque secret key and private JWK never appear in the output, human or JSON; each
//! value the report quotes becomes the same `sha256:` fingerprint `inspect --redact` prints.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::cli::command;
use common::clock::UPSTREAM_NOW as NOW;
use supajwt::safe_text::redact::fingerprint;
use upstream_stack::*;

struct Planted {
    dir: tempfile::TempDir,
    secrets: Vec<String>,
    service_role: String,
    opaque_secret: String,
}

/// Upstream's stack with asymmetric and opaque keys, where the kong.yml holds a stale literal
/// service_role key and a wrong opaque secret key (so findings quote keys), and the `.env`'s
/// JWT_SECRET ends in a space (so a finding quotes the secret).
fn planted() -> Planted {
    let env = add_new_auth_keys(
        &generate_keys(&env_example_opaque(), NOW - 86_400),
        NOW - 86_400,
    );
    let secret = raw_var(&env, "JWT_SECRET");
    let service_role = raw_var(&env, "SERVICE_ROLE_KEY");
    let opaque_secret = raw_var(&env, "SUPABASE_SECRET_KEY");
    let keys: serde_json::Value = serde_json::from_str(&raw_var(&env, "JWT_KEYS")).unwrap();
    let d = keys[0]["d"].as_str().unwrap().to_string();
    let k = keys[1]["k"].as_str().unwrap().to_string();
    let kong = kong_opaque()
        .replace("$SUPABASE_SERVICE_KEY", &service_role)
        .replace("$SUPABASE_SECRET_KEY", &opaque_key("sb_secret_"));
    let env_quoted = set_var(&env, "JWT_SECRET", &format!("{secret} "), true);
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        (".env", env_quoted.as_str()),
        ("docker-compose.yml", &opaque_compose(true)),
        ("kong.yml", &kong),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    Planted {
        dir,
        secrets: vec![secret, service_role.clone(), opaque_secret.clone(), d, k],
        service_role,
        opaque_secret,
    }
}

fn doctor(p: &Planted, extra: &[&str]) -> String {
    let path = |n: &str| p.dir.path().join(n).to_string_lossy().into_owned();
    let out = command()
        .args(["doctor", "--env", &path(".env"), "--compose"])
        .arg(path("docker-compose.yml"))
        .args(["--kong", &path("kong.yml"), "--now", &NOW.to_string()])
        .args(["--token", &p.service_role])
        .args(["--error", &format!("Invalid API key {}", p.opaque_secret)])
        .args(extra)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn leaks<'a>(output: &str, secrets: &'a [String]) -> Vec<&'a str> {
    secrets
        .iter()
        .map(String::as_str)
        .filter(|s| output.contains(s))
        .collect()
}

#[test]
fn doctor_redact_leaves_no_planted_secret() {
    let p = planted();
    // The Doctor's own messages never quote a secret; --redact is the guarantee.
    for extra in [&[][..], &["--redact"][..], &["--redact", "--json"][..]] {
        let out = doctor(&p, extra);
        assert!(out.contains("kong_"), "{out}");
        let leaked = leaks(&out, &p.secrets);
        assert!(leaked.is_empty(), "{extra:?} leaks {leaked:?}:\n{out}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&doctor(&p, &["--redact", "--json"])).unwrap();
    assert!(json["findings"].as_array().is_some_and(|f| !f.is_empty()));
}

#[test]
fn rotate_redact_prints_fingerprints_only() {
    let p = planted();
    let path = p.dir.path().join(".env");
    let run = |extra: &[&str]| {
        let out = command()
            .args(["rotate", "--env"])
            .arg(&path)
            .args(["--now", &NOW.to_string()])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run(&[]);
    let new_values: Vec<String> = plain
        .lines()
        .filter_map(|l| l.strip_prefix('+'))
        .filter_map(|l| {
            l.split_once('=')
                .map(|(_, v)| v.trim_matches('\'').to_string())
        })
        .collect();
    assert!(!new_values.is_empty(), "{plain}");
    let red = run(&["--redact"]);
    let mut all = p.secrets.clone();
    all.extend(new_values.iter().filter(|v| v.len() >= 6).cloned());
    let leaked = leaks(&red, &all);
    assert!(leaked.is_empty(), "leaks {leaked:?}:\n{red}");
    assert!(red.contains("+JWT_KEYS=sha256:"), "{red}");
    // The old value is named by the fingerprint inspect --redact gives it.
    let env = std::fs::read_to_string(&path).unwrap();
    let old = fingerprint(&raw_var(&env, "JWT_KEYS"));
    assert!(red.contains(&format!("-JWT_KEYS={old}")), "{red}");
}
