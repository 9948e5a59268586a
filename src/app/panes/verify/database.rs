//! Verify's Database section (issue 21 §2): what PostgreSQL sees for the token, as
//! `supajwt db` reports it. Nothing leaves the machine until "Ask the database" is clicked; the
//! call runs on a worker thread, bounded by 10 s, in a READ ONLY transaction that is rolled back.

use crate::app::shared::Ctx;
use crate::app::widgets::{BAD, WARN, esc, note_ui, secret_field_ui, text_field_ui};
use crate::db::{DbRequest, Outcome, ask};
use crate::jose::input::clean_token_input;
use crate::jose::secret::SecretString;
use crate::jose::token::Jws;
use crate::supabase::rls::describe::report_lines;
use crate::supabase::rls::report::command_for_method;
use crate::supabase::rls::sql::{Request, RoleKind, role_kind, settings};
use egui::{RichText, Ui};
use std::time::Duration;

/// The whole call, connecting included.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The methods PostgREST maps to SELECT, INSERT, UPDATE and DELETE policies.
const METHODS: [&str; 4] = ["GET", "POST", "PATCH", "DELETE"];

/// The tables the role can name, for the picker (asked with the report, as the role).
const TABLES_SQL: &str = "select n.nspname || '.' || c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p', 'v', 'm', 'f') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%' order by 1 limit 500";

/// The Database section's fields and last answer. Nothing here is ever saved.
#[derive(Default)]
pub struct DbSection {
    /// `postgres://USER@HOST:PORT/DB`; secret too, as it may hold a password.
    pub url: SecretString,
    /// Show the URL while it holds a password.
    pub show_url: bool,
    /// The password (never saved, never logged).
    pub password: SecretString,
    /// Show the password.
    pub show_password: bool,
    /// `schema.name`.
    pub table: String,
    /// `GET`, `POST`, `PATCH` or `DELETE`.
    pub method: usize,
    /// Increments per call; an older call's answer is ignored.
    generation: u64,
    /// The call running, if any (its generation).
    pub running: Option<u64>,
    /// The last answer: the report's lines (explanation first), or why there is none.
    pub answer: Option<Result<Answer, String>>,
    /// Tables the last answer listed (the picker).
    pub tables: Vec<String>,
    /// The host the window connected to (the status bar says it went online).
    pub asked: Option<String>,
    /// The button was clicked: ask at the next update.
    requested: bool,
}

/// A report to show.
pub struct Answer {
    /// The plain-words explanation.
    pub explanation: Vec<String>,
    /// The report's lines.
    pub lines: Vec<String>,
}

/// What the worker returns.
pub struct Job {
    generation: u64,
    host: String,
    result: Result<(Outcome, &'static str), String>,
}

impl DbSection {
    /// Starts the call when the button was clicked: checks the token first (decoded, not
    /// verified), refuses an administrative role without connecting.
    pub fn update(&mut self, token: &str, ctx: &mut Ctx<'_>) {
        if !std::mem::take(&mut self.requested) {
            return;
        }
        let method = METHODS[self.method.min(METHODS.len() - 1)];
        let request = match self.request(token, method) {
            Ok(r) => r,
            Err(e) => {
                self.answer = Some(Err(e));
                return;
            }
        };
        self.generation += 1;
        let generation = self.generation;
        self.running = Some(generation);
        self.answer = None;
        let host = host_of(self.url.expose());
        ctx.spawn(move || Job {
            generation,
            host,
            result: ask(&request)
                .map(|o| (o, request.command))
                .map_err(|e| e.to_string()),
        });
    }

    fn request(&self, token: &str, method: &'static str) -> Result<DbRequest, String> {
        if self.url.expose().trim().is_empty() {
            return Err("enter the database URL (postgres://USER@HOST:PORT/DB)".into());
        }
        let jws = clean_token_input(token)
            .and_then(|c| Jws::parse_unverified(&c.token))
            .map_err(|e| format!("the token cannot be read: {e}"))?;
        let claims = jws
            .claims()
            .map_err(|e| format!("the token cannot be read: {e}"))?;
        let request = Request {
            method: method.into(),
            path: "/".into(),
        };
        let settings = settings(&claims, &request).map_err(|e| e.to_string())?;
        if role_kind(&settings.role) == RoleKind::Administrative {
            return Err(format!(
                "the token's role \"{}\" is an administrative role, not one of Supabase's API roles: PostgREST's authenticator cannot switch to it, and supajwt does not act as it (nothing was sent)",
                settings.role
            ));
        }
        let table = Some(self.table.trim().to_string()).filter(|t| !t.is_empty());
        Ok(DbRequest {
            url: SecretString::new(self.url.expose().trim().to_string()),
            password: Some(self.password.clone()).filter(|p| !p.expose().is_empty()),
            user: None,
            settings,
            command: command_for_method(method),
            table,
            sql: Some(TABLES_SQL.into()),
            timeout: TIMEOUT,
        })
    }

    /// Takes the worker's answer (an older call's is ignored).
    pub fn finish(&mut self, job: Job) {
        if self.running != Some(job.generation) {
            return;
        }
        self.running = None;
        self.asked = Some(job.host);
        self.answer = Some(job.result.map(|(outcome, command)| {
            if let Some(rows) = &outcome.rows {
                self.tables = rows
                    .rows
                    .iter()
                    .filter_map(|r| r.first().cloned().flatten())
                    .collect();
            }
            Answer {
                explanation: outcome.report.explanation.clone(),
                lines: report_lines(&outcome.report, command),
            }
        }));
    }

    /// The status bar's "Online: …" once the window connected.
    pub fn online(&self) -> Option<String> {
        self.asked
            .as_ref()
            .map(|host| format!("Online: asked the database at {host}"))
    }
}

/// `host:port/db` of a URL, without user or password (for the status bar).
fn host_of(url: &str) -> String {
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.rsplit_once('@').map_or(rest, |(_, a)| a);
    authority.split('?').next().unwrap_or_default().to_string()
}

/// Whether the URL carries a password (`postgres://user:pw@…` or libpq's `password=`).
pub fn holds_password(url: &str) -> bool {
    if let Some((_, rest)) = url.split_once("://") {
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        return authority
            .rsplit_once('@')
            .is_some_and(|(user, _)| user.contains(':'))
            || rest.contains("password=");
    }
    url.contains("password=")
}

/// Draws the section.
pub fn database_ui(ui: &mut Ui, db: &mut DbSection) {
    ui.collapsing("Database (what Postgres sees for this token)", |ui| {
        ui.label(
            RichText::new("Nothing leaves this machine until you click \"Ask the database\". The token is decoded, NOT verified; supajwt opens a READ ONLY transaction, applies PostgREST's settings for it, reads, and always rolls back.")
                .weak(),
        );
        // One field, one id: it keeps the focus when a typed password turns masking on.
        let secret_url = holds_password(db.url.expose());
        ui.horizontal(|ui| {
            let l = ui.label("Database URL");
            if secret_url {
                ui.checkbox(&mut db.show_url, "Show");
            }
            ui.add(
                egui::TextEdit::singleline(&mut db.url)
                    .id_salt("database-url")
                    .password(secret_url && !db.show_url)
                    .hint_text("postgres://authenticator@localhost:5432/postgres")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        });
        if secret_url {
            note_ui(ui, Some(WARN), "This URL holds a password: it is masked and never saved; the Password field keeps it out of the URL.");
        }
        secret_field_ui(ui, "Password", &mut db.password, &mut db.show_password);
        ui.horizontal(|ui| {
            ui.set_max_width(ui.available_width() - 220.0);
            text_field_ui(ui, "Table", &mut db.table, "public.todos");
        });
        if !db.tables.is_empty() {
            egui::ComboBox::from_label("Pick a table")
                .selected_text(esc(&db.table))
                .show_ui(ui, |ui| {
                    for t in &db.tables {
                        if ui.selectable_label(db.table == *t, esc(t)).clicked() {
                            db.table.clone_from(t);
                        }
                    }
                });
        }
        ui.horizontal(|ui| {
            ui.label("Method:");
            for (i, m) in METHODS.iter().enumerate() {
                ui.selectable_value(&mut db.method, i, *m);
            }
        });
        ui.horizontal(|ui| {
            if db.running.is_some() {
                ui.spinner();
                ui.label("asking the database (10 s at most)…");
                if ui.button("Cancel").clicked() {
                    db.running = None;
                }
            } else if ui
                .button("Ask the database")
                .on_hover_text("Connects to this database (the only network use besides a JWKS fetch)")
                .clicked()
            {
                db.requested = true;
            }
        });
        match &db.answer {
            None => {}
            Some(Err(e)) => note_ui(ui, Some(BAD), e),
            Some(Ok(a)) => {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    for line in &a.explanation {
                        ui.label(RichText::new(esc(line)).size(15.0));
                    }
                });
                for line in &a.lines {
                    ui.label(RichText::new(esc(line)).monospace());
                }
                ui.label(RichText::new("Read only, rolled back: nothing in the database changed.").weak());
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_noticed() {
        assert!(holds_password("postgres://u:pw@h:5432/db"));
        assert!(holds_password("host=h password=x"));
        assert!(!holds_password("postgres://u@h:5432/db"));
        assert!(!holds_password("postgres://h:5432/db"));
        assert_eq!(
            host_of("postgres://u:p@w@h:5432/db?sslmode=require"),
            "h:5432/db"
        );
    }
}
