//! The Doctor's Signing keys view, drawn: the key timeline (state, name, alg, since, stopped
//! signing, which API keys each signed) with Promote / Revoke per key and their safe times,
//! Add, the Force checkbox, the verdict matrix now, and a planned step (diff, matrix after,
//! steps) with Save in place, Save as… and Copy. It records commands; `SigningKeys::apply` runs
//! them.

use super::signing_grid::{diff_ui, matrix_grid_ui};
use super::signing_keys::{Command, KeysView, Planned, SigningKeys, Step};
use crate::app::shared::Ctx;
use crate::app::value_block::copy_save_ui;
use crate::app::widgets::{BAD, GOOD, WARN, esc, verdict_ui};
use crate::jose::classified::Shown;
use crate::jose::keys::KeygenAlg;
use crate::jose::time::format_utc;
use crate::supabase::lifecycle::safe_times::{promote_after, revoke_after};
use crate::supabase::lifecycle::{KeyState, Stack, StackKey};
use egui::{RichText, Ui};
use std::path::Path;
use std::time::Duration;

/// The algorithms Add offers (`key add --alg`).
const ADD_ALGS: [(KeygenAlg, &str); 5] = [
    (KeygenAlg::ES256, "ES256"),
    (KeygenAlg::RS256 { bits: 2048 }, "RS256"),
    (KeygenAlg::RS512 { bits: 2048 }, "RS512"),
    (KeygenAlg::ES512, "ES512"),
    (KeygenAlg::EdDSA, "EdDSA"),
];

/// "in 14 min" within the hour, else "at 2026-03-01 11:32:00 UTC".
pub fn when(now: i64, at: i64) -> String {
    let left = at.saturating_sub(now);
    if left <= 3600 {
        format!("in {} min", (left + 59) / 60)
    } else {
        format!("at {}", format_utc(at))
    }
}

/// The whole view; `save_path` is the file the `.env` was opened from, when known.
pub fn signing_keys_ui(
    ui: &mut Ui,
    s: &mut SigningKeys,
    save_path: Option<&Path>,
    ctx: &mut Ctx<'_>,
) {
    ui.label(RichText::new("The keys of the .env loaded in Checks, their lifecycle (standby, then signing, then previously used, then revoked), and which service accepts which token. Each step is planned first; nothing is written until you Save.").weak());
    ui.horizontal(|ui| {
        if s.reading {
            ui.spinner();
            ui.label("Reading the keys…");
            return;
        }
        // Not read yet (the tab opened before any run), or asked again.
        let again = ui
            .button("Read the keys again")
            .on_hover_text("After editing or pasting the .env, or when a safe time has passed")
            .clicked();
        if again || s.view.is_none() {
            s.pending = Some(Command::Read);
        }
    });
    // The last Save in place, shown above the keys it reloaded.
    match &s.saved {
        Some((text, is_error)) => {
            let color = if *is_error { BAD } else { GOOD };
            ui.label(RichText::new(esc(text)).color(color));
        }
        None if s.saving => {
            ui.spinner();
        }
        None => {}
    }
    // Taken out while drawing (the view's controls edit `s`), put back after.
    let Some(view) = s.view.take() else { return };
    match &view {
        Err(e) => verdict_ui(ui, false, "Cannot read the signing keys", e),
        Ok(v) => {
            let now = ctx.now();
            let mut command = None;
            timeline_ui(ui, s, v, now, &mut command);
            ui.add_space(6.0);
            ui.strong("Who accepts what now");
            matrix_grid_ui(ui, "now", &v.matrix);
            ui.separator();
            plan_ui(ui, s, Some(&v.stack), save_path, ctx, &mut command);
            if command.is_some() {
                s.pending = command;
            }
        }
    }
    s.view = Some(view);
}

fn timeline_ui(
    ui: &mut Ui,
    s: &mut SigningKeys,
    view: &KeysView,
    now: i64,
    command: &mut Option<Command>,
) {
    let stack = &view.stack;
    ui.strong(esc(&format!(
        "Keys ({}; JWT_EXPIRY {} s)",
        stack.keys.len(),
        stack.jwt_expiry
    )));
    let busy = s.planning.is_some();
    let mut waiting = false;
    for k in &stack.keys {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            key_facts_ui(ui, k);
            let unseen = view
                .unseen_by
                .iter()
                .find(|(t, _)| *t == k.thumbprint)
                .map_or(&[][..], |(_, by)| by.as_slice());
            waiting |= key_actions_ui(ui, s, stack, (k, unseen), now, busy, command);
        });
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Add a standby key:");
        for (alg, label) in ADD_ALGS {
            ui.selectable_value(&mut s.add_alg, alg, label);
        }
        if ui
            .add_enabled(!busy, egui::Button::new("Plan adding the key"))
            .clicked()
        {
            *command = Some(Command::Plan(Step::Add(s.add_alg)));
        }
    });
    if let Some(warning) = s.add_alg.alg().supabase_client_warning() {
        ui.label(RichText::new(esc(&format!("Warning: {warning}"))).color(WARN));
    }
    ui.checkbox(
        &mut s.force,
        "Force (as --force): plan Promote and Revoke before their safe time",
    );
    if s.force {
        ui.label(RichText::new("Force skips the waits and checks that keep logged-in users signed in: a step taken too early makes services refuse their tokens (401) until they sign in again.").color(WARN));
    }
    if waiting {
        // The safe times count down by the minute; no repaint otherwise.
        ui.ctx().request_repaint_after(Duration::from_secs(30));
    }
}

fn key_facts_ui(ui: &mut Ui, k: &StackKey) {
    let (state, color) = match k.state {
        KeyState::Signing => ("SIGNING", GOOD),
        KeyState::Standby => ("standby", WARN),
        KeyState::PreviouslyUsed => ("previously used", egui::Color32::GRAY),
        KeyState::VerifyOnly => ("verify-only (history unknown)", egui::Color32::GRAY),
        KeyState::LegacySecret => ("legacy secret", egui::Color32::GRAY),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(state).color(color).strong());
        let name = match &k.key.kid {
            Some(kid) => format!("kid {kid}"),
            None => "(no kid)".to_string(),
        };
        ui.label(RichText::new(esc(&name)).monospace());
        ui.label(esc(&format!("{} · {}", k.alg, k.key.kty())));
        let print: String = k.thumbprint.chars().take(12).collect();
        ui.label(RichText::new(format!("thumbprint {print}…")).weak())
            .on_hover_text(&k.thumbprint);
    });
    let since = k.since.map_or_else(
        || "since: not recorded".to_string(),
        |t| format!("since {}", format_utc(t)),
    );
    let stopped = k
        .stopped_signing
        .map(|t| format!(" · stopped signing {}", format_utc(t)))
        .unwrap_or_default();
    let signed = if k.signed.is_empty() {
        "signed none of the stack's API keys".to_string()
    } else {
        format!("signed {}", k.signed.join(", "))
    };
    ui.label(esc(&format!(
        "{since}{stopped} · in {} · {signed}",
        k.held_in.join(", ")
    )));
}

/// Promote and Revoke for one key (with the verifiers that cannot see it yet), each enabled or
/// with its reason; returns whether a safe time is still ahead (the view then repaints by the
/// minute).
fn key_actions_ui(
    ui: &mut Ui,
    s: &SigningKeys,
    stack: &Stack,
    (k, unseen): (&StackKey, &[&str]),
    now: i64,
    busy: bool,
    command: &mut Option<Command>,
) -> bool {
    if k.state == KeyState::Signing {
        ui.label(RichText::new("The signing key: promote another key to replace it; it cannot be revoked while it signs.").weak());
        return false;
    }
    let name = k.name();
    let promote_wait = promote_after(k).filter(|t| now < *t);
    let revoke_wait = revoke_after(stack, k).filter(|t| now < *t);
    ui.horizontal_wrapped(|ui| {
        let steps = [
            ("Promote", Step::Promote(k.thumbprint.clone()), promote_wait),
            ("Revoke", Step::Revoke(k.thumbprint.clone()), revoke_wait),
        ];
        for (verb, step, wait) in steps {
            let enabled = !busy && (wait.is_none() || s.force);
            let button = ui
                .add_enabled(enabled, egui::Button::new(verb))
                .accessible_name(format!("{verb} {name}"));
            if button.clicked() {
                *command = Some(Command::Plan(step.clone()));
            }
            if verb == "Promote" && !unseen.is_empty() {
                // A time alone would promise what the core will refuse.
                let text = format!(
                    "Promote not possible yet: {} cannot verify its tokens (the Checks tab names the compose lines)",
                    unseen.join(", ")
                );
                ui.label(RichText::new(text).color(BAD));
            } else if let Some(t) = wait {
                let text = format!("{verb} possible {}", when(now, t));
                ui.label(RichText::new(text).color(WARN));
            }
            if let Some((planned, Err(e))) = &s.plan
                && *planned == step
            {
                ui.label(RichText::new(esc(&format!("{verb} not possible: {e}"))).color(BAD));
            }
        }
    });
    if k.state == KeyState::VerifyOnly {
        ui.label(
            RichText::new(
                "No # supajwt: record for this key: its history is unknown, so Revoke needs Force.",
            )
            .weak(),
        );
    }
    if !k.signed.is_empty() {
        ui.label(
            RichText::new(esc(&format!(
                "Still signs {}: revoking it would break them until they are re-minted.",
                k.signed.join(", ")
            )))
            .weak(),
        );
    }
    promote_wait.is_some() || revoke_wait.is_some()
}

fn plan_ui(
    ui: &mut Ui,
    s: &mut SigningKeys,
    stack: Option<&Stack>,
    save_path: Option<&Path>,
    ctx: &mut Ctx<'_>,
    command: &mut Option<Command>,
) {
    if let Some(step) = &s.planning {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(esc(&format!("Planning: {}…", step.title(stack))));
        });
        return;
    }
    let Some((step, result)) = &s.plan else {
        ui.label(RichText::new("Choose Add, Promote or Revoke to see its plan: the .env diff, the matrix after it and the steps.").weak());
        return;
    };
    ui.strong(esc(&format!("Plan: {}", step.title(stack))));
    let planned = match result {
        Err(e) => {
            ui.label(RichText::new(esc(&format!("Not possible: {e}"))).color(BAD));
            return;
        }
        Ok(p) => p,
    };
    planned_ui(ui, s.reveal_diff, planned, save_path, ctx, command);
    let reveal = if s.reveal_diff {
        "Hide private lines"
    } else {
        "Reveal private lines"
    };
    if ui.button(reveal).clicked() {
        s.reveal_diff = !s.reveal_diff;
    }
}

fn planned_ui(
    ui: &mut Ui,
    reveal: bool,
    planned: &Planned,
    save_path: Option<&Path>,
    ctx: &mut Ctx<'_>,
    command: &mut Option<Command>,
) {
    let plan = &planned.plan;
    ui.label(".env diff (lines with private keys or secrets are masked):");
    diff_ui(ui, &plan.diff, reveal);
    ui.strong("Who accepts what after this step");
    matrix_grid_ui(ui, "after", &planned.after);
    ui.strong("Steps");
    for (i, step) in plan.steps.iter().enumerate() {
        ui.label(esc(&format!("{}. {step}", i + 1)));
    }
    ui.horizontal_wrapped(|ui| {
        match save_path {
            Some(path) => {
                let shown = path.display().to_string();
                if ui
                    .button(esc(&format!("Save to {shown}")))
                    .on_hover_text(
                        "Writes a .env.bak.<UTC time> backup first, then the new .env (mode 0600)",
                    )
                    .clicked()
                {
                    *command = Some(Command::SaveInPlace(path.to_path_buf()));
                }
            }
            None => {
                ui.label(
                    RichText::new(
                        "Save in place needs the .env opened from a file (Open file… or a drop):",
                    )
                    .weak(),
                );
            }
        }
        copy_save_ui(
            ui,
            ctx,
            "the new .env",
            Shown::Secret(&plan.new_env),
            ".env",
        );
        if ui.button("Discard plan").clicked() {
            *command = Some(Command::Discard);
        }
    });
}
