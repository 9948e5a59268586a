//! The Doctor pane: paste or drop a Supabase configuration, see every problem that causes 401s,
//! what a token would get from each service, what an error message means, and a rotation plan.

use super::pane::{PaneInfo, PaneView};
use super::route::Content;
use super::settings::Settings;
use super::shared::Ctx;
use super::state::Action;
use super::tasks::pick_and_read;
use super::widgets::{
    BAD, GOOD, WARN, esc, text_area_ui, text_field_ui, value_block_ui, verdict_ui,
};
use crate::core::doctor::gateway::looks_like_envoy;
use crate::core::doctor::rotate::{RotateFormat, plan, render};
use crate::core::doctor::{Inputs, Report, Severity, diagnose, load};
use crate::core::keys::KeygenAlg;
use egui::{RichText, Ui};

/// The configuration inputs the pane accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigKind {
    /// `.env`.
    Env,
    /// docker-compose.yml.
    Compose,
    /// kong.yml.
    Kong,
    /// Kubernetes Secret / ConfigMap.
    K8s,
    /// Supabase CLI config.toml.
    ConfigToml,
}

impl ConfigKind {
    /// Every kind, in display order.
    pub const ALL: [ConfigKind; 5] = [
        ConfigKind::Env,
        ConfigKind::Compose,
        ConfigKind::Kong,
        ConfigKind::K8s,
        ConfigKind::ConfigToml,
    ];

    /// The field's label.
    pub fn label(self) -> &'static str {
        match self {
            ConfigKind::Env => ".env",
            ConfigKind::Compose => "docker-compose.yml",
            ConfigKind::Kong => "kong.yml / Envoy lds.yaml",
            ConfigKind::K8s => "Kubernetes Secret / ConfigMap",
            ConfigKind::ConfigToml => "Supabase CLI config.toml",
        }
    }
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
    /// Rotation algorithm choice.
    pub rotate_alg: KeygenAlg,
    /// The rendered rotation plans (.env diff, Secret, Kong), or why not.
    pub rotation: Option<Result<[String; 3], String>>,
    /// A rotation is being planned (key generation runs in the background).
    pub planning: bool,
    /// Run the checks at the next update.
    run_pending: bool,
    /// Plan a rotation at the next update.
    plan_pending: bool,
    /// The token revision `token` was copied from.
    seen_token: Option<u64>,
}

/// What this pane's background jobs return.
enum Job {
    Opened(ConfigKind, Result<(String, String), String>),
    Planned(Result<[String; 3], String>),
}

impl Default for DoctorPane {
    fn default() -> Self {
        DoctorPane {
            texts: Default::default(),
            token: String::new(),
            error_message: String::new(),
            report: None,
            rotate_alg: KeygenAlg::ES256,
            rotation: None,
            planning: false,
            run_pending: false,
            plan_pending: false,
            seen_token: None,
        }
    }
}

impl DoctorPane {
    /// The text field of a kind.
    pub fn text_mut(&mut self, kind: ConfigKind) -> &mut String {
        let i = ConfigKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        &mut self.texts[i]
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

    /// Runs every check.
    pub fn run(&mut self, now: i64) {
        self.report = Some(diagnose(&self.inputs(), now).map_err(|e| e.to_string()));
    }

    /// Plans a rotation from the loaded configuration on the background worker (it
    /// generates keys).
    fn plan_rotation(&mut self, ctx: &mut Ctx<'_>) {
        if self.planning {
            return;
        }
        self.planning = true;
        let alg = self.rotate_alg;
        let inputs = self.inputs();
        let now = ctx.now();
        ctx.spawn(move || {
            Job::Planned(
                load(&inputs)
                    .and_then(|config| plan(&config, alg, now))
                    .map(|r| {
                        [RotateFormat::Env, RotateFormat::K8s, RotateFormat::Kong]
                            .map(|f| render(&r, f).expose().to_string())
                    })
                    .map_err(|e| e.to_string()),
            )
        });
    }
}

fn severity_color(s: Severity) -> egui::Color32 {
    match s {
        Severity::Info => egui::Color32::GRAY,
        Severity::Warning => WARN,
        Severity::Error | Severity::Critical => BAD,
    }
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
        if std::mem::take(&mut self.plan_pending) {
            self.plan_rotation(ctx);
        }
    }

    fn on_task(&mut self, result: Box<dyn std::any::Any + Send>, ctx: &mut Ctx<'_>) {
        let Ok(job) = result.downcast::<Job>() else {
            return;
        };
        match *job {
            Job::Opened(kind, Ok((name, text))) => self.receive_config(kind, &name, text, ctx),
            Job::Opened(_, Err(e)) => ctx.send(Action::Say {
                text: e,
                is_error: true,
            }),
            Job::Planned(result) => {
                self.planning = false;
                self.rotation = Some(result);
            }
        }
    }

    fn accepts(&self, content: &Content) -> bool {
        matches!(content, Content::Config(_))
    }

    fn receive(&mut self, content: Content, name: &str, text: String, ctx: &mut Ctx<'_>) {
        if let Content::Config(kind) = content {
            self.receive_config(kind, name, text, ctx);
        }
    }

    fn busy(&self) -> Option<&'static str> {
        self.planning
            .then_some("planning the rotation (generating keys)")
    }
}

impl DoctorPane {
    fn receive_config(&mut self, kind: ConfigKind, name: &str, text: String, ctx: &mut Ctx<'_>) {
        *self.text_mut(kind) = text;
        self.run(ctx.now());
        ctx.send(Action::Say {
            text: format!("{name} loaded as {}", kind.label()),
            is_error: false,
        });
    }
}

fn doctor_ui(ui: &mut Ui, d: &mut DoctorPane, ctx: &mut Ctx<'_>) {
    ui.label(RichText::new("Drop files on the window, open them, or paste: any subset works. Nothing leaves this machine.").weak());
    for kind in ConfigKind::ALL {
        let filled = !d.text_mut(kind).trim().is_empty();
        egui::CollapsingHeader::new(format!(
            "{}{}",
            kind.label(),
            if filled { "  (loaded)" } else { "" }
        ))
        .id_salt(kind.label())
        .default_open(kind == ConfigKind::Env)
        .show(ui, |ui| {
            if ui.button("Open file…").clicked() {
                ctx.spawn(move || Job::Opened(kind, pick_and_read()));
            }
            text_area_ui(ui, kind.label(), d.text_mut(kind), "paste the file here", 4);
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
        Some(Ok(report)) => report_ui(ui, report),
    }
    ui.separator();
    rotation_ui(ui, d, ctx);
}

fn report_ui(ui: &mut Ui, report: &Report) {
    let failing = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Error)
        .count();
    if failing == 0 {
        verdict_ui(
            ui,
            true,
            "No problem that causes 401s",
            &format!("Read: {}", report.read.join(", ")),
        );
    } else {
        verdict_ui(
            ui,
            false,
            &format!("{failing} problem(s) that cause failures"),
            &format!("Read: {}", report.read.join(", ")),
        );
    }
    for f in &report.findings {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new(f.severity.label())
                        .color(severity_color(f.severity))
                        .strong(),
                );
                ui.label(RichText::new(esc(&f.title)).strong());
                ui.label(RichText::new(f.code).small().weak());
            });
            if !f.variables.is_empty() {
                ui.label(
                    RichText::new(esc(&format!("Variables: {}", f.variables.join(", ")))).small(),
                );
            }
            if !f.detail.is_empty() {
                ui.label(esc(&f.detail));
            }
            if !f.fix.is_empty() {
                ui.label(RichText::new(esc(&format!("Fix: {}", f.fix))).color(GOOD));
            }
        });
    }
    if !report.services.is_empty() {
        ui.strong("The token, service by service");
        egui::Grid::new("services_grid")
            .striped(true)
            .num_columns(3)
            .show(ui, |ui| {
                for s in &report.services {
                    ui.label(s.service);
                    match s.accepted {
                        Some(true) => ui.label(RichText::new("accepts").color(GOOD)),
                        Some(false) => ui.label(RichText::new("REJECTS").color(BAD).strong()),
                        None => ui.label(RichText::new("unknown").weak()),
                    };
                    ui.label(esc(&s.message));
                    ui.end_row();
                }
            });
    }
    if let Some(e) = &report.explanation {
        ui.strong("The error message");
        ui.label(esc(&format!("From: {}", e.component)));
        ui.label(esc(&format!("Means: {}", e.meaning)));
        ui.label(esc(&format!("Check: {}", e.check)));
        for t in &e.related_findings {
            ui.label(RichText::new(esc(&format!("Explained by: {t}"))).color(WARN));
        }
    }
}

fn rotation_ui(ui: &mut Ui, d: &mut DoctorPane, ctx: &mut Ctx<'_>) {
    ui.strong("Rotation assistant");
    ui.horizontal(|ui| {
        ui.label("New key:");
        for (alg, label) in [
            (KeygenAlg::ES256, "ES256"),
            (KeygenAlg::RS256 { bits: 2048 }, "RS256"),
            (KeygenAlg::HS256, "new HS256 JWT_SECRET"),
        ] {
            ui.selectable_value(&mut d.rotate_alg, alg, label);
        }
        if d.planning {
            ui.spinner();
        } else if ui.button("Plan rotation").clicked() {
            d.plan_pending = true;
        }
    });
    match &d.rotation {
        None => {
            ui.label(RichText::new("Uses the .env above: keeps the legacy secret as an oct verify key, re-signs the anon / service_role payloads. Nothing is written unless you Save.").weak());
        }
        Some(Err(e)) => {
            ui.label(RichText::new(super::widgets::esc(e)).color(BAD));
        }
        Some(Ok([env, k8s, kong])) => {
            value_block_ui(
                ui,
                ctx,
                ".env changes and steps",
                env,
                true,
                "rotation.env.diff",
            );
            value_block_ui(
                ui,
                ctx,
                "Kubernetes Secret",
                k8s,
                true,
                "supabase-secrets.yaml",
            );
            value_block_ui(ui, ctx, "Kong consumers", kong, true, "kong-consumers.yml");
        }
    }
}
