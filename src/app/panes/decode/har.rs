//! A HAR in Decode, dropped, opened or pasted: its Supabase requests with the credentials each
//! sent, each 401/403 explained, and every token with what the key ring says of it and its
//! Decode and Verify buttons.

use super::credentials::findings_ui;
use super::token_check::{TokenCheck, token_check_ui};
use crate::app::shared::Ctx;
use crate::app::widgets::{BAD, count, esc, note_ui};
use crate::inspect::CredentialKind;
use crate::inspect::har::HarRequest;
use crate::inspect::report::kind_label;
use crate::jose::keys::KeySet;
use crate::safe_text::redact::fingerprint;
use egui::{RichText, Ui};
use std::collections::HashMap;

/// The Supabase requests of a HAR file.
pub struct HarView {
    /// File name ("pasted HAR" for a paste).
    pub name: String,
    /// Entries in the file.
    pub total: usize,
    /// The Supabase requests (at most [`HAR_ROWS`]).
    pub requests: Vec<HarRequest>,
    /// Supabase requests beyond those shown.
    pub more: usize,
    /// Why the file could not be read.
    pub error: Option<String>,
    /// What the key ring says of each token sent (by token), computed when the HAR arrives and
    /// when the ring changes, never while drawing.
    pub checks: HashMap<String, TokenCheck>,
    /// The key ring revision `checks` were computed with.
    checked_ring: Option<u64>,
}

/// How many requests the window lists.
pub const HAR_ROWS: usize = 300;

impl HarView {
    /// Scans a HAR file (streamed: any size), on the worker.
    pub fn scan(path: &std::path::Path, now: i64) -> HarView {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match std::fs::File::open(path) {
            Ok(file) => HarView::read(name, file, now),
            Err(e) => HarView::failed(format!("cannot open {name}: {e}"), name),
        }
    }

    /// Whether a paste can be a HAR (a JSON object with `entries`): cheap, before reading it.
    pub fn may_be_har(text: &str) -> bool {
        let t = text.trim_start_matches('\u{feff}').trim_start();
        t.starts_with('{') && t.contains("\"entries\"")
    }

    /// A pasted HAR, read like a dropped one; `None` when the paste is not a HAR.
    pub fn from_paste(text: &str, now: i64) -> Option<HarView> {
        if !HarView::may_be_har(text) {
            return None;
        }
        let t = text.trim_start_matches('\u{feff}').trim_start();
        let view = HarView::read("pasted HAR".into(), t.as_bytes(), now);
        view.error.is_none().then_some(view)
    }

    fn failed(error: String, name: String) -> HarView {
        HarView {
            name,
            total: 0,
            requests: Vec::new(),
            more: 0,
            error: Some(error),
            checks: HashMap::new(),
            checked_ring: None,
        }
    }

    fn read(name: String, reader: impl std::io::Read, now: i64) -> HarView {
        let mut requests = Vec::new();
        let mut more = 0;
        let result = crate::inspect::har::scan_har(reader, now, |r| {
            if requests.len() < HAR_ROWS {
                requests.push(r);
            } else {
                more += 1;
            }
        });
        match result {
            Ok(total) => HarView {
                name,
                total,
                requests,
                more,
                error: None,
                checks: HashMap::new(),
                checked_ring: None,
            },
            Err(e) => HarView::failed(e, name),
        }
    }

    /// Checks every token the requests sent against the ring's keys (each token once), unless
    /// they were checked with this ring revision already.
    pub fn check_tokens(&mut self, ring_rev: u64, keys: &[(String, KeySet)], now: i64) {
        if self.checked_ring == Some(ring_rev) {
            return;
        }
        self.checked_ring = Some(ring_rev);
        self.checks.clear();
        for c in self.requests.iter().flat_map(|r| &r.credentials) {
            if c.kind == CredentialKind::Jwt && !self.checks.contains_key(&c.value) {
                let check = TokenCheck::of(&c.value, keys, now);
                self.checks.insert(c.value.clone(), check);
            }
        }
    }
}

/// Draws a HAR summary: status, method, URL, the credentials used (each token with what the
/// ring says and its Decode / Verify buttons), and each 401/403 explained.
pub fn har_ui(ui: &mut Ui, view: &HarView, ctx: &mut Ctx<'_>) {
    if let Some(e) = &view.error {
        note_ui(ui, Some(BAD), e);
        return;
    }
    ui.strong(esc(&format!(
        "{}: {} among {}",
        view.name,
        count(
            view.requests.len() + view.more,
            "Supabase request",
            "Supabase requests"
        ),
        count(view.total, "entry", "entries")
    )));
    if view.more > 0 {
        ui.label(format!("Only the first {HAR_ROWS} are listed."));
    }
    egui::ScrollArea::vertical()
        .id_salt("har_requests")
        .max_height(420.0)
        .show(ui, |ui| {
            for (i, r) in view.requests.iter().enumerate() {
                request_ui(ui, ctx, view, i + 1, r);
            }
        });
}

fn request_ui(ui: &mut Ui, ctx: &mut Ctx<'_>, view: &HarView, n: usize, r: &HarRequest) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        let head = RichText::new(esc(&format!("{} {} {}", r.status, r.method, r.url))).strong();
        ui.label(if r.status >= 400 {
            head.color(BAD)
        } else {
            head
        });
        for c in &r.credentials {
            ui.monospace(esc(&format!(
                "{}: {} [{}]",
                c.source,
                kind_label(c.kind),
                fingerprint(&c.value)
            )));
            if let Some(check) = view.checks.get(&c.value) {
                let name = format!("#{n} {}", c.source);
                ui.indent(("har_token", n, &c.source), |ui| {
                    token_check_ui(ui, ctx, &c.value, check, &name);
                });
            }
        }
        if let Some((message, ex)) = &r.error {
            ui.label(esc(&format!("response: {message}")));
            ui.label(esc(&format!("from {}: {}", ex.component, ex.meaning)));
            ui.label(esc(&format!("check: {}", ex.check)));
        }
        findings_ui(ui, &r.findings);
    });
}
