//! Renders `screenshots/*.png` from the real app state and UI code, with a fixed clock and a
//! fixed key so every run gives the same pictures (wgpu on Mesa llvmpipe works without a GPU).
//!
//! Regenerate (docs/guide.md names this command):
//!
//! ```sh
//! TZ=UTC UPDATE_SNAPSHOTS=1 cargo test --test screenshots -- --ignored
//! ```
//!
//! Without `UPDATE_SNAPSHOTS` the test compares against the committed PNGs. It is `#[ignore]`d
//! in the default `cargo test` because local time zones and GPU drivers differ between machines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::clock::SCREENSHOT_NOW as NOW;
use common::{data, sign};
use egui_kittest::{Harness, SnapshotOptions, SnapshotResults};
use std::time::Duration;
use supajwt::app::{Action, AppState, KeyOrigin, MemoryClipboard, Pane, Settings, root_ui};
use supajwt::jose::keys::{KeySet, KeySetShape, load_keys};
use supajwt::jose::secret::SecretString;
use supajwt::supabase::mint::{Lifetime, MintRequest, MintRole, mint};
use supajwt::supabase::roles::{DOCKER_DEMO_SECRET, DOCKER_DEMO_SERVICE_KEY};

/// The RFC 7515 A.3 P-256 key with a fixed kid: deterministic (RFC 6979) signatures.
const FIXED_KEY: &str = r#"{"kty":"EC","kid":"5f1c6e0a-2b7d-4c1e-9a3f-7d2e8b4c6a10","use":"sig","key_ops":["sign","verify"],"alg":"ES256","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;

fn state() -> AppState {
    let mut state = AppState::new(Settings::default());
    state.shared.clipboard = Box::new(MemoryClipboard::default());
    state.shared.fixed_now = Some(NOW);
    let key = load_keys(FIXED_KEY).unwrap().keys.remove(0);
    state.panes.keys.generated = Some(key.clone());
    state.panes.keys.legacy_secret =
        SecretString::new("a-legacy-jwt-secret-with-at-least-32-characters".into());
    state.panes.keys.shown_from = "Generated".into();
    state.panes.keys.refresh_outputs(NOW);
    state.shared.ring.add(
        KeySet::single(key, KeySetShape::SingleJwk),
        KeyOrigin::Generated,
    );
    state
}

fn service_token() -> String {
    let key = load_keys(FIXED_KEY).unwrap().keys.remove(0);
    let request = MintRequest::preset(MintRole::ServiceRole, NOW - 86_400 * 30, Lifetime::Years(5));
    mint(&request, &key, None).unwrap()
}

fn shoot(results: &mut SnapshotResults, name: &str, setup: impl FnOnce(&mut AppState)) {
    let mut s = state();
    setup(&mut s);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 860.0))
        .build_ui_state(root_ui, s);
    h.run_steps(4);
    let options =
        SnapshotOptions::new().output_path(concat!(env!("CARGO_MANIFEST_DIR"), "/screenshots"));
    h.snapshot_options(name, &options);
    results.extend_harness(&mut h);
}

#[test]
#[ignore = "renders with wgpu; run with --ignored (see the module docs)"]
fn screenshots() {
    let ctx = egui::Context::default();
    let mut results = SnapshotResults::new();
    let r = &mut results;
    shoot(r, "decode", |s| {
        s.shared
            .set_token(format!("SERVICE_ROLE_KEY_ASYMMETRIC={}", service_token()));
    });
    shoot(r, "jwks", |s| {
        let jwks = s
            .panes
            .keys
            .outputs
            .iter()
            .find(|o| o.title == "Supabase .env block")
            .unwrap()
            .text
            .expose()
            .to_string();
        let line = jwks
            .lines()
            .find(|l| l.starts_with("JWT_JWKS="))
            .unwrap()
            .to_string();
        s.handle(
            Action::Route {
                name: "pasted JSON".into(),
                text: line,
            },
            &ctx,
        );
    });
    shoot(r, "verify", |s| {
        s.shared.set_token(service_token());
        s.panes.verify.source = supajwt::app::VerifyKeySource::Loaded;
        s.handle(Action::SwitchPane(Pane::Verify), &ctx);
    });
    shoot(r, "verify-rejected", |s| {
        s.shared.fixed_now = Some(1_799_535_600 + 86_400 * 12);
        s.shared
            .set_token(format!("Authorization: Bearer {DOCKER_DEMO_SERVICE_KEY}"));
        s.panes.verify.secret = SecretString::new(DOCKER_DEMO_SECRET.into());
        s.handle(Action::SwitchPane(Pane::Verify), &ctx);
    });
    shoot(r, "keys", |s| {
        s.handle(Action::SwitchPane(Pane::Keys), &ctx)
    });
    shoot(r, "mint", |s| {
        let id = s.shared.ring.entries[0].id;
        s.panes.mint.signer = supajwt::app::MintSigner::Ring(id);
        s.panes.mint.expiry = "5y".into();
        s.handle(Action::SwitchPane(Pane::Mint), &ctx);
        s.panes.mint.mint(NOW, &s.shared.ring);
    });
    shoot(r, "doctor", |s| {
        let secret = "screenshot-jwt-secret-0123456789abcdefghij";
        let issued = NOW - 86_400 * 200;
        let anon = sign::legacy_key(MintRole::Anon, secret, issued, Lifetime::Years(5));
        let service = sign::legacy_key(
            MintRole::ServiceRole,
            "an-older-secret-from-before-the-rotation-42",
            issued,
            Lifetime::Years(5),
        );
        // Dropped files: each slot shows collapsed, one line with what was recognised.
        let files = [
            (
                ".env",
                format!("JWT_SECRET={secret}\nANON_KEY={anon}\nSERVICE_ROLE_KEY={service}\n"),
            ),
            (
                "kong.yml",
                format!(
                    "consumers:\n  - username: anon\n    keyauth_credentials:\n      - key: {}\n",
                    &anon[..anon.len() - 12]
                ),
            ),
        ];
        for (name, text) in files {
            let name = name.into();
            s.handle_all(vec![Action::Route { name, text }], &ctx);
        }
        s.panes.doctor.error_message = "Invalid authentication credentials".into();
        s.handle(Action::SwitchPane(Pane::Doctor), &ctx);
        s.panes.doctor.run(NOW);
    });
    shoot(r, "decode-expired", |s| {
        // An expired anon key while the ring holds only an ES256 key: the headline first, and a
        // neutral "not verified" (no loaded key can check an HS256 token), never "rejected".
        let token = sign::legacy_key(
            MintRole::Anon,
            "screenshot-jwt-secret-0123456789abcdefghij",
            NOW - 86_400 * 400,
            Lifetime::Years(1),
        );
        s.shared.set_token(format!("ANON_KEY={token}"));
    });
    shoot(r, "decode-credentials", |s| {
        let curl = data::read("inputs/curl_bash.txt");
        s.shared.set_token(curl);
    });
    shoot(r, "open-path", |s| {
        // No portal and no zenity: "Open file…" asks for a path in the window.
        s.shared.dialogs = supajwt::app::DialogMode::PathField;
        s.panes.jwks.opener.path = Some("/srv/supabase/volumes/".into());
        s.handle(Action::SwitchPane(Pane::Jwks), &ctx);
    });
    shoot(r, "doctor-signing-keys", |s| {
        s.handle_all(
            vec![Action::Route {
                name: ".env".into(),
                text: signing_keys_env(),
            }],
            &ctx,
        );
        // The keys are read on the worker: wait for that job, as the window would.
        let read = s.shared.tasks.wait_one(Duration::from_secs(60)).unwrap();
        s.apply_task(read, &ctx);
        s.panes.doctor.tab = supajwt::app::DoctorTab::SigningKeys;
        s.handle(Action::SwitchPane(Pane::Doctor), &ctx);
    });
    results.unwrap();
}

/// The public demo key RFC 7517 A.2 (P-256), as the standby key of the Signing keys shot.
const STANDBY_KEY: &str = r#"{"kty":"EC","kid":"standby-2026-11","use":"sig","key_ops":["verify"],"alg":"ES256","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","d":"870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE"}"#;

/// A stack as add-new-auth-keys.sh leaves it (the fixed ES256 key signing, the legacy secret
/// verify-only), with a standby key published 6 minutes before the shot; fixed keys, so the
/// picture never changes.
fn signing_keys_env() -> String {
    use base64::Engine;
    let secret = "screenshot-jwt-secret-0123456789abcdefghij";
    let issued = NOW - 86_400 * 200;
    let legacy = |role| sign::legacy_key(role, secret, issued, Lifetime::Years(5));
    let signing = load_keys(FIXED_KEY).unwrap().keys.remove(0);
    let asymmetric = |role| {
        let request = MintRequest::preset(role, issued, Lifetime::Years(5));
        mint(&request, &signing, None).unwrap()
    };
    let k = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    let oct = format!(r#"{{"kty":"oct","k":"{k}","alg":"HS256"}}"#);
    let public = |jwk: &str| {
        let mut v: serde_json::Value = serde_json::from_str(jwk).unwrap();
        v.as_object_mut().unwrap().remove("d");
        v["key_ops"] = serde_json::json!(["verify"]);
        v.to_string()
    };
    let record =
        |key, event, at| supajwt::supabase::lifecycle::records::format_record(key, event, at);
    use supajwt::supabase::lifecycle::records::Event;
    [
        format!("JWT_SECRET={secret}"),
        format!("ANON_KEY={}", legacy(MintRole::Anon)),
        format!("SERVICE_ROLE_KEY={}", legacy(MintRole::ServiceRole)),
        format!("ANON_KEY_ASYMMETRIC={}", asymmetric(MintRole::Anon)),
        format!(
            "SERVICE_ROLE_KEY_ASYMMETRIC={}",
            asymmetric(MintRole::ServiceRole)
        ),
        record(
            "5f1c6e0a-2b7d-4c1e-9a3f-7d2e8b4c6a10",
            Event::Signing,
            issued,
        ),
        record("standby-2026-11", Event::Standby, NOW - 6 * 60),
        format!("JWT_KEYS=[{FIXED_KEY},{STANDBY_KEY},{oct}]"),
        format!(
            r#"JWT_JWKS={{"keys":[{},{},{oct}]}}"#,
            public(FIXED_KEY),
            public(STANDBY_KEY)
        ),
        String::new(),
    ]
    .join("\n")
}
