//! The Doctor's rotation assistant: the same core planning as `supajwt rotate` (a new signing
//! key, a new JWT_SECRET, or only the opaque API keys as with `--api-keys`), rendered as a `.env`
//! diff, a Kubernetes Secret and the gateway's configuration (Kong, or Envoy when an Envoy
//! configuration is loaded), each masked, with the plan's steps as plain text above them (reading
//! the steps never needs a private key revealed). Keys are generated on the worker.

use crate::app::shared::Ctx;
use crate::app::value_block::value_block_ui;
use crate::app::widgets::{BAD, WARN, esc};
use crate::jose::classified::Shown;
use crate::jose::keys::KeygenAlg;
use crate::jose::secret::SecretString;
use crate::supabase::doctor::rotate::{
    ApiKeyClaims, RotateFormat, Rotation as CoreRotation, plan_api_keys, plan_with, render,
};
use crate::supabase::doctor::{Inputs, load};
use egui::{RichText, Ui};

/// One rendering of a planned rotation.
pub struct RotationOutput {
    /// Its heading.
    pub title: &'static str,
    /// The text (holds the new secrets).
    pub text: SecretString,
    /// The file name Save suggests.
    pub file_name: &'static str,
}

/// The assistant's inputs and last plan.
pub struct Rotation {
    /// The new key's algorithm.
    pub alg: KeygenAlg,
    /// Rotate only the opaque API keys (`rotate --api-keys`).
    pub api_keys: bool,
    /// Re-sign the old API key payloads instead of minting new ones (`rotate --keep-claims`).
    pub keep_claims: bool,
    /// The rendered plan, or why not.
    pub output: Option<Result<RotationPlan, String>>,
    /// Planning on the worker.
    pub planning: bool,
    /// Plan at the next update.
    pub pending: bool,
    /// Scroll the assistant into view at the next frame (a "Plan a rotation" jump).
    pub reveal: bool,
}

impl Default for Rotation {
    fn default() -> Self {
        Rotation {
            alg: KeygenAlg::ES256,
            api_keys: false,
            keep_claims: false,
            output: None,
            planning: false,
            pending: false,
            reveal: false,
        }
    }
}

/// A planned rotation as the window shows it: the steps as plain text (no secret in them), and
/// the values (masked, copied and saved without the steps).
pub struct RotationPlan {
    /// The ordered steps to apply it.
    pub steps: Vec<String>,
    /// The `.env` changes, the Kubernetes Secret and the gateway's configuration.
    pub outputs: Vec<RotationOutput>,
}

/// What the planning job returns.
pub struct Planned(pub Result<RotationPlan, String>);

/// The plan's renderings without its steps, and the steps apart.
fn rendered(mut plan: CoreRotation, envoy: bool) -> RotationPlan {
    let steps = std::mem::take(&mut plan.steps);
    let gateway = if envoy {
        (
            RotateFormat::Envoy,
            "Envoy api-gw environment",
            "envoy-api-gw.env.diff",
        )
    } else {
        (RotateFormat::Kong, "Kong consumers", "kong-consumers.yml")
    };
    let outputs = [
        (RotateFormat::Env, ".env changes", "rotation.env.diff"),
        (
            RotateFormat::K8s,
            "Kubernetes Secret",
            "supabase-secrets.yaml",
        ),
        gateway,
    ]
    .into_iter()
    .map(|(format, title, file_name)| RotationOutput {
        title,
        text: render(&plan, format),
        file_name,
    })
    .collect();
    RotationPlan { steps, outputs }
}

/// The choices the assistant offers.
const ALGS: [(KeygenAlg, &str); 5] = [
    (KeygenAlg::ES256, "ES256"),
    (KeygenAlg::RS256 { bits: 2048 }, "RS256"),
    (KeygenAlg::RS512 { bits: 2048 }, "RS512"),
    (KeygenAlg::ES512, "ES512"),
    (KeygenAlg::HS256, "new HS256 JWT_SECRET"),
];

impl Rotation {
    /// Plans on the worker from the configuration inputs; its [`Planned`] comes back to the
    /// Doctor's `on_task`.
    pub fn start(&mut self, inputs: Inputs, ctx: &mut Ctx<'_>) {
        if self.planning {
            return;
        }
        self.planning = true;
        let alg = self.alg;
        let api_keys = self.api_keys;
        let claims = if self.keep_claims {
            ApiKeyClaims::Keep
        } else {
            ApiKeyClaims::Fresh
        };
        let envoy = inputs.envoy.is_some();
        let now = ctx.now();
        ctx.spawn(move || {
            Planned(
                load(&inputs)
                    .and_then(|config| {
                        if api_keys {
                            plan_api_keys(&config)
                        } else {
                            plan_with(&config, alg, claims, now)
                        }
                    })
                    .map(|plan| rendered(plan, envoy))
                    .map_err(|e| e.to_string()),
            )
        });
    }

    /// A plan finished.
    pub fn finish(&mut self, planned: Planned) {
        self.planning = false;
        self.output = Some(planned.0);
    }
}

/// The assistant.
pub fn rotation_ui(ui: &mut Ui, r: &mut Rotation, ctx: &mut Ctx<'_>) {
    let heading = ui.strong("Rotation assistant");
    if std::mem::take(&mut r.reveal) {
        heading.scroll_to_me(Some(egui::Align::TOP));
    }
    ui.checkbox(
        &mut r.api_keys,
        "Only the opaque API keys (SUPABASE_PUBLISHABLE_KEY / SUPABASE_SECRET_KEY), like rotate-new-api-keys.sh",
    );
    ui.add_enabled_ui(!r.api_keys, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label("New key:");
            for (alg, label) in ALGS {
                ui.selectable_value(&mut r.alg, alg, label);
            }
        });
        ui.checkbox(
            &mut r.keep_claims,
            "Keep the old ANON_KEY / SERVICE_ROLE_KEY payloads (their iss and exp) instead of minting new ones valid for 5 years",
        );
    });
    if !r.api_keys
        && let Some(warning) = r.alg.alg().supabase_client_warning()
    {
        ui.label(RichText::new(esc(&format!("Warning: {warning}"))).color(WARN));
    }
    ui.horizontal(|ui| {
        if r.planning {
            ui.spinner();
        } else if ui.button("Plan rotation").clicked() {
            r.pending = true;
        }
    });
    match &r.output {
        None => {
            ui.label(RichText::new("Uses the .env above: a private legacy secret stays as an oct verify key (a public demo or short one is replaced); API keys are minted anew unless you keep the old payloads. Nothing is written unless you Save.").weak());
        }
        Some(Err(e)) => {
            ui.label(RichText::new(esc(e)).color(BAD));
        }
        Some(Ok(plan)) => {
            ui.strong("Steps");
            for (i, step) in plan.steps.iter().enumerate() {
                let text = RichText::new(esc(&format!("{}. {step}", i + 1)));
                ui.label(if step.starts_with("Warning:") {
                    text.color(WARN)
                } else {
                    text
                });
            }
            ui.label(
                RichText::new("The values below hold the new secrets: Copy and Save take the values only, not these steps.")
                    .weak(),
            );
            for o in &plan.outputs {
                value_block_ui(
                    ui,
                    ctx,
                    o.title,
                    Shown::Secret(o.text.expose()),
                    o.file_name,
                );
            }
        }
    }
}
