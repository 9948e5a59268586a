//! Drawing the Mint pane: the inputs, each with its own error next to it, and the outputs with
//! labels and secret-ness taken from the token's actual role.

use super::minted::{Field, FieldError, Minted, Outcome};
use super::{Command, EXPIRY_PRESETS, MintPane, Signer};
use crate::app::ring_view::RingRows;
use crate::app::shared::Ctx;
use crate::app::sql_copy::copy_as_sql_ui;
use crate::app::value_block::{copy_button_ui, value_block_ui};
use crate::app::vocab::{Action, Intent, Pane};
use crate::app::widgets::{
    BAD, WARN, esc, json_view_ui, secret_field_ui, text_area_ui, text_field_ui,
};
use crate::jose::alg::Alg;
use crate::jose::classified::Shown;
use crate::jose::secret::SecretString;
use crate::supabase::mint::MintRole;
use egui::{RichText, Ui};
use serde_json::Value;
use std::borrow::Cow;

/// Shows `error` here if it belongs to one of `fields`.
fn field_error_ui(ui: &mut Ui, outcome: &Outcome, fields: &[Field]) {
    let Some(Err(FieldError { field, message })) = outcome else {
        return;
    };
    if !fields.contains(field) {
        return;
    }
    let text = RichText::new(esc(message));
    ui.label(if *field == Field::NeedsKey {
        text.weak()
    } else {
        text.color(BAD)
    });
}

/// A public demo secret: refused unless allowed for local testing, with the fix one click away;
/// a token minted with it anyway is labelled so.
fn demo_secret_ui(ui: &mut Ui, m: &mut MintPane, ctx: &mut Ctx<'_>) {
    let Some(what) = m.demo_signer(&ctx.shared.ring) else {
        return;
    };
    field_error_ui(ui, &m.output, &[Field::DemoSecret]);
    ui.horizontal_wrapped(|ui| {
        if ui.button("Generate a new secret…").clicked() {
            ctx.send(Action::Go {
                pane: Pane::Keys,
                intent: Intent::GenerateKey(Alg::HS256),
            });
        }
        ui.checkbox(
            &mut m.allow_demo_secret,
            "Mint with the demo secret anyway (local testing only)",
        );
    });
    if m.allow_demo_secret && matches!(m.output, Some(Ok(_))) {
        ui.label(
            RichText::new(esc(&format!(
                "Signed with {what}: for local testing only. Anyone can forge tokens with this secret; never use this token on a reachable stack."
            )))
            .color(BAD),
        );
    }
}

/// The whole pane.
pub fn mint_ui(ui: &mut Ui, m: &mut MintPane, ctx: &mut Ctx<'_>) {
    m.clock.ui(ui);
    ui.horizontal(|ui| {
        ui.label("Role:");
        ui.selectable_value(&mut m.role, MintRole::Anon, "anon");
        ui.selectable_value(&mut m.role, MintRole::ServiceRole, "service_role");
        ui.selectable_value(&mut m.role, MintRole::Authenticated, "authenticated (user)");
    });
    // The warning follows the role the token will carry, not the preset.
    if m.role_claim() == "service_role" {
        let text = if m.role == MintRole::ServiceRole {
            "service_role bypasses Row Level Security — keep it server-side."
        } else {
            "The extra claims make this a service_role token: it bypasses Row Level Security — keep it server-side."
        };
        ui.label(RichText::new(text).color(BAD));
    }
    text_field_ui(
        ui,
        "iss",
        &mut m.iss,
        "default: supabase (user tokens with a ref: https://<ref>.supabase.co/auth/v1)",
    );
    text_field_ui(
        ui,
        "Project ref",
        &mut m.project_ref,
        "optional, adds \"ref\"",
    );
    if m.role == MintRole::Authenticated {
        text_field_ui(ui, "sub (user id)", &mut m.sub, "default: a random UUID");
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Expires in:");
        for p in EXPIRY_PRESETS {
            if ui.selectable_label(m.expiry == p, p).clicked() {
                m.expiry = p.to_string();
            }
        }
    });
    text_field_ui(ui, "Custom expiry", &mut m.expiry, "90d, 12h, 3600");
    field_error_ui(ui, &m.output, &[Field::Expiry]);
    text_area_ui(
        ui,
        "Extra claims (JSON object, overrides the preset)",
        &mut m.extra,
        "{\"email\":\"a@example.com\"}",
        2,
    );
    field_error_ui(ui, &m.output, &[Field::Extra]);
    signer_ui(ui, m);
    field_error_ui(ui, &m.output, &[Field::NeedsKey, Field::Key]);
    demo_secret_ui(ui, m, ctx);
    ui.horizontal(|ui| {
        if ui.button(RichText::new("Mint token").strong()).clicked() {
            m.command = Some(Command::Mint);
        }
        if m.minting.is_some() {
            ui.spinner();
            ui.label("minting…");
        }
    });
    field_error_ui(ui, &m.output, &[Field::Output]);
    if let Some(Ok(minted)) = &m.output {
        minted_ui(ui, ctx, minted, "Token", "token.jwt", "Copy as");
        if let Some(claims) = &minted.claims {
            ui.collapsing("Decoded payload", |ui| json_view_ui(ui, claims));
        }
    }
    ui.separator();
    resign_ui(ui, m, ctx);
}

/// A made token: the value (masked when secret), "Copy as NAME=…" from its actual role, and
/// "Open in Decode".
fn minted_ui(
    ui: &mut Ui,
    ctx: &mut Ctx<'_>,
    minted: &Minted,
    title: &str,
    file_name: &str,
    copy_as: &str,
) {
    let token = minted.token.expose();
    let secret = minted.is_secret();
    value_block_ui(ui, ctx, title, Shown::by(token, secret), file_name);
    if let Some(note) = minted.role_note() {
        ui.label(RichText::new(esc(&note)).color(WARN));
    }
    ui.horizontal_wrapped(|ui| {
        if let Some(name) = minted.env_name() {
            let line = SecretString::new(format!("{name}={token}"));
            copy_button_ui(
                ui,
                ctx,
                &format!("{copy_as} {name}=…"),
                Shown::by(line.expose(), secret),
            );
        }
        if ui.button("Open in Decode").clicked() {
            ctx.send(Action::OpenToken {
                text: token.to_string(),
                pane: Pane::Decode,
            });
        }
        copy_as_sql_ui(ui, ctx, || {
            minted
                .claims
                .as_ref()
                .and_then(Value::as_object)
                .map(Cow::Borrowed)
        });
    });
}

fn resign_ui(ui: &mut Ui, m: &mut MintPane, ctx: &mut Ctx<'_>) {
    ui.strong("Re-sign an existing token (rotation): same payload, new key");
    if text_area_ui(ui, "Token to re-sign", &mut m.resign_input, "eyJ…", 2).changed() {
        ctx.send(Action::SetToken(m.resign_input.clone()));
    }
    field_error_ui(ui, &m.resign_output, &[Field::Token]);
    if let Some(w) = &m.resign_warning {
        ui.label(RichText::new(esc(w)).color(WARN));
    }
    ui.horizontal(|ui| {
        if ui.button("Re-sign with the key above").clicked() {
            m.command = Some(Command::Resign);
        }
        if m.resigning.is_some() {
            ui.spinner();
            ui.label("re-signing…");
        }
    });
    field_error_ui(
        ui,
        &m.resign_output,
        &[Field::NeedsKey, Field::Key, Field::Output],
    );
    if let Some(Ok(minted)) = &m.resign_output {
        minted_ui(
            ui,
            ctx,
            minted,
            "Re-signed token",
            "resigned.jwt",
            "Copy re-signed as",
        );
    }
}

fn signer_ui(ui: &mut Ui, m: &mut MintPane) {
    let rows: &RingRows = &m.ring_rows;
    ui.horizontal_wrapped(|ui| {
        ui.label("Sign with:");
        let mut chosen = ui
            .selectable_value(&mut m.signer, Signer::Secret, "a secret (HS256)")
            .clicked();
        for row in rows.rows.iter().filter(|r| r.can_sign) {
            let choice = ui.selectable_value(&mut m.signer, Signer::Ring(row.id), row.summary());
            chosen |= choice.clicked();
            if let Some(kid) = &row.kid {
                choice.on_hover_text(format!("kid {kid}\nthumbprint {}", row.thumbprint));
            }
        }
        m.signer_chosen |= chosen;
    });
    if m.signer == Signer::Secret
        && secret_field_ui(ui, "Signing secret", &mut m.secret, &mut m.show_secret).changed()
    {
        m.signer_chosen = true;
    }
}
