//! `supajwt sql`: the statements PostgREST runs for a token, to paste into psql or Studio's SQL
//! editor (issue 21 §1). Offline; the token is decoded, not verified.

use super::UsageError;
use super::io::read_token_arg;
use super::out::{Out, note};
use crate::jose::token::Jws;
use crate::supabase::rls::sql::{Request, SqlError, Wrapper, role_warnings, script, settings};
use clap::Args;
use std::process::ExitCode;

// `sql` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
#[command(
    after_help = "The token is decoded WITHOUT verifying its signature (use `supajwt verify`). The output is SQL only: warnings are `--` comments (and go to stderr too), so it pipes into psql as it is:\n  supajwt sql \"$TOKEN\" --query 'select count(*) from todos' | psql \"$DATABASE_URL\""
)]
pub struct SqlArgs {
    /// The token (or `-` for standard input). Env lines, `Bearer ...` and quotes are accepted.
    pub token: Option<String>,
    /// request.method, as PostgREST sets it (GET for a select, POST for an insert, …).
    #[arg(long, default_value = "GET")]
    pub method: String,
    /// request.path, as PostgREST sees it (behind Kong, /rest/v1 is stripped: /todos).
    #[arg(long, default_value = "/")]
    pub path: String,
    /// Your statement, put in the marked place after the settings.
    #[arg(long, value_name = "SQL")]
    pub query: Option<String>,
    /// Leave out the `begin; … rollback;` around the statements.
    #[arg(long)]
    pub no_transaction: bool,
}

/// Runs `sql`.
pub fn run(args: &SqlArgs) -> Result<ExitCode, UsageError> {
    let raw = read_token_arg(args.token.as_deref())?;
    let cleaned = super::inspect::one_token(&raw)?;
    let jws = Jws::parse_unverified(&cleaned.token)?;
    let payload = jws.claims()?;
    let request = Request {
        method: args.method.clone(),
        path: args.path.clone(),
    };
    let settings = settings(&payload, &request).map_err(sql_error)?;
    let wrapper = if args.no_transaction {
        Wrapper::None
    } else {
        Wrapper::Transaction
    };
    let text = script(&settings, args.query.as_deref(), wrapper).map_err(sql_error)?;
    for warning in role_warnings(&settings) {
        note(&format!("warning: {warning}"));
    }
    Out::stdout().data(&text);
    Ok(ExitCode::SUCCESS)
}

/// A refusal of the settings, with its stable code.
pub(super) fn sql_error(e: SqlError) -> UsageError {
    UsageError {
        message: e.to_string(),
        code: Some(e.code()),
    }
}
