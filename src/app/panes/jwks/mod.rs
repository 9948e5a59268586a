//! The JWKS pane: load a key set from a file, a paste or a URL and list its keys. The loaded
//! keys join the key ring, so Decode and Verify use them.

mod http;
mod table;

use crate::app::file_open::{FileJob, FileOpener};
use crate::app::pane::{PaneInfo, PaneView};
use crate::app::shared::Ctx;
use crate::app::vocab::{Action, Content, KeyOrigin, Settings};
use crate::app::widgets::{BAD, note_ui, text_area_ui, text_field_ui};
use crate::jose::keys::{KeySet, load_keys};
use egui::{RichText, Ui};
use http::{allow_http_ui, http_allowed, plain_http_host};
use table::{LoadedSet, loaded_ui};

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
    /// The URL of the last fetch that went out (the status bar says the window went online).
    pub fetched_from: Option<String>,
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

impl JwksPane {
    /// Loads key-set text; a single key or PEM is accepted too (as a set of one).
    fn load_text(&mut self, text: &str, source: &str, ctx: &mut Ctx<'_>) {
        match load_keys(text) {
            Ok(set) => self.set_loaded(set, source.to_string(), ctx),
            Err(e) => {
                self.error = Some(crate::app::hints::core_error_text(&e));
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
        let options = crate::fetch::FetchOptions {
            allow_http,
            ..Default::default()
        };
        let checked = crate::fetch::parse_jwks_url(&self.url).and_then(|url| {
            crate::fetch::check_url(&url, &options)
                .map(|warning| (url, warning))
                .map_err(|e| e.to_string())
        });
        let url = match checked {
            Ok((url, warning)) => {
                if let Some(warning) = warning {
                    ctx.send(Action::Say {
                        text: warning,
                        is_error: false,
                    });
                }
                url
            }
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
            result: crate::fetch::fetch_jwks_with(&url, &options).map_err(|e| e.to_string()),
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
            opener: FileOpener::new(0).with_hint("/path/to/jwks.json or ~/…"),
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
                if let Some((name, text)) = self.opener.finish(job) {
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
                self.fetched_from = Some(url.clone());
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

    fn online(&self) -> Option<String> {
        self.fetched_from
            .as_ref()
            .map(|url| format!("Online: fetched {url}"))
    }

    fn busy(&self) -> Option<&'static str> {
        match self.fetching {
            Some(_) => Some("Online: fetching the JWKS"),
            None => self.opener.busy.then_some("opening a file"),
        }
    }
}
