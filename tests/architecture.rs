//! The layers of `src/` (ARCHITECTURE.md): each module imports only the layers below it, no
//! module is named `core`, every file opens with a line saying what it owns, and none grows
//! past 450 lines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module and the crate modules it may name (`crate::X`).
const LAYERS: &[(&str, &[&str])] = &[
    ("safe_text", &["safe_text"]),
    ("build_info", &["build_info", "jose"]),
    ("hardening", &["hardening"]),
    ("in_place", &["in_place"]),
    ("jose", &["jose"]),
    ("supabase", &["supabase", "jose", "safe_text"]),
    ("inspect", &["inspect", "supabase", "jose", "safe_text"]),
    ("selftest", &["selftest", "jose", "safe_text"]),
    ("fetch", &["fetch", "jose", "safe_text"]),
    ("db", &["db", "supabase", "jose", "safe_text"]),
    (
        "cli",
        &[
            "cli",
            "db",
            "in_place",
            "fetch",
            "selftest",
            "inspect",
            "supabase",
            "jose",
            "safe_text",
            "build_info",
        ],
    ),
    (
        "app",
        &[
            "app",
            "db",
            "in_place",
            "fetch",
            "selftest",
            "inspect",
            "supabase",
            "jose",
            "safe_text",
            "build_info",
        ],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    files
}

/// The top-level module a file belongs to (`src/jose/keys/pem.rs` → `jose`).
fn top_module(file: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = file.strip_prefix(&src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::NAME` the file's code names (comments left out).
fn crate_modules_named(text: &str) -> Vec<String> {
    let mut named = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') && !name.is_empty() {
                named.push(name);
            }
            rest = after;
        }
    }
    named
}

#[test]
fn no_layer_imports_a_layer_above_it() {
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut upward = Vec::new();
    for file in src_files() {
        let top = top_module(&file);
        let Some(may) = allowed.get(top.as_str()) else {
            continue; // lib.rs, main.rs, bin/: the roots, above everything
        };
        let text = std::fs::read_to_string(&file).unwrap();
        for name in crate_modules_named(&text) {
            if !may.contains(&name.as_str()) {
                upward.push(format!("{} names crate::{name}", file.display()));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the layering:\n{}",
        upward.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer_and_none_is_named_core() {
    for file in src_files() {
        let top = top_module(&file);
        assert_ne!(top, "core", "{}: no module is named core", file.display());
        let root = ["lib", "main", "bin"].contains(&top.as_str());
        assert!(
            root || LAYERS.iter().any(|(name, _)| *name == top),
            "{}: the module {top} has no layer in tests/architecture.rs and ARCHITECTURE.md",
            file.display()
        );
    }
}

#[test]
fn source_files_stay_under_450_lines() {
    let long: Vec<String> = src_files()
        .into_iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(&f).unwrap().lines().count();
            (lines > 450).then(|| format!("{}: {lines} lines", f.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these along their seams:\n{}",
        long.join("\n")
    );
}

#[test]
fn every_module_opens_with_a_line_saying_what_it_owns() {
    let silent: Vec<String> = src_files()
        .into_iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            !text.starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        silent.is_empty(),
        "open these with a //! line:\n{}",
        silent.join("\n")
    );
}

/// The module path a `crate::…` path names, as segments (`crate::app::panes::mint::view` →
/// `["app", "panes", "mint", "view"]`), for every such path in the file's code.
fn crate_paths(text: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let path: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            paths.push(path.split("::").map(str::to_string).collect());
            rest = after;
        }
    }
    paths
}

#[test]
fn a_pane_imports_no_other_pane_and_not_the_registry() {
    let panes = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app/panes");
    let mut crossings = Vec::new();
    for file in src_files().into_iter().filter(|f| f.starts_with(&panes)) {
        let Ok(rest) = file.strip_prefix(&panes) else {
            continue;
        };
        let own = rest
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        if own.ends_with(".rs") {
            continue; // panes/mod.rs lists the folders
        }
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains("super::super"),
            "{}: name the window's modules by crate::app::…",
            file.display()
        );
        for path in crate_paths(&text) {
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            let crosses = match p.as_slice() {
                ["app", "panes", other, ..] => *other != own,
                ["app", top, ..] => ["registry", "state", "jobs", "about"].contains(top),
                _ => false,
            };
            if crosses {
                crossings.push(format!("{} names crate::{}", file.display(), p.join("::")));
            }
        }
    }
    assert!(
        crossings.is_empty(),
        "a pane reaches outside its layer:\n{}",
        crossings.join("\n")
    );
}
