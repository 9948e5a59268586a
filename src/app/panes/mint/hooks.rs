//! How the window drives the Mint pane: its title and blurb ([`PaneInfo`]) and its
//! [`PaneView`] hooks (drawing, re-minting after a change, finished RSA jobs, intents). They sit
//! above the pane's state and logic (the parent module) and its drawing (`view`), so the imports
//! run one way: `hooks` → `view` → the parent.

use super::{Command, Job, MintPane};
use crate::app::pane::{PaneInfo, PaneView};
use crate::app::shared::Ctx;
use crate::app::vocab::{Intent, Settings};
use egui::Ui;

impl PaneInfo for MintPane {
    const TITLE: &'static str = "Mint";
    const BLURB: &'static str =
        "Make anon / service_role / authenticated tokens, or re-sign a token with another key.";
    fn new(_settings: &Settings) -> Self {
        MintPane::default()
    }
}

impl PaneView for MintPane {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut Ctx<'_>) {
        super::view::mint_ui(ui, self, ctx);
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        let ring = &ctx.shared.ring;
        self.clock.refresh();
        self.ring_rows.refresh(ring);
        self.clamp_key_choice(ring);
        self.default_signer(ring);
        if self.seen_token != Some(ctx.shared.token.rev) {
            self.seen_token = Some(ctx.shared.token.rev);
            self.resign_input.clone_from(&ctx.shared.token.text);
        }
        let key = self.key_inputs(ring);
        let command = self.command.take();
        if matches!(command, Some(Command::Mint)) || !self.mint_is_current(&key) {
            self.start_mint(ctx);
        }
        if matches!(command, Some(Command::Resign)) || !self.resign_is_current(&key) {
            self.start_resign(ctx);
        }
    }

    fn on_task(&mut self, result: Box<dyn std::any::Any + Send>, ctx: &mut Ctx<'_>) {
        let Ok(job) = result.downcast::<Job>() else {
            return;
        };
        let ring = &ctx.shared.ring;
        // A result for inputs that changed since is dropped (`update` signs them anew).
        match *job {
            Job::Minted(generation, result) if self.minting == Some(generation) => {
                self.minting = None;
                if self.mint_is_current(&self.key_inputs(ring)) {
                    self.output = Some(result);
                }
            }
            Job::Resigned(generation, result) if self.resigning == Some(generation) => {
                self.resigning = None;
                if self.resign_is_current(&self.key_inputs(ring)) {
                    self.resign_output = Some(result);
                }
            }
            Job::Minted(..) | Job::Resigned(..) => {}
        }
    }

    fn busy(&self) -> Option<&'static str> {
        (self.minting.is_some() || self.resigning.is_some()).then_some("signing with RSA")
    }

    fn on_intent(&mut self, intent: &Intent, _ctx: &mut Ctx<'_>) {
        if let Intent::MintRole(role) = intent {
            self.role = *role;
        }
    }
}
