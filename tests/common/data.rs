//! The fixture files under `tests/data/` (OpenSSL-made keys, pasted inputs, vectors, fuzz
//! regressions, upstream's self-hosted stack): their paths, text and JSON.

use std::path::PathBuf;

/// Path of a file under `tests/data`.
pub fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// Path of a file under `tests/data`, as a command-line argument.
pub fn arg(rel: &str) -> String {
    path(rel).to_string_lossy().into_owned()
}

/// The text of a file under `tests/data`.
pub fn read(rel: &str) -> String {
    std::fs::read_to_string(path(rel)).expect("test data file")
}

/// Reads and parses a JSON test file under `tests/data`.
pub fn json(rel: &str) -> serde_json::Value {
    serde_json::from_str(&read(rel)).expect("test data JSON")
}

/// The text of a file of upstream's self-hosted stack (`tests/data/upstream/`, copied verbatim
/// from supabase/supabase `docker/`).
pub fn upstream(rel: &str) -> String {
    read(&format!("upstream/{rel}"))
}

/// Decodes lowercase/uppercase hex (the vectors' keys, messages and signatures).
pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}
