//! The Signing keys view's two tables: the verdict matrix as a coloured grid (accepted green,
//! refused red, not checked grey; the service's words on hover and, for refusals, listed below
//! it) with the wiring it assumed, and a step's `.env` diff with the lines that hold private
//! keys or secrets masked until revealed.

use crate::app::value_block::masked;
use crate::app::widgets::{BAD, GOOD, esc};
use crate::supabase::lifecycle::matrix::Matrix;
use egui::{Color32, RichText, Ui};

/// The matrix as a grid; `id` tells two grids of one view apart ("now", "after").
pub fn matrix_grid_ui(ui: &mut Ui, id: &str, matrix: &Matrix) {
    ui.label(RichText::new(esc(&format!("Wiring: {}", matrix.wiring))).weak());
    egui::ScrollArea::horizontal()
        .id_salt(("matrix_scroll", id))
        .show(ui, |ui| {
            egui::Grid::new(("matrix_grid", id))
                .striped(true)
                .num_columns(matrix.services.len() + 1)
                .show(ui, |ui| {
                    ui.strong("token");
                    for s in &matrix.services {
                        ui.strong(*s);
                    }
                    ui.end_row();
                    for row in &matrix.rows {
                        let Some(first) = row.first() else { continue };
                        ui.label(esc(&first.token));
                        for c in row {
                            let (text, color) = match c.accepted {
                                Some(true) => ("accepted", GOOD),
                                Some(false) => ("REFUSED", BAD),
                                None => ("not checked", Color32::GRAY),
                            };
                            let mut shown = RichText::new(text).color(color);
                            if c.accepted == Some(false) {
                                shown = shown.strong();
                            }
                            ui.label(shown).on_hover_text(esc(&c.reason));
                        }
                        ui.end_row();
                    }
                });
        });
    let refused: Vec<_> = matrix
        .cells()
        .filter(|c| c.accepted == Some(false))
        .collect();
    if refused.is_empty() {
        ui.label(
            RichText::new("No cell refused: nobody checked here gets a 401. Hover a cell for the service's reason.")
                .color(GOOD),
        );
    }
    for c in refused {
        ui.label(
            RichText::new(esc(&format!(
                "Refused: {} at {}: {}",
                c.token, c.service, c.reason
            )))
            .color(BAD),
        );
    }
}

/// The variables whose values are public (shown in the diff as they are; `JWT_JWKS` only
/// without an `oct` key); every other variable's line is masked until revealed.
const PUBLIC_VARS: [&str; 6] = [
    "JWT_JWKS",
    "ANON_KEY",
    "ANON_KEY_ASYMMETRIC",
    "SUPABASE_PUBLISHABLE_KEY",
    "JWT_EXPIRY",
    "GOTRUE_JWT_VALID_METHODS",
];

/// Whether a diff line (`+…` / `-…`) may hold a secret: any variable not known to be public
/// (`JWT_KEYS` holds private keys), and `JWT_JWKS` when it carries the shared secret; comment
/// lines (the `# supajwt:` records) are public.
pub fn private_line(line: &str) -> bool {
    let body = line.strip_prefix(['+', '-']).unwrap_or(line).trim_start();
    if body.starts_with('#') || body.is_empty() {
        return false;
    }
    let (name, value) = body.split_once('=').unwrap_or((body, ""));
    let name = name.trim();
    let name = name.strip_prefix("export ").unwrap_or(name).trim();
    if name == "JWT_JWKS" {
        return holds_shared_secret(value);
    }
    !PUBLIC_VARS.contains(&name)
}

/// Whether a `JWT_JWKS` value holds a shared secret: upstream's (and a legacy-only `key add`'s)
/// carries the `oct` key, whose `k` is `JWT_SECRET`. Unreadable: assumed to.
fn holds_shared_secret(value: &str) -> bool {
    let value = value.trim();
    let inner = ['\'', '"']
        .into_iter()
        .find_map(|q| value.strip_prefix(q).and_then(|v| v.strip_suffix(q)))
        .unwrap_or(value);
    match serde_json::from_str::<serde_json::Value>(inner) {
        Ok(set) => set
            .get("keys")
            .and_then(|k| k.as_array())
            .is_none_or(|keys| keys.iter().any(|k| k.get("k").is_some())),
        Err(_) => true,
    }
}

/// The diff as monospace lines, private ones masked ("+JWT_KEYS=•••••• (812 chars)") unless
/// `reveal`.
pub fn diff_ui(ui: &mut Ui, diff: &[String], reveal: bool) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        for line in diff {
            let color = if line.starts_with('+') { GOOD } else { BAD };
            let shown = if private_line(line) && !reveal {
                match line.split_once('=') {
                    Some((head, value)) => format!("{}={}", esc(head), masked(value)),
                    None => masked(line),
                }
            } else {
                esc(line).into_owned()
            };
            ui.add(egui::Label::new(RichText::new(shown).monospace().color(color)).wrap());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::private_line;

    #[test]
    fn key_lines_are_private_records_and_public_keys_are_not() {
        assert!(private_line(r#"+JWT_KEYS=[{"d":"x"}]"#));
        assert!(private_line("-JWT_SECRET=abc"));
        assert!(private_line("+SERVICE_ROLE_KEY_ASYMMETRIC=eyJ"));
        assert!(!private_line(r#"+JWT_JWKS={"keys":[]}"#));
        assert!(!private_line(
            "+# supajwt: key k standby since 2026-03-01T00:00:00Z"
        ));
        assert!(!private_line("+ANON_KEY_ASYMMETRIC=eyJ"));
        // The oct key in JWT_JWKS is JWT_SECRET itself (seen unmasked under Xvfb).
        assert!(private_line(
            r#"+JWT_JWKS={"keys":[{"kty":"EC","x":"a"},{"kty":"oct","k":"c2VjcmV0"}]}"#
        ));
        assert!(private_line(
            r#"+JWT_JWKS='{"keys":[{"kty":"oct","k":"eA"}]}'"#
        ));
        assert!(!private_line(
            r#"+JWT_JWKS='{"keys":[{"kty":"EC","x":"a"}]}'"#
        ));
        assert!(private_line("+JWT_JWKS={not json"));
    }
}
