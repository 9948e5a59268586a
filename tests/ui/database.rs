//! Verify's Database section (issue 21 §2) against a throwaway PostgreSQL 15: the report and
//! its explanation, the password never in the saved settings, an administrative role refused
//! before connecting, an unreachable host answered with a clear error while the window works.

use super::*;
use crate::common::postgres::{Cluster, PASSWORD, USER_A};
use crate::common::sign::hs256;

const SECRET: &str = "a-test-secret-of-at-least-32-characters!!";

fn token(payload: &serde_json::Value) -> String {
    hs256(
        SECRET,
        r#"{"alg":"HS256","typ":"JWT"}"#,
        &payload.to_string(),
    )
}

/// The Verify pane with `token`, the Database section open.
fn verify_with(token: &str) -> Harness<'static, AppState> {
    let mut h = harness();
    tab(&h, Pane::Verify);
    h.run_steps(2);
    type_into(&mut h, Role::MultilineTextInput, "Token to verify", token);
    h.get_by_label("Database (what Postgres sees for this token)")
        .click();
    h.run_steps(3);
    h
}

fn ask(h: &mut Harness<'static, AppState>) {
    h.get_by_role_and_label(Role::Button, "Ask the database")
        .click();
    h.run_steps(2);
    wait_until(h, |s| s.panes.verify.database.running.is_none());
}

#[test]
fn the_database_section_reports_what_the_role_sees() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let token = token(&serde_json::json!({"sub": USER_A, "role": "authenticated"}));
    let mut h = verify_with(&token);
    // The URL without its password; the password in its own masked field.
    let with_pw = cluster.url("authenticator");
    let host = with_pw.rsplit_once('@').unwrap().1;
    let url = format!("postgres://authenticator@{host}");
    type_into(&mut h, Role::TextInput, "Database URL", &url);
    type_into(&mut h, Role::PasswordInput, "Password", PASSWORD);
    type_into(&mut h, Role::TextInput, "Table", "public.todos");
    ask(&mut h);
    h.get_by_label(&format!("auth.uid() is {USER_A}"));
    h.get_by_label_contains("\"own todos\" PERMISSIVE SELECT to authenticated");
    h.get_by_label_contains("\"not archived\" RESTRICTIVE");
    h.get_by_label_contains("visible rows as authenticated:");
    h.get_by_label("Read only, rolled back: nothing in the database changed.");
    h.get_by_label(&format!(
        "• Online: asked the database at {}",
        host.split('?').next().unwrap()
    ));
    // The picker lists the tables the role can name.
    let tables = &h.state().panes.verify.database.tables;
    assert!(tables.iter().any(|t| t == "public.projects"), "{tables:?}");
    // Never saved: the settings as written to disk hold neither the password nor the URL.
    let saved = serde_json::to_string(&h.state().shared.settings).unwrap();
    assert!(
        !saved.contains(PASSWORD) && !saved.contains("authenticator"),
        "{saved}"
    );
    assert!(!saved.contains("test-only-pw"), "{saved}");
}

#[test]
fn a_password_in_the_url_is_masked_and_an_admin_role_is_refused_offline() {
    let token = token(&serde_json::json!({"role": "supabase_admin"}));
    let mut h = verify_with(&token);
    type_into(
        &mut h,
        Role::TextInput,
        "Database URL",
        "postgres://postgres:hunter2",
    );
    // The "@" turns masking on; the field keeps the focus, so typing goes on in it.
    h.event(egui::Event::Text("@127.0.0.1:9/postgres".into()));
    h.run_steps(3);
    h.get_by_role_and_label(Role::PasswordInput, "Database URL");
    let url = h.state().panes.verify.database.url.expose().to_string();
    assert_eq!(url, "postgres://postgres:hunter2@127.0.0.1:9/postgres");
    h.event(egui::Event::Text("x".into()));
    h.run_steps(2);
    assert!(
        h.state()
            .panes
            .verify
            .database
            .url
            .expose()
            .ends_with("postgresx")
    );
    h.get_by_label_contains("This URL holds a password: it is masked");
    h.get_by_role_and_label(Role::Button, "Ask the database")
        .click();
    h.run_steps(3);
    assert!(h.state().panes.verify.database.running.is_none());
    h.get_by_label_contains("\"supabase_admin\" is an administrative role");
    h.get_by_label_contains("nothing was sent");
    assert!(h.state().panes.verify.database.online().is_none());
}

#[test]
fn an_unreachable_host_says_so_and_the_window_stays_responsive() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let token = token(&serde_json::json!({"role": "anon"}));
    let mut h = verify_with(&token);
    let url = format!("postgres://authenticator@127.0.0.1:{closed}/postgres");
    type_into(&mut h, Role::TextInput, "Database URL", &url);
    h.get_by_role_and_label(Role::Button, "Ask the database")
        .click();
    h.run_steps(2);
    // While it runs (or after), the window answers: another pane opens.
    tab(&h, Pane::Decode);
    h.run_steps(2);
    tab(&h, Pane::Verify);
    h.run_steps(2);
    wait_until(&mut h, |s| s.panes.verify.database.running.is_none());
    h.get_by_label_contains(&format!("cannot connect to 127.0.0.1:{closed}"));
}
