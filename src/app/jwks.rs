//! The JWKS pane: load a key set from a file, a paste or a URL and list its keys. The loaded
//! keys join the key ring, so Decode and Verify use them.

use super::file_open::{FileJob, FileOpener};
use super::jwks_http::{allow_http_ui, http_allowed, plain_http_host};
use super::pane::{PaneInfo, PaneView};
use super::route::Content;
use super::settings::Settings;
use super::shared::{Ctx, KeyOrigin};
use super::state::Action;
use super::widgets::{BAD, GOOD, WARN, esc, note_ui, text_area_ui, text_field_ui, value_block_ui};
use crate::core::keys::{Key, KeySet, jwks_value, load_keys, thumbprint};
use egui::{RichText, Ui};

/// The JWKS pane.
#[derive(Default)]
pub struct JwksPane {
    /// Pasted JSON.
    pub paste: String,
    /// URL, project URL or project ref.
    pub url: String,
    /// The loaded set.
    pub loaded: Option<LoadedSet>,
    /// Why the last load failed.
    pub error: Option<String>,
    /// Increments per fetch; a result from an older fetch is ignored (Cancel).
    pub generation: u64,
    /// The fetch running, if any (its generation).
    pub fetching: Option<u64>,
    /// A command recorded while drawing, applied in `update`.
    command: Option<Command>,
    /// "Open file…" with its path-field fallback and last outcome.
    pub opener: FileOpener,
    /// The error came from the fetch (shown under the URL) rather than a load.
    fetch_failed: bool,
    /// Hosts the user allowed plain http for, this session only (never saved).
    pub allow_http: std::collections::BTreeSet<String>,
}

enum Command {
    LoadPaste,
    Fetch,
}

/// What this pane's background jobs return.
enum Job {
    Fetched {
        url: String,
        generation: u64,
        result: Result<KeySet, String>,
    },
}

/// A key set and where it came from, with what the table shows (computed once).
pub struct LoadedSet {
    /// The keys.
    pub set: KeySet,
    /// "pasted JSON", a file name or a URL.
    pub source: String,
    /// The public half as a JWKS, pretty-printed ("" when there is none).
    public_jwks: String,
    /// One row of table cells per key.
    rows: Vec<Row>,
}

struct Row {
    kid: String,
    kty: &'static str,
    alg: String,
    size: String,
    key_use: String,
    key_ops: String,
    thumbprint: String,
    material: Material,
}

#[derive(Clone, Copy)]
enum Material {
    Secret,
    Private,
    Public,
}

impl LoadedSet {
    fn new(set: KeySet, source: String) -> LoadedSet {
        let public: Vec<Key> = set
            .keys
            .iter()
            .filter(|k| k.kty() != "oct")
            .map(Key::public_only)
            .collect();
        let public_jwks = if public.is_empty() {
            String::new()
        } else {
            crate::core::escape::pretty_json(&jwks_value(&public, false))
        };
        let rows = set.keys.iter().map(Row::new).collect();
        LoadedSet {
            set,
            source,
            public_jwks,
            rows,
        }
    }
}

impl Row {
    fn new(key: &Key) -> Row {
        Row {
            kid: esc(key.kid.as_deref().unwrap_or("—")).into_owned(),
            kty: key.kty(),
            alg: esc(key.alg.as_deref().unwrap_or("—")).into_owned(),
            size: match key.rsa_bits() {
                Some(bits) => format!("{bits} bits"),
                None => key.kind_label().replace("EC ", ""),
            },
            key_use: esc(key.key_use.as_deref().unwrap_or("—")).into_owned(),
            key_ops: esc(&key.key_ops.as_ref().map_or("—".into(), |o| o.join(", "))).into_owned(),
            thumbprint: thumbprint(key),
            material: if key.kty() == "oct" {
                Material::Secret
            } else if key.has_private() {
                Material::Private
            } else {
                Material::Public
            },
        }
    }
}

impl JwksPane {
    /// Loads key-set text; a single key or PEM is accepted too (as a set of one).
    fn load_text(&mut self, text: &str, source: &str, ctx: &mut Ctx<'_>) {
        match load_keys(text) {
            Ok(set) => self.set_loaded(set, source.to_string(), ctx),
            Err(e) => {
                self.error = Some(e.to_string());
                self.fetch_failed = false;
            }
        }
    }

    /// Replaces the loaded set and puts its keys in the ring.
    fn set_loaded(&mut self, set: KeySet, source: String, ctx: &mut Ctx<'_>) {
        self.error = None;
        ctx.send(Action::AddKeys {
            set: set.clone(),
            origin: KeyOrigin::Jwks(source.clone()),
        });
        self.loaded = Some(LoadedSet::new(set, source));
    }

    fn start_fetch(&mut self, ctx: &mut Ctx<'_>) {
        let allow_http = http_allowed(&self.url, &self.allow_http);
        // TODO(lead): pass allow_http to fetch (wt-core adds the fetch-level opt-in, CLI
        // `--allow-http`); until then jwks_url_for refuses plain http to another machine.
        let url = match crate::fetch::jwks_url_for(&self.url) {
            Ok(url) => url,
            Err(e) => {
                let e = match plain_http_host(&self.url) {
                    Some(host) if !allow_http => format!(
                        "{e}; to fetch from {host} anyway, tick \"Allow plain http for {host}\" (trusted networks only)"
                    ),
                    _ => e,
                };
                self.error = Some(e.clone());
                self.fetch_failed = true;
                return ctx.send(Action::Say {
                    text: e,
                    is_error: true,
                });
            }
        };
        ctx.send(Action::RememberJwksUrl(self.url.trim().to_string()));
        self.generation += 1;
        let generation = self.generation;
        self.fetching = Some(generation);
        self.error = None;
        ctx.spawn(move || Job::Fetched {
            url: url.to_string(),
            generation,
            result: crate::fetch::fetch_jwks(&url),
        });
    }

    /// Forgets the running fetch: its result will be ignored.
    pub fn cancel_fetch(&mut self) {
        self.fetching = None;
        self.generation += 1;
    }
}

impl PaneInfo for JwksPane {
    const TITLE: &'static str = "JWKS";
    const BLURB: &'static str =
        "Load a key set from a file, a paste or a URL (project ref, project URL or jwks.json URL).";
    fn new(settings: &Settings) -> Self {
        JwksPane {
            url: settings.last_jwks_url.clone(),
            ..JwksPane::default()
        }
    }
}

impl PaneView for JwksPane {
    fn ui(&mut self, ui: &mut Ui, ctx: &mut Ctx<'_>) {
        self.opener.ui(ui, ctx, "Open file…");
        ui.label(RichText::new("or drop a .json / .pem file on the window").weak());
        ui.add_space(6.0);
        let fetching = self.fetching.is_some();
        ui.horizontal(|ui| {
            let submitted = ui
                .add_enabled_ui(!fetching, |ui| {
                    ui.set_max_width(ui.available_width() - 170.0);
                    text_field_ui(
                        ui,
                        "URL or project ref",
                        &mut self.url,
                        "abcdefghijklmnopqrst · https://<ref>.supabase.co · http://localhost:8000",
                    )
                })
                .inner
                .lost_focus()
                && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if fetching {
                ui.spinner();
                if ui.button("Cancel").clicked() {
                    self.cancel_fetch();
                    ctx.send(Action::Say {
                        text: "fetch cancelled".into(),
                        is_error: false,
                    });
                }
            } else if ui
                .button("Fetch")
                .on_hover_text("The only network request supajwt makes")
                .clicked()
                || submitted
            {
                self.command = Some(Command::Fetch);
            }
        });
        if let (Some(e), true) = (&self.error, self.fetch_failed) {
            note_ui(ui, Some(BAD), e);
        }
        allow_http_ui(ui, &self.url, &mut self.allow_http);
        ui.add_space(6.0);
        text_area_ui(
            ui,
            "Pasted JWKS / JWT_KEYS / JWK / PEM",
            &mut self.paste,
            "{\"keys\":[...]}",
            3,
        );
        if ui.button("Load pasted").clicked() {
            self.command = Some(Command::LoadPaste);
        }
        if let (Some(e), false) = (&self.error, self.fetch_failed) {
            note_ui(ui, Some(BAD), e);
        }
        ui.separator();
        match &self.loaded {
            None => {
                ui.label(RichText::new("No key set loaded.").weak());
            }
            Some(loaded) => loaded_ui(ui, loaded, ctx),
        }
    }

    fn update(&mut self, ctx: &mut Ctx<'_>) {
        match self.command.take() {
            Some(Command::LoadPaste) => {
                let text = std::mem::take(&mut self.paste);
                self.load_text(&text, "pasted JSON", ctx);
                self.paste = text;
            }
            Some(Command::Fetch) => self.start_fetch(ctx),
            None => {}
        }
    }

    fn on_task(&mut self, result: Box<dyn std::any::Any + Send>, ctx: &mut Ctx<'_>) {
        let result = match FileJob::from_any(result) {
            Ok(job) => {
                if let Some((name, text)) = self.opener.finish(job, ctx) {
                    self.load_text(&text, &name, ctx);
                    if let Some(e) = &self.error {
                        self.opener.last = Some((format!("{name}: {e}"), true));
                    }
                    self.paste = text;
                }
                return;
            }
            Err(other) => other,
        };
        let Ok(job) = result.downcast::<Job>() else {
            return;
        };
        match *job {
            Job::Fetched {
                url,
                generation,
                result,
            } => {
                if self.fetching != Some(generation) {
                    return;
                }
                self.fetching = None;
                match result {
                    Ok(set) => {
                        self.set_loaded(set, url.clone(), ctx);
                        ctx.send(Action::Say {
                            text: format!("fetched {url}"),
                            is_error: false,
                        });
                    }
                    Err(e) => {
                        self.error = Some(e.clone());
                        self.fetch_failed = true;
                        ctx.send(Action::Say {
                            text: format!("fetch failed: {e}"),
                            is_error: true,
                        });
                    }
                }
            }
        }
    }

    fn accepts(&self, content: &Content) -> bool {
        matches!(content, Content::KeySet)
    }

    fn receive(&mut self, _content: Content, name: &str, text: String, ctx: &mut Ctx<'_>) {
        self.load_text(&text, name, ctx);
        self.paste = text;
    }

    fn busy(&self) -> Option<&'static str> {
        match self.fetching {
            Some(_) => Some("Online: fetching the JWKS"),
            None => self.opener.busy.then_some("opening a file"),
        }
    }
}

fn loaded_ui(ui: &mut Ui, loaded: &LoadedSet, ctx: &mut Ctx<'_>) {
    let set = &loaded.set;
    ui.label(
        RichText::new(format!(
            "{} key(s) from {} — {}",
            set.keys.len(),
            esc(&loaded.source),
            set.shape.label()
        ))
        .strong(),
    );
    for w in &set.warnings {
        let loud = w.exposes_secrets();
        note_ui(
            ui,
            Some(if loud { BAD } else { WARN }),
            &format!("Warning: {w}"),
        );
    }
    egui::ScrollArea::horizontal()
        .id_salt("jwks_grid_scroll")
        .show(ui, |ui| keys_grid_ui(ui, loaded));
    ui.add_space(6.0);
    if !loaded.public_jwks.is_empty() {
        value_block_ui(
            ui,
            ctx,
            "Public JWKS (safe to publish)",
            &loaded.public_jwks,
            false,
            "jwks.json",
        );
    }
}

fn keys_grid_ui(ui: &mut Ui, loaded: &LoadedSet) {
    egui::Grid::new("jwks_grid")
        .striped(true)
        .num_columns(8)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for h in [
                "kid",
                "kty",
                "alg",
                "crv / size",
                "use",
                "key_ops",
                "RFC 7638 thumbprint",
                "material",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for row in &loaded.rows {
                row_ui(ui, row);
                ui.end_row();
            }
        });
}

fn row_ui(ui: &mut Ui, row: &Row) {
    ui.monospace(&row.kid);
    ui.label(row.kty);
    ui.label(&row.alg);
    ui.label(&row.size);
    ui.label(&row.key_use);
    ui.label(&row.key_ops);
    ui.monospace(&row.thumbprint);
    match row.material {
        Material::Secret => ui.label(RichText::new("SHARED SECRET").color(BAD).strong()),
        Material::Private => ui.label(RichText::new("PRIVATE").color(BAD).strong()),
        Material::Public => ui.label(RichText::new("public").color(GOOD)),
    };
}
