//! The password-manager hint on a real X11 clipboard (issue 22 §1): after the window copies a
//! secret, the clipboard's TARGETS include `x-kde-passwordManagerHint` (with the value
//! `secret`), so clipboard managers keep it out of their history; after it copies a public key,
//! they do not.
//!
//! Needs an X server (`DISPLAY`) and `xclip`. Without them the test says why and passes, unless
//! `SUPAJWT_REQUIRE_X11=1` is set: `.ci/run` installs xvfb and xclip and runs it as
//! `xvfb-run -a env SUPAJWT_REQUIRE_X11=1 cargo test --locked --test clipboard_x11`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;
use supajwt::app::{Action, AppState, Settings};
use supajwt::jose::classified::Classified;
use supajwt::jose::keys::{KeygenAlg, KidChoice, generate, public_pem};
use supajwt::jose::secret::SecretString;

const HINT: &str = "x-kde-passwordManagerHint";

/// Whether an X server and xclip are here; when not, why (a failure under
/// `SUPAJWT_REQUIRE_X11=1`).
fn x11_available() -> bool {
    let display = std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty());
    let xclip = Command::new("xclip")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    let why = match (display, xclip) {
        (true, true) => return true,
        (false, false) => "DISPLAY is not set and xclip is not installed",
        (false, true) => "DISPLAY is not set (no X server)",
        (true, false) => "xclip is not installed",
    };
    assert!(
        std::env::var("SUPAJWT_REQUIRE_X11").as_deref() != Ok("1"),
        "SUPAJWT_REQUIRE_X11=1 but {why}: install xvfb and xclip and run the test under xvfb-run -a"
    );
    eprintln!(
        "skipping the X11 clipboard test: {why} (apt-get install xvfb xclip; xvfb-run -a cargo test --test clipboard_x11)"
    );
    false
}

/// The clipboard as another program reads it: `xclip -selection clipboard -t TARGET -o`.
fn read(target: &str) -> String {
    let out = Command::new("xclip")
        .args(["-selection", "clipboard", "-t", target, "-o"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "xclip -t {target}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn has_hint(targets: &str) -> bool {
    targets.lines().any(|t| t.trim() == HINT)
}

#[test]
fn a_copied_secret_carries_the_password_manager_hint_and_a_public_key_does_not() {
    if !x11_available() {
        return;
    }
    // The window's state with its real (arboard) clipboard. On X11 the copying process serves
    // the clipboard from a thread of its own, so `state` stays alive while xclip reads.
    let mut state = AppState::new(Settings::default());
    let ctx = egui::Context::default();
    let secret = "a-jwt-secret-that-must-not-reach-a-clipboard-history";
    state.handle(
        Action::Copy(Classified::Secret(SecretString::new(secret.into()))),
        &ctx,
    );
    let copied = state.shared.last_copy.as_ref().unwrap();
    assert_eq!(copied.error, None, "copy failed");
    assert_eq!(read("UTF8_STRING"), secret);
    let targets = read("TARGETS");
    assert!(has_hint(&targets), "{HINT} missing from {targets}");
    assert_eq!(read(HINT).trim(), "secret");

    let key = generate(KeygenAlg::ES256, KidChoice::None).unwrap();
    let public = public_pem(&key).unwrap();
    state.handle(Action::Copy(Classified::Public(public.clone())), &ctx);
    assert_eq!(read("UTF8_STRING"), public);
    let targets = read("TARGETS");
    assert!(
        !has_hint(&targets),
        "a public key carries {HINT}: {targets}"
    );
}
