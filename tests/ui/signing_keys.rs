//! The Doctor's Signing keys view on upstream's own stack (issue 20): the keys with their states
//! and the verdict grid, Add with the private key masked and Save, a fresh standby key's
//! Promote held back with its safe time, and an unreadable `JWT_KEYS` as a clear message.

use super::*;
use crate::common::clock::UPSTREAM_NOW as NOW;
use crate::lifecycle_kit::{add_next, opaque_stack};
use crate::upstream_stack::{kong_opaque, opaque_compose};
use egui_kittest::kittest::NodeT;

/// Drops the stack's files on the window and opens the Signing keys view once it is read;
/// returns the directory (kept alive), the `.env`'s path and the harness.
fn open_stack(env: &str) -> (tempfile::TempDir, PathBuf, Harness<'static, AppState>) {
    open_stack_with(env, &opaque_compose(true))
}

/// [`open_stack`] with another compose file.
fn open_stack_with(
    env: &str,
    compose: &str,
) -> (tempfile::TempDir, PathBuf, Harness<'static, AppState>) {
    let dir = tempfile::tempdir().unwrap();
    // The clock of upstream's stack: its API keys were issued the day before.
    let mut h = harness_with(egui::vec2(1200.0, 900.0), |s| {
        s.shared.fixed_now = Some(NOW)
    });
    let files = [
        (".env", env.to_string()),
        ("docker-compose.yml", compose.to_string()),
        ("kong.yml", kong_opaque()),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        h.input_mut().dropped_files.push(Arc::new(TestFile(path)));
        wait_until(&mut h, |s| {
            s.panes
                .doctor
                .slots
                .iter()
                .any(|slot| slot.name.as_deref() == Some(name))
        });
    }
    h.get_by_label("Signing keys").click();
    h.run_steps(2);
    wait_until(&mut h, |s| {
        let k = &s.panes.doctor.signing;
        !k.reading && k.view.is_some()
    });
    let env_path = dir.path().join(".env");
    (dir, env_path, h)
}

/// Upstream's stack with the standby key "next" added six minutes before the window's clock.
fn standby_added_6_min_ago() -> supajwt::supabase::lifecycle::plan::StepPlan {
    let (compose, kong) = (opaque_compose(true), kong_opaque());
    add_next(&opaque_stack(), &compose, &kong, NOW - 6 * 60).0
}

fn no_private_key_shown(h: &Harness<'static, AppState>) {
    let shown: Vec<String> = h
        .query_all_by_label_contains("\"d\":\"")
        .map(|n| format!("{n:?}"))
        .collect();
    assert!(shown.is_empty(), "a private key is on screen: {shown:?}");
}

/// Upstream's stack (add-new-auth-keys.sh): the ES256 signing key and the legacy secret, each
/// with its state and the API keys it signed, and the verdict grid with no refusal.
#[test]
fn signing_keys_lists_upstreams_keys_and_the_grid() {
    let (_dir, _, h) = open_stack(&opaque_stack());
    h.get_by_label("SIGNING");
    h.get_by_label("legacy secret");
    h.get_by_label_contains("signed ANON_KEY_ASYMMETRIC, SERVICE_ROLE_KEY_ASYMMETRIC");
    h.get_by_label_contains("signed ANON_KEY, SERVICE_ROLE_KEY");
    h.get_by_label("Who accepts what now");
    h.get_by_label_contains("Wiring: each service as the compose file configures it");
    // The grid is the core's matrix, cell for cell (the same as `supajwt key list`).
    let Some(Ok(view)) = &h.state().panes.doctor.signing.view else {
        panic!("no view")
    };
    let count = |accepted| {
        view.matrix
            .cells()
            .filter(|c| c.accepted == accepted)
            .count()
    };
    let (yes, no, unknown) = (count(Some(true)), count(Some(false)), count(None));
    assert!(yes >= 8, "{yes}");
    assert_eq!(h.query_all_by_label("accepted").count(), yes);
    assert_eq!(h.query_all_by_label("REFUSED").count(), no);
    assert_eq!(h.query_all_by_label("not checked").count(), unknown);
    assert_eq!(h.query_all_by_label_contains("Refused: ").count(), no);
    // Every session row is accepted by every verifier of session tokens.
    assert!(
        view.matrix
            .cells()
            .filter(|c| c.token.starts_with("user sessions"))
            .all(|c| c.accepted != Some(false))
    );
    // The signing key is neither promoted nor revoked from here.
    h.get_by_label_contains("The signing key: promote another key");
    no_private_key_shown(&h);
}

/// Add ES256: the diff shows the new key's JWT_KEYS line masked (its JWT_JWKS line and the
/// standby record in the clear), the matrix after and the steps; Save in place writes the file
/// with its backup and the view reads the new stack (or, while `in_place::rewrite` is not
/// implemented, says clearly that nothing was saved and leaves the file untouched).
#[test]
fn signing_keys_add_masks_the_private_key_and_saves() {
    let env = opaque_stack();
    let (dir, env_path, mut h) = open_stack(&env);
    h.get_by_label("ES256").click();
    h.get_by_label("Plan adding the key").click();
    h.run_steps(2);
    wait_until(&mut h, |s| {
        let k = &s.panes.doctor.signing;
        k.planning.is_none() && k.plan.is_some()
    });
    h.get_by_label("Plan: Add a standby ES256 key");
    h.get_by_label_contains("+JWT_KEYS=•••••• (");
    h.get_by_label_contains("-JWT_KEYS=•••••• (");
    h.get_by_label_contains("+JWT_JWKS=");
    h.get_by_label_contains("standby since 2026-03-01T00:00:00Z");
    h.get_by_label_contains("(once promoted)");
    h.get_by_label("Who accepts what after this step");
    h.get_by_label_contains("not before 2026-03-01 00:20:00 UTC");
    no_private_key_shown(&h);

    let new_env = match &h.state().panes.doctor.signing.plan {
        Some((_, Ok(p))) => p.plan.new_env.clone(),
        _ => panic!("no plan"),
    };
    let save = format!("Save to {}", env_path.display());
    // Below the fold: click it as a screen reader would.
    h.get_by_label(&save).click_accesskit();
    h.run_steps(2);
    wait_until(&mut h, |s| {
        let k = &s.panes.doctor.signing;
        !k.saving && k.saved.is_some()
    });
    let (text, is_error) = h.state().panes.doctor.signing.saved.clone().unwrap();
    h.get_by_label(&text);
    // The new file, its backup named, and the stack read again from the new text.
    assert!(
        !is_error && text.contains("the old file is kept as"),
        "{text}"
    );
    assert_eq!(std::fs::read_to_string(&env_path).unwrap(), new_env);
    let backups: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".env.bak."))
        .collect();
    assert_eq!(backups.len(), 1);
    assert!(text.contains(&backups[0]), "{text}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(&backups[0])).unwrap(),
        env
    );
    wait_until(&mut h, |s| {
        let k = &s.panes.doctor.signing;
        !k.reading && matches!(&k.view, Some(Ok(v)) if v.stack.keys.len() == 3)
    });
    h.get_by_label("standby");
    h.get_by_label("Promote possible in 20 min");
}

/// The file changed on disk since it was loaded: Save in place refuses, says why, and leaves
/// it as it is.
#[test]
fn signing_keys_save_refuses_a_file_changed_since_loading() {
    let (_dir, env_path, mut h) = open_stack(&opaque_stack());
    h.get_by_label("Plan adding the key").click();
    h.run_steps(2);
    wait_until(&mut h, |s| s.panes.doctor.signing.plan.is_some());
    std::fs::write(&env_path, "JWT_SECRET=edited-elsewhere\n").unwrap();
    h.get_by_label(&format!("Save to {}", env_path.display()))
        .click_accesskit();
    h.run_steps(2);
    wait_until(&mut h, |s| s.panes.doctor.signing.saved.is_some());
    let (text, is_error) = h.state().panes.doctor.signing.saved.clone().unwrap();
    assert!(is_error && text.starts_with("not saved: "), "{text}");
    h.get_by_label(&text);
    assert_eq!(
        std::fs::read_to_string(&env_path).unwrap(),
        "JWT_SECRET=edited-elsewhere\n"
    );
}

/// A standby key added just now cannot be promoted: its Promote button is disabled and the
/// view says when it can be (20 minutes after its standby record).
#[test]
fn signing_keys_promote_of_a_fresh_standby_key_waits() {
    let plan = standby_added_6_min_ago();
    let (_dir, _, mut h) = open_stack(&plan.new_env);
    h.get_by_label("standby");
    h.get_by_label("Promote possible in 14 min");
    assert!(
        h.get_by_label("Promote next")
            .accesskit_node()
            .is_disabled()
    );
    // Force (as --force) lets the core decide, and its answer is shown.
    h.get_by_label_contains("Force (as --force)").click();
    h.run_steps(2);
    h.get_by_label_contains("Force skips the waits");
    let promote = h.get_by_label("Promote next");
    assert!(!promote.accesskit_node().is_disabled());
    promote.click();
    h.run_steps(2);
    wait_until(&mut h, |s| {
        let k = &s.panes.doctor.signing;
        k.planning.is_none() && k.plan.is_some()
    });
    h.get_by_label("Plan: Promote next");
    no_private_key_shown(&h);
}

/// `JWT_KEYS` that is not JSON: the view says so, naming the variable, and does not panic.
#[test]
fn signing_keys_unreadable_jwt_keys_is_a_clear_message() {
    let env = opaque_stack()
        .lines()
        .map(|l| {
            if l.starts_with("JWT_KEYS=") {
                "JWT_KEYS=[{not json".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (_dir, _, h) = open_stack(&env);
    h.get_by_label("Cannot read the signing keys");
    h.get_by_label_contains("JWT_KEYS");
    h.get_by_label_contains("is not valid JSON");
}

/// A standby key that Realtime and Storage cannot see yet (upstream's compose file with its
/// JWKS lines still commented out): no "Promote possible in N min", which the core would then
/// refuse, but the services that cannot verify its tokens (it showed the time alone before).
#[test]
fn signing_keys_promote_names_the_verifiers_that_cannot_see_the_key() {
    let plan = standby_added_6_min_ago();
    let (_dir, _, h) = open_stack_with(&plan.new_env, &opaque_compose(false));
    let label = h.get_by_label_contains("Promote not possible yet:");
    let text = format!("{label:?}");
    assert!(
        text.contains("realtime") && text.contains("storage"),
        "{text}"
    );
    assert!(h.query_by_label_contains("Promote possible in").is_none());
}
