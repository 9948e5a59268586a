//! The Keys pane's "Existing JWT_SECRET": the ring's configuration secret as a one-click
//! choice, and a warning when the legacy secret kept is a public demo value.

use super::{Command, KeysPane};
use crate::app::shared::Ctx;
use crate::app::vocab::{KeyOrigin, RingKey};
use crate::app::widgets::{BAD, WARN, esc};
use crate::jose::keys::KeyMaterial;
use crate::jose::secret::SecretString;
use crate::supabase::roles::demo_secret_key;
use egui::{RichText, Ui};

/// The text of a ring secret read from a configuration (its JWT_SECRET), if `entry` is one.
pub fn ring_secret_text(entry: &RingKey) -> Option<SecretString> {
    let KeyOrigin::Config(_) = entry.origin else {
        return None;
    };
    let KeyMaterial::Hmac { secret, .. } = &entry.key.material else {
        return None;
    };
    std::str::from_utf8(secret.expose())
        .ok()
        .map(|s| SecretString::new(s.to_string()))
}

/// The ring's configuration secrets as one-click choices for "Existing JWT_SECRET" (a public
/// demo one is named, not offered: keeping it verifying lets anyone forge tokens), and a
/// warning when the typed one is public.
pub fn legacy_choices_ui(ui: &mut Ui, k: &mut KeysPane, ctx: &Ctx<'_>) {
    for entry in &ctx.shared.ring.entries {
        if ring_secret_text(entry).is_none() {
            continue;
        }
        let from = entry.origin.describe();
        match demo_secret_key(&entry.key) {
            Some(what) => {
                ui.label(
                    RichText::new(esc(&format!(
                        "The key ring's {from} is {what}: not offered here, since keeping it verifying lets anyone forge tokens."
                    )))
                    .color(WARN),
                );
            }
            None => {
                if ui
                    .button(format!("Use the key ring's {}", esc(&from)))
                    .on_hover_text("Keep the configuration's JWT_SECRET as the legacy HS256 key in the .env block")
                    .clicked()
                {
                    k.command = Some(Command::UseRingSecret(entry.id));
                }
            }
        }
    }
    let typed = k.legacy_secret.expose();
    if !typed.is_empty()
        && let Ok(key) =
            crate::jose::keys::secret_key(typed, crate::jose::b64::SecretEncoding::Text)
        && let Some(what) = demo_secret_key(&key)
    {
        ui.label(
            RichText::new(esc(&format!(
                "This JWT_SECRET is {what}: it is public, so keeping it as a legacy key lets anyone forge tokens. Leave the field empty, or rotate it (Doctor › Rotation assistant)."
            )))
            .color(BAD),
        );
    }
}
