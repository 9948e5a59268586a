//! Values the window shows with Copy and Save: secrets masked behind a per-value Reveal toggle,
//! and Copy buttons that answer on themselves ("Copied!", the auto-clear countdown).

use super::clipboard::fingerprint;
use super::shared::Ctx;
use super::vocab::Action;
use super::widgets::{BAD, WARN, steady_button};
use crate::jose::classified::Shown;
use egui::{RichText, TextEdit, Ui};
use std::time::{Duration, Instant};

/// How long a Copy button says "Copied!".
pub const COPIED_FEEDBACK: Duration = Duration::from_secs(2);

/// What a Copy button shows about the last copy of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyFeedback {
    /// Nothing (not copied recently).
    None,
    /// Copied less than [`COPIED_FEEDBACK`] ago.
    Copied,
    /// Copied as a secret: the clipboard is wiped in this many seconds.
    ClearsIn(u64),
    /// The copy failed, and why.
    Failed(String),
}

/// The feedback for a button whose value is `text`, from the shared clipboard state. Hashes
/// `text` only while some copy is recent or a countdown runs.
pub fn copy_feedback(ctx: &Ctx<'_>, text: &str, now: Instant) -> CopyFeedback {
    let shared = ctx.shared;
    let recent = shared
        .last_copy
        .as_ref()
        .filter(|c| now.saturating_duration_since(c.at) < COPIED_FEEDBACK);
    if recent.is_none() && shared.pending_clear.is_none() {
        return CopyFeedback::None;
    }
    let print = fingerprint(text);
    if let Some(p) = &shared.pending_clear
        && p.fingerprint == print
    {
        let left = p.remaining(now);
        if left > 0 {
            return CopyFeedback::ClearsIn(left);
        }
    }
    match recent.filter(|c| c.fingerprint == print) {
        Some(c) => match &c.error {
            Some(e) => CopyFeedback::Failed(e.clone()),
            None => CopyFeedback::Copied,
        },
        None => CopyFeedback::None,
    }
}

/// A Copy button for `value` that shows on itself that it worked (and the countdown for
/// secrets). Its accessible name always starts with `label`: "Copy", "Copy (copied)".
pub fn copy_button_ui(ui: &mut Ui, ctx: &mut Ctx<'_>, label: &str, value: Shown<'_>) {
    let (text, secret) = (value.expose(), value.is_secret());
    let now = Instant::now();
    let feedback = copy_feedback(ctx, text, now);
    let (shown, name) = match &feedback {
        CopyFeedback::None => (RichText::new(label), label.to_string()),
        CopyFeedback::Copied => (RichText::new("Copied!"), format!("{label} (copied)")),
        CopyFeedback::ClearsIn(s) => (
            RichText::new(format!("Copied — clears in {s} s")).color(WARN),
            format!("{label} (copied, clears in {s} s)"),
        ),
        CopyFeedback::Failed(_) => (
            RichText::new("Copy failed").color(BAD),
            format!("{label} (failed)"),
        ),
    };
    let hover = match &feedback {
        CopyFeedback::Failed(e) => super::widgets::esc(e).into_owned(),
        _ if secret => format!("{label} (the clipboard is cleared after the countdown)"),
        _ => label.to_string(),
    };
    // Every label this button can show, so it keeps one width (its neighbours stay put).
    let settings = &ctx.shared.settings;
    let countdown = (secret && settings.clipboard_auto_clear).then(|| {
        let digits = "8".repeat(settings.clipboard_clear_secs.to_string().len());
        format!("Copied — clears in {digits} s")
    });
    let mut labels = vec![label, "Copied!", "Copy failed"];
    labels.extend(countdown.as_deref());
    let response = ui
        .add(steady_button(ui, shown, &labels))
        .accessible_name(name)
        .on_hover_text(hover);
    match feedback {
        CopyFeedback::ClearsIn(_) => ui.ctx().request_repaint_after(Duration::from_secs(1)),
        CopyFeedback::Copied | CopyFeedback::Failed(_) => {
            let since = ctx
                .shared
                .last_copy
                .as_ref()
                .map_or(COPIED_FEEDBACK, |c| now.saturating_duration_since(c.at));
            ui.ctx()
                .request_repaint_after(COPIED_FEEDBACK.saturating_sub(since));
        }
        CopyFeedback::None => {}
    }
    if response.clicked() {
        ctx.send(Action::Copy(value.to_classified()));
    }
}

/// Copy and Save buttons for a value.
pub fn copy_save_ui(ui: &mut Ui, ctx: &mut Ctx<'_>, what: &str, value: Shown<'_>, file_name: &str) {
    copy_button_ui(ui, ctx, "Copy", value);
    if ui
        .button("Save…")
        .on_hover_text(format!("Save {what} to a file"))
        .clicked()
    {
        ctx.send(Action::Save {
            name: file_name.to_string(),
            contents: value.to_classified(),
        });
    }
    super::file_save::save_result_ui(ui, &ctx.shared.saves, file_name);
}

/// Marks a revealed secret by its fingerprint, so a new value starts masked again. Kept in
/// egui's temporary memory: never persisted.
#[derive(Clone)]
struct Revealed([u8; 32]);

/// The masked form of a secret: bullets and its length, never any of its characters.
pub fn masked(text: &str) -> String {
    format!("•••••• ({} chars)", text.chars().count())
}

/// A titled monospace value with Copy and Save. A [`Shown::Secret`] is masked until its
/// "Reveal <title>" toggle is clicked (per value; it masks itself again when the value
/// changes); Copy and Save work without revealing.
pub fn value_block_ui(
    ui: &mut Ui,
    ctx: &mut Ctx<'_>,
    title: &str,
    value: Shown<'_>,
    file_name: &str,
) {
    let (text, secret) = (value.expose(), value.is_secret());
    let reveal_id = ui.scope_id().with(("reveal", title));
    let revealed = secret
        && ui
            .data(|d| d.get_temp::<Revealed>(reveal_id))
            .is_some_and(|r| r.0 == fingerprint(text));
    ui.horizontal_wrapped(|ui| {
        ui.strong(title);
        if secret {
            ui.label(RichText::new("secret").color(WARN).small());
        }
        copy_save_ui(ui, ctx, title, value, file_name);
        if secret {
            let (label, name) = if revealed {
                ("Hide", format!("Hide {title}"))
            } else {
                ("Reveal", format!("Reveal {title}"))
            };
            let button = steady_button(ui, label, &["Reveal", "Hide"]);
            if ui.add(button).accessible_name(name).clicked() {
                ui.data_mut(|d| {
                    if revealed {
                        d.remove::<Revealed>(reveal_id);
                    } else {
                        d.insert_temp(reveal_id, Revealed(fingerprint(text)));
                    }
                });
            }
        }
    });
    let l = ui.label(RichText::new(format!("{title} value")).small().weak());
    if secret && !revealed {
        ui.add(egui::Label::new(RichText::new(masked(text)).monospace()))
            .labelled_by(l.id);
        return;
    }
    let mut shown = text;
    ui.add(
        TextEdit::multiline(&mut shown)
            .font(egui::TextStyle::Monospace)
            .desired_width(f32::INFINITY)
            .desired_rows(1),
    )
    .labelled_by(l.id);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_shows_only_the_length() {
        assert_eq!(masked("hunter2-ü"), "•••••• (9 chars)");
    }
}
