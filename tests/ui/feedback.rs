//! UI tests (issue 23 C.13): priority and feedback — the public demo key's danger first,
//! Inspect / export brought into view, buttons that keep their size, the status bar after a
//! fetch, counts in the right number, one "UTC", Mint's role warning from the actual claim.

use super::*;
use egui_kittest::kittest::NodeT;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::keys::{KeySetShape, secret_key};
use supajwt::supabase::mint::MintRole;

fn exp_of(token: &str) -> i64 {
    let jws = supajwt::jose::token::Jws::parse_unverified(token).unwrap();
    jws.claims().unwrap()["exp"].as_i64().unwrap()
}

fn labels_containing(h: &Harness<'static, AppState>, part: &str) -> Vec<String> {
    // A label's text is its accesskit value; a button's, its label.
    h.query_all_by_label_contains(part)
        .filter_map(|n| n.accesskit_node().label().or_else(|| n.value()))
        .collect()
}

#[test]
fn the_public_demo_key_danger_comes_before_the_expiry_headline() {
    let exp = exp_of(DOCKER_DEMO_ANON_KEY);
    let mut h = harness_with(egui::vec2(1200.0, 900.0), |state| {
        state.shared.fixed_now = Some(exp - 30 * 86_400);
    });
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Token",
        DOCKER_DEMO_ANON_KEY,
    );
    let danger = h.get_by_label_contains("public demo ANON_KEY").rect();
    let headline = h.get_by_label_contains("re-mint before then").rect();
    assert!(
        danger.top() < headline.top(),
        "the demo danger ({danger:?}) is below the expiry headline ({headline:?})"
    );
}

#[test]
fn times_say_utc_once() {
    let mut h = harness();
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Token",
        DOCKER_DEMO_ANON_KEY,
    );
    let times = labels_containing(&h, " UTC");
    assert!(!times.is_empty());
    for t in times {
        if let Some((utc, local)) = t.split_once("  ·  ") {
            assert_ne!(utc, local, "the same time twice: {t}");
        }
    }
}

#[test]
fn inspect_export_brings_its_result_into_view() {
    let height = 500.0;
    let mut h = harness_with(egui::vec2(1200.0, height), |_| {});
    for i in 0..14 {
        let text = format!("ring-secret-{i:02}-long-enough-for-an-hs256-key-0123456789");
        let key = secret_key(&text, SecretEncoding::Text).unwrap();
        add_key_set(
            &mut h,
            KeySet::single(key, KeySetShape::Secret),
            &format!("s{i:02}.txt"),
        );
    }
    tab(&h, Pane::Keys);
    h.run_steps(2);
    h.get_by_label("Key ring (14 keys, this session only, never saved)");
    let last = h
        .query_all_by_label_contains("Inspect / export")
        .last()
        .unwrap()
        .accesskit_node()
        .label()
        .unwrap();
    h.get_by_label(&last).scroll_to_me();
    h.run_steps(3);
    h.get_by_label(&last).click();
    h.run_steps(6);
    let shown = h.get_by_label_contains("From the key ring").rect();
    assert!(
        shown.top() >= 0.0 && shown.bottom() <= height,
        "the result of Inspect / export is out of view: {shown:?}"
    );
}

#[test]
fn reveal_and_copy_keep_their_size() {
    let mut h = harness();
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Token",
        DOCKER_DEMO_SERVICE_KEY,
    );
    let reveal = h.get_by_label("Reveal Token").rect();
    let save = h.get_by_label("Save…").rect();
    let copy = h.get_by_label("Copy").rect();
    h.get_by_label("Reveal Token").click();
    h.run_steps(3);
    let hide = h.get_by_label("Hide Token").rect();
    assert_eq!(reveal.width(), hide.width(), "Reveal / Hide change width");
    h.get_by_label("Copy").click();
    h.run_steps(3);
    let copied = h.get_by_label_contains("Copy (copied").rect();
    assert_eq!(copy.width(), copied.width(), "Copy / Copied change width");
    assert_eq!(save.left(), h.get_by_label("Save…").rect().left());
    assert_eq!(hide.left(), h.get_by_label("Hide Token").rect().left());
}

#[test]
fn counts_are_singular_and_plural() {
    let mut h = harness();
    let key = secret_key(DOCKER_DEMO_SECRET, SecretEncoding::Text).unwrap();
    add_key_set(&mut h, KeySet::single(key, KeySetShape::Secret), "one.txt");
    h.get_by_label_contains("1 key in the ring");
    h.get_by_label_contains("1 key added to the key ring");
    tab(&h, Pane::Keys);
    h.run_steps(2);
    h.get_by_label("Key ring (1 key, this session only, never saved)");
    assert!(
        labels_containing(&h, "(s)").is_empty(),
        "{:?}",
        labels_containing(&h, "(s)")
    );
}

#[test]
fn the_status_bar_says_online_after_a_fetch() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let body = r#"{"keys":[{"kty":"EC","kid":"k1","use":"sig","alg":"ES256","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#;
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    let mut h = harness();
    h.get_by_label("• Offline");
    h.state_mut().panes.jwks.url = url.clone();
    tab(&h, Pane::Jwks);
    h.run_steps(2);
    h.get_by_label("Fetch").click();
    h.run_steps(2);
    h.get_by_label_contains("• Online");
    wait_until(&mut h, |s| s.panes.jwks.fetching.is_none());
    h.get_by_label(&format!("• Online: fetched {url}"));
    assert!(h.query_by_label("• Offline").is_none());
}

#[test]
fn mints_role_warning_follows_the_role_claim() {
    let mut h = harness();
    tab(&h, Pane::Mint);
    h.state_mut().panes.mint.role = MintRole::ServiceRole;
    h.state_mut().panes.mint.extra = r#"{"role":"anon"}"#.into();
    h.run_steps(3);
    assert!(
        labels_containing(&h, "bypasses Row Level Security").is_empty(),
        "a service_role warning for an anon token"
    );
    h.state_mut().panes.mint.role = MintRole::Anon;
    h.state_mut().panes.mint.extra = r#"{"role":"service_role"}"#.into();
    h.run_steps(3);
    h.get_by_label_contains("The extra claims make this a service_role token");
}
