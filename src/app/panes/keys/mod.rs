//! The Keys pane: generate key pairs and secrets offline, see every export with Copy and Save,
//! import keys, and manage the session's key ring.

mod exports;
mod legacy;

use crate::app::clock_note::ClockCheck;
use crate::app::file_open::{FileJob, FileOpener};
use crate::app::pane::{PaneInfo, PaneView};
use crate::app::ring_view::{RingRows, ring_list_ui};
use crate::app::shared::Ctx;
use crate::app::value_block::value_block_ui;
use crate::app::vocab::{Action, Content, Intent, KeyOrigin, Settings};
use crate::app::widgets::{BAD, WARN, esc, secret_field_ui, text_area_ui, text_field_ui};
use crate::jose::alg::{Alg, AlgFamily};
use crate::jose::error::CoreError;
use crate::jose::keys::{Key, KeygenAlg, KidChoice};
use crate::jose::secret::SecretString;
use crate::supabase::roles::demo_secret_key;
use egui::{RichText, Ui};
use exports::{Output, exports};
use legacy::{legacy_choices_ui, ring_secret_text};

/// How the kid is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KidMode {
    /// Random UUID.
    #[default]
    Uuid,
    /// RFC 7638 thumbprint.
    Thumbprint,
    /// Typed in.
    Custom,
}

/// The Keys pane.
pub struct KeysPane {
    /// Kind to generate.
    pub alg: Alg,
    /// RSA size.
    pub rsa_bits: usize,
    /// kid choice.
    pub kid_mode: KidMode,
    /// Custom kid text.
    pub custom_kid: String,
    /// The key whose exports are shown: the last generated one, or a ring key picked with
    /// "Inspect / export".
    pub generated: Option<Key>,
    /// Where that key came from ("Generated", "From the key ring (imported from key.pem)").
    pub shown_from: String,
    /// What `supajwt key inspect` says about it (kind, kid, thumbprint, warnings), each line
    /// with whether it is a warning.
    pub about: Vec<(String, bool)>,
    /// Optional existing JWT_SECRET for the .env block.
    pub legacy_secret: SecretString,
    /// Show that secret.
    pub show_legacy: bool,
    /// Exports of the generated key.
    pub outputs: Vec<Output>,
    /// Pasted key text to import.
    pub import_text: SecretString,
    /// Why the last import failed.
    pub import_error: Option<String>,
    /// A key is being generated.
    pub generating: bool,
    /// "Import file…": the native dialog, or a path field when there is none.
    pub opener: FileOpener,
    /// Why the last generation failed (shown by the Generate button).
    pub generate_error: Option<String>,
    /// The system clock check (the .env block's tokens carry iat/exp).
    pub clock: ClockCheck,
    /// The ring, described (thumbprints computed once per ring change).
    pub ring_rows: RingRows,
    /// A command recorded while drawing, applied in `update`.
    command: Option<Command>,
    /// "Inspect / export" was clicked: scroll its result into view on the next frame.
    scroll_to_shown: bool,
}

enum Command {
    Generate,
    ImportPasted,
    RefreshOutputs,
    /// Show a ring key's inspection and exports.
    Inspect(u64),
    /// Keep a ring secret (the configuration's JWT_SECRET) as the legacy key.
    UseRingSecret(u64),
}

/// What this pane's background jobs return.
enum Job {
    Generated(Box<Result<Key, crate::jose::error::CoreError>>),
}

impl Default for KeysPane {
    fn default() -> Self {
        KeysPane {
            alg: Alg::ES256,
            rsa_bits: 2048,
            kid_mode: KidMode::default(),
            custom_kid: String::new(),
            generated: None,
            shown_from: String::new(),
            about: Vec::new(),
            legacy_secret: SecretString::default(),
            show_legacy: false,
            outputs: Vec::new(),
            import_text: SecretString::default(),
            import_error: None,
            generating: false,
            opener: FileOpener::new(0).with_hint("/path/to/key.pem or ~/…"),
            generate_error: None,
            clock: ClockCheck::default(),
            ring_rows: RingRows::default(),
            command: None,
            scroll_to_shown: false,
        }
    }
}

impl KeysPane {
    /// The generation parameters.
    pub fn choice(&self) -> Result<(KeygenAlg, KidChoice), CoreError> {
        let alg = KeygenAlg::new(self.alg, self.rsa_bits)?;
        let kid = match (self.kid_mode, self.alg) {
            (KidMode::Custom, _) if !self.custom_kid.trim().is_empty() => {
                KidChoice::Given(self.custom_kid.trim().into())
            }
            (_, Alg::HS256) => KidChoice::None,
            (KidMode::Thumbprint, _) => KidChoice::Thumbprint,
            _ => KidChoice::Uuid,
        };
        Ok((alg, kid))
    }

    /// Rebuilds the exports of the generated key (the .env block depends on the legacy secret).
    pub fn refresh_outputs(&mut self, now: i64) {
        self.outputs = match &self.generated {
            Some(key) => exports(key, self.legacy_secret.expose(), now),
            None => Vec::new(),
        };
        self.about = self
            .generated
            .as_ref()
            .map(|key| {
                let facts = crate::jose::keys::key_facts(key).into_iter();
                let warnings = crate::jose::keys::key_warnings(key).into_iter();
                let public = demo_secret_key(key).map(|what| {
                    format!("WARNING: this secret is {what}: it is public, anyone can forge tokens with it; generate a new one")
                });
                facts
                    .map(|line| (line, false))
                    .chain(warnings.map(|w| (format!("WARNING: {w}"), true)))
                    .chain(public.map(|w| (w, true)))
                    .collect()
            })
            .unwrap_or_default();
    }
}

impl KeysPane {
    fn import(&mut self, text: &str, origin: KeyOrigin, ctx: &mut Ctx<'_>) {
        match crate::jose::keys::load_keys(text) {
            Ok(set) => {
                self.import_error = None;
                ctx.send(Action::AddKeys { set, origin });
            }
            Err(e) => {
                let e = crate::app::hints::core_error_text(&e);
                self.import_error = Some(e.clone());
                ctx.send(Action::Say {
                    text: format!("import failed: {e}"),
                    is_error: true,
                });
            }
        }
    }
}

impl PaneInfo for KeysPane {
    const TITLE: &'static str = "Keys";
    const BLURB: &'static str = "Generate ES256 / RS256 / EdDSA key pairs and HS256 secrets on this machine, or import keys.";
    fn new(_settings: &Settings) -> Self {
        KeysPane::default()
    }
}

impl PaneView for KeysPane {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut Ctx<'_>) {
        keys_ui(ui, self, ctx);
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        self.clock.refresh();
        self.ring_rows.refresh(&ctx.shared.ring);
        match self.command.take() {
            Some(Command::Generate) if !self.generating => {
                self.generating = true;
                let choice = self.choice();
                ctx.spawn(move || {
                    let key = choice.and_then(|(alg, kid)| crate::jose::keys::generate(alg, kid));
                    Job::Generated(Box::new(key))
                });
            }
            Some(Command::ImportPasted) => {
                let text = self.import_text.clone();
                self.import(
                    text.expose(),
                    KeyOrigin::Imported("pasted text".into()),
                    ctx,
                );
            }
            Some(Command::RefreshOutputs) => self.refresh_outputs(ctx.now()),
            Some(Command::Inspect(id)) => {
                if let Some(entry) = ctx.shared.ring.get(id) {
                    self.generated = Some(entry.key.clone());
                    self.shown_from = format!("From the key ring ({})", entry.origin.describe());
                    self.refresh_outputs(ctx.now());
                    self.scroll_to_shown = true;
                }
            }
            Some(Command::UseRingSecret(id)) => {
                if let Some(secret) = ctx.shared.ring.get(id).and_then(ring_secret_text) {
                    self.legacy_secret = secret;
                    self.refresh_outputs(ctx.now());
                }
            }
            Some(Command::Generate) | None => {}
        }
    }

    fn on_task(&mut self, result: Box<dyn std::any::Any + Send>, ctx: &mut Ctx<'_>) {
        let result = match FileJob::from_any(result) {
            Ok(job) => {
                if let Some((name, text)) = self.opener.finish(job) {
                    self.import(&text, KeyOrigin::Imported(name), ctx);
                }
                return;
            }
            Err(other) => other,
        };
        let Ok(job) = result.downcast::<Job>() else {
            return;
        };
        match *job {
            Job::Generated(result) => {
                self.generating = false;
                self.generate_error = result.as_ref().as_ref().err().map(|e| e.to_string());
                match *result {
                    Ok(key) => {
                        self.generated = Some(key.clone());
                        self.shown_from = "Generated".into();
                        self.refresh_outputs(ctx.now());
                        ctx.send(Action::AddKeys {
                            set: crate::jose::keys::KeySet::single(
                                key,
                                crate::jose::keys::KeySetShape::SingleJwk,
                            ),
                            origin: KeyOrigin::Generated,
                        });
                    }
                    Err(e) => ctx.send(Action::Say {
                        text: format!("key generation failed: {e}"),
                        is_error: true,
                    }),
                }
            }
        }
    }

    fn accepts(&self, content: &Content) -> bool {
        matches!(content, Content::Key)
    }

    fn receive(&mut self, _content: Content, name: &str, text: String, ctx: &mut Ctx<'_>) {
        self.import(&text, KeyOrigin::Imported(name.to_string()), ctx);
    }

    fn busy(&self) -> Option<&'static str> {
        self.generating.then_some("generating a key")
    }

    fn on_intent(&mut self, intent: &Intent, _ctx: &mut Ctx<'_>) {
        if let Intent::GenerateKey(alg) = intent {
            self.alg = *alg;
        }
    }
}

fn keys_ui(ui: &mut Ui, k: &mut KeysPane, ctx: &mut Ctx<'_>) {
    ui.horizontal(|ui| {
        ui.label("Generate:");
        for (alg, keygen) in Alg::generated() {
            ui.selectable_value(&mut k.alg, alg, keygen.label);
        }
    });
    k.clock.ui(ui);
    if let Some(warning) = k.alg.supabase_client_warning() {
        ui.label(RichText::new(format!("Warning: {warning}.")).color(WARN));
    }
    if k.alg.family() == AlgFamily::Rsa {
        ui.horizontal(|ui| {
            ui.label("RSA size:");
            for bits in [2048, 3072, 4096] {
                ui.selectable_value(&mut k.rsa_bits, bits, format!("{bits} bits"));
            }
        });
    }
    if k.alg.family() != AlgFamily::Hmac {
        ui.horizontal(|ui| {
            ui.label("kid:");
            ui.selectable_value(&mut k.kid_mode, KidMode::Uuid, "random UUID (Supabase)");
            ui.selectable_value(&mut k.kid_mode, KidMode::Thumbprint, "RFC 7638 thumbprint");
            ui.selectable_value(&mut k.kid_mode, KidMode::Custom, "custom");
        });
        if k.kid_mode == KidMode::Custom {
            text_field_ui(ui, "Custom kid", &mut k.custom_kid, "my-key-2026");
        }
        if secret_field_ui(
            ui,
            "Existing JWT_SECRET (optional, kept as the legacy key in the .env block)",
            &mut k.legacy_secret,
            &mut k.show_legacy,
        )
        .changed()
        {
            k.command = Some(Command::RefreshOutputs);
        }
        legacy_choices_ui(ui, k, ctx);
    }
    ui.horizontal(|ui| {
        if k.generating {
            ui.add_enabled(false, egui::Button::new("Generating…"));
            ui.spinner();
        } else if ui.button(RichText::new("Generate key").strong()).clicked() {
            k.command = Some(Command::Generate);
        }
        ui.label(RichText::new("Offline, from the operating system's random generator.").weak());
    });
    if let Some(e) = &k.generate_error {
        ui.label(RichText::new(esc(e)).color(BAD));
    }
    if let Some(key) = &k.generated {
        let kid = key.kid.as_deref().unwrap_or("none");
        let shown = ui.label(
            RichText::new(esc(&format!(
                "{}: {} · kid {kid} (below: its exports)",
                k.shown_from,
                key.kind_label()
            )))
            .strong(),
        );
        // The result of a click further down (the ring's Inspect / export) is brought into view.
        if std::mem::take(&mut k.scroll_to_shown) {
            shown.scroll_to_me(Some(egui::Align::TOP));
        }
        for (line, warning) in &k.about {
            let text = RichText::new(esc(line)).monospace();
            ui.label(if *warning { text.color(WARN) } else { text });
        }
    }
    for o in &k.outputs {
        ui.add_space(4.0);
        if let Some(note) = &o.note {
            ui.label(RichText::new(esc(note)).color(WARN));
        }
        value_block_ui(ui, ctx, o.title, o.text.as_shown(), o.file_name);
    }
    ui.separator();
    ring_ui(ui, k, ctx);
}

fn ring_ui(ui: &mut Ui, k: &mut KeysPane, ctx: &mut Ctx<'_>) {
    if let Some(id) = ring_list_ui(ui, &k.ring_rows, ctx) {
        k.command = Some(Command::Inspect(id));
    }
    ui.add_space(6.0);
    if text_area_ui(
        ui,
        "Import keys (PEM, JWK, JWKS, JWT_KEYS, OpenSSH public key)",
        &mut k.import_text,
        "-----BEGIN PRIVATE KEY----- … or {\"kty\":…}",
        2,
    )
    .changed()
    {
        k.import_error = None;
    }
    if ui.button("Import pasted").clicked() {
        k.command = Some(Command::ImportPasted);
    }
    k.opener.ui(ui, ctx, "Import file…");
    if let Some(e) = &k.import_error {
        ui.label(RichText::new(esc(e)).color(BAD));
    }
}
