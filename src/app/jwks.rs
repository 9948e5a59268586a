//! The JWKS pane: load a key set from a file, a paste or a URL and list its keys.

use super::state::{Action, AppState};
use super::tasks::OpenTarget;
use super::widgets::{BAD, GOOD, WARN, esc, note_ui, text_area_ui, text_field_ui, value_block_ui};
use crate::core::keys::{Key, KeySet, jwks_value, load_keys, thumbprint};
use egui::{RichText, Ui};

/// State of the JWKS pane.
#[derive(Default)]
pub struct JwksState {
    /// Pasted JSON.
    pub paste: String,
    /// URL, project URL or project ref.
    pub url: String,
    /// The loaded set.
    pub loaded: Option<LoadedSet>,
    /// Why the last load failed.
    pub error: Option<String>,
    /// Increments per fetch; a result from an older fetch is ignored (Cancel).
    pub generation: u64,
}

/// A key set and where it came from.
pub struct LoadedSet {
    /// The keys.
    pub set: KeySet,
    /// "pasted JSON", a file name or a URL.
    pub source: String,
}

impl JwksState {
    /// Loads key-set text; a single key or PEM is accepted too (as a set of one).
    pub fn load_text(&mut self, text: &str, source: &str) {
        match load_keys(text) {
            Ok(set) => self.set_loaded(set, source.to_string()),
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Replaces the loaded set.
    pub fn set_loaded(&mut self, set: KeySet, source: String) {
        self.error = None;
        self.loaded = Some(LoadedSet { set, source });
    }
}

/// Draws the pane.
pub fn jwks_ui(ui: &mut Ui, state: &mut AppState, actions: &mut Vec<Action>) {
    ui.horizontal(|ui| {
        if ui.button("Open file…").clicked() {
            actions.push(Action::Open(OpenTarget::Jwks));
        }
        ui.label(RichText::new("or drop a .json / .pem file on the window").weak());
    });
    ui.add_space(6.0);
    let fetching = state.busy.fetching.is_some();
    ui.horizontal(|ui| {
        let submitted = ui
            .add_enabled_ui(!fetching, |ui| {
                ui.set_max_width(ui.available_width() - 170.0);
                text_field_ui(
                    ui,
                    "URL or project ref",
                    &mut state.jwks.url,
                    "abcdefghijklmnopqrst · https://<ref>.supabase.co · http://localhost:8000",
                )
            })
            .inner
            .lost_focus()
            && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if fetching {
            ui.spinner();
            if ui.button("Cancel").clicked() {
                actions.push(Action::CancelFetch);
            }
        } else if ui
            .button("Fetch")
            .on_hover_text("The only network request supajwt makes")
            .clicked()
            || submitted
        {
            actions.push(Action::FetchJwks);
        }
    });
    ui.add_space(6.0);
    text_area_ui(
        ui,
        "Pasted JWKS / JWT_KEYS / JWK / PEM",
        &mut state.jwks.paste,
        "{\"keys\":[...]}",
        3,
    );
    if ui.button("Load pasted").clicked() {
        actions.push(Action::LoadJwksPaste);
    }
    if let Some(e) = &state.jwks.error {
        note_ui(ui, Some(BAD), e);
    }
    ui.separator();
    match &state.jwks.loaded {
        None => {
            ui.label(RichText::new("No key set loaded.").weak());
        }
        Some(loaded) => loaded_ui(ui, loaded, actions),
    }
}

fn loaded_ui(ui: &mut Ui, loaded: &LoadedSet, actions: &mut Vec<Action>) {
    let set = &loaded.set;
    ui.label(
        RichText::new(format!(
            "{} key(s) from {} — {}",
            set.keys.len(),
            esc(&loaded.source),
            set.shape.label()
        ))
        .strong(),
    );
    for w in &set.warnings {
        let loud = w.exposes_secrets();
        note_ui(
            ui,
            Some(if loud { BAD } else { WARN }),
            &format!("Warning: {w}"),
        );
    }
    egui::Grid::new("jwks_grid")
        .striped(true)
        .num_columns(8)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for h in [
                "kid",
                "kty",
                "alg",
                "crv / size",
                "use",
                "key_ops",
                "RFC 7638 thumbprint",
                "material",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for key in &set.keys {
                key_row_ui(ui, key);
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    let public: Vec<Key> = set
        .keys
        .iter()
        .filter(|k| k.kty() != "oct")
        .map(Key::public_only)
        .collect();
    if !public.is_empty() {
        let text = crate::core::escape::pretty_json(&jwks_value(&public, false));
        value_block_ui(
            ui,
            actions,
            "Public JWKS (safe to publish)",
            &text,
            false,
            "jwks.json",
        );
    }
}

fn key_row_ui(ui: &mut Ui, key: &Key) {
    ui.monospace(esc(key.kid.as_deref().unwrap_or("—")));
    ui.label(key.kty());
    ui.label(esc(key.alg.as_deref().unwrap_or("—")));
    ui.label(match key.rsa_bits() {
        Some(bits) => format!("{bits} bits"),
        None => key.kind_label().replace("EC ", ""),
    });
    ui.label(esc(key.key_use.as_deref().unwrap_or("—")));
    ui.label(esc(&key
        .key_ops
        .as_ref()
        .map_or("—".into(), |o| o.join(", "))));
    ui.monospace(thumbprint(key));
    if key.kty() == "oct" {
        ui.label(RichText::new("SHARED SECRET").color(BAD).strong());
    } else if key.has_private() {
        ui.label(RichText::new("PRIVATE").color(BAD).strong());
    } else {
        ui.label(RichText::new("public").color(GOOD));
    }
}
