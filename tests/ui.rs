//! The desktop app driven through its accessibility tree with egui_kittest, as a user would:
//! type, click, drop files, press shortcuts. Fixed clock, memory clipboard.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use common::clock::NOW;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use supajwt::app::{Action, AppState, MemoryClipboard, Pane, Settings, root_ui};
use supajwt::jose::classified::Classified;
use supajwt::jose::keys::KeySet;
use supajwt::jose::secret::SecretString;
use supajwt::supabase::roles::{DOCKER_DEMO_ANON_KEY, DOCKER_DEMO_SECRET, DOCKER_DEMO_SERVICE_KEY};

mod common;
mod lifecycle_kit;
mod upstream_stack;

// The behaviours of issue 12, one file per area (they use the helpers below).
#[path = "ui/database.rs"]
mod database;
#[path = "ui/decode_har.rs"]
mod decode_har;
#[path = "ui/decode_verify.rs"]
mod decode_verify;
#[path = "ui/feedback.rs"]
mod feedback;
#[path = "ui/files_layout.rs"]
mod files_layout;
#[path = "ui/finish_job.rs"]
mod finish_job;
#[path = "ui/fix_path.rs"]
mod fix_path;
#[path = "ui/mint_keys.rs"]
mod mint_keys;
#[path = "ui/signing_keys.rs"]
mod signing_keys;

pub fn harness() -> Harness<'static, AppState> {
    harness_with(egui::vec2(1200.0, 900.0), |_| {})
}

/// A harness of this size, with the memory clipboard and the fixed clock, after `setup` has
/// changed the state it starts from.
pub fn harness_with(
    size: egui::Vec2,
    setup: impl FnOnce(&mut AppState),
) -> Harness<'static, AppState> {
    let mut state = AppState::new(Settings::default());
    state.shared.clipboard = Box::new(MemoryClipboard::default());
    state.shared.fixed_now = Some(NOW);
    setup(&mut state);
    let mut h = Harness::builder()
        .with_size(size)
        .build_ui_state(root_ui, state);
    h.run_steps(2);
    h
}

/// Steps the UI until `done` holds (background jobs run on threads).
pub fn wait_until(h: &mut Harness<'static, AppState>, done: impl Fn(&AppState) -> bool) {
    let start = Instant::now();
    while !done(h.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for the UI"
        );
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    }
    h.run_steps(2);
}

/// Focuses the field like a click would, then types into it.
pub fn type_into(h: &mut Harness<'static, AppState>, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).focus();
    h.run_steps(1);
    h.get_by_role_and_label(role, label).type_text(text);
    h.run_steps(3);
}

/// Adds a key set to the ring as if imported from the file `from`.
pub fn add_key_set(h: &mut Harness<'static, AppState>, set: KeySet, from: &str) {
    let origin = supajwt::app::KeyOrigin::Imported(from.into());
    h.state_mut()
        .handle(Action::AddKeys { set, origin }, &egui::Context::default());
    h.run_steps(2);
}

/// Selects all of a field's text and types `text` over it.
pub fn retype_into(h: &mut Harness<'static, AppState>, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(role, label).type_text(text);
    h.run_steps(3);
}

pub fn tab(h: &Harness<'static, AppState>, pane: Pane) {
    h.get_by_role_and_label(Role::Button, pane.title()).click();
}

#[test]
fn pasting_a_token_shows_claims_and_expiry() {
    let mut h = harness();
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Token",
        &format!("ANON_KEY={DOCKER_DEMO_ANON_KEY}"),
    );
    h.run_steps(3);
    h.get_by_label_contains("expires in 1 year 8 days");
    h.get_by_label_contains("public demo ANON_KEY");
    h.get_by_label_contains("Removed the \"ANON_KEY\" prefix");
    h.get_by_label_contains("Signature NOT checked");
}

#[test]
fn a_bad_token_shows_the_error_without_panicking() {
    let mut h = harness();
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Token",
        "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.a+b",
    );
    h.run_steps(3);
    h.get_by_label("Not a readable token");
    h.get_by_label_contains("signature (3rd segment) is not valid base64url");
}

#[test]
fn generate_mint_and_verify() {
    let mut h = harness();
    tab(&h, Pane::Keys);
    h.run_steps(2);
    h.get_by_label("Generate key").click();
    h.run_steps(1);
    wait_until(&mut h, |s| !s.shared.ring.is_empty());
    h.get_by_label("Private JWK");
    h.get_by_label_contains("1 key in the ring");
    assert!(
        h.state()
            .panes
            .keys
            .outputs
            .iter()
            .any(|o| o.text.expose().contains("\"crv\": \"P-256\""))
    );

    tab(&h, Pane::Mint);
    h.run_steps(2);
    h.get_by_label_contains("ES256 · EC P-256 · kid").click();
    // Picking the key mints at once; let the layout settle before clicking again.
    h.run_steps(2);
    h.get_by_label("Mint token").click();
    h.run_steps(2);
    let token = h.state().panes.mint.token().expect("minted").to_string();
    assert!(token.starts_with("eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6"));

    tab(&h, Pane::Verify);
    h.run_steps(2);
    h.get_by_label("Key ring (1 key)").click();
    h.run_steps(1);
    type_into(&mut h, Role::MultilineTextInput, "Token to verify", &token);
    h.run_steps(3);
    h.get_by_label("VALID");
    h.get_by_label_contains("ES256 signature by the EC P-256 private key");
}

#[test]
fn verify_with_a_secret_says_why_it_fails() {
    let mut h = harness();
    tab(&h, Pane::Verify);
    h.run_steps(2);
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Token to verify",
        DOCKER_DEMO_SERVICE_KEY,
    );
    type_into(
        &mut h,
        Role::PasswordInput,
        "Secret",
        "not-the-right-secret-but-long-enough-1234",
    );
    h.run_steps(3);
    h.get_by_label("REJECTED");
    h.get_by_label_contains("invalid signature: the token was not signed with the shared secret");
}

#[derive(Debug)]
/// A dropped file, as the window gets it from the system.
pub struct TestFile(pub PathBuf);

impl egui::DroppedFile for TestFile {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_jwks_file_lists_its_kids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwks.json");
    let jwks = r#"{"keys":[
        {"kty":"EC","kid":"kid-one","use":"sig","alg":"ES256","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
        {"kty":"oct","k":"c2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2gtZm9yLWhzMjU2","alg":"HS256"}]}"#;
    std::fs::write(&path, jwks).unwrap();
    let mut h = harness();
    h.input_mut().dropped_files.push(Arc::new(TestFile(path)));
    wait_until(&mut h, |s| s.pane == Pane::Jwks);
    h.get_by_label("kid-one");
    h.get_by_label("SHARED SECRET");
    h.get_by_label_contains("contains an \"oct\" shared secret");
}

#[test]
fn ctrl_v_pastes_into_decode_and_ctrl_digits_switch_panes() {
    let mut h = harness();
    for &pane in Pane::ALL {
        tab(&h, pane);
        h.run_steps(2);
        assert_eq!(h.state().pane, pane, "the {} tab", pane.title());
    }
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num4);
    h.run_steps(2);
    assert_eq!(h.state().pane, Pane::Keys);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    h.run_steps(2);
    assert_eq!(h.state().pane, Pane::Doctor);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num4);
    h.run_steps(2);
    h.event(egui::Event::Paste(DOCKER_DEMO_SERVICE_KEY.to_string()));
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Decode);
    h.get_by_label_contains("bypasses Row Level Security");
}

#[test]
fn copied_secrets_are_cleared_from_the_clipboard() {
    let mut h = harness();
    let ctx = egui::Context::default();
    h.state_mut().handle(
        Action::Copy(Classified::Secret(SecretString::new(
            DOCKER_DEMO_SECRET.into(),
        ))),
        &ctx,
    );
    assert_eq!(
        h.state_mut().shared.clipboard.get_text().unwrap(),
        DOCKER_DEMO_SECRET
    );
    h.run_steps(1);
    h.get_by_label_contains("clipboard clears in");
    let deadline = h.state().shared.pending_clear.as_ref().unwrap().deadline;
    h.state_mut()
        .tick_clipboard(deadline + Duration::from_millis(1));
    assert!(
        h.state_mut().shared.clipboard.get_text().is_err(),
        "the secret must be gone"
    );
    // Something the user copied afterwards is left alone.
    h.state_mut().handle(
        Action::Copy(Classified::Secret(SecretString::new("secret".into()))),
        &ctx,
    );
    h.state_mut()
        .shared
        .clipboard
        .set_text("the user's own text", supajwt::app::CopyKind::Public)
        .unwrap();
    let deadline = h.state().shared.pending_clear.as_ref().unwrap().deadline;
    h.state_mut()
        .tick_clipboard(deadline + Duration::from_millis(1));
    assert_eq!(
        h.state_mut().shared.clipboard.get_text().unwrap(),
        "the user's own text"
    );
}

#[test]
fn persisted_settings_hold_no_secrets() {
    let mut h = harness();
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Token",
        DOCKER_DEMO_SERVICE_KEY,
    );
    tab(&h, Pane::Mint);
    h.run_steps(2);
    type_into(
        &mut h,
        Role::PasswordInput,
        "Signing secret",
        DOCKER_DEMO_SECRET,
    );
    h.get_by_label("Mint token").click();
    h.run_steps(2);
    let saved = serde_json::to_string(&h.state().shared.settings).unwrap();
    assert!(
        !saved.contains(DOCKER_DEMO_SECRET) && !saved.contains("eyJ"),
        "{saved}"
    );
    assert_eq!(h.state().shared.settings.last_pane, Pane::Mint);
}

#[test]
fn doctor_pane_explains_a_broken_stack() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    std::fs::write(
        &path,
        format!("JWT_SECRET={DOCKER_DEMO_SECRET}\nANON_KEY={DOCKER_DEMO_SERVICE_KEY}\n"),
    )
    .unwrap();
    let mut h = harness();
    h.input_mut().dropped_files.push(Arc::new(TestFile(path)));
    wait_until(&mut h, |s| s.pane == Pane::Doctor);
    h.get_by_label("JWT_SECRET is a public demo value");
    h.get_by_label("ANON_KEY has the wrong role");
    h.get_by_label_contains("1 problem that causes failures");
    type_into(
        &mut h,
        Role::TextInput,
        "Error message (optional)",
        "No suitable key or wrong key type",
    );
    h.get_by_label("Run checks").click();
    h.run_steps(3);
    h.get_by_label_contains("From: PostgREST");
    // Below the fold of the report: click it as a screen reader would; the plan generates
    // keys on the worker, so wait for it.
    h.get_by_label("Plan rotation").click_accesskit();
    wait_until(&mut h, |s| s.panes.doctor.rotation.output.is_some());
    h.get_by_label(".env changes");
}

#[test]
fn a_huge_paste_is_refused_quickly() {
    let mut h = harness();
    let huge = format!("eyJ{}", "A".repeat(5 * 1024 * 1024));
    let start = Instant::now();
    h.event(egui::Event::Paste(huge));
    h.run_steps(3);
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    h.get_by_label_contains("the limit is 262144 bytes");
    assert!(
        h.state().panes.decode.input.len() <= 2048,
        "the field keeps only a short prefix"
    );
}

/// Text a token or key set carries to fake a verdict or hide itself.
const EVIL: &str = "x\nvalid: true\r\u{1b}[2J\u{202e}\u{85}";

/// No label in the window shows a raw control, C1 or bidi character from input.
fn assert_no_raw_controls(h: &Harness<'static, AppState>) {
    for bad in ["\nvalid", "\r", "\u{1b}", "\u{202e}", "\u{85}"] {
        let found: Vec<String> = h
            .query_all_by_label_contains(bad)
            .map(|n| format!("{n:?}"))
            .collect();
        assert!(found.is_empty(), "raw {bad:?} in labels: {found:?}");
    }
}

#[test]
fn escape_window_labels_show_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jwks.json");
    let jwks = serde_json::json!({"keys": [{"kty": "EC", "kid": EVIL, "use": EVIL, "crv": "P-256",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]});
    std::fs::write(&path, jwks.to_string()).unwrap();
    let mut h = harness();
    h.input_mut().dropped_files.push(Arc::new(TestFile(path)));
    wait_until(&mut h, |s| s.pane == Pane::Jwks);
    let shown = "x\\u{a}valid: true\\u{d}\\u{1b}[2J\\u{202e}\\u{85}";
    assert_eq!(h.get_all_by_label(shown).count(), 2, "kid and use");
    assert_no_raw_controls(&h);

    let header = base64_url(&serde_json::json!({"alg": "HS256", "kid": EVIL}).to_string());
    let payload = base64_url(&serde_json::json!({"role": "anon", "sub": EVIL}).to_string());
    let ctx = egui::Context::default();
    h.state_mut().handle(
        Action::OpenToken {
            text: format!("{header}.{payload}.c2ln"),
            pane: Pane::Decode,
        },
        &ctx,
    );
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Decode);
    h.get_by_label(shown);
    assert_no_raw_controls(&h);
}

fn base64_url(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[test]
fn fetch_cancel_returns_at_once_and_ignores_the_result() {
    // A server that accepts, says nothing for a second, then hangs up.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            std::thread::sleep(Duration::from_secs(1));
            drop(stream);
        }
    });
    let mut h = harness();
    let ctx = egui::Context::default();
    h.state_mut().panes.jwks.url = url;
    tab(&h, Pane::Jwks);
    h.run_steps(2);
    h.get_by_label("Fetch").click();
    h.run_steps(2);
    assert!(h.state().panes.jwks.fetching.is_some());
    let start = Instant::now();
    h.get_by_label("Cancel").click();
    h.run_steps(2);
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "Cancel returns at once"
    );
    assert!(h.state().panes.jwks.fetching.is_none());
    h.get_by_label_contains("fetch cancelled");
    // The abandoned fetch's answer, when it comes, changes nothing.
    let late = h
        .state()
        .shared
        .tasks
        .wait_one(Duration::from_secs(15))
        .unwrap();
    h.state_mut().apply_task(late, &ctx);
    h.run_steps(2);
    let jwks = &h.state().panes.jwks;
    assert!(jwks.loaded.is_none() && jwks.error.is_none());
    h.get_by_label_contains("fetch cancelled");
}

#[test]
fn settings_huge_clipboard_timeout_never_panics_at_copy() {
    let mut h = harness();
    h.state_mut().shared.settings.clipboard_clear_secs = u64::MAX;
    let ctx = egui::Context::default();
    h.state_mut().handle(
        Action::Copy(Classified::Secret(SecretString::new(
            DOCKER_DEMO_SECRET.into(),
        ))),
        &ctx,
    );
    let pending = h.state().shared.pending_clear.clone().unwrap();
    assert!(pending.remaining(Instant::now()) <= 3600);
    h.run_steps(1);
    h.get_by_label_contains("cleared in 3600 s");
}

#[test]
fn settings_bad_field_is_reset_and_reported_in_the_status_area() {
    let (settings, notes) = Settings::from_stored(
        r#"(theme:Dark,last_pane:Nowhere,last_jwks_url:"abcdefghijklmnopqrst",clipboard_auto_clear:true,clipboard_clear_secs:1e300)"#,
    );
    assert_eq!(settings.last_jwks_url, "abcdefghijklmnopqrst");
    let mut state = AppState::new(settings);
    state.shared.clipboard = Box::new(MemoryClipboard::default());
    state.report_setting_notes(&notes);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui_state(root_ui, state);
    h.run_steps(2);
    assert_eq!(h.state().pane, Pane::Decode);
    assert_eq!(h.state().shared.settings.clipboard_clear_secs, 60);
    h.get_by_label_contains("setting last_pane: unknown pane, reset to Decode");
    h.get_by_label_contains("setting clipboard_clear_secs");
}

#[test]
fn leeway_reliance_and_cap_shown_in_the_verify_pane() {
    const SECRET: &str = "a-secret-that-is-long-enough-for-hs256-0123";
    let key =
        supajwt::jose::keys::secret_key(SECRET, supajwt::jose::b64::SecretEncoding::Text).unwrap();
    let claims = serde_json::json!({"role": "anon", "exp": NOW - 1200});
    let token = supajwt::jose::sign::sign_claims(claims.as_object().unwrap(), &key, None).unwrap();
    let mut h = harness();
    tab(&h, Pane::Verify);
    h.run_steps(2);
    type_into(&mut h, Role::MultilineTextInput, "Token to verify", &token);
    type_into(&mut h, Role::PasswordInput, "Secret", SECRET);
    h.get_by_label("REJECTED");
    h.state_mut().panes.verify.leeway = "3600".into();
    h.state_mut().panes.verify.dirty = true;
    h.run_steps(2);
    h.get_by_label("VALID only because of the leeway");
    h.get_by_label("valid only because of the 3600 s leeway: it expired 20 minutes ago");
    h.state_mut().panes.verify.leeway = "172800".into();
    h.state_mut().panes.verify.dirty = true;
    h.run_steps(2);
    h.get_by_label_contains("a leeway of 2 days disables expiry checks");
}

#[test]
fn about_dialog_runs_the_self_test() {
    let mut h = harness();
    h.get_by_role_and_label(Role::Button, "About / Self-test")
        .click();
    // A new egui window is laid out invisibly on its first frame.
    h.run_steps(4);
    assert!(h.state().about.open);
    // The build facts `supajwt version --verbose` prints.
    h.get_by_label("crypto crates (Cargo.lock)");
    h.get_by_role_and_label(Role::Button, "Run self-test")
        .click();
    h.run_steps(1);
    assert!(h.state().about.running);
    wait_until(&mut h, |s| s.about.checks.is_some());
    let checks = h.state().about.checks.clone().unwrap();
    let summary = format!("All {} checks passed", checks.len());
    h.get_by_label(&summary);
    assert!(checks.iter().any(|c| c.name == "RFC 7515 A.2 RS256"));
    assert!(checks.iter().any(|c| c.name == "clock"));
}

/// The Keys pane warns, when EdDSA is chosen, that supabase-js getClaims() and Edge Functions
/// refuse EdDSA tokens, and recommends ES256; the default ES256 choice shows no warning.
#[test]
fn eddsa_warning_keys_pane() {
    let mut h = harness();
    tab(&h, Pane::Keys);
    h.run_steps(2);
    assert!(h.query_by_label_contains("getClaims()").is_none());
    h.get_by_label("EdDSA (Ed25519)").click();
    h.run_steps(2);
    h.get_by_label_contains("refused by supabase-js getClaims()");
    h.get_by_label_contains("use ES256");
    h.get_by_label("ES512 (P-521)").click();
    h.run_steps(2);
    h.get_by_label_contains("ES512 tokens are refused");
}
