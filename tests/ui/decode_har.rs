//! UI tests (issue 23 C.11): a HAR in Decode, opened or pasted, gets the per-request view;
//! each token in it has Decode and Verify and names the ring key that verifies it; a card
//! never says "not verified" in the command line's words above a verifying banner.

use super::*;
use egui_kittest::kittest::NodeT;
use supajwt::app::DialogMode;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::keys::{KeySetShape, secret_key};

/// The key that signed the fixtures in tests/data/inputs/ (make_fixtures.py's `SECRET`).
const FIXTURE_SECRET: &str = "fixture-secret-that-is-long-enough-for-hs256-0123";

fn add_fixture_secret(h: &mut Harness<'static, AppState>) {
    let key = secret_key(FIXTURE_SECRET, SecretEncoding::Text).unwrap();
    add_key_set(
        h,
        KeySet::single(key, KeySetShape::Secret),
        "fixture-secret.txt",
    );
}

fn no_cli_advice(h: &Harness<'static, AppState>) {
    assert!(
        h.query_all_by_label_contains("supajwt verify")
            .next()
            .is_none(),
        "command-line advice in the window"
    );
    assert!(
        h.query_all_by_label_contains("supajwt har")
            .next()
            .is_none()
    );
}

#[test]
fn decode_open_file_routes_a_har_like_a_dropped_one() {
    let mut h = harness_with(egui::vec2(1200.0, 900.0), |state| {
        state.shared.dialogs = DialogMode::PathField;
    });
    h.get_by_label("Open file…").click();
    h.run_steps(2);
    let path = common::data::path("inputs/small_401.har");
    type_into(
        &mut h,
        Role::TextInput,
        "File path to open",
        path.to_str().unwrap(),
    );
    h.get_by_role_and_label(Role::Button, "Open").click();
    wait_until(&mut h, |s| s.panes.decode.har.is_some());
    assert_eq!(h.state().pane, Pane::Decode);
    h.get_by_label_contains("small_401.har: 3 Supabase requests among 4 entries");
    h.get_by_label_contains("401 GET https://abcdefghijklmnopqrst.supabase.co/rest/v1/todos");
}

#[test]
fn a_pasted_har_gets_the_per_request_view_not_the_credential_list() {
    let har = common::data::read("inputs/small_401.har");
    let mut h = harness();
    h.event(egui::Event::Paste(har));
    h.run_steps(3);
    assert!(h.state().panes.decode.har.is_some(), "no HAR view");
    // The HAR is not a token: the field is left for one, as after a drop.
    assert!(h.state().shared.token.text.is_empty());
    assert!(h.state().panes.decode.credentials.is_none());
    h.get_by_label_contains("pasted HAR: 3 Supabase requests among 4 entries");
    h.get_by_label_contains("403 GET https://abcdefghijklmnopqrst.supabase.co/auth/v1/user");
    assert!(
        h.query_all_by_label_contains("credentials in")
            .next()
            .is_none()
    );
    assert!(h.query_all_by_label_contains("PKCE").next().is_none());
    no_cli_advice(&h);
}

#[test]
fn har_tokens_have_decode_and_verify_and_name_the_verifying_ring_key() {
    let har = common::data::read("inputs/small_401.har");
    let mut h = harness();
    add_fixture_secret(&mut h);
    h.event(egui::Event::Paste(har));
    h.run_steps(3);
    // The anon key of request #1 verifies with the ring's secret, which is named.
    let verified: Vec<String> = h
        .query_all_by_label_contains("Signature verifies")
        .filter_map(|n| n.accesskit_node().label().or_else(|| n.value()))
        .collect();
    assert!(
        verified
            .iter()
            .any(|l| l.contains("imported from fixture-secret.txt")),
        "{verified:?}"
    );
    let anon = supajwt::inspect::recognise(&common::data::read("inputs/curl_bash.txt"))
        .unwrap()
        .credentials[0]
        .value
        .clone();
    // Verify opens Verify with that token, on the key ring.
    h.get_by_label("Verify #1 header apikey").click();
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Verify);
    assert_eq!(h.state().shared.token.text, anon);
    // Decode shows it in Decode, below the HAR view, which stays.
    tab(&h, Pane::Decode);
    h.run_steps(2);
    h.get_by_label("Decode #2 header apikey").click();
    h.run_steps(3);
    assert_eq!(h.state().shared.token.text, anon);
    assert!(h.state().panes.decode.har.is_some());
    h.get_by_label_contains("pasted HAR: 3 Supabase requests among");
    no_cli_advice(&h);
}

/// A card never says "not verified: use `supajwt verify`" above a green "Signature verifies".
#[test]
fn credential_cards_say_what_the_ring_says_in_the_windows_words() {
    let curl = common::data::read("inputs/curl_bash.txt");
    let mut h = harness();
    h.event(egui::Event::Paste(curl.clone()));
    h.run_steps(3);
    // No key: "Not verified" and a Verify button, no command to type.
    h.get_by_label("Verify [1]");
    assert!(
        h.query_all_by_label_contains("Not verified")
            .next()
            .is_some()
    );
    no_cli_advice(&h);
    add_fixture_secret(&mut h);
    h.run_steps(3);
    h.get_by_label("Signature verifies");
    assert!(
        h.query_all_by_label_contains("Not verified")
            .next()
            .is_none(),
        "a card says not verified above a verifying banner"
    );
    no_cli_advice(&h);
}

/// PostgREST's error body pasted in Decode is not a PKCE code.
#[test]
fn a_postgrest_error_is_not_called_a_pkce_code() {
    let mut h = harness();
    h.event(egui::Event::Paste(
        r#"{"code":"PGRST301","details":null,"hint":null,"message":"JWT expired"}"#.into(),
    ));
    h.run_steps(3);
    assert!(h.query_all_by_label_contains("PKCE").next().is_none());
}
