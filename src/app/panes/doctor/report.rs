//! The Doctor's report: the verdict, each finding with a one-click jump to the pane that fixes
//! it, the token service by service, and what an error message means.

use crate::app::shared::Ctx;
use crate::app::vocab::{Action, Intent, Pane};
use crate::app::widgets::{BAD, GOOD, WARN, esc, verdict_ui};
use crate::jose::alg::Alg;
use crate::supabase::doctor::{Explanation, Finding, FindingCode, Remedy, Report, Severity};
use crate::supabase::mint::MintRole;
use egui::{RichText, Ui};

fn severity_color(s: Severity) -> egui::Color32 {
    match s {
        Severity::Info => egui::Color32::GRAY,
        Severity::Warning => WARN,
        Severity::Error | Severity::Critical => BAD,
    }
}

/// The pane that fixes a finding, as (button label, action): by what the finding is, else by
/// its remedy. The window never shows the command line's commands.
fn fix_link(f: &Finding) -> Option<(String, Action)> {
    code_link(f).or_else(|| remedy_link(f.remedy?))
}

/// The one-click jump that carries a remedy out.
fn remedy_link(remedy: Remedy) -> Option<(String, Action)> {
    let go = |pane, intent| Action::Go { pane, intent };
    Some(match remedy {
        Remedy::NewSecretEnv | Remedy::NewSecret => (
            "Generate a new secret…".into(),
            go(Pane::Keys, Intent::GenerateKey(Alg::HS256)),
        ),
        Remedy::NewKeySet { .. } => (
            "Generate a new key…".into(),
            go(Pane::Keys, Intent::GenerateKey(Alg::ES256)),
        ),
        Remedy::MintApiKey(role) => (
            format!("Mint a new {} key…", role.claim()),
            go(Pane::Mint, Intent::MintRole(role)),
        ),
        Remedy::Rotate => ("Plan a rotation".into(), go(Pane::Doctor, Intent::Rotate)),
        Remedy::ResignWithKid => return None,
    })
}

/// The jump for findings whose fix depends on what they are, not only on their remedy.
fn code_link(f: &Finding) -> Option<(String, Action)> {
    match f.code {
        FindingCode::ApiKeyRole
        | FindingCode::KeysSwapped
        | FindingCode::ApiKeyExpired
        | FindingCode::ApiKeyExpiring => {
            let var = f.variables.first()?;
            let role = if var.contains("SERVICE") {
                MintRole::ServiceRole
            } else {
                MintRole::Anon
            };
            Some((
                format!("Mint a new {} key…", role.claim()),
                Action::Go {
                    pane: Pane::Mint,
                    intent: Intent::MintRole(role),
                },
            ))
        }
        FindingCode::ApiKeySignature
        | FindingCode::AsymKeySignature
        | FindingCode::JwtJwksOctMismatch
        | FindingCode::JwtJwksMissingKey => Some((
            "Plan a rotation".into(),
            Action::Go {
                pane: Pane::Doctor,
                intent: Intent::Rotate,
            },
        )),
        FindingCode::TokenUnreadable => Some(verify_link()),
        _ => None,
    }
}

fn verify_link() -> (String, Action) {
    (
        "Verify this token…".into(),
        Action::Go {
            pane: Pane::Verify,
            intent: Intent::VerifyToken { with_ring: true },
        },
    )
}

/// The whole report. A reported error that the files do not explain comes first: its verdict,
/// what the message means, and the likely causes with their checks.
pub fn report_ui(ui: &mut Ui, report: &Report, ctx: &mut Ctx<'_>) {
    let failing = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Error)
        .count();
    let read = format!("Read: {}", report.read.join(", "));
    if let Some(u) = &report.unexplained {
        verdict_ui(ui, false, &u.headline, &read);
        if let Some(e) = &report.explanation {
            explanation_ui(ui, e);
        }
        if !u.causes.is_empty() {
            ui.strong("Likely causes, each with its check");
        }
        for c in &u.causes {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(esc(c.cause));
                ui.label(RichText::new(esc(&format!("Check: {}", c.check))).color(GOOD));
            });
        }
    } else if failing == 0 && !report.refused_by().is_empty() {
        let services = report.refused_by().join(", ");
        verdict_ui(
            ui,
            false,
            &format!("The files agree, but this token is refused by {services}"),
            &read,
        );
    } else if failing == 0 {
        verdict_ui(ui, true, "No problem that causes 401s", &read);
    } else {
        verdict_ui(
            ui,
            false,
            &crate::app::widgets::count(
                failing,
                "problem that causes failures",
                "problems that cause failures",
            ),
            &read,
        );
    }
    for f in &report.findings {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            finding_ui(ui, f, ctx);
        });
    }
    if !report.services.is_empty() {
        ui.strong("The token, service by service");
        if report.services.iter().any(|s| s.accepted == Some(false)) {
            let (label, action) = verify_link();
            if ui
                .button(label)
                .on_hover_text("Open Verify with this token and the configuration's keys")
                .clicked()
            {
                ctx.send(action);
            }
        }
        egui::ScrollArea::horizontal()
            .id_salt("services_scroll")
            .show(ui, |ui| services_grid_ui(ui, report));
    }
    if let (Some(e), None) = (&report.explanation, &report.unexplained) {
        explanation_ui(ui, e);
    }
}

/// What an error message means, who said it, and the findings that explain it.
fn explanation_ui(ui: &mut Ui, e: &Explanation) {
    ui.strong("The error message");
    ui.label(esc(&format!("From: {}", e.component)));
    ui.label(esc(&format!("Means: {}", e.meaning)));
    ui.label(esc(&format!("Check: {}", e.check)));
    for t in &e.related_findings {
        ui.label(RichText::new(esc(&format!("Explained by: {t}"))).color(WARN));
    }
}

fn finding_ui(ui: &mut Ui, f: &Finding, ctx: &mut Ctx<'_>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(f.severity.label())
                .color(severity_color(f.severity))
                .strong(),
        );
        ui.label(RichText::new(esc(&f.title)).strong());
        ui.label(RichText::new(f.code.as_str()).small().weak());
    });
    if !f.variables.is_empty() {
        ui.label(RichText::new(esc(&format!("Variables: {}", f.variables.join(", ")))).small());
    }
    if !f.detail.is_empty() {
        ui.label(esc(&f.detail));
    }
    if !f.fix.is_empty() {
        ui.label(RichText::new(esc(&format!("Fix: {}", f.fix))).color(GOOD));
    }
    if let Some((label, action)) = fix_link(f)
        && ui.button(label).clicked()
    {
        ctx.send(action);
    }
}

fn services_grid_ui(ui: &mut Ui, report: &Report) {
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
