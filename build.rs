//! Build facts embedded for `supajwt version --verbose` and `supajwt selftest`: the git commit,
//! the build date (SOURCE_DATE_EPOCH, else the commit date, else now), the target, and the
//! versions of the crypto crates as Cargo.lock pins them. No dependencies: the lock file is
//! read line by line.

// Cargo reads a build script's standard output: printing is its protocol (clippy.toml forbids
// `println!` in the program, which writes through cli::out::Out).
#![allow(clippy::disallowed_macros)]

use std::process::Command;

/// The crates a security reviewer asks about, in the order printed.
const CRYPTO_CRATES: [&str; 14] = [
    "jsonwebtoken",
    "rsa",
    "num-bigint-dig",
    "p256",
    "p384",
    "p521",
    "ed25519-dalek",
    "curve25519-dalek",
    "ssh-key",
    "sha2",
    "hmac",
    "rand_core",
    "getrandom",
    "ring",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    // A new commit changes the reflog of HEAD (in a worktree too).
    if let Some(reflog) = git(&["rev-parse", "--git-path", "logs/HEAD"]) {
        println!("cargo:rerun-if-changed={reflog}");
    }

    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let commit_time = git(&["log", "-1", "--format=%ct"]).and_then(|t| t.parse::<i64>().ok());
    let build_time = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|t| t.trim().parse::<i64>().ok())
        .or(commit_time)
        .unwrap_or_else(now);
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".into());
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let versions = CRYPTO_CRATES
        .iter()
        .filter_map(|name| {
            let found = locked_versions(&lock, name);
            (!found.is_empty()).then(|| format!("{name} {}", found.join("/")))
        })
        .collect::<Vec<_>>()
        .join(", ");

    println!("cargo:rustc-env=SUPAJWT_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=SUPAJWT_BUILD_TIME={build_time}");
    println!("cargo:rustc-env=SUPAJWT_TARGET={target}");
    println!("cargo:rustc-env=SUPAJWT_CRYPTO_CRATES={versions}");
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Every version of `name` in a Cargo.lock (`[[package]]` blocks of `name = ...` then
/// `version = ...` lines).
fn locked_versions(lock: &str, name: &str) -> Vec<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    let mut found = Vec::new();
    while let Some(line) = lines.next() {
        if line.trim() == wanted
            && let Some(version) = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = "))
        {
            found.push(version.trim_matches('"').to_string());
        }
    }
    found
}
