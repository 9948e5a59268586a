//! The key ring as people read it: alg, a short kid, a short RFC 7638 thumbprint (two RSA keys
//! of the same size tell apart by it), where the key came from and which half it holds. Rows
//! are computed once per ring revision, in a pane's `update`.

use super::shared::{Ctx, KeyRing};
use super::vocab::{Action, RingKey};
use super::widgets::{BAD, GOOD, WARN, esc};
use crate::jose::keys::{KeyMaterial, thumbprint};
use egui::{RichText, Ui};

/// Characters of a kid shown before "…".
const KID_CHARS: usize = 8;
/// Characters of the thumbprint shown.
const THUMBPRINT_CHARS: usize = 10;

/// One ring entry, ready to show.
pub struct RingRow {
    /// The ring id (Remove, Mint's signer).
    pub id: u64,
    /// "ES256 · EC P-256".
    pub alg: String,
    /// The full kid (escaped), if any.
    pub kid: Option<String>,
    /// The full RFC 7638 thumbprint.
    pub thumbprint: String,
    /// "generated", "imported from key.pem", "JWKS https://…", "config JWT_SECRET".
    pub origin: String,
    /// "private", "public" or "secret".
    pub half: &'static str,
    /// Whether it can sign (private half or secret).
    pub can_sign: bool,
}

impl RingRow {
    /// Reads one entry.
    pub fn new(entry: &RingKey) -> RingRow {
        let key = &entry.key;
        let alg = match crate::jose::sign::default_alg(key) {
            Ok(alg) => format!("{} · {}", alg.name(), key.kind_label()),
            Err(_) => key.kind_label(),
        };
        let half = match key.material {
            KeyMaterial::Hmac { .. } => "secret",
            _ if key.has_private() => "private",
            _ => "public",
        };
        RingRow {
            id: entry.id,
            alg,
            kid: key.kid.as_deref().map(|k| esc(k).into_owned()),
            thumbprint: thumbprint(key),
            origin: esc(&entry.origin.describe()).into_owned(),
            half,
            can_sign: key.has_private(),
        }
    }

    /// The kid's first characters and "…" when it is longer.
    pub fn short_kid(&self) -> Option<String> {
        let kid = self.kid.as_deref()?;
        let mut short: String = kid.chars().take(KID_CHARS).collect();
        if short.len() < kid.len() {
            short.push('…');
        }
        Some(short)
    }

    /// The thumbprint's first characters.
    pub fn short_thumbprint(&self) -> String {
        self.thumbprint.chars().take(THUMBPRINT_CHARS).collect()
    }

    /// One line: "ES256 · EC P-256 · kid 3f2a9c1b… · 7Hk2pQ9xLm · generated".
    pub fn summary(&self) -> String {
        let kid = self
            .short_kid()
            .map_or_else(|| "no kid".to_string(), |k| format!("kid {k}"));
        format!(
            "{} · {kid} · {} · {}",
            self.alg,
            self.short_thumbprint(),
            self.origin
        )
    }

    /// What names the entry for its Remove button: the kid, else the short thumbprint.
    pub fn name(&self) -> String {
        self.kid.clone().unwrap_or_else(|| self.short_thumbprint())
    }
}

/// The ring's rows, recomputed when the ring changes.
#[derive(Default)]
pub struct RingRows {
    rev: Option<u64>,
    /// One per entry, in ring order.
    pub rows: Vec<RingRow>,
}

impl RingRows {
    /// Recomputes the rows if the ring changed since the last call.
    pub fn refresh(&mut self, ring: &KeyRing) {
        if self.rev != Some(ring.rev) {
            self.rev = Some(ring.rev);
            self.rows = ring.entries.iter().map(RingRow::new).collect();
        }
    }
}

/// The ring as a list: one wrapped line per key with its Inspect / export and Remove buttons,
/// and Clear all. Returns the key whose "Inspect / export" was clicked.
pub fn ring_list_ui(ui: &mut Ui, rows: &RingRows, ctx: &mut Ctx<'_>) -> Option<u64> {
    let mut inspect = None;
    ui.strong(format!(
        "Key ring ({}, this session only, never saved)",
        super::widgets::count(rows.rows.len(), "key", "keys")
    ));
    for row in &rows.rows {
        ui.horizontal_wrapped(|ui| {
            ui.monospace(&row.alg);
            match (row.short_kid(), &row.kid) {
                (Some(short), Some(full)) => {
                    ui.label(format!("kid {short}"))
                        .on_hover_text(format!("kid {full}"));
                }
                _ => {
                    ui.label(RichText::new("no kid").weak());
                }
            }
            ui.label(RichText::new(format!("thumbprint {}", row.short_thumbprint())).monospace())
                .on_hover_text(format!("RFC 7638 thumbprint (SHA-256) {}", row.thumbprint));
            let color = match row.half {
                "public" => GOOD,
                "secret" => BAD,
                _ => WARN,
            };
            ui.label(RichText::new(row.half).color(color));
            ui.label(RichText::new(&row.origin).weak());
            if ui
                .small_button("Inspect / export")
                .accessible_name(format!("Inspect / export {}", row.name()))
                .on_hover_text("Show what this key is and every format it exports to")
                .clicked()
            {
                inspect = Some(row.id);
            }
            if ui
                .small_button("Remove")
                .accessible_name(format!("Remove {}", row.name()))
                .clicked()
            {
                ctx.send(Action::RemoveRingKey(row.id));
            }
        });
    }
    if !rows.rows.is_empty() && ui.button("Clear all").clicked() {
        ctx.send(Action::ClearRing);
    }
    inspect
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kid: Option<&str>) -> RingRow {
        RingRow {
            id: 1,
            alg: "ES256 · EC P-256".into(),
            kid: kid.map(str::to_owned),
            thumbprint: "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs".into(),
            origin: "generated".into(),
            half: "private",
            can_sign: true,
        }
    }

    #[test]
    fn long_kids_are_shortened_and_short_ones_kept() {
        assert_eq!(row(Some("0123456789")).short_kid().unwrap(), "01234567…");
        assert_eq!(row(Some("é-kid")).short_kid().unwrap(), "é-kid");
        assert_eq!(
            row(None).summary(),
            "ES256 · EC P-256 · no kid · NzbLsXh8uD · generated"
        );
        assert_eq!(row(None).name(), "NzbLsXh8uD");
        assert_eq!(row(Some("k")).name(), "k");
    }
}
