//! Widgets every pane uses: labelled fields, secret fields, JSON views and the verdict banner
//! (copyable values are in `value_block`). Each input has an accessible label (screen readers
//! and UI tests use it).

use crate::jose::secret::SecretString;
pub use crate::safe_text::escape::escape_for_terminal as esc;
use egui::text::LayoutJob;
use egui::{Color32, FontId, RichText, TextEdit, TextFormat, Ui};

/// Green for good news.
pub const GOOD: Color32 = Color32::from_rgb(62, 180, 120);
/// Red for rejections and errors.
pub const BAD: Color32 = Color32::from_rgb(220, 70, 70);
/// Amber for warnings.
pub const WARN: Color32 = Color32::from_rgb(225, 160, 40);

/// The most characters a field accepts: above every input cap of the core, so oversized input
/// still gets the core's "too large" message, but bounded so a huge paste cannot stall layout.
pub const FIELD_CHAR_LIMIT: usize = 1_100_000;

/// Cuts an oversized input down to a short prefix and returns its original size.
pub fn cut_oversized(text: &mut String, limit: usize) -> Option<usize> {
    if text.len() <= limit {
        return None;
    }
    let size = text.len();
    let mut cut = 2048.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    Some(size)
}

/// "1 key", "2 keys", "0 keys": a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A button as wide as the widest of `widths_of` (its other labels): a toggle ("Reveal" /
/// "Hide") or a button that answers on itself ("Copy" / "Copied!") keeps its size, so the
/// buttons beside it do not move under the pointer.
pub fn steady_button<'a>(
    ui: &Ui,
    text: impl egui::IntoAtoms<'a>,
    widths_of: &[&str],
) -> egui::Button<'a> {
    let widest = widths_of
        .iter()
        .map(|label| {
            egui::WidgetText::from(*label)
                .into_galley(
                    ui,
                    Some(egui::TextWrapMode::Extend),
                    f32::INFINITY,
                    egui::TextStyle::Button,
                )
                .size()
                .x
        })
        .fold(0.0, f32::max);
    let padding = ui.spacing().button_padding.x * 2.0;
    egui::Button::new(text).min_size(egui::vec2(widest + padding, 0.0))
}

/// A one-line text field with a visible, accessible label.
pub fn text_field_ui(ui: &mut Ui, label: &str, value: &mut String, hint: &str) -> egui::Response {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(
            TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id)
    })
    .inner
}

/// A multi-line monospace text field with a label above it.
pub fn text_area_ui(
    ui: &mut Ui,
    label: &str,
    value: &mut dyn egui::TextBuffer,
    hint: &str,
    rows: usize,
) -> egui::Response {
    let l = ui.label(label);
    ui.add(
        TextEdit::multiline(value)
            .hint_text(hint)
            .char_limit(FIELD_CHAR_LIMIT)
            .font(egui::TextStyle::Monospace)
            .desired_rows(rows)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(l.id)
}

/// A password-style field with a Show toggle.
pub fn secret_field_ui(
    ui: &mut Ui,
    label: &str,
    value: &mut SecretString,
    shown: &mut bool,
) -> egui::Response {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.checkbox(shown, "Show");
        ui.add(
            TextEdit::singleline(value)
                .password(!*shown)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(l.id)
    })
    .inner
}

/// The big valid / rejected banner; the detail is escaped whole (it may quote input).
pub fn verdict_ui(ui: &mut Ui, ok: bool, headline: &str, detail: &str) {
    verdict_lines_ui(ui, ok, headline, std::slice::from_ref(&detail.to_string()));
}

/// [`verdict_ui`] with several detail lines, each escaped whole and shown as its own label.
pub fn verdict_lines_ui(ui: &mut Ui, ok: bool, headline: &str, lines: &[String]) {
    let color = if ok { GOOD } else { BAD };
    egui::Frame::group(ui.style())
        .stroke(egui::Stroke::new(2.0, color))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(esc(headline))
                    .color(color)
                    .size(22.0)
                    .strong(),
            );
            for line in lines.iter().filter(|l| !l.is_empty()) {
                ui.label(RichText::new(esc(line)).size(15.0));
            }
        });
}

/// A coloured note line (escaped: it may quote input).
pub fn note_ui(ui: &mut Ui, color: Option<Color32>, text: &str) {
    let text = esc(text);
    match color {
        Some(c) => ui.label(RichText::new(text).color(c)),
        None => ui.label(text),
    };
}

/// Pretty JSON with keys, strings, numbers and literals in different colours; control, C1 and
/// bidi characters inside strings are shown as JSON escapes.
pub fn json_view_ui(ui: &mut Ui, value: &serde_json::Value) {
    let text = crate::safe_text::escape::pretty_json(value);
    let job = highlight_json(&text, ui.visuals().dark_mode);
    ui.add(egui::Label::new(job).selectable(true));
}

/// The coloured layout of pretty-printed JSON text (see [`json_view_ui`]), for views that cache it.
pub fn highlight_json(text: &str, dark: bool) -> LayoutJob {
    let font = FontId::monospace(13.0);
    let (key, string, number, literal, punct) = if dark {
        (
            Color32::from_rgb(130, 180, 255),
            Color32::from_rgb(150, 210, 140),
            Color32::from_rgb(230, 180, 110),
            Color32::from_rgb(220, 130, 200),
            Color32::GRAY,
        )
    } else {
        (
            Color32::from_rgb(20, 80, 170),
            Color32::from_rgb(30, 120, 40),
            Color32::from_rgb(170, 90, 0),
            Color32::from_rgb(150, 40, 130),
            Color32::DARK_GRAY,
        )
    };
    let mut job = LayoutJob::default();
    let mut push = |s: &str, c: Color32| job.append(s, 0.0, TextFormat::simple(font.clone(), c));
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
            let s: String = chars[start..i].iter().collect();
            let is_key = chars[i..].iter().find(|c| !c.is_whitespace()) == Some(&':');
            push(&s, if is_key { key } else { string });
        } else if c == '-' || c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "+-.".contains(chars[i]))
            {
                i += 1;
            }
            push(&chars[start..i].iter().collect::<String>(), number);
        } else if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            push(&chars[start..i].iter().collect::<String>(), literal);
        } else {
            push(&c.to_string(), punct);
            i += 1;
        }
    }
    job
}
