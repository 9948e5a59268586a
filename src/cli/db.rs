//! `supajwt db`: what a token sees in a real database, and why (issue 21 §2). Read only: one
//! READ ONLY transaction, always rolled back.

use super::UsageError;
use super::io::{read_text_file, read_token_arg, secret_arg};
use super::out::Out;
use super::sql::sql_error;
use crate::db::{DbError, DbRequest, Outcome, ask};
use crate::jose::secret::SecretString;
use crate::jose::token::Jws;
use crate::supabase::doctor::dotenv::parse_env;
use crate::supabase::rls::describe::report_lines;
use crate::supabase::rls::report::{Report, command_for_method};
use crate::supabase::rls::sql::{Request, RoleKind, role_kind, settings};
use clap::Args;
use serde_json::json;
use std::process::ExitCode;
use std::time::Duration;

// `db` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
#[command(
    after_help = "supajwt never writes: it opens a READ ONLY transaction (statement_timeout 5 s), applies the settings `supajwt sql` prints, reads, and always ends in ROLLBACK. The token is decoded, NOT verified (use `supajwt verify`). The password (from the URL, PGPASSWORD or --env) is never printed.\n\nSelf-hosted: --env .env uses POSTGRES_PASSWORD and, when the URL names no user, the pooler's postgres.POOLER_TENANT_ID user.\nTLS: sslmode=prefer (default) and require encrypt without checking the certificate, as libpq; sslmode=verify-full checks it."
)]
pub struct DbArgs {
    /// The token (or `-` for standard input). Env lines, `Bearer ...` and quotes are accepted.
    pub token: Option<String>,
    /// postgres://USER[:PASSWORD]@HOST:PORT/DB (sslmode=disable|prefer|require|verify-full).
    #[arg(long = "db", value_name = "URL", value_parser = secret_arg)]
    pub url: SecretString,
    /// A table to explain: its RLS, policies for the role, visible rows and why.
    #[arg(long, value_name = "SCHEMA.NAME", conflicts_with = "sql")]
    pub table: Option<String>,
    /// One read-only statement to run as the token's role.
    #[arg(long, value_name = "SELECT")]
    pub sql: Option<String>,
    /// request.method (GET: SELECT policies, POST: INSERT, PATCH: UPDATE, DELETE: DELETE).
    #[arg(long, default_value = "GET")]
    pub method: String,
    /// request.path, as PostgREST sees it (/todos).
    #[arg(long, default_value = "/")]
    pub path: String,
    /// A Supabase .env: POSTGRES_PASSWORD (and POOLER_TENANT_ID for the pooler's user).
    #[arg(long, value_name = "FILE")]
    pub env: Option<std::path::PathBuf>,
    /// Seconds for the whole connection and every query.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub timeout: u64,
    /// Print JSON: {"role","current_user","uid","claims","can_switch","table","explanation"}.
    #[arg(long)]
    pub json: bool,
}

/// Runs `db`.
pub fn run(args: &DbArgs) -> Result<ExitCode, UsageError> {
    let raw = read_token_arg(args.token.as_deref())?;
    let cleaned = super::inspect::one_token(&raw)?;
    let jws = Jws::parse_unverified(&cleaned.token)?;
    let request = Request {
        method: args.method.clone(),
        path: args.path.clone(),
    };
    let settings = settings(&jws.claims()?, &request).map_err(sql_error)?;
    if role_kind(&settings.role) == RoleKind::Administrative {
        return Err(UsageError::new(format!(
            "the token's role \"{}\" is an administrative role, not one of Supabase's API roles: PostgREST's authenticator cannot switch to it, and supajwt db does not act as it",
            settings.role
        )));
    }
    let (mut password, mut user) = (None, None);
    if let Ok(pw) = std::env::var("PGPASSWORD") {
        password = Some(SecretString::new(pw));
    }
    if let Some(path) = &args.env {
        let env = parse_env(&read_text_file(path, 1 << 20)?);
        if let Some(pw) = env.value("POSTGRES_PASSWORD") {
            password = Some(SecretString::new(pw.to_string()));
        }
        user = env
            .value("POOLER_TENANT_ID")
            .filter(|t| !t.is_empty())
            .map(|t| format!("postgres.{t}"));
    }
    let db_request = DbRequest {
        url: args.url.clone(),
        password,
        user,
        settings,
        command: command_for_method(&args.method),
        table: args.table.clone(),
        sql: args.sql.clone(),
        timeout: Duration::from_secs(args.timeout.max(1)),
    };
    let outcome = ask(&db_request).map_err(db_error)?;
    if args.json {
        print_json(&outcome);
    } else {
        print_human(&outcome, db_request.command);
    }
    Ok(ExitCode::SUCCESS)
}

fn db_error(e: DbError) -> UsageError {
    UsageError {
        message: e.to_string(),
        code: Some(e.code()),
    }
}

fn print_json(outcome: &Outcome) {
    let r = &outcome.report;
    let mut value = json!({
        "role": r.role,
        "current_user": r.current_user,
        "uid": r.uid,
        "auth_role": r.auth_role,
        "auth_schema": r.auth_schema,
        "claims": r.claims,
        "can_switch": r.can_switch,
        "bypasses_rls": r.bypasses_rls,
        "table": r.table,
        "explanation": r.explanation.join("\n"),
        "rolled_back": true,
    });
    if let (Some(rows), Some(map)) = (&outcome.rows, value.as_object_mut()) {
        map.insert(
            "sql".into(),
            json!({"columns": rows.columns, "rows": rows.rows}),
        );
    }
    Out::stdout().json(&serde_json::to_string_pretty(&value).unwrap_or_default());
}

fn print_human(outcome: &Outcome, command: &str) {
    let r: &Report = &outcome.report;
    let mut out = Out::stdout();
    for line in report_lines(r, command) {
        out.line(line);
    }
    if let Some(rows) = &outcome.rows {
        out.line(format!("== --sql as {}: {} rows", r.role, rows.rows.len()));
        out.line(rows.columns.join(" | "));
        for row in &rows.rows {
            let cells: Vec<&str> = row.iter().map(|c| c.as_deref().unwrap_or("NULL")).collect();
            out.line(cells.join(" | "));
        }
    }
    out.line("== why");
    for sentence in &r.explanation {
        out.line(sentence);
    }
    out.line("(read only, rolled back: nothing in the database changed)");
}
