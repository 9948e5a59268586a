//! The Doctor's Signing keys view, its state and jobs: the stack's keys and verdict matrix read
//! from the loaded `.env` (and compose/kong files), a lifecycle step (add, promote, revoke)
//! planned with the matrix after it, and Save in place. All of it runs on the worker (the
//! matrix mints and verifies tokens, `add` may generate an RSA key); the same core functions
//! back `supajwt key …`.

use crate::app::shared::Ctx;
use crate::in_place::{Rewritten, rewrite};
use crate::jose::keys::KeygenAlg;
use crate::supabase::doctor::{Inputs, load};
use crate::supabase::lifecycle::add::plan_add;
use crate::supabase::lifecycle::matrix::{Matrix, columns, matrix, session_row};
use crate::supabase::lifecycle::plan::StepPlan;
use crate::supabase::lifecycle::promote::plan_promote;
use crate::supabase::lifecycle::revoke::plan_revoke;
use crate::supabase::lifecycle::{KeyState, Stack, read_stack};
use std::path::PathBuf;

/// A lifecycle step, as the view plans it. Keys are named by their full RFC 7638 thumbprint,
/// which names one key even when two share a kid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Add a standby key of this algorithm.
    Add(KeygenAlg),
    /// Make the key (thumbprint) the signing key.
    Promote(String),
    /// Remove the key (thumbprint).
    Revoke(String),
}

impl Step {
    /// "Add an ES256 key", "Promote 4f1c…", for headings.
    pub fn title(&self, stack: Option<&Stack>) -> String {
        let name = |print: &str| {
            stack
                .and_then(|s| s.keys.iter().find(|k| k.thumbprint == print))
                .map_or_else(|| print.chars().take(8).collect(), |k| k.name())
        };
        match self {
            Step::Add(alg) => format!("Add a standby {} key", alg.alg().name()),
            Step::Promote(print) => format!("Promote {}", name(print)),
            Step::Revoke(print) => format!("Revoke {}", name(print)),
        }
    }
}

/// The stack as read: its keys and who accepts what now.
pub struct KeysView {
    /// The keys and their states.
    pub stack: Stack,
    /// The verdict matrix now.
    pub matrix: Matrix,
    /// Per verify-only asymmetric key (by thumbprint): the services that would refuse the
    /// sessions it signs once promoted (empty: every verifier sees it).
    pub unseen_by: Vec<(String, Vec<&'static str>)>,
}

/// A planned step with the matrix after it.
pub struct Planned {
    /// The core's plan: the new `.env`, its diff, the steps.
    pub plan: StepPlan,
    /// The matrix once the new `.env` is applied.
    pub after: Matrix,
    /// The `.env` text the plan was made from (Save in place checks the file still reads it).
    pub old_env: String,
}

/// A read job's result.
pub struct KeysRead {
    generation: u64,
    result: Result<KeysView, String>,
}

/// A planning job's result.
pub struct StepPlanned {
    generation: u64,
    step: Step,
    result: Result<Planned, String>,
}

/// A Save-in-place job's result, and the text written.
pub struct SavedInPlace {
    result: Result<Rewritten, String>,
    new_env: String,
}

/// What the view asked for, applied at the next update.
pub enum Command {
    /// Read the stack again (the `.env` was pasted or edited).
    Read,
    /// Plan a step.
    Plan(Step),
    /// Write the plan's `.env` over this file.
    SaveInPlace(PathBuf),
    /// Forget the plan.
    Discard,
}

/// The view's state (session only: plans hold private keys).
pub struct SigningKeys {
    /// The stack read from the Doctor's files, or why it cannot be read.
    pub view: Option<Result<KeysView, String>>,
    /// A read is running.
    pub reading: bool,
    /// The algorithm Add offers.
    pub add_alg: KeygenAlg,
    /// Skip the refusals `--force` skips.
    pub force: bool,
    /// The last planned step and its plan, or why the core refused it.
    pub plan: Option<(Step, Result<Planned, String>)>,
    /// The step being planned.
    pub planning: Option<Step>,
    /// Show the diff's private lines.
    pub reveal_diff: bool,
    /// A Save in place is running.
    pub saving: bool,
    /// The last Save in place's outcome (text, is an error).
    pub saved: Option<(String, bool)>,
    /// The view's command for the next update.
    pub pending: Option<Command>,
    /// Bumped at every read: results of older reads and plans are dropped.
    generation: u64,
}

impl Default for SigningKeys {
    fn default() -> Self {
        SigningKeys {
            view: None,
            reading: false,
            add_alg: KeygenAlg::ES256,
            force: false,
            plan: None,
            planning: None,
            reveal_diff: false,
            saving: false,
            saved: None,
            pending: None,
            generation: 0,
        }
    }
}

impl SigningKeys {
    /// Reads the stack from `inputs` on the worker (nothing when no `.env` is loaded); a plan
    /// of the previous text is dropped.
    pub fn read(&mut self, inputs: Inputs, ctx: &mut Ctx<'_>) {
        self.generation += 1;
        self.plan = None;
        self.planning = None;
        self.reveal_diff = false;
        if inputs.env.is_none() {
            self.view = None;
            self.reading = false;
            return;
        }
        self.reading = true;
        let (generation, now) = (self.generation, ctx.now());
        ctx.spawn(move || KeysRead {
            generation,
            result: read_view(&inputs, now),
        });
    }

    /// Applies the view's command: plans on the worker, or starts a Save in place.
    pub fn apply(&mut self, inputs: Inputs, ctx: &mut Ctx<'_>) {
        match self.pending.take() {
            None => {}
            Some(Command::Read) => self.read(inputs, ctx),
            Some(Command::Discard) => {
                self.plan = None;
                self.saved = None;
            }
            Some(Command::Plan(step)) => {
                if self.planning.is_some() {
                    return;
                }
                self.planning = Some(step.clone());
                self.saved = None;
                self.reveal_diff = false;
                let (generation, force, now) = (self.generation, self.force, ctx.now());
                ctx.spawn(move || StepPlanned {
                    generation,
                    result: plan_step(inputs, &step, force, now),
                    step,
                });
            }
            Some(Command::SaveInPlace(path)) => {
                let Some((_, Ok(planned))) = &self.plan else {
                    return;
                };
                if self.saving {
                    return;
                }
                self.saving = true;
                self.saved = None;
                let old = planned.old_env.clone();
                let new_env = planned.plan.new_env.clone();
                let now = ctx.now();
                ctx.spawn(move || SavedInPlace {
                    result: rewrite(&path, &old, &new_env, now).map_err(|e| e.to_string()),
                    new_env,
                });
            }
        }
    }

    /// Takes a finished job of this view; returns the new `.env` text after a Save in place
    /// (the Doctor loads it, which reads the stack again), else `result` back when it is not
    /// this view's.
    pub fn finish(
        &mut self,
        result: Box<dyn std::any::Any + Send>,
    ) -> Result<Option<String>, Box<dyn std::any::Any + Send>> {
        let result = match result.downcast::<KeysRead>() {
            Ok(read) => {
                if read.generation == self.generation {
                    self.reading = false;
                    self.view = Some(read.result);
                }
                return Ok(None);
            }
            Err(other) => other,
        };
        let result = match result.downcast::<StepPlanned>() {
            Ok(planned) => {
                if planned.generation == self.generation {
                    self.planning = None;
                    self.plan = Some((planned.step, planned.result));
                }
                return Ok(None);
            }
            Err(other) => other,
        };
        let saved = result.downcast::<SavedInPlace>()?;
        self.saving = false;
        Ok(match saved.result {
            Ok(done) => {
                self.saved = Some((
                    format!(
                        "saved {} (mode 0600); the old file is kept as {}",
                        done.path.display(),
                        done.backup.display()
                    ),
                    false,
                ));
                Some(saved.new_env)
            }
            Err(e) => {
                self.saved = Some((format!("not saved: {e}"), true));
                None
            }
        })
    }

    /// What runs in the background, for the status bar.
    pub fn busy(&self) -> Option<&'static str> {
        if self.planning.is_some() {
            Some("planning the key step")
        } else if self.reading {
            Some("reading the signing keys")
        } else if self.saving {
            Some("saving the .env")
        } else {
            None
        }
    }
}

/// The stack of `inputs` and its matrix at `now`.
fn read_view(inputs: &Inputs, now: i64) -> Result<KeysView, String> {
    let env = inputs.env.as_deref().unwrap_or_default();
    let config = load(inputs).map_err(|e| e.to_string())?;
    let stack = read_stack(env, &config).map_err(|e| format!(".env: {e}"))?;
    let matrix = matrix(&stack, &config, now).map_err(|e| e.to_string())?;
    let services = columns(&config);
    let mut unseen_by = Vec::new();
    for k in &stack.keys {
        let waiting = matches!(k.state, KeyState::Standby | KeyState::VerifyOnly);
        if !waiting || k.key.kty() == "oct" {
            continue;
        }
        let row = session_row(&config, &services, "", k, stack.jwt_expiry, now)
            .map_err(|e| e.to_string())?;
        let refused = row
            .iter()
            .filter(|c| c.accepted == Some(false))
            .map(|c| c.service)
            .collect();
        unseen_by.push((k.thumbprint.clone(), refused));
    }
    Ok(KeysView {
        stack,
        matrix,
        unseen_by,
    })
}

/// Plans `step` and the matrix after it (for Add, with the sessions the new key will sign
/// once promoted), as `supajwt key add` shows it.
fn plan_step(inputs: Inputs, step: &Step, force: bool, now: i64) -> Result<Planned, String> {
    let text = |e: crate::jose::error::CoreError| e.to_string();
    let env = inputs.env.clone().unwrap_or_default();
    let config = load(&inputs).map_err(text)?;
    let stack = read_stack(&env, &config).map_err(text)?;
    let plan = match step {
        Step::Add(alg) => plan_add(&env, &stack, &config, *alg, None, now),
        Step::Promote(id) => plan_promote(&env, &stack, &config, id, now, force),
        Step::Revoke(id) => plan_revoke(&env, &stack, &config, id, now, force),
    }
    .map_err(text)?;
    let after = plan
        .after
        .clone()
        .ok_or_else(|| "the plan has no matrix after it".to_string())?;
    Ok(Planned {
        plan,
        after,
        old_env: env,
    })
}
