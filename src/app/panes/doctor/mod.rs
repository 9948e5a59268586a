//! The Doctor pane: paste or drop a Supabase configuration, see every problem that causes 401s,
//! what a token would get from each service, what an error message means, and a rotation plan;
//! and, once a `.env` is loaded, its Signing keys (the key lifecycle, `supajwt key …`).

mod report;
mod rotate;
mod signing_grid;
mod signing_keys;
mod signing_view;
mod slots;

use crate::app::file_open::{FileJob, FileOpener};
use crate::app::pane::{PaneInfo, PaneView};
use crate::app::shared::Ctx;
use crate::app::vocab::{Action, ConfigKind, Content, Intent, KeyOrigin, Settings};
use crate::app::widgets::{esc, text_area_ui, text_field_ui, verdict_ui};
use crate::jose::b64::SecretEncoding;
use crate::jose::keys::{KeySet, KeySetShape, load_keys, thumbprint};
use crate::supabase::doctor::gateway::looks_like_envoy;
use crate::supabase::doctor::{Config, Inputs, Report, diagnose_loaded, load};
use egui::{RichText, Ui};
use report::report_ui;
use rotate::{Planned, Rotation, rotation_ui};
use signing_keys::SigningKeys;
use signing_view::signing_keys_ui;
use slots::{Slot, path_hint};
use std::path::PathBuf;

/// The Doctor's two views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DoctorTab {
    /// The files, the checks and the rotation assistant.
    #[default]
    Checks,
    /// The `.env`'s signing keys (shown once a `.env` is loaded).
    SigningKeys,
}

/// The Doctor pane (all of it session-only: it holds secrets).
pub struct DoctorPane {
    /// Texts by kind, in [`ConfigKind::ALL`] order.
    pub texts: [String; 5],
    /// A token to check service by service.
    pub token: String,
    /// An error message to explain.
    pub error_message: String,
    /// The last report, or why the inputs are unusable.
    pub report: Option<Result<Report, String>>,
    /// The rotation assistant.
    pub rotation: Rotation,
    /// Each kind's "Open file…", in [`ConfigKind::ALL`] order.
    pub openers: [FileOpener; 5],
    /// What each kind's slot holds, described, in [`ConfigKind::ALL`] order.
    pub slots: [Slot; 5],
    /// Run the checks at the next update.
    run_pending: bool,
    /// The configuration's keys, read by the last run, to put in the ring at the next update.
    ring_pending: Option<Vec<(&'static str, KeySet)>>,
    /// What was last put in the ring: (variable, key thumbprints).
    in_ring: Vec<(String, Vec<String>)>,
    /// The token revision `token` was copied from.
    seen_token: Option<u64>,
    /// The view shown.
    pub tab: DoctorTab,
    /// The Signing keys view.
    pub signing: SigningKeys,
    /// The file the `.env` was opened or dropped from (Save in place writes it); forgotten
    /// when the text is edited.
    pub env_path: Option<PathBuf>,
    /// Read the signing keys at the next update.
    keys_pending: bool,
}

impl Default for DoctorPane {
    fn default() -> Self {
        DoctorPane {
            texts: Default::default(),
            token: String::new(),
            error_message: String::new(),
            report: None,
            rotation: Rotation::default(),
            openers: ConfigKind::ALL
                .map(|kind| FileOpener::new(kind_index(kind)).with_hint(path_hint(kind))),
            slots: Default::default(),
            run_pending: false,
            ring_pending: None,
            in_ring: Vec::new(),
            seen_token: None,
            tab: DoctorTab::default(),
            signing: SigningKeys::default(),
            env_path: None,
            keys_pending: false,
        }
    }
}

impl DoctorPane {
    /// The text field of a kind.
    pub fn text_mut(&mut self, kind: ConfigKind) -> &mut String {
        &mut self.texts[kind_index(kind)]
    }

    fn inputs(&self) -> Inputs {
        let opt = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
        Inputs {
            env: opt(&self.texts[0]),
            compose: opt(&self.texts[1]),
            compose_overrides: Vec::new(),
            kong: opt(&self.texts[2]).filter(|t| !looks_like_envoy(t)),
            envoy: opt(&self.texts[2]).filter(|t| looks_like_envoy(t)),
            k8s: opt(&self.texts[3]),
            config_toml: opt(&self.texts[4]),
            signing_keys: None,
            token: opt(&self.token),
            error_message: opt(&self.error_message),
        }
    }

    /// Runs every check (the configuration's keys join the ring at the next update).
    pub fn run(&mut self, now: i64) {
        for (i, kind) in ConfigKind::ALL.into_iter().enumerate() {
            self.slots[i].refresh(kind, &self.texts[i]);
        }
        let inputs = self.inputs();
        let report = load(&inputs).and_then(|config| {
            self.ring_pending = Some(config_key_sets(&config));
            diagnose_loaded(&config, &inputs, now)
        });
        self.report = Some(report.map_err(|e| e.to_string()));
        self.keys_pending = true;
    }

    /// Puts the configuration's keys in the ring (`KeyOrigin::Config(VAR)`), so Decode and
    /// Verify use them; a variable whose keys are gone is emptied there.
    fn share_keys(&mut self, sets: Vec<(&'static str, KeySet)>, ctx: &mut Ctx<'_>) {
        let now: Vec<(String, Vec<String>)> = sets
            .iter()
            .map(|(var, set)| (var.to_string(), set.keys.iter().map(thumbprint).collect()))
            .collect();
        for (var, _) in &self.in_ring {
            if !now.iter().any(|(v, _)| v == var) {
                ctx.send(Action::AddKeys {
                    set: KeySet::from_keys(Vec::new(), KeySetShape::Secret),
                    origin: KeyOrigin::Config(var.clone()),
                });
            }
        }
        for ((var, set), entry) in sets.into_iter().zip(&now) {
            let origin = KeyOrigin::Config(var.to_string());
            let in_ring = ctx.shared.ring.entries.iter().any(|e| e.origin == origin);
            if !in_ring || !self.in_ring.contains(entry) {
                ctx.send(Action::AddKeys { set, origin });
            }
        }
        self.in_ring = now;
    }
}

fn kind_index(kind: ConfigKind) -> usize {
    ConfigKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// The keys a configuration holds: `JWT_SECRET`, and the public keys of `JWT_JWKS` (else of
/// `JWT_KEYS`), each with its variable.
fn config_key_sets(config: &Config) -> Vec<(&'static str, KeySet)> {
    let mut out = Vec::new();
    if let Some(secret) = config.get("JWT_SECRET")
        && let Ok(set) = KeySet::secret(secret, SecretEncoding::Text)
    {
        out.push(("JWT_SECRET", set));
    }
    for var in ["JWT_JWKS", "JWT_KEYS"] {
        let Some(set) = config.get(var).and_then(|t| load_keys(t).ok()) else {
            continue;
        };
        let keys = set.public_keys();
        if !keys.is_empty() {
            out.push((var, KeySet::from_keys(keys, set.shape)));
            break;
        }
    }
    out
}

impl PaneInfo for DoctorPane {
    const TITLE: &'static str = "Doctor";
    const BLURB: &'static str = "Check a whole Supabase configuration (.env, compose, kong.yml, Kubernetes, config.toml) for the mismatches that cause 401s.";
    fn new(_settings: &Settings) -> Self {
        DoctorPane::default()
    }
}

impl PaneView for DoctorPane {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut Ctx<'_>) {
        doctor_ui(ui, self, ctx);
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        if self.seen_token != Some(ctx.shared.token.rev) {
            self.seen_token = Some(ctx.shared.token.rev);
            self.token.clone_from(&ctx.shared.token.text);
        }
        if std::mem::take(&mut self.run_pending) {
            self.run(ctx.now());
        }
        if std::mem::take(&mut self.keys_pending) {
            let inputs = self.inputs();
            self.signing.read(inputs, ctx);
        }
        if self.signing.pending.is_some() {
            let inputs = self.inputs();
            self.signing.apply(inputs, ctx);
        }
        if let Some(sets) = self.ring_pending.take() {
            self.share_keys(sets, ctx);
        }
        if std::mem::take(&mut self.rotation.pending) {
            let inputs = self.inputs();
            self.rotation.start(inputs, ctx);
        }
    }

    fn on_task(&mut self, result: Box<dyn std::any::Any + Send>, ctx: &mut Ctx<'_>) {
        let result = match FileJob::from_any(result) {
            Ok(job) => {
                let i = job.slot();
                let dir = job.opened_dir().map(std::path::Path::to_path_buf);
                if let (Some(opener), Some(&kind)) =
                    (self.openers.get_mut(i), ConfigKind::ALL.get(i))
                    && let Some((name, text)) = opener.finish(job)
                {
                    let path = dir.map(|d| d.join(&name));
                    self.receive_config(kind, &name, text, path, ctx);
                }
                return;
            }
            Err(other) => other,
        };
        let result = match self.signing.finish(result) {
            Ok(Some(new_env)) => {
                // Saved in place: the Doctor now holds the new text, and reads it again.
                self.texts[0] = new_env;
                self.run(ctx.now());
                return;
            }
            Ok(None) => return,
            Err(other) => other,
        };
        if let Ok(planned) = result.downcast::<Planned>() {
            self.rotation.finish(*planned);
        }
    }

    fn accepts(&self, content: &Content) -> bool {
        matches!(content, Content::Config(_))
    }

    fn receive(&mut self, content: Content, name: &str, text: String, ctx: &mut Ctx<'_>) {
        if let Content::Config(kind) = content {
            // A dropped file: the window remembered its directory when it was dropped.
            let path = ctx.shared.last_dir.as_ref().map(|d| d.join(name));
            self.receive_config(kind, name, text, path, ctx);
        }
    }

    fn busy(&self) -> Option<&'static str> {
        if self.rotation.planning {
            Some("planning the rotation (generating keys)")
        } else if let Some(busy) = self.signing.busy() {
            Some(busy)
        } else if self.openers.iter().any(|o| o.busy) {
            Some("opening a file")
        } else {
            None
        }
    }

    fn on_intent(&mut self, intent: &Intent, _ctx: &mut Ctx<'_>) {
        if *intent == Intent::Rotate {
            self.rotation.reveal = true;
        }
    }
}

impl DoctorPane {
    fn receive_config(
        &mut self,
        kind: ConfigKind,
        name: &str,
        text: String,
        path: Option<PathBuf>,
        ctx: &mut Ctx<'_>,
    ) {
        if kind == ConfigKind::Env {
            self.env_path = path;
        }
        self.slots[kind_index(kind)].loaded(name, kind, &text);
        *self.text_mut(kind) = text;
        self.run(ctx.now());
        ctx.send(Action::Say {
            text: format!("{name} loaded as {}", kind.label()),
            is_error: false,
        });
    }
}

fn doctor_ui(ui: &mut Ui, d: &mut DoctorPane, ctx: &mut Ctx<'_>) {
    if d.texts[0].trim().is_empty() {
        d.tab = DoctorTab::Checks;
    } else {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut d.tab, DoctorTab::Checks, "Checks");
            ui.selectable_value(&mut d.tab, DoctorTab::SigningKeys, "Signing keys");
        });
        ui.separator();
    }
    if d.tab == DoctorTab::SigningKeys {
        let path = d.env_path.clone();
        signing_keys_ui(ui, &mut d.signing, path.as_deref(), ctx);
        return;
    }
    // Its own id scope: the tab row appearing above does not renumber these widgets.
    let id = ui.scope_id().with("doctor_checks");
    ui.scope_builder(egui::UiBuilder::new().scope_id(id), |ui| {
        checks_ui(ui, d, ctx)
    });
}

fn checks_ui(ui: &mut Ui, d: &mut DoctorPane, ctx: &mut Ctx<'_>) {
    ui.label(RichText::new("Drop files on the window, open them, or paste: any subset works. Nothing leaves this machine.").weak());
    for kind in ConfigKind::ALL {
        let i = kind_index(kind);
        let slot = &mut d.slots[i];
        let title = match &slot.summary {
            Some(summary) => esc(summary).into_owned(),
            None => kind.label().to_string(),
        };
        let collapse = std::mem::take(&mut slot.collapse);
        egui::CollapsingHeader::new(title)
            .id_salt(kind.label())
            .default_open(kind == ConfigKind::Env)
            .open(collapse.then_some(false))
            .show(ui, |ui| {
                d.openers[i].ui(ui, ctx, "Open file…");
                if text_area_ui(ui, kind.label(), &mut d.texts[i], "paste the file here", 4)
                    .changed()
                {
                    d.slots[i].refresh(kind, &d.texts[i]);
                    if kind == ConfigKind::Env {
                        d.env_path = None;
                    }
                }
            });
    }
    if text_field_ui(
        ui,
        "Token to check (optional)",
        &mut d.token,
        "the token that gets a 401",
    )
    .changed()
    {
        ctx.send(Action::SetToken(d.token.clone()));
    }
    text_field_ui(
        ui,
        "Error message (optional)",
        &mut d.error_message,
        "e.g. No suitable key or wrong key type",
    );
    ui.horizontal(|ui| {
        if ui.button(RichText::new("Run checks").strong()).clicked() {
            d.run_pending = true;
        }
    });
    match &d.report {
        None => {}
        Some(Err(e)) => verdict_ui(ui, false, "Cannot read the configuration", e),
        Some(Ok(report)) => report_ui(ui, report, ctx),
    }
    ui.separator();
    rotation_ui(ui, &mut d.rotation, ctx);
}
