//! Facts about this build, embedded by `build.rs`: for `supajwt version --verbose`, the
//! self-test's clock check and the About dialog.

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The git commit it was built from (`unknown` outside a git checkout).
pub const GIT_COMMIT: &str = env!("SUPAJWT_GIT_COMMIT");
/// The target triple.
pub const TARGET: &str = env!("SUPAJWT_TARGET");
/// The crypto crates and their versions, as Cargo.lock pinned them.
pub const CRYPTO_CRATES: &str = env!("SUPAJWT_CRYPTO_CRATES");
const BUILD_TIME: &str = env!("SUPAJWT_BUILD_TIME");

/// The build date in seconds since 1970: SOURCE_DATE_EPOCH when set, else the commit date.
pub fn build_time() -> i64 {
    BUILD_TIME.parse().unwrap_or(0)
}

/// The front ends this binary has.
pub fn features() -> &'static str {
    if cfg!(feature = "gui") {
        "window + command line (gui)"
    } else {
        "command line only (no gui)"
    }
}

/// `name: value` lines for `supajwt version --verbose` and the About dialog.
pub fn verbose_lines() -> Vec<(&'static str, String)> {
    vec![
        ("version", VERSION.to_string()),
        ("commit", GIT_COMMIT.to_string()),
        ("build date", crate::jose::time::format_utc(build_time())),
        ("features", features().to_string()),
        ("target", TARGET.to_string()),
        ("crypto crates (Cargo.lock)", CRYPTO_CRATES.to_string()),
    ]
}
