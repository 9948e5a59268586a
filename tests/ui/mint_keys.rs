//! UI tests (issue 12): Mint, Keys and every value shown or copied.

use super::*;
use supajwt::jose::keys::{load_keys, thumbprint};
use supajwt::jose::token::Jws;

const RSA_A: &str = include_str!("../data/pem/rsa4096_a_private.pem");
const RSA_B: &str = include_str!("../data/pem/rsa4096_b_private.pem");
const RSA_2048: &str = include_str!("../data/pem/rsa_pkcs1_private.pem");

/// The `role` claim of a token.
fn role_of(token: &str) -> String {
    let claims = Jws::parse_unverified(token).unwrap().claims().unwrap();
    claims["role"].as_str().unwrap().to_string()
}

/// Whether any node of the window shows `needle` in its name or value.
fn window_shows(h: &Harness<'static, AppState>, needle: &str) -> bool {
    h.query_all_by(|n| {
        n.label().is_some_and(|l| l.contains(needle))
            || n.value().is_some_and(|v| v.contains(needle))
    })
    .next()
    .is_some()
}

/// The Mint pane with the demo secret typed in.
fn mint_with_demo_secret() -> Harness<'static, AppState> {
    let mut h = harness();
    tab(&h, Pane::Mint);
    h.run_steps(2);
    type_into(
        &mut h,
        Role::PasswordInput,
        "Signing secret",
        DOCKER_DEMO_SECRET,
    );
    h.run_steps(2);
    // Mint refuses the public demo secret until it is allowed for local testing (issue 23 §A.3).
    h.get_by_role_and_label(
        Role::CheckBox,
        "Mint with the demo secret anyway (local testing only)",
    )
    .click();
    h.run_steps(2);
    h
}

fn add_keys(h: &mut Harness<'static, AppState>, text: &str, from: &str) {
    add_key_set(h, load_keys(text).unwrap(), from);
}

#[test]
fn stale_mint_output_follows_the_role_and_the_actual_role_claim() {
    let mut h = mint_with_demo_secret();
    h.get_by_label("service_role").click();
    h.run_steps(2);
    let token = h.state().panes.mint.token().unwrap().to_string();
    assert_eq!(role_of(&token), "service_role");
    h.get_by_label("Copy as SERVICE_ROLE_KEY=…");
    h.get_by_label("Reveal Token");
    assert!(!window_shows(&h, &token), "a service_role token is masked");

    // Switching the preset re-mints: no stale service_role token under an anon label.
    h.get_by_label("anon").click();
    h.run_steps(2);
    let token = h.state().panes.mint.token().unwrap().to_string();
    assert_eq!(role_of(&token), "anon");
    assert!(h.query_by_label("Copy as SERVICE_ROLE_KEY=…").is_none());
    assert!(
        h.query_by_label("Reveal Token").is_none(),
        "anon stays visible"
    );
    assert!(window_shows(&h, &token));
    h.get_by_label("Copy as ANON_KEY=…").click();
    h.run_steps(2);
    assert!(
        h.state().shared.pending_clear.is_none(),
        "anon is not secret"
    );
    assert_eq!(
        h.state_mut().shared.clipboard.get_text().unwrap(),
        format!("ANON_KEY={token}")
    );
    // Copy as SQL (issue 21): PostgREST's settings for the token's claims, not the token.
    h.get_by_label("Copy as SQL").click();
    h.run_steps(2);
    let sql = h.state_mut().shared.clipboard.get_text().unwrap();
    assert!(sql.contains("set_config('role', 'anon', true)"), "{sql}");
    assert!(
        sql.contains("begin;") && sql.ends_with("rollback;\n"),
        "{sql}"
    );
    assert!(!sql.contains(&token), "the token itself is not in it");

    // Extra claims override the preset: the label and secret-ness follow the token.
    h.state_mut().panes.mint.extra = r#"{"role":"service_role"}"#.into();
    h.run_steps(2);
    let token = h.state().panes.mint.token().unwrap().to_string();
    assert_eq!(role_of(&token), "service_role");
    assert!(h.query_by_label_contains("Copy as ANON_KEY").is_none());
    h.get_by_label("Reveal Token");
    h.get_by_label_contains("The extra claims make this a service_role token");
    h.get_by_label("Copy as SERVICE_ROLE_KEY=…").click();
    h.run_steps(2);
    assert!(h.state().shared.pending_clear.is_some(), "auto-clear runs");

    // Invalid input: the old token disappears, the error sits by the field.
    h.state_mut().panes.mint.extra = "{not json".into();
    h.run_steps(2);
    assert!(h.state().panes.mint.token().is_none());
    h.get_by_label_contains("extra claims are not valid JSON");
    assert!(h.query_by_label("Reveal Token").is_none());
    h.state_mut().panes.mint.extra = "{}".into();
    h.run_steps(2);
    assert!(h.query_by_label_contains("not valid JSON").is_none());
    assert_eq!(role_of(h.state().panes.mint.token().unwrap()), "anon");
}

#[test]
fn stale_mint_rsa_signs_in_the_background_and_drops_late_results() {
    let mut h = mint_with_demo_secret();
    add_keys(&mut h, RSA_2048, "rsa.pem");
    let id = h.state().shared.ring.entries[0].id;
    h.state_mut().panes.mint.signer = supajwt::app::MintSigner::Ring(id);
    h.run_steps(1);
    assert_eq!(
        h.state().panes.get(Pane::Mint).busy(),
        Some("signing with RSA")
    );
    assert!(
        h.state().panes.mint.output.is_none(),
        "no stale token meanwhile"
    );
    // Change the role while the first signature is still in flight.
    h.state_mut().panes.mint.role = supajwt::supabase::mint::MintRole::ServiceRole;
    let start = Instant::now();
    loop {
        h.step();
        let mint = &h.state().panes.mint;
        if let Some(token) = mint.token() {
            assert_eq!(role_of(token), "service_role", "a late anon result shown");
        }
        if h.state().panes.get(Pane::Mint).busy().is_none() && mint.token().is_some() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "RSA mint timed out"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let token = h.state().panes.mint.token().unwrap().to_string();
    assert!(token.starts_with("eyJhbGciOiJSUzI1NiI"));
    h.get_by_label("Copy as SERVICE_ROLE_KEY=…");
}

#[test]
fn stale_mint_resign_warns_about_kept_expiry_and_labels_by_role() {
    let old = supajwt::jose::keys::secret_key(
        "an-old-secret-that-is-long-enough-for-hs256",
        supajwt::jose::b64::SecretEncoding::Text,
    )
    .unwrap();
    let claims =
        serde_json::json!({"role": "service_role", "iss": "supabase", "exp": NOW - 3 * 86_400});
    let expired =
        supajwt::jose::sign::sign_claims(claims.as_object().unwrap(), &old, None).unwrap();
    let mut h = mint_with_demo_secret();
    let ctx = egui::Context::default();
    h.state_mut().handle(Action::SetToken(expired), &ctx);
    h.run_steps(2);
    h.get_by_label_contains("re-signing keeps exp: this token expired 3 days ago");
    let resigned = h.state().panes.mint.resigned_token().unwrap().to_string();
    assert_eq!(role_of(&resigned), "service_role");
    h.get_by_label("Copy re-signed as SERVICE_ROLE_KEY=…");
    h.get_by_label("Reveal Re-signed token");
    // The current token changes: the re-signed output follows.
    h.state_mut()
        .handle(Action::SetToken(DOCKER_DEMO_ANON_KEY.into()), &ctx);
    h.run_steps(2);
    let resigned = h.state().panes.mint.resigned_token().unwrap().to_string();
    assert_eq!(role_of(&resigned), "anon");
    assert!(h.query_by_label_contains("re-signing keeps exp").is_none());
    h.get_by_label("Copy re-signed as ANON_KEY=…");
    assert!(h.query_by_label("Reveal Re-signed token").is_none());
}

#[test]
fn masked_secrets_reveal_per_value_and_copy_without_revealing() {
    let mut h = harness();
    tab(&h, Pane::Keys);
    h.run_steps(2);
    h.get_by_label("HS256 secret").click();
    h.run_steps(1);
    h.get_by_label("Generate key").click();
    h.run_steps(1);
    wait_until(&mut h, |s| !s.shared.ring.is_empty());
    let secret = h.state().panes.keys.outputs[0].text.expose().to_string();
    assert_eq!(h.state().panes.keys.outputs[0].title, "JWT_SECRET");
    assert!(!window_shows(&h, &secret), "the secret is masked");
    h.get_by_label_contains(&format!("({} chars)", secret.chars().count()));
    // Copy works masked, and says so on the button.
    h.get_all_by_label("Copy").next().unwrap().click();
    h.run_steps(2);
    assert_eq!(h.state_mut().shared.clipboard.get_text().unwrap(), secret);
    h.get_by_label_contains("Copy (copied, clears in");
    assert!(!window_shows(&h, &secret));
    h.get_by_label("Reveal JWT_SECRET").click();
    h.run_steps(2);
    assert!(window_shows(&h, &secret), "revealed on request");
    h.get_by_label("Hide JWT_SECRET");
    assert!(
        h.query_by_label("Hide .env block (JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY)")
            .is_none()
    );

    // A new key: new values start masked again; public parts stay visible.
    h.get_by_label("ES256 (P-256)").click();
    h.run_steps(1);
    h.get_by_label("Generate key").click();
    h.run_steps(1);
    wait_until(&mut h, |s| s.shared.ring.len() == 2);
    let outputs = &h.state().panes.keys.outputs;
    let text = |title: &str| {
        outputs
            .iter()
            .find(|o| o.title == title)
            .unwrap()
            .text
            .expose()
            .to_string()
    };
    let private_jwk = text("Private JWK");
    let private_pem = text("Private key PEM (PKCS#8)");
    let public_pem = text("Public key PEM (SPKI)");
    let d = serde_json::from_str::<serde_json::Value>(&private_jwk).unwrap()["d"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!window_shows(&h, &d));
    assert!(!window_shows(&h, private_pem.lines().nth(1).unwrap()));
    assert!(window_shows(&h, public_pem.lines().nth(1).unwrap()));
    h.get_by_label("Reveal Private JWK");
    h.get_by_label("Reveal Private key PEM (PKCS#8)");
    h.get_by_label("Reveal Supabase .env block");
    assert!(h.query_by_label("Reveal Public JWK").is_none());
    h.get_by_label("Reveal Private JWK").click();
    h.run_steps(2);
    assert!(window_shows(&h, &d));
    assert!(
        !window_shows(&h, private_pem.lines().nth(1).unwrap()),
        "per value"
    );
}

#[test]
fn copy_feedback_on_the_button_and_errors_next_to_their_field() {
    let mut h = mint_with_demo_secret();
    h.get_all_by_label("Copy").next().unwrap().click();
    h.run_steps(2);
    h.get_by_label("Copy (copied)");
    h.get_by_label("Copy as ANON_KEY=…").click();
    h.run_steps(2);
    h.get_by_label("Copy as ANON_KEY=… (copied)");
    assert!(
        h.query_by_label("Copy (copied)").is_none(),
        "only the copied value"
    );

    h.state_mut().panes.mint.expiry = "soon".into();
    h.run_steps(2);
    assert!(h.state().panes.mint.token().is_none());
    h.get_by_label_contains("expiry \"soon\" is not like");
    h.state_mut().panes.mint.expiry = "30d".into();
    h.run_steps(2);
    assert!(h.query_by_label_contains("is not like").is_none());
    assert!(h.state().panes.mint.token().is_some());

    tab(&h, Pane::Keys);
    h.run_steps(2);
    h.state_mut().panes.keys.import_text = SecretString::new("not a key".into());
    h.get_by_label("Import pasted").click();
    h.run_steps(2);
    let error = h.state().panes.keys.import_error.clone().unwrap();
    h.get_by_label(&error);
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Import keys (PEM, JWK, JWKS, JWT_KEYS, OpenSSH public key)",
        "x",
    );
    assert!(
        h.query_by_label(&error).is_none(),
        "gone when the field changes"
    );
}

#[test]
fn ring_rows_tell_two_rsa_keys_apart_and_remove_or_clear_them() {
    let mut h = harness();
    tab(&h, Pane::Keys);
    h.run_steps(2);
    add_keys(&mut h, RSA_A, "pasted text");
    add_keys(&mut h, RSA_B, "pasted text");
    let short = |pem: &str| -> String {
        thumbprint(&load_keys(pem).unwrap().keys[0])
            .chars()
            .take(10)
            .collect()
    };
    let (a, b) = (short(RSA_A), short(RSA_B));
    assert_ne!(a, b);
    h.get_by_label(&format!("thumbprint {a}"));
    h.get_by_label(&format!("thumbprint {b}"));
    assert_eq!(h.get_all_by_label("RS256 · RSA 4096-bit").count(), 2);
    assert_eq!(h.get_all_by_label("private").count(), 2);
    assert_eq!(h.get_all_by_label("imported from pasted text").count(), 2);

    // Mint's signer list uses the same description.
    tab(&h, Pane::Mint);
    h.run_steps(2);
    h.get_by_label_contains(&format!("RS256 · RSA 4096-bit · no kid · {a} ·"));
    h.get_by_label_contains(&format!("RS256 · RSA 4096-bit · no kid · {b} ·"));

    tab(&h, Pane::Keys);
    h.run_steps(2);
    h.get_by_label(&format!("Remove {a}")).click();
    h.run_steps(2);
    assert_eq!(h.state().shared.ring.len(), 1);
    assert!(h.query_by_label(&format!("thumbprint {a}")).is_none());
    h.get_by_label(&format!("thumbprint {b}"));
    h.get_by_label("Clear all").click();
    h.run_steps(2);
    assert!(h.state().shared.ring.is_empty());
    assert!(h.query_by_label("Clear all").is_none());
}

#[test]
fn ring_rows_shorten_long_kids_and_keep_them_on_hover() {
    let mut h = harness();
    tab(&h, Pane::Keys);
    h.run_steps(2);
    let jwk = serde_json::json!({"kty": "EC", "kid": "0123456789abcdef-long-kid", "crv": "P-256",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
    add_keys(&mut h, &jwk.to_string(), "key.json");
    h.get_by_label("kid 01234567…");
    h.get_by_label("public");
    h.get_by_label("imported from key.json");
    h.get_by_label("Remove 0123456789abcdef-long-kid");
}

#[test]
fn clock_warning_in_keys_and_mint_when_the_system_clock_is_behind() {
    let mut h = harness();
    tab(&h, Pane::Keys);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("before this copy was built")
            .is_none()
    );
    h.state_mut().panes.keys.clock.system_clock = || 1_000_000_000;
    h.state_mut().panes.mint.clock.system_clock = || 1_000_000_000;
    h.run_steps(2);
    h.get_by_label_contains("the system clock (2001-09-09 01:46:40 UTC) is");
    tab(&h, Pane::Mint);
    h.run_steps(2);
    h.get_by_label_contains("tokens minted now may be expired or not yet valid elsewhere");
}

/// Issue 13: any key in the ring (here an imported public JWK) can be inspected and exported in
/// every format that makes sense for it, with `supajwt key inspect`'s words.
#[test]
fn ring_keys_are_inspected_and_exported_from_the_keys_pane() {
    let mut h = harness();
    let ctx = h.ctx.clone();
    let jwk = r#"{"kty":"EC","kid":"imported-kid","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
    h.state_mut().handle(
        Action::Route {
            name: "public.jwk.json".into(),
            text: jwk.into(),
        },
        &ctx,
    );
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Keys);
    h.get_by_label("Inspect / export imported-kid").click();
    h.run_steps(3);
    h.get_by_label_contains("From the key ring (imported from public.jwk.json)");
    h.get_by_label_contains("EC P-256 public key  kty=EC");
    h.get_by_label_contains("thumbprint (RFC 7638): ");
    h.get_by_label("Public JWK");
    h.get_by_label("Public key PEM (SPKI)");
    assert!(
        h.query_by_label("Private JWK").is_none(),
        "a public key has no private export"
    );
    assert!(h.query_by_label("Supabase .env block").is_none());
}

/// RS512 in the window (issue 22 §3): the Keys pane offers it with the RSA sizes and the
/// supabase-js warning and generates a key declared for RS512; the Doctor's rotation assistant
/// offers it too, with the same warning.
#[test]
fn rs512_in_the_keys_pane_and_the_rotation_assistant() {
    let mut h = harness();
    tab(&h, Pane::Keys);
    h.run_steps(2);
    h.get_by_label("RS512").click();
    h.run_steps(2);
    h.get_by_label("3072 bits");
    h.get_by_label_contains("RS512 tokens are refused by supabase-js getClaims()");
    h.get_by_label("Generate key").click();
    h.run_steps(1);
    wait_until(&mut h, |s| !s.shared.ring.is_empty());
    let key = h.state().panes.keys.generated.clone().unwrap();
    assert_eq!(key.alg.as_deref(), Some("RS512"));
    assert_eq!(key.family(), supajwt::jose::alg::AlgFamily::Rsa);
    tab(&h, Pane::Doctor);
    h.run_steps(2);
    h.get_by_label("RS512").click_accesskit();
    h.run_steps(2);
    assert_eq!(
        h.state().panes.doctor.rotation.alg,
        supajwt::jose::keys::KeygenAlg::RS512 { bits: 2048 }
    );
    h.get_by_label_contains("RS512 tokens are refused by supabase-js getClaims()");
}

/// Issue 22 §1: every Copy of a secret asks clipboard histories to skip it (the
/// password-manager hint), every Copy of a public value does not. Each export of a generated
/// key is copied with its own Copy button and the clipboard told how it was marked.
#[test]
fn secret_copies_carry_the_password_manager_hint_public_ones_do_not() {
    use supajwt::app::CopyKind;
    let clipboard = MemoryClipboard::default();
    let kept = clipboard.clone();
    let mut h = harness_with(egui::vec2(1200.0, 2400.0), move |s| {
        s.shared.clipboard = Box::new(clipboard);
    });
    tab(&h, Pane::Keys);
    h.run_steps(2);
    h.get_by_label("Generate key").click();
    h.run_steps(1);
    wait_until(&mut h, |s| !s.shared.ring.is_empty());
    h.run_steps(2);
    let outputs: Vec<(String, bool)> = h
        .state()
        .panes
        .keys
        .outputs
        .iter()
        .map(|o| (o.text.expose().to_string(), o.text.is_secret()))
        .collect();
    assert!(outputs.iter().any(|(_, secret)| *secret) && outputs.iter().any(|(_, s)| !*s));
    let copies = h.get_all_by_label("Copy").count();
    assert_eq!(copies, outputs.len(), "one Copy per export");
    let mut copied = Vec::new();
    for i in 0..copies {
        // A clicked button says "Copy (copied…)": find the buttons by how their label starts.
        h.get_all_by(|n| {
            n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("Copy"))
        })
        .nth(i)
        .unwrap()
        .click_accesskit();
        h.run_steps(2);
        let text = h.state_mut().shared.clipboard.get_text().unwrap();
        let (_, secret) = outputs
            .iter()
            .find(|(t, _)| *t == text)
            .unwrap_or_else(|| panic!("Copy #{i} copied {text:?}, not an export"));
        let want = if *secret {
            CopyKind::Secret
        } else {
            CopyKind::Public
        };
        assert_eq!(kept.kind(), Some(want), "Copy #{i}");
        copied.push(text);
    }
    assert!(
        outputs.iter().all(|(t, _)| copied.contains(t)),
        "every export copied"
    );
    // The same through the action every Copy sends.
    let ctx = egui::Context::default();
    for (value, want) in [
        (
            Classified::Secret(SecretString::new(DOCKER_DEMO_SERVICE_KEY.into())),
            CopyKind::Secret,
        ),
        (
            Classified::Public(DOCKER_DEMO_ANON_KEY.into()),
            CopyKind::Public,
        ),
    ] {
        h.state_mut().handle(Action::Copy(value), &ctx);
        assert_eq!(kept.kind(), Some(want));
    }
}
