//! The database client (issue 21 §2, `supajwt db`): connects to PostgreSQL (TLS through
//! rustls), opens a READ ONLY transaction with a 5 s `statement_timeout`, applies PostgREST's
//! settings for one token ([`crate::supabase::rls::sql`]), asks what the role sees, and always
//! ends in ROLLBACK. With the JWKS fetch, the only network I/O.

mod inspect;
mod tls;

use crate::jose::secret::SecretString;
use crate::supabase::rls::report::Report;
use crate::supabase::rls::sql::Settings;
use std::time::Duration;

/// What to ask the database.
#[derive(Debug)]
pub struct DbRequest {
    /// `postgres://USER[:PASSWORD]@HOST:PORT/DB` (or libpq's `key=value` form).
    pub url: SecretString,
    /// The password when the URL has none (`PGPASSWORD`, `--env`).
    pub password: Option<SecretString>,
    /// The user when the URL names none.
    pub user: Option<String>,
    /// PostgREST's settings for the token.
    pub settings: Settings,
    /// `SELECT`, `INSERT`, `UPDATE` or `DELETE`: which policies apply.
    pub command: &'static str,
    /// `schema.name` of a table to report on.
    pub table: Option<String>,
    /// One read-only statement to run as the role.
    pub sql: Option<String>,
    /// The whole connection and every query, bounded.
    pub timeout: Duration,
}

/// The rows `--sql` returned, as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rows {
    /// Column names.
    pub columns: Vec<String>,
    /// Values as Postgres writes them (`None`: NULL).
    pub rows: Vec<Vec<Option<String>>>,
}

/// What the database answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// What Postgres sees, with the explanation.
    pub report: Report,
    /// `--sql`'s rows.
    pub rows: Option<Rows>,
}

/// Why the database could not answer. Each has a stable [`DbError::code`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DbError {
    /// The URL cannot be read.
    #[error("the database URL cannot be read: {0}")]
    Url(String),
    /// No connection (refused, no such host, TLS failure).
    #[error("cannot connect to {target}: {detail}")]
    Unreachable {
        /// `host:port`.
        target: String,
        /// The cause, without the password.
        detail: String,
    },
    /// No complete answer within the deadline.
    #[error(
        "no answer from {target} within {secs} s (wrong host or port, or a firewall; --timeout gives it longer)"
    )]
    Timeout {
        /// `host:port`.
        target: String,
        /// The deadline.
        secs: u64,
    },
    /// The server refused the password or the user.
    #[error("the database refused user \"{user}\": {detail}")]
    Auth {
        /// The user.
        user: String,
        /// Postgres' message.
        detail: String,
    },
    /// The token's role does not exist in this database.
    #[error(
        "the token's role \"{0}\" does not exist in this database: PostgREST would answer 'role \"{0}\" does not exist' (mint a token with an existing role, or create it)"
    )]
    NoSuchRole(String),
    /// The connecting user may not switch to the role.
    #[error(
        "user \"{user}\" may not switch to role \"{role}\" (pg_has_role MEMBER is false): connect as authenticator, or as postgres"
    )]
    CannotSwitch {
        /// The connecting user.
        user: String,
        /// The token's role.
        role: String,
    },
    /// `--table` names no table.
    #[error("no table {0} in this database (give it as schema.name, e.g. public.todos)")]
    NoSuchTable(String),
    /// `--sql` is not one read-only statement.
    #[error("--sql {0}")]
    BadSql(String),
    /// Any other error of the database.
    #[error("the database answered: {0}")]
    Database(String),
}

impl DbError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            DbError::Url(_) => "db_url",
            DbError::Unreachable { .. } => "db_unreachable",
            DbError::Timeout { .. } => "timeout",
            DbError::Auth { .. } => "db_auth",
            DbError::NoSuchRole(_) => "db_no_such_role",
            DbError::CannotSwitch { .. } => "db_cannot_switch",
            DbError::NoSuchTable(_) => "db_no_such_table",
            DbError::BadSql(_) => "db_bad_sql",
            DbError::Database(_) => "db_error",
        }
    }
}

/// Connects, asks, rolls back. Blocking (a runtime of its own on this thread); everything,
/// connecting included, is bounded by `request.timeout`.
pub fn ask(request: &DbRequest) -> Result<Outcome, DbError> {
    let (config, verify) = inspect::config(request)?;
    let target = inspect::target(&config);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| DbError::Database(format!("cannot start the client: {e}")))?;
    let tls = tls::Rustls::new(verify).map_err(|e| DbError::Unreachable {
        target: target.clone(),
        detail: format!("TLS setup: {e}"),
    })?;
    runtime.block_on(async {
        match tokio::time::timeout(
            request.timeout,
            inspect::run(&config, tls, request, &target),
        )
        .await
        {
            Ok(result) => result,
            Err(_) => Err(DbError::Timeout {
                target,
                secs: request.timeout.as_secs(),
            }),
        }
    })
}
