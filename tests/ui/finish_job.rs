//! Issue 23 §C in the window: the Keys `.env` block holds only `.env` lines and offers the
//! ring's configuration secret (§8), rotation steps are plain text beside the masked values
//! (§9), opened files show collapsed with what was recognised (§10), and the key ring is the
//! default key source where it helps (§12).

use super::*;
use egui_kittest::kittest::NodeT;
use supajwt::app::KeyOrigin;
use supajwt::jose::b64::SecretEncoding;

const PRIVATE_SECRET: &str = "a-private-jwt-secret-that-is-long-enough-0123456789";

/// The ring holds `secret` as the Doctor puts a configuration's JWT_SECRET there.
fn add_config_secret(h: &mut Harness<'static, AppState>, secret: &str) {
    let set = KeySet::secret(secret, SecretEncoding::Text).unwrap();
    h.state_mut().handle(
        Action::AddKeys {
            set,
            origin: KeyOrigin::Config("JWT_SECRET".into()),
        },
        &egui::Context::default(),
    );
    h.run_steps(2);
}

fn env_block(h: &Harness<'static, AppState>) -> String {
    let outputs = &h.state().panes.keys.outputs;
    let block = outputs
        .iter()
        .find(|o| o.title == "Supabase .env block")
        .expect("an .env block");
    block.text.expose().to_string()
}

fn generate_es256(h: &mut Harness<'static, AppState>) {
    tab(h, Pane::Keys);
    h.run_steps(2);
    h.get_by_label("Generate key").click();
    h.run_steps(1);
    wait_until(h, |s| s.panes.keys.generated.is_some());
}

#[test]
fn the_keys_env_block_holds_only_env_lines_and_the_advice_is_beside_it() {
    let mut h = harness();
    generate_es256(&mut h);
    let env = env_block(&h);
    for line in env.lines().filter(|l| !l.is_empty()) {
        let is_env = line.starts_with('#') || line.split_once('=').is_some();
        assert!(is_env, "not an .env line: {line}");
    }
    assert!(!env.contains("No JWT_SECRET given"), "{env}");
    assert!(!env.contains("Existing JWT_SECRET"), "{env}");
    h.get_by_label_contains("No JWT_SECRET given: legacy HS256 tokens will stop verifying");
    // Copy copies what the block holds: the advice is not part of it.
    h.get_all_by_role_and_label(Role::Button, "Copy")
        .last()
        .unwrap()
        .click_accesskit();
    h.run_steps(2);
    let copied = h.state_mut().shared.clipboard.get_text().unwrap();
    assert!(copied.contains("JWT_KEYS="), "{copied}");
    assert!(!copied.contains("No JWT_SECRET given"), "{copied}");
}

#[test]
fn keys_offers_the_ring_s_config_secret_as_the_existing_jwt_secret() {
    let mut h = harness();
    add_config_secret(&mut h, PRIVATE_SECRET);
    generate_es256(&mut h);
    h.get_by_role_and_label(Role::Button, "Use the key ring's config JWT_SECRET")
        .click();
    h.run_steps(3);
    assert_eq!(h.state().panes.keys.legacy_secret.expose(), PRIVATE_SECRET);
    let env = env_block(&h);
    assert!(
        env.contains(&format!("JWT_SECRET={PRIVATE_SECRET}")),
        "{env}"
    );
    assert!(h.query_by_label_contains("No JWT_SECRET given").is_none());
}

#[test]
fn keys_names_a_public_config_secret_instead_of_offering_it() {
    let mut h = harness();
    add_config_secret(&mut h, DOCKER_DEMO_SECRET);
    generate_es256(&mut h);
    assert!(
        h.query_by_label("Use the key ring's config JWT_SECRET")
            .is_none()
    );
    h.get_by_label_contains(
        "not offered here, since keeping it verifying lets anyone forge tokens",
    );
}

#[test]
fn rotation_steps_are_plain_text_beside_the_masked_values() {
    let mut h = super::fix_path::doctor_with_demo_env();
    let (env, steps) = super::fix_path::planned(&mut h);
    h.run_steps(2);
    assert!(
        steps.contains("Back up the current .env / Secret."),
        "{steps}"
    );
    // Read without revealing anything: the steps are labels of their own.
    h.get_by_label_contains("Back up the current .env / Secret.");
    h.get_by_label_contains("revoked at once");
    assert!(
        h.query_all_by_label_contains("+JWT_SECRET=")
            .next()
            .is_none(),
        "the values stay masked"
    );
    // What Copy and Save take (the masked values) holds the values, not the steps.
    h.get_by_label(".env changes");
    assert!(env.contains("+JWT_SECRET="), "{env}");
    let Some(Ok(plan)) = &h.state().panes.doctor.rotation.output else {
        panic!("no plan")
    };
    for o in &plan.outputs {
        let text = o.text.expose();
        assert!(!text.contains("# Steps"), "{}: {text}", o.title);
        assert!(!text.contains("Back up"), "{}: {text}", o.title);
    }
}

/// An HS256 token for `role`, signed with `secret`, valid for a year.
fn hs256_token(secret: &str) -> String {
    let key = supajwt::jose::keys::secret_key(secret, SecretEncoding::Text).unwrap();
    let claims = serde_json::json!({"role": "anon", "iss": "supabase", "iat": NOW, "exp": NOW + 365 * 86400});
    supajwt::jose::sign::sign_claims(claims.as_object().unwrap(), &key, None).unwrap()
}

#[test]
fn verify_and_mint_start_on_the_key_ring_when_it_has_keys() {
    let mut h = harness();
    add_config_secret(&mut h, PRIVATE_SECRET);
    let token = hs256_token(PRIVATE_SECRET);
    tab(&h, Pane::Verify);
    h.run_steps(2);
    type_into(&mut h, Role::MultilineTextInput, "Token to verify", &token);
    assert_eq!(
        h.state().panes.verify.source,
        supajwt::app::VerifyKeySource::Loaded
    );
    h.get_by_label("VALID");
    assert!(h.query_by_label("Cannot check yet").is_none());

    tab(&h, Pane::Mint);
    h.run_steps(3);
    let ring_id = h.state().shared.ring.entries[0].id;
    assert_eq!(
        h.state().panes.mint.signer,
        supajwt::app::MintSigner::Ring(ring_id)
    );
    assert!(
        h.state().panes.mint.token().is_some(),
        "minted with the ring key"
    );
}

#[test]
fn an_explicit_key_source_is_kept_when_keys_arrive() {
    let mut h = harness();
    tab(&h, Pane::Verify);
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "PEM / JWK / JWKS")
        .click();
    h.run_steps(2);
    tab(&h, Pane::Mint);
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "a secret (HS256)")
        .click();
    h.run_steps(2);
    add_config_secret(&mut h, PRIVATE_SECRET);
    h.run_steps(2);
    assert_eq!(
        h.state().panes.mint.signer,
        supajwt::app::MintSigner::Secret
    );
    tab(&h, Pane::Verify);
    h.run_steps(2);
    assert_eq!(
        h.state().panes.verify.source,
        supajwt::app::VerifyKeySource::Pasted
    );
}

#[test]
fn a_rejection_with_a_wrong_secret_names_the_ring_key_that_verifies() {
    let mut h = harness();
    add_config_secret(&mut h, PRIVATE_SECRET);
    tab(&h, Pane::Verify);
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "Secret").click();
    h.run_steps(2);
    type_into(
        &mut h,
        Role::MultilineTextInput,
        "Token to verify",
        &hs256_token(PRIVATE_SECRET),
    );
    type_into(
        &mut h,
        Role::PasswordInput,
        "Secret",
        "not-the-right-secret-but-long-enough-1234",
    );
    h.get_by_label("REJECTED");
    h.get_by_label_contains("The key ring's");
    h.get_by_label_contains("config JWT_SECRET verifies this token — switch to it");
    h.get_by_role_and_label(Role::Button, "Switch to the key ring")
        .click();
    h.run_steps(3);
    h.get_by_label("VALID");
}

#[test]
fn an_opened_file_shows_collapsed_and_the_next_path_field_starts_in_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let env = format!(
        "JWT_SECRET={DOCKER_DEMO_SECRET}\nANON_KEY={DOCKER_DEMO_ANON_KEY}\nSERVICE_ROLE_KEY={DOCKER_DEMO_SERVICE_KEY}\n"
    );
    std::fs::write(dir.path().join(".env"), &env).unwrap();
    let mut h = harness_with(egui::vec2(1200.0, 900.0), |s| {
        s.shared.dialogs = supajwt::app::DialogMode::PathField;
    });
    tab(&h, Pane::Doctor);
    h.run_steps(2);
    // The .env slot (open while empty) asks for an .env, not a jwks.json.
    h.get_all_by_role_and_label(Role::Button, "Open file…")
        .next()
        .unwrap()
        .click();
    h.run_steps(2);
    let field = h.get_by_role_and_label(Role::TextInput, "File path to open");
    assert_eq!(
        field.accesskit_node().placeholder(),
        Some("/path/to/.env or ~/…")
    );
    type_into(
        &mut h,
        Role::TextInput,
        "File path to open",
        &dir.path().join(".env").display().to_string(),
    );
    h.get_by_role_and_label(Role::Button, "Open").click();
    h.run_steps(1);
    wait_until(&mut h, |s| s.panes.doctor.slots[0].summary.is_some());
    h.run_steps(2);
    // Collapsed: one line with the name, the size and what was recognised.
    let line = format!(
        ".env — {} bytes — 3 variables, JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY",
        env.len()
    );
    h.get_by_label(&line);
    assert!(
        h.query_by_role_and_label(Role::MultilineTextInput, ".env")
            .is_none(),
        "the content is collapsed"
    );
    // The next slot's path field starts in that directory.
    h.get_by_label("docker-compose.yml").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "Open file…").click();
    h.run_steps(2);
    let started = h.state().panes.doctor.openers[1].path.clone().unwrap();
    assert_eq!(
        std::path::PathBuf::from(started.trim_end_matches('/')),
        dir.path()
    );
    // Emptied, the field says which file this slot wants.
    h.get_by_role_and_label(Role::TextInput, "File path to open")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run_steps(2);
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "File path to open")
            .accesskit_node()
            .placeholder(),
        Some("/path/to/docker-compose.yml or ~/…")
    );
    // The content is one click away.
    h.get_by_label(&line).click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::MultilineTextInput, ".env");
}
