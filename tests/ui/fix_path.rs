//! Issue 23 §A.1–A.2 in the window: the Doctor's rotation of upstream's demo `.env` replaces the
//! demo secret instead of trusting it as an `oct` key, and offers to keep the old payloads.

use super::*;

/// The Doctor with upstream's demo `.env` loaded, as a drop would.
pub fn doctor_with_demo_env() -> Harness<'static, AppState> {
    let mut h = harness();
    let ctx = egui::Context::default();
    h.state_mut().handle_all(
        vec![Action::Route {
            name: ".env".into(),
            text: format!(
                "JWT_SECRET={DOCKER_DEMO_SECRET}\nANON_KEY={DOCKER_DEMO_ANON_KEY}\nSERVICE_ROLE_KEY={DOCKER_DEMO_SERVICE_KEY}\n"
            ),
        }],
        &ctx,
    );
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Doctor);
    h
}

fn planned_env(h: &mut Harness<'static, AppState>) -> String {
    planned(h).0
}

/// Plans a rotation: its `.env` changes and its steps, one a line.
pub fn planned(h: &mut Harness<'static, AppState>) -> (String, String) {
    h.get_by_label("Plan rotation").click_accesskit();
    h.run_steps(1);
    wait_until(h, |s| {
        !s.panes.doctor.rotation.planning && s.panes.doctor.rotation.output.is_some()
    });
    match &h.state().panes.doctor.rotation.output {
        Some(Ok(plan)) => (
            plan.outputs[0].text.expose().to_string(),
            plan.steps.join("\n"),
        ),
        Some(Err(e)) => panic!("no plan: {e}"),
        None => panic!("no plan"),
    }
}

#[test]
fn the_rotation_of_the_demo_env_revokes_the_demo_secret() {
    let mut h = doctor_with_demo_env();
    let (env, steps) = planned(&mut h);
    let demo_k = supajwt::jose::b64::encode(DOCKER_DEMO_SECRET.as_bytes());
    assert!(
        !env.contains(&demo_k),
        "the ES256 plan still trusts the demo secret: {env}"
    );
    assert!(env.contains("+JWT_SECRET="), "{env}");
    assert!(steps.contains("revoked at once"), "{steps}");
    assert!(!env.contains("supabase-demo"));
}

#[test]
fn the_old_payloads_are_kept_only_when_asked() {
    let mut h = doctor_with_demo_env();
    h.get_by_role_and_label(Role::Button, "new HS256 JWT_SECRET")
        .click_accesskit();
    h.get_by_role_and_label(
        Role::CheckBox,
        "Keep the old ANON_KEY / SERVICE_ROLE_KEY payloads (their iss and exp) instead of minting new ones valid for 5 years",
    )
    .click_accesskit();
    h.run_steps(2);
    assert!(h.state().panes.doctor.rotation.keep_claims);
    let env = planned_env(&mut h);
    let anon = env
        .lines()
        .find_map(|l| l.strip_prefix("+ANON_KEY="))
        .unwrap();
    let claims = supajwt::jose::token::Jws::parse_unverified(anon)
        .unwrap()
        .claims()
        .unwrap();
    assert_eq!(claims["iss"], "supabase-demo");
}

#[test]
fn a_finding_s_fix_is_a_button_never_a_command() {
    let mut h = doctor_with_demo_env();
    h.get_by_label("JWT_SECRET is a public demo value");
    let commands: Vec<String> = h
        .query_all_by_label_contains("supajwt keygen")
        .chain(h.query_all_by_label_contains("supajwt mint"))
        .chain(h.query_all_by_label_contains("--format"))
        .map(|n| format!("{n:?}"))
        .collect();
    assert!(
        commands.is_empty(),
        "command-line advice in the window: {commands:?}"
    );
    // Both demo findings (the secret and the keys) offer it.
    h.query_all_by_role_and_label(Role::Button, "Generate a new secret…")
        .next()
        .unwrap()
        .click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Keys);
    assert_eq!(h.state().panes.keys.alg, supajwt::jose::alg::Alg::HS256);
}

#[test]
fn mint_refuses_the_demo_secret_until_allowed_and_labels_the_token() {
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
    assert!(
        h.state().panes.mint.token().is_none(),
        "minted with the demo secret"
    );
    h.get_by_label_contains("so Mint refuses it");
    h.get_by_role_and_label(Role::Button, "Generate a new secret…");
    h.get_by_role_and_label(
        Role::CheckBox,
        "Mint with the demo secret anyway (local testing only)",
    )
    .click();
    h.run_steps(2);
    assert!(h.state().panes.mint.token().is_some());
    h.get_by_label_contains("for local testing only. Anyone can forge tokens with this secret");
    // The fix: Keys, on a new HS256 secret.
    h.get_by_role_and_label(Role::Button, "Generate a new secret…")
        .click();
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Keys);
}

#[test]
fn inspecting_the_demo_secret_in_keys_warns_that_it_is_public() {
    let mut h = harness();
    let secret = supajwt::jose::keys::secret_key(
        DOCKER_DEMO_SECRET,
        supajwt::jose::b64::SecretEncoding::Text,
    )
    .unwrap();
    add_key_set(
        &mut h,
        KeySet::single(secret, supajwt::jose::keys::KeySetShape::Secret),
        "jwt_secret.txt",
    );
    tab(&h, Pane::Keys);
    h.run_steps(2);
    h.query_all_by_label_contains("Inspect / export")
        .next()
        .unwrap()
        .click();
    h.run_steps(3);
    h.get_by_label_contains("this secret is the public demo JWT_SECRET");
}

/// Issue 23 §B.5: the files agree and the token verifies, but the user reports an error: the
/// verdict says the running services are not using these files, never "No problem".
#[test]
fn a_reported_error_the_files_do_not_explain_is_not_no_problem() {
    let mut h = doctor_with_demo_env();
    type_into(
        &mut h,
        Role::TextInput,
        "Token to check (optional)",
        DOCKER_DEMO_ANON_KEY,
    );
    type_into(
        &mut h,
        Role::TextInput,
        "Error message (optional)",
        "JWSInvalidSignature",
    );
    h.get_by_label("Run checks").click();
    h.run_steps(3);
    h.get_by_label_contains(
        "this token verifies against them, so the running services are not using these files",
    );
    h.get_by_label_contains("docker compose up -d --force-recreate");
    assert!(h.query_by_label("No problem that causes 401s").is_none());
}

/// A token the verifiers refuse is never under a green "No problem" verdict.
#[test]
fn a_refused_token_is_not_under_a_green_verdict() {
    let mut h = doctor_with_demo_env();
    let broken = format!("{}.AAAA", DOCKER_DEMO_ANON_KEY.rsplit_once('.').unwrap().0);
    type_into(
        &mut h,
        Role::TextInput,
        "Token to check (optional)",
        &broken,
    );
    h.get_by_label("Run checks").click();
    h.run_steps(3);
    h.get_by_label_contains("The files agree, but this token is refused by GoTrue");
    assert!(h.query_by_label("No problem that causes 401s").is_none());
}

/// Issue 20: a lifecycle finding reaches the window through the Doctor's report, with its fix.
#[test]
fn a_key_only_in_jwt_jwks_is_shown_with_its_fix() {
    use supajwt::jose::keys::{KeygenAlg, KidChoice, generate, to_jwk};
    let key = generate(KeygenAlg::ES256, KidChoice::Given("k-old".into())).unwrap();
    let public = serde_json::Value::Object(to_jwk(&key, false)).to_string();
    let mut h = harness();
    let ctx = egui::Context::default();
    h.state_mut().handle_all(
        vec![Action::Route {
            name: ".env".into(),
            text: format!(
                "JWT_SECRET=Wq3l0mW4lYzZm4s0qkT7pX2c9vN8rB1yD6eF5gH4jK3\nJWT_JWKS='{{\"keys\":[{public}]}}'\n"
            ),
        }],
        &ctx,
    );
    h.run_steps(3);
    assert_eq!(h.state().pane, Pane::Doctor);
    h.get_by_label("Key \"k-old\" is in JWT_JWKS but not in JWT_KEYS");
    h.get_by_label_contains("supajwt key revoke k-old");
}
