//! UI tests (issue 12): decode_verify — an honest Decode verdict, the jump to Verify, the
//! expiry headline, and one current token and key ring shared by Decode and Verify.

use super::*;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::keys::{Key, KeySet, KeySetShape, KeygenAlg, KidChoice, generate, secret_key};
use supajwt::supabase::mint::{Lifetime, MintRequest, MintRole, mint};

const DAY: i64 = 86_400;

fn es256(kid: &str) -> Key {
    generate(KeygenAlg::ES256, KidChoice::Given(kid.into())).unwrap()
}

/// An anon token signed by `key`, issued at `iat`, valid for `lifetime` seconds.
fn anon_token(key: &Key, iat: i64, lifetime: i64) -> String {
    let req = MintRequest::preset(MintRole::Anon, iat, Lifetime::Seconds(lifetime));
    mint(&req, key, None).unwrap()
}

fn add_to_ring(h: &mut Harness<'static, AppState>, key: Key, from: &str) {
    add_key_set(h, KeySet::single(key, KeySetShape::SingleJwk), from);
}

fn paste_in_decode(h: &mut Harness<'static, AppState>, token: &str) {
    type_into(h, Role::MultilineTextInput, "Token", token);
    h.run_steps(2);
}

#[test]
fn unrelated_key_in_the_ring_means_not_verified_not_rejected() {
    let mut h = harness();
    let secret = secret_key(DOCKER_DEMO_SECRET, SecretEncoding::Text).unwrap();
    add_to_ring(&mut h, secret, "jwt_secret.txt");
    paste_in_decode(&mut h, &anon_token(&es256("k-es"), NOW, DAY * 365));
    h.get_by_label(
        "Not verified: none of the 1 loaded key can check an ES256 token (kid \"k-es\")",
    );
    assert!(h.query_by_label_contains("Rejected").is_none());
    assert!(h.query_by_label_contains("Invalid signature").is_none());
    h.get_by_role_and_label(Role::Button, "Verify this token…");
}

#[test]
fn matching_key_with_a_wrong_signature_is_red_and_named() {
    let mut h = harness();
    add_to_ring(&mut h, es256("k1"), "ring.pem");
    paste_in_decode(&mut h, &anon_token(&es256("k1"), NOW, DAY * 365));
    h.get_by_label("Invalid signature");
    h.get_by_label(
        "key tried: the EC P-256 private key (kid \"k1\") — from EC P-256 — imported from ring.pem",
    );
}

#[test]
fn verifying_key_in_the_ring_is_green_and_named() {
    let mut h = harness();
    let key = es256("k2");
    let token = anon_token(&key, NOW, DAY * 365);
    add_to_ring(&mut h, es256("other"), "other.pem");
    add_to_ring(&mut h, key, "signer.pem");
    paste_in_decode(&mut h, &token);
    h.get_by_label("Signature verifies");
    h.get_by_label_contains("— from EC P-256 — imported from signer.pem");
}

#[test]
fn verify_this_token_jumps_to_verify_with_the_token() {
    let mut h = harness();
    let token = anon_token(&es256("k3"), NOW, DAY * 365);
    paste_in_decode(&mut h, &token);
    h.get_by_label_contains("Signature NOT checked");
    h.get_by_role_and_label(Role::Button, "Verify this token…")
        .click();
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Verify);
    assert_eq!(h.state().panes.verify.token, token);
    assert_eq!(
        h.state().panes.verify.source,
        supajwt::app::VerifyKeySource::Secret,
        "no key loaded: Verify asks for one"
    );
    h.get_by_label("enter the secret (JWT_SECRET)");
}

#[test]
fn expired_token_gets_a_headline_and_a_mint_button() {
    let mut h = harness();
    let secret = secret_key(DOCKER_DEMO_SECRET, SecretEncoding::Text).unwrap();
    paste_in_decode(&mut h, &anon_token(&secret, NOW - 10 * DAY, 7 * DAY));
    h.get_by_label("EXPIRED 3 days ago (2025-12-29 00:00:00 UTC)");
    h.get_by_role_and_label(Role::Button, "Mint a new anon key…")
        .click();
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Mint);
}

#[test]
fn expiring_within_60_days_gets_a_warning_headline() {
    let mut h = harness();
    let secret = secret_key(DOCKER_DEMO_SECRET, SecretEncoding::Text).unwrap();
    paste_in_decode(&mut h, &anon_token(&secret, NOW - DAY, 31 * DAY));
    h.get_by_label("expires in 30 days (2026-01-31 00:00:00 UTC): re-mint before then");
    // The demo keys (2027-01-09) are more than 60 days away on 2026-01-01: no headline.
    let mut h = harness();
    paste_in_decode(&mut h, DOCKER_DEMO_ANON_KEY);
    assert!(h.query_by_label_contains("re-mint before then").is_none());
}

#[test]
fn token_pasted_in_decode_is_the_one_in_verify_and_back() {
    let mut h = harness();
    paste_in_decode(&mut h, DOCKER_DEMO_ANON_KEY);
    tab(&h, Pane::Verify);
    h.run_steps(2);
    assert_eq!(h.state().panes.verify.token, DOCKER_DEMO_ANON_KEY);
    type_into(&mut h, Role::PasswordInput, "Secret", DOCKER_DEMO_SECRET);
    h.get_by_label("VALID");

    retype_into(
        &mut h,
        Role::MultilineTextInput,
        "Token to verify",
        DOCKER_DEMO_SERVICE_KEY,
    );
    tab(&h, Pane::Decode);
    h.run_steps(2);
    assert_eq!(h.state().panes.decode.input, DOCKER_DEMO_SERVICE_KEY);
    h.get_by_label_contains("bypasses Row Level Security");
}

#[test]
fn ring_keys_are_used_by_decode_and_by_verify() {
    let mut h = harness();
    let key = es256("ring-kid");
    let token = anon_token(&key, NOW, DAY * 365);
    add_to_ring(
        &mut h,
        secret_key(DOCKER_DEMO_SECRET, SecretEncoding::Text).unwrap(),
        "s",
    );
    add_to_ring(&mut h, key.public_only(), "public.pem");
    paste_in_decode(&mut h, &token);
    h.get_by_label("Signature verifies");

    tab(&h, Pane::Verify);
    h.run_steps(2);
    h.get_by_label("Key ring (2 keys)").click();
    h.run_steps(3);
    h.get_by_label("VALID");
    h.get_by_label_contains("(EC P-256 — imported from public.pem); claims OK");

    // A token none of them can check: Verify says so instead of "REJECTED".
    let other = anon_token(&es256("unknown"), NOW, DAY);
    retype_into(&mut h, Role::MultilineTextInput, "Token to verify", &other);
    h.get_by_label("NOT VERIFIED — no loaded key can check it");
}

#[test]
fn highlighted_json_is_cached_and_follows_the_theme() {
    let mut h = harness();
    let ctx = h.ctx.clone();
    h.state_mut()
        .handle(Action::SetTheme(supajwt::app::ThemeChoice::Dark), &ctx);
    h.run_steps(2);
    paste_in_decode(&mut h, DOCKER_DEMO_ANON_KEY);
    let dark = |h: &Harness<'static, AppState>| match &h.state().panes.decode.view {
        Some(Ok(view)) => view.highlighted_dark,
        _ => panic!("decoded"),
    };
    assert!(dark(&h));
    h.state_mut()
        .handle(Action::SetTheme(supajwt::app::ThemeChoice::Light), &ctx);
    h.run_steps(2);
    assert!(!dark(&h), "re-highlighted for the light theme");
    h.get_by_label_contains("\"role\": \"anon\"");
}

#[test]
fn not_yet_valid_token_gets_a_headline() {
    let mut h = harness();
    let secret = secret_key(DOCKER_DEMO_SECRET, SecretEncoding::Text).unwrap();
    let mut req = MintRequest::preset(MintRole::Anon, NOW, Lifetime::Seconds(DAY));
    req.extra
        .insert("nbf".into(), serde_json::json!(NOW + 2 * 3600));
    add_to_ring(&mut h, secret.clone(), "jwt_secret.txt");
    paste_in_decode(&mut h, &mint(&req, &secret, None).unwrap());
    h.get_by_label("NOT YET VALID — starts in 2 hours (2026-01-01 02:00:00 UTC)");
    h.get_by_label("Signature OK, but NOT YET VALID");
}

/// Issue 13: Decode runs the core's recogniser, shows each credential as its own card, and
/// copies the `inspect --redact` report with no credential in it.
#[test]
fn a_curl_paste_shows_each_credential_as_a_card_and_copies_a_redacted_report() {
    let curl = common::data::read("inputs/curl_bash.txt");
    let mut h = harness();
    h.event(egui::Event::Paste(curl.clone()));
    h.run_steps(3);
    h.get_by_label("2 credentials in a curl command (bash quoting)");
    h.get_by_label("[1] header apikey — JWT");
    h.get_by_label_contains("[2] header authorization");
    // The first JWT is decoded below the cards (the paste itself is not one token).
    h.get_by_label("Header");
    h.get_by_label("Copy redacted report").click();
    h.run_steps(2);
    let copied = h.state_mut().shared.clipboard.get_text().unwrap();
    assert!(
        copied.starts_with("2 credentials in a curl command"),
        "{copied}"
    );
    assert!(copied.contains("sha256:"));
    for c in supajwt::inspect::recognise(&curl).unwrap().credentials {
        for part in c.value.split('.').filter(|p| p.len() > 8) {
            assert!(!copied.contains(part), "{} leaked", c.source);
        }
    }
}

/// An oversized paste after a curl paste: the size error, and none of the earlier paste's
/// credential cards left on screen as if they belonged to it.
#[test]
fn an_oversized_paste_clears_the_previous_credential_cards() {
    let curl = common::data::read("inputs/curl_bash.txt");
    let mut h = harness();
    h.event(egui::Event::Paste(curl));
    h.run_steps(3);
    h.get_by_label("2 credentials in a curl command (bash quoting)");
    let limit = supajwt::jose::input::MAX_INPUT_BYTES;
    h.state_mut().handle(
        Action::SetToken("x".repeat(limit + 1)),
        &egui::Context::default(),
    );
    h.run_steps(3);
    h.get_by_label_contains(&format!("the limit is {limit} bytes"));
    assert!(
        h.query_by_label("2 credentials in a curl command (bash quoting)")
            .is_none(),
        "the previous paste's cards are still shown"
    );
    assert!(h.query_by_label("[1] header apikey — JWT").is_none());
}

/// Issue 13: a dropped `.har` is streamed on the worker and its Supabase requests listed, each
/// 401/403 explained.
#[test]
fn dropping_a_har_file_lists_its_supabase_requests() {
    let mut h = harness();
    h.input_mut()
        .dropped_files
        .push(Arc::new(TestFile(common::data::path(
            "inputs/small_401.har",
        ))));
    wait_until(&mut h, |s| s.panes.decode.har.is_some());
    h.get_by_label_contains("Supabase requests among");
    h.get_by_label_contains("401 GET https://abcdefghijklmnopqrst.supabase.co/rest/v1/todos");
    h.get_by_label_contains("403 GET https://abcdefghijklmnopqrst.supabase.co/auth/v1/user");
    h.get_by_label("Close the HAR summary").click();
    h.run_steps(2);
    assert!(h.state().panes.decode.har.is_none());
}

/// Issue 12 §7: Verify explains the near miss the core can tell apart, in the CLI's words (here
/// a secret pasted with a trailing space: it verifies without it).
#[test]
fn verify_explains_a_secret_with_a_trailing_space() {
    let mut h = harness();
    tab(&h, Pane::Verify);
    h.run_steps(2);
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Token to verify",
        DOCKER_DEMO_ANON_KEY,
    );
    type_into(
        &mut h,
        Role::PasswordInput,
        "Secret",
        &format!("{DOCKER_DEMO_SECRET} "),
    );
    h.get_by_label("REJECTED");
    h.get_by_label_contains("Near miss: the shared secret");
    h.get_by_label_contains("ends with a space; without it the signature verifies");
}

/// Issue 24 §1 in the window: a paste with more credentials than one paste reports says how
/// many it did not show, under the cards, instead of dropping them silently.
#[test]
fn decode_says_how_many_credentials_it_did_not_show() {
    let mut h = harness();
    let paste: Vec<String> = (0..60)
        .map(|i| format!("token_{i}=eyJhbGciOiJIUzI1NiJ9.eyJuIjoi{i:04}In0.c2lnbmF0dXJl"))
        .collect();
    paste_in_decode(&mut h, &paste.join("\n"));
    h.get_by_label_contains("+ 10 more, not shown");
}

/// Issue 21: Decode's "Copy as SQL" copies `supajwt sql`'s statements for the pasted token.
#[test]
fn decode_copies_the_token_as_sql() {
    let token = common::sign::hs256(
        "a-test-secret-of-at-least-32-characters!!",
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"sub":"5b1c0000-0000-4000-8000-00000000000a","role":"authenticated","email":"o'brien@example.com"}"#,
    );
    let mut h = harness();
    h.event(egui::Event::Paste(token.clone()));
    h.run_steps(3);
    h.get_by_label("Copy as SQL").click();
    h.run_steps(2);
    let sql = h.state_mut().shared.clipboard.get_text().unwrap();
    let payload = supajwt::jose::token::Jws::parse_unverified(&token)
        .unwrap()
        .claims()
        .unwrap();
    let settings = supajwt::supabase::rls::sql::settings(&payload, &Default::default()).unwrap();
    let expected = supajwt::supabase::rls::sql::script(
        &settings,
        None,
        supajwt::supabase::rls::sql::Wrapper::Transaction,
    )
    .unwrap();
    assert_eq!(sql, expected);
    assert!(sql.contains("o''brien@example.com"), "{sql}");
    assert!(
        h.state().shared.pending_clear.is_none(),
        "claims are not a secret"
    );
}
