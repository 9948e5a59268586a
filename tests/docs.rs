//! The documents a newcomer reads first stay short and honest (issue 22 §5, issue 19): the
//! README opens the door and links the guide, ARCHITECTURE.md stays a map, and neither claims a
//! platform CI does not test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

fn read(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

#[test]
fn the_readme_is_short_and_links_the_guide_and_the_architecture() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(
        lines < 250,
        "README.md has {lines} lines: move reference text to docs/guide.md"
    );
    for link in ["(docs/guide.md", "(ARCHITECTURE.md)"] {
        assert!(readme.contains(link), "README.md does not link {link}");
    }
    assert!(read("docs/guide.md").contains("## Command line"));
}

#[test]
fn the_architecture_page_is_a_map_not_a_manual() {
    let lines = read("ARCHITECTURE.md").lines().count();
    assert!(lines < 150, "ARCHITECTURE.md has {lines} lines");
}

#[test]
fn no_untested_platform_is_claimed() {
    for name in ["README.md", "docs/guide.md"] {
        let text = read(name);
        for paragraph in text.split("\n\n") {
            let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
            let names_one = ["macOS", "Windows,", "Windows)", "Windows."]
                .iter()
                .any(|p| paragraph.contains(p));
            assert!(
                !names_one || paragraph.contains("not tested"),
                "{name} names a platform CI does not test without saying so:\n{paragraph}"
            );
        }
    }
}
