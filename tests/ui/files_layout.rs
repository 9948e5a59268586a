//! UI tests (issue 12): files (Open…/Save… without a dialog), the status history, JWKS over
//! plain http on a LAN, narrow windows, and the Doctor's shared flow.

use super::*;
use egui_kittest::kittest::NodeT;
use supajwt::app::{DialogMode, Intent, KeyOrigin, VerifyKeySource};

/// A harness whose Open/Save use the in-app path field (as on a system with no portal and no
/// zenity), so no real dialog ever opens.
fn harness_without_dialogs(size: egui::Vec2) -> Harness<'static, AppState> {
    harness_with(size, |state| state.shared.dialogs = DialogMode::PathField)
}

const JWKS: &str = r#"{"keys":[{"kty":"EC","kid":"kid-from-path","use":"sig","alg":"ES256","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#;

fn open_path(h: &mut Harness<'static, AppState>, path: &str) {
    type_into(h, Role::TextInput, "File path to open", path);
    h.get_by_role_and_label(Role::Button, "Open").click();
    h.run_steps(1);
}

#[test]
fn open_without_a_dialog_shows_the_path_field_and_loads_the_typed_jwks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lan-jwks.json");
    std::fs::write(&path, JWKS).unwrap();
    let mut h = harness_without_dialogs(egui::vec2(1200.0, 900.0));
    tab(&h, Pane::Jwks);
    h.run_steps(2);
    assert!(h.query_by_label("File path to open").is_none());
    h.get_by_role_and_label(Role::Button, "Open file…").click();
    h.run_steps(2);
    h.get_by_label_contains("Tab completes");
    open_path(&mut h, &path.display().to_string());
    wait_until(&mut h, |s| s.panes.jwks.loaded.is_some());
    h.get_by_label("kid-from-path");
    // The outcome is next to the button, not only in the status bar.
    let button = h.get_by_role_and_label(Role::Button, "Open file…").rect();
    let said = h.get_by_label("opened lan-jwks.json").rect();
    assert!(
        (said.center().y - button.center().y).abs() < 12.0,
        "{said:?} vs {button:?}"
    );
    assert!(
        h.query_by_label("File path to open").is_none(),
        "closed after success"
    );
}

#[test]
fn open_path_field_completes_with_tab() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("only-jwks.json"), JWKS).unwrap();
    let mut h = harness_without_dialogs(egui::vec2(1200.0, 900.0));
    tab(&h, Pane::Jwks);
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "Open file…").click();
    h.run_steps(2);
    type_into(
        &mut h,
        Role::TextInput,
        "File path to open",
        &format!("{}/only", dir.path().display()),
    );
    h.key_press(egui::Key::Tab);
    h.run_steps(2);
    let field = h.get_by_role_and_label(Role::TextInput, "File path to open");
    assert_eq!(
        field.value().unwrap(),
        format!("{}/only-jwks.json", dir.path().display())
    );
}

#[cfg(unix)]
fn make_fifo(dir: &Path) -> Option<PathBuf> {
    let fifo = dir.join("fifo");
    std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
        .then_some(fifo)
}

#[cfg(unix)]
#[test]
fn opening_or_dropping_a_fifo_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let Some(fifo) = make_fifo(dir.path()) else {
        return;
    };
    let mut h = harness_without_dialogs(egui::vec2(1200.0, 900.0));
    tab(&h, Pane::Jwks);
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "Open file…").click();
    h.run_steps(2);
    open_path(&mut h, &fifo.display().to_string());
    wait_until(&mut h, |s| {
        !s.panes.jwks.opener.busy && s.panes.jwks.opener.last.is_some()
    });
    h.get_by_label("cannot read fifo: not a regular file");
    h.input_mut().dropped_files.push(Arc::new(TestFile(fifo)));
    wait_until(&mut h, |s| {
        s.shared
            .last_status()
            .is_some_and(|m| m.text.contains("not a regular file") && m.is_error)
    });
}

fn demo_env() -> String {
    format!(
        "JWT_SECRET={DOCKER_DEMO_SECRET}\nANON_KEY={DOCKER_DEMO_ANON_KEY}\nSERVICE_ROLE_KEY={DOCKER_DEMO_SERVICE_KEY}\n"
    )
}

#[cfg(unix)]
#[test]
fn saving_a_secret_writes_0600_and_says_so_next_to_the_button() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("rotation.env.diff");
    let mut h = harness_without_dialogs(egui::vec2(1200.0, 900.0));
    tab(&h, Pane::Doctor);
    h.run_steps(2);
    h.state_mut().panes.doctor.texts[0] = demo_env();
    h.get_by_label("Plan rotation").click_accesskit();
    wait_until(&mut h, |s| s.panes.doctor.rotation.output.is_some());
    // The first Save… belongs to ".env changes" (secret).
    h.get_all_by_role_and_label(Role::Button, "Save…")
        .next()
        .unwrap()
        .click_accesskit();
    h.run_steps(4);
    let pending = h
        .state()
        .shared
        .saves
        .pending
        .as_ref()
        .expect("path window");
    assert!(pending.contents.is_secret());
    assert!(
        pending.path.ends_with("rotation.env.diff"),
        "{}",
        pending.path
    );
    h.get_by_role_and_label(Role::TextInput, "File path to save to");
    h.state_mut().shared.saves.pending.as_mut().unwrap().path = target.display().to_string();
    h.run_steps(1);
    h.get_by_role_and_label(Role::Button, "Save").click();
    wait_until(&mut h, |s| s.shared.saves.last.is_some());
    let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("+JWT_KEYS=")
    );
    let said = format!("saved to {} (private: mode 0600)", target.display());
    let button = h
        .get_all_by_role_and_label(Role::Button, "Save…")
        .next()
        .unwrap()
        .rect();
    assert!(
        h.get_all_by_label(&said)
            .any(|n| (n.rect().center().y - button.center().y).abs() < 12.0),
        "the outcome is shown next to the Save… button"
    );
}

#[test]
fn status_bar_keeps_a_history() {
    let mut h = harness();
    let ctx = egui::Context::default();
    for i in 0..60 {
        h.state_mut().handle(
            Action::Say {
                text: format!("message number {i}"),
                is_error: false,
            },
            &ctx,
        );
    }
    h.run_steps(2);
    h.get_by_label("message number 59");
    assert!(h.query_by_label("message number 58").is_none());
    h.get_by_role_and_label(Role::Button, "History (50)")
        .click();
    h.run_steps(3);
    h.get_by_label("message number 58");
    h.get_by_label("message number 10");
    assert!(
        h.query_by_label("message number 9").is_none(),
        "the last 50 only"
    );
}

#[test]
fn jwks_over_plain_http_on_a_lan_asks_per_host() {
    let mut h = harness();
    tab(&h, Pane::Jwks);
    h.run_steps(2);
    type_into(
        &mut h,
        Role::TextInput,
        "URL or project ref",
        "http://192.168.1.10:8000",
    );
    let checkbox = "Allow plain http for 192.168.1.10";
    h.get_by_label_contains("can be swapped in transit; use only on a network you trust");
    h.get_by_role_and_label(Role::CheckBox, checkbox).click();
    h.run_steps(2);
    assert!(h.state().panes.jwks.allow_http.contains("192.168.1.10"));
    let saved = serde_json::to_string(&h.state().shared.settings).unwrap();
    assert!(!saved.contains("allow"), "never persisted: {saved}");
    h.state_mut().panes.jwks.url = "http://localhost:8000".into();
    h.run_steps(2);
    assert!(h.query_by_label_contains("Allow plain http").is_none());
    h.state_mut().panes.jwks.url = "http://192.168.1.11:8000".into();
    h.run_steps(2);
    h.get_by_label("Allow plain http for 192.168.1.11");
}

/// Asserts the node lies across the window's width (not cut off at the right or left).
fn inside_width(h: &Harness<'static, AppState>, role: Role, label: &str, width: f32) {
    let rect = h.get_by_role_and_label(role, label).rect();
    assert!(
        rect.min.x >= 0.0 && rect.max.x <= width + 0.5,
        "{label} is cut off: {rect:?}"
    );
}

#[test]
fn narrow_window_800x600_keeps_every_pane_usable() {
    const W: f32 = 800.0;
    let mut h = harness_without_dialogs(egui::vec2(W, 600.0));
    for &pane in Pane::ALL {
        inside_width(&h, Role::Button, pane.title(), W);
    }
    inside_width(&h, Role::Button, "About / Self-test", W);
    inside_width(&h, Role::Button, "Settings", W);
    let about = h
        .get_by_role_and_label(Role::Button, "About / Self-test")
        .rect();
    for &pane in Pane::ALL {
        let tab_rect = h.get_by_role_and_label(Role::Button, pane.title()).rect();
        assert!(
            !tab_rect.intersects(about),
            "About overlaps the {} tab",
            pane.title()
        );
    }
    let controls: &[(Pane, Role, &str)] = &[
        (Pane::Decode, Role::MultilineTextInput, "Token"),
        (Pane::Jwks, Role::Button, "Open file…"),
        (Pane::Jwks, Role::Button, "Fetch"),
        (Pane::Jwks, Role::TextInput, "URL or project ref"),
        (Pane::Jwks, Role::Button, "Load pasted"),
        (Pane::Verify, Role::MultilineTextInput, "Token to verify"),
        (Pane::Keys, Role::Button, "Generate key"),
        (Pane::Mint, Role::Button, "Mint token"),
        (Pane::Doctor, Role::Button, "Run checks"),
        (Pane::Doctor, Role::Button, "Plan rotation"),
    ];
    for &(pane, role, label) in controls {
        tab(&h, pane);
        h.run_steps(2);
        inside_width(&h, role, label, W);
    }
    // With a token everywhere, no control of any pane sticks out at the right.
    tab(&h, Pane::Decode);
    h.run_steps(2);
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Token",
        DOCKER_DEMO_SERVICE_KEY,
    );
    for &pane in Pane::ALL {
        tab(&h, pane);
        h.run_steps(3);
        for role in [
            Role::Button,
            Role::TextInput,
            Role::MultilineTextInput,
            Role::PasswordInput,
            Role::CheckBox,
        ] {
            for n in h.query_all_by_role(role) {
                let r = n.rect();
                assert!(
                    r.min.x >= 0.0 && r.max.x <= W + 1.0,
                    "{}: {:?} {:?} is cut off: {r:?}",
                    pane.title(),
                    role,
                    n.accesskit_node().label()
                );
            }
        }
    }
    // Decode's columns stack: the payload comes below the header, full width.
    tab(&h, Pane::Decode);
    h.run_steps(2);
    let header = h.get_by_label("Header").rect();
    let payload = h.get_by_label("Payload").rect();
    assert!(
        payload.min.y > header.max.y,
        "stacked: {header:?} {payload:?}"
    );
    assert!((payload.min.x - header.min.x).abs() < 1.0);
}

#[test]
fn narrow_window_jwks_table_scrolls_sideways() {
    let mut h = harness_without_dialogs(egui::vec2(800.0, 600.0));
    let ctx = egui::Context::default();
    let wide = JWKS.replace(
        "kid-from-path",
        &format!("kid-from-path-{}", "k".repeat(60)),
    );
    h.state_mut().handle(
        Action::Route {
            name: "jwks.json".into(),
            text: wide,
        },
        &ctx,
    );
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Jwks);
    let material = h.get_by_label("material").rect();
    assert!(
        material.min.x > 800.0,
        "the table is wider than the window: {material:?}"
    );
    h.get_by_label_contains("kid-from-path-kkk").hover();
    h.run_steps(1);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(-2000.0, 0.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: egui::Modifiers::NONE,
    });
    h.run_steps(4);
    let material = h.get_by_label("material").rect();
    assert!(
        material.max.x <= 800.0,
        "the last column is reachable: {material:?}"
    );
}

fn doctor_with_env(env: String) -> Harness<'static, AppState> {
    let mut h = harness_without_dialogs(egui::vec2(1200.0, 900.0));
    let ctx = egui::Context::default();
    h.state_mut().handle_all(
        vec![Action::Route {
            name: ".env".into(),
            text: env,
        }],
        &ctx,
    );
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Doctor);
    h
}

#[test]
fn doctor_puts_the_config_keys_in_the_ring_and_links_findings_to_mint() {
    let env = format!(
        "JWT_SECRET={DOCKER_DEMO_SECRET}\nANON_KEY={DOCKER_DEMO_SERVICE_KEY}\nJWT_JWKS='{JWKS}'\n"
    );
    let mut h = doctor_with_env(env);
    let origins: Vec<KeyOrigin> = h
        .state()
        .shared
        .ring
        .entries
        .iter()
        .map(|e| e.origin.clone())
        .collect();
    assert_eq!(
        origins,
        [
            KeyOrigin::Config("JWT_SECRET".into()),
            KeyOrigin::Config("JWT_JWKS".into())
        ]
    );
    // Decode uses them: the public key of JWT_JWKS is listed for verification.
    assert!(h.state().shared.ring.key_sets().len() == 2);
    // Running again does not add the same key twice; after Clear all it comes back.
    h.get_by_label("Run checks").click();
    h.run_steps(3);
    assert_eq!(h.state().shared.ring.len(), 2);
    let ctx = egui::Context::default();
    h.state_mut().handle_all(vec![Action::ClearRing], &ctx);
    h.get_by_label("Run checks").click();
    h.run_steps(3);
    assert_eq!(h.state().shared.ring.len(), 2);
    h.get_by_label("ANON_KEY has the wrong role");
    h.get_by_role_and_label(Role::Button, "Mint a new anon key…")
        .click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Mint);
    assert_eq!(
        h.state().panes.mint.role,
        supajwt::supabase::mint::MintRole::Anon
    );
}

#[test]
fn doctor_links_a_failing_token_to_verify_with_the_config_keys() {
    let mut h = doctor_with_env(format!(
        "JWT_SECRET=a-different-secret-that-is-long-enough-0123456789\nANON_KEY={DOCKER_DEMO_ANON_KEY}\n"
    ));
    type_into(
        &mut h,
        Role::TextInput,
        "Token to check (optional)",
        DOCKER_DEMO_ANON_KEY,
    );
    h.get_by_label("Run checks").click();
    h.run_steps(3);
    assert!(h.query_all_by_label("REJECTS").count() > 0);
    h.get_by_role_and_label(Role::Button, "Verify this token…")
        .click_accesskit();
    h.run_steps(4);
    assert_eq!(h.state().pane, Pane::Verify);
    assert_eq!(h.state().panes.verify.source, VerifyKeySource::Loaded);
    assert_eq!(h.state().shared.token.text, DOCKER_DEMO_ANON_KEY);
}

#[test]
fn doctor_links_a_key_mismatch_to_the_rotation_assistant() {
    let mut h = doctor_with_env(format!(
        "JWT_SECRET=a-different-secret-that-is-long-enough-0123456789\nANON_KEY={DOCKER_DEMO_ANON_KEY}\n"
    ));
    h.get_by_label("ANON_KEY does not verify against JWT_SECRET");
    h.get_all_by_role_and_label(Role::Button, "Plan a rotation")
        .next()
        .unwrap()
        .click_accesskit();
    h.run_steps(4);
    assert_eq!(h.state().pane, Pane::Doctor);
    let heading = h.get_by_label("Rotation assistant").rect();
    assert!(
        heading.min.y >= 0.0 && heading.max.y <= 900.0,
        "{heading:?}"
    );
    // The same jump works from any pane.
    let ctx = egui::Context::default();
    h.state_mut().handle(Action::SwitchPane(Pane::Keys), &ctx);
    h.state_mut().handle(
        Action::Go {
            pane: Pane::Doctor,
            intent: Intent::Rotate,
        },
        &ctx,
    );
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Doctor);
}

#[test]
fn doctor_rotation_offers_es512_api_keys_and_envoy() {
    let mut h = doctor_with_env(demo_env());
    h.get_by_role_and_label(Role::Button, "ES512")
        .click_accesskit();
    h.run_steps(2);
    h.get_by_label_contains("ES512 tokens are refused by supabase-js getClaims()");
    h.get_by_label("Plan rotation").click_accesskit();
    wait_until(&mut h, |s| s.panes.doctor.rotation.output.is_some());
    h.get_by_label("Kong consumers");
    let env = rotation_text(&h, 0);
    assert!(env.contains("\"alg\":\"ES512\""), "{env}");

    h.state_mut().panes.doctor.texts[2] =
        "static_resources:\n  listeners:\n  - filters:\n    - name: envoy.filters.network.http_connection_manager\n".into();
    h.get_by_role_and_label(
        Role::CheckBox,
        "Only the opaque API keys (SUPABASE_PUBLISHABLE_KEY / SUPABASE_SECRET_KEY), like rotate-new-api-keys.sh",
    )
    .click_accesskit();
    h.run_steps(2);
    h.get_by_label("Plan rotation").click_accesskit();
    h.run_steps(1);
    wait_until(&mut h, |s| !s.panes.doctor.rotation.planning);
    h.get_by_label("Envoy api-gw environment");
    let env = rotation_text(&h, 0);
    assert!(
        env.contains("+SUPABASE_PUBLISHABLE_KEY=sb_publishable_"),
        "{env}"
    );
    assert!(!env.contains("JWT_SECRET"), "{env}");
    assert!(rotation_text(&h, 2).contains("services.api-gw.environment"));
}

fn rotation_text(h: &Harness<'static, AppState>, i: usize) -> String {
    match &h.state().panes.doctor.rotation.output {
        Some(Ok(plan)) => plan.outputs[i].text.expose().to_string(),
        other => panic!(
            "no rotation: {:?}",
            other.as_ref().map(|r| r.as_ref().err())
        ),
    }
}

#[test]
fn a_path_can_be_typed_even_when_a_dialog_exists() {
    let mut h = harness();
    h.state_mut().shared.dialogs = DialogMode::Native;
    tab(&h, Pane::Doctor);
    h.run_steps(2);
    assert!(h.query_by_label("File path to open").is_none());
    h.get_by_role_and_label(Role::Button, "Type a path…")
        .click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::TextInput, "File path to open");
}

#[test]
fn errors_show_next_to_the_control_that_caused_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "hello there").unwrap();
    let mut h = harness_without_dialogs(egui::vec2(1200.0, 900.0));
    tab(&h, Pane::Jwks);
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "Open file…").click();
    h.run_steps(2);
    open_path(&mut h, &path.display().to_string());
    wait_until(&mut h, |s| !s.panes.jwks.opener.busy);
    let button = h.get_by_role_and_label(Role::Button, "Open file…").rect();
    let said = h.get_by_label_contains("notes.txt: ").rect();
    assert!(
        (said.center().y - button.center().y).abs() < 12.0,
        "{said:?}"
    );
    // A fetch error sits under the URL field, above the paste area.
    h.state_mut().panes.jwks.url = "ftp://example.com/jwks.json".into();
    h.get_by_role_and_label(Role::Button, "Fetch").click();
    h.run_steps(3);
    let url = h
        .get_by_role_and_label(Role::TextInput, "URL or project ref")
        .rect();
    let paste = h
        .get_by_role_and_label(
            Role::MultilineTextInput,
            "Pasted JWKS / JWT_KEYS / JWK / PEM",
        )
        .rect();
    assert!(
        h.get_all_by_label_contains("unsupported URL scheme")
            .any(|n| n.rect().min.y > url.max.y && n.rect().max.y < paste.min.y),
        "the fetch error is under the URL field"
    );
}

/// Issue 12 §9 end to end: ticking "Allow plain http for HOST" really lets the window fetch the
/// JWKS of a stack on the LAN (without it the fetch is refused and says how to allow it).
#[test]
fn jwks_fetch_over_lan_http_works_once_allowed() {
    use std::io::{Read, Write};
    let Some(ip) = common::lan_address() else {
        eprintln!("skipped: this machine has no non-loopback address");
        return;
    };
    let listener = std::net::TcpListener::bind((ip, 0)).unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let body = r#"{"keys":[{"kty":"EC","kid":"lan-kid","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let mut h = harness();
    tab(&h, Pane::Jwks);
    h.run_steps(2);
    let url = format!("http://{addr}/auth/v1/.well-known/jwks.json");
    type_into(&mut h, Role::TextInput, "URL or project ref", &url);
    h.get_by_label("Fetch").click();
    h.run_steps(2);
    assert!(
        h.query_all_by_label_contains("tick \"Allow plain http for")
            .count()
            >= 1,
        "the refusal says how to allow it"
    );
    h.get_by_role_and_label(Role::CheckBox, &format!("Allow plain http for {ip}"))
        .click();
    h.run_steps(2);
    h.get_by_label("Fetch").click();
    h.run_steps(1);
    wait_until(&mut h, |s| s.panes.jwks.loaded.is_some());
    h.get_by_label("lan-kid");
}

/// Issue 12 §5 in the Keys pane too: "Import file…" with no dialog asks for a path, and the
/// key read from it joins the ring.
#[test]
fn keys_import_file_without_a_dialog_uses_the_path_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one-key.jwk.json");
    let jwk = r#"{"kty":"EC","kid":"kid-imported-by-path","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
    std::fs::write(&path, jwk).unwrap();
    let mut h = harness_without_dialogs(egui::vec2(1200.0, 900.0));
    tab(&h, Pane::Keys);
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "Import file…")
        .click();
    h.run_steps(2);
    open_path(&mut h, &path.display().to_string());
    wait_until(&mut h, |s| !s.shared.ring.is_empty());
    assert_eq!(
        h.state().shared.ring.entries[0].origin,
        KeyOrigin::Imported("one-key.jwk.json".into())
    );
}
