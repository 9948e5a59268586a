//! The JWKS pane's table of a loaded key set, computed once per load; it scrolls sideways in a
//! narrow window.

use crate::app::shared::Ctx;
use crate::app::value_block::value_block_ui;
use crate::app::widgets::{BAD, GOOD, WARN, esc, note_ui};
use crate::jose::classified::Shown;
use crate::jose::keys::{Key, KeySet, jwks_value, thumbprint};
use egui::{RichText, Ui};

/// A key set and where it came from, with what the table shows (computed once).
pub struct LoadedSet {
    /// The keys.
    pub set: KeySet,
    /// "pasted JSON", a file name or a URL.
    pub source: String,
    /// The public half as a JWKS, pretty-printed ("" when there is none).
    public_jwks: String,
    /// One row of table cells per key.
    rows: Vec<Row>,
}

struct Row {
    kid: String,
    kty: &'static str,
    alg: String,
    size: String,
    key_use: String,
    key_ops: String,
    thumbprint: String,
    material: Material,
}

#[derive(Clone, Copy)]
enum Material {
    Secret,
    Private,
    Public,
}

impl LoadedSet {
    /// Computes the table of `set`.
    pub fn new(set: KeySet, source: String) -> LoadedSet {
        let public = set.public_keys();
        let public_jwks = if public.is_empty() {
            String::new()
        } else {
            crate::safe_text::escape::pretty_json(&jwks_value(&public, false))
        };
        let rows = set.keys.iter().map(Row::new).collect();
        LoadedSet {
            set,
            source,
            public_jwks,
            rows,
        }
    }
}

impl Row {
    fn new(key: &Key) -> Row {
        Row {
            kid: esc(key.kid.as_deref().unwrap_or("—")).into_owned(),
            kty: key.kty(),
            alg: esc(key.alg.as_deref().unwrap_or("—")).into_owned(),
            size: match key.rsa_bits() {
                Some(bits) => format!("{bits} bits"),
                None => key.kind_label().replace("EC ", ""),
            },
            key_use: esc(key.key_use.as_deref().unwrap_or("—")).into_owned(),
            key_ops: esc(&key.key_ops.as_ref().map_or("—".into(), |o| o.join(", "))).into_owned(),
            thumbprint: thumbprint(key),
            material: if key.kty() == "oct" {
                Material::Secret
            } else if key.has_private() {
                Material::Private
            } else {
                Material::Public
            },
        }
    }
}

/// The loaded set: its source, warnings, the key table (scrolls sideways) and the public JWKS.
pub fn loaded_ui(ui: &mut Ui, loaded: &LoadedSet, ctx: &mut Ctx<'_>) {
    let set = &loaded.set;
    ui.label(
        RichText::new(format!(
            "{} from {} — {}",
            crate::app::widgets::count(set.keys.len(), "key", "keys"),
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
    egui::ScrollArea::horizontal()
        .id_salt("jwks_grid_scroll")
        .show(ui, |ui| keys_grid_ui(ui, loaded));
    ui.add_space(6.0);
    if !loaded.public_jwks.is_empty() {
        value_block_ui(
            ui,
            ctx,
            "Public JWKS (safe to publish)",
            Shown::Public(&loaded.public_jwks),
            "jwks.json",
        );
    }
}

fn keys_grid_ui(ui: &mut Ui, loaded: &LoadedSet) {
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
            for row in &loaded.rows {
                row_ui(ui, row);
                ui.end_row();
            }
        });
}

fn row_ui(ui: &mut Ui, row: &Row) {
    ui.monospace(&row.kid);
    ui.label(row.kty);
    ui.label(&row.alg);
    ui.label(&row.size);
    ui.label(&row.key_use);
    ui.label(&row.key_ops);
    ui.monospace(&row.thumbprint);
    match row.material {
        Material::Secret => ui.label(RichText::new("SHARED SECRET").color(BAD).strong()),
        Material::Private => ui.label(RichText::new("PRIVATE").color(BAD).strong()),
        Material::Public => ui.label(RichText::new("public").color(GOOD)),
    };
}
