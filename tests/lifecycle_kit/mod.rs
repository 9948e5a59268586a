//! The stacks and files the lifecycle tests share (`tests/key_list.rs`, `tests/key_add.rs`):
//! upstream's two stacks, a temporary directory holding the files, `key list --json`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::cli::run;
use crate::common::clock::UPSTREAM_NOW as NOW;
use crate::upstream_stack::*;
use serde_json::Value;

/// generate-keys.sh only: HS256 `JWT_SECRET`, nothing asymmetric.
pub fn legacy_stack() -> String {
    generate_keys(&env_example(), NOW - 86_400)
}

/// generate-keys.sh then add-new-auth-keys.sh: an ES256 signing key and the oct secret.
pub fn opaque_stack() -> String {
    add_new_auth_keys(
        &generate_keys(&env_example_opaque(), NOW - 86_400),
        NOW - 86_400,
    )
}

pub struct Files {
    _dir: tempfile::TempDir,
    pub env: String,
    pub compose: String,
    pub kong: String,
}

pub fn files(env: &str, compose: &str, kong: &str) -> Files {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    Files {
        env: path(".env", env),
        compose: path("docker-compose.yml", compose),
        kong: path("kong.yml", kong),
        _dir: dir,
    }
}

pub fn list_json(f: &Files) -> Value {
    let now = NOW.to_string();
    let r = run(
        &[
            "key",
            "list",
            "--env",
            &f.env,
            "--compose",
            &f.compose,
            "--kong",
            &f.kong,
            "--now",
            &now,
            "--json",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}
