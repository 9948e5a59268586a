//! The conversation with the database: the connection settings, then one READ ONLY transaction
//! that applies the token's settings, reads what the role sees and ends in ROLLBACK.

use super::{DbError, DbRequest, Outcome, Rows};
use crate::supabase::rls::report::{Policy, Report, Table, explain};
use serde_json::Value;
use std::str::FromStr;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, Config, SimpleQueryMessage};

/// The client's configuration from the request, and whether to verify the certificate.
pub fn config(request: &DbRequest) -> Result<(Config, bool), DbError> {
    let text = request.url.expose().trim();
    // tokio-postgres knows disable/prefer/require; verify-full (and verify-ca) become require
    // with the certificate checked.
    let verify = text.contains("sslmode=verify-full") || text.contains("sslmode=verify-ca");
    let text = text
        .replace("sslmode=verify-full", "sslmode=require")
        .replace("sslmode=verify-ca", "sslmode=require");
    let mut config = Config::from_str(&text).map_err(|e| DbError::Url(e.to_string()))?;
    if config.get_hosts().is_empty() {
        return Err(DbError::Url(
            "it names no host: postgres://USER@HOST:PORT/DB".into(),
        ));
    }
    if config.get_user().is_none() {
        config.user(request.user.as_deref().unwrap_or("postgres"));
    }
    if config.get_password().is_none()
        && let Some(password) = &request.password
    {
        config.password(password.expose().as_bytes());
    }
    config
        .connect_timeout(request.timeout)
        .application_name("supajwt db (read only)");
    Ok((config, verify))
}

/// `host:port` for messages (never the password).
pub fn target(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "?".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!("{host}:{port}")
}

fn user_of(config: &Config) -> String {
    config.get_user().unwrap_or("postgres").to_string()
}

/// Connects and asks; the transaction is rolled back whatever happened.
pub async fn run(
    config: &Config,
    tls: super::tls::Rustls,
    request: &DbRequest,
    target: &str,
) -> Result<Outcome, DbError> {
    let (client, connection) = config.connect(tls).await.map_err(|e| {
        let detail = match e.as_db_error() {
            Some(db) => db.message().to_string(),
            None => with_causes(&e),
        };
        match e.code() {
            Some(c) if *c == SqlState::INVALID_PASSWORD || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
                DbError::Auth {
                    user: user_of(config),
                    detail: format!("{detail} (the password comes from the URL, PGPASSWORD or --env)"),
                }
            }
            _ if detail.contains("password missing") => DbError::Auth {
                user: user_of(config),
                detail: "the server asks for a password and none was given (put it in the URL, PGPASSWORD or --env)".into(),
            },
            _ => DbError::Unreachable {
                target: target.to_string(),
                detail,
            },
        }
    })?;
    let task = tokio::spawn(async move {
        let _ = connection.await;
    });
    client
        .batch_execute("start transaction read only; set local statement_timeout = '5s'")
        .await
        .map_err(db)?;
    let result = ask(&client, request).await;
    let _ = client.batch_execute("rollback").await;
    drop(client);
    let _ = task.await;
    result
}

/// An error and its causes, `: `-joined (tokio-postgres keeps the cause apart).
fn with_causes(e: &tokio_postgres::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

fn db(e: tokio_postgres::Error) -> DbError {
    match e.as_db_error() {
        Some(d) => DbError::Database(d.message().to_string()),
        None => DbError::Database(e.to_string()),
    }
}

/// A query in a savepoint: an error is returned and the transaction goes on.
async fn guarded<T>(
    client: &Client,
    query: impl Future<Output = Result<T, tokio_postgres::Error>>,
) -> Result<Result<T, tokio_postgres::Error>, DbError> {
    client
        .batch_execute("savepoint supajwt")
        .await
        .map_err(db)?;
    let result = query.await;
    let undo = if result.is_ok() {
        "release savepoint supajwt"
    } else {
        "rollback to savepoint supajwt"
    };
    client.batch_execute(undo).await.map_err(db)?;
    Ok(result)
}

struct TableInfo {
    qualified: String,
    regclass: String,
    schema: String,
    name: String,
    rls_enabled: bool,
    rls_forced: bool,
    sees_all: bool,
}

async fn ask(client: &Client, request: &DbRequest) -> Result<Outcome, DbError> {
    let role = &request.settings.role;
    let row = client
        .query_one(
            "select session_user::text, r.rolname is not null, coalesce(r.rolsuper or r.rolbypassrls, false), \
             (select count(distinct p.proname) = 3 from pg_proc p join pg_namespace n on n.oid = p.pronamespace \
               where n.nspname = 'auth' and p.proname in ('uid', 'role', 'jwt') and p.pronargs = 0) \
             from (select 1) one left join pg_roles r on r.rolname = $1::text",
            &[role],
        )
        .await
        .map_err(db)?;
    let (session_user, exists, bypasses_rls, auth_schema): (String, bool, bool, bool) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    if !exists {
        return Err(DbError::NoSuchRole(role.clone()));
    }
    let can_switch: bool = client
        .query_one(
            "select pg_has_role(session_user, $1::text, 'MEMBER')",
            &[role],
        )
        .await
        .map_err(db)?
        .get(0);
    if !can_switch {
        return Err(DbError::CannotSwitch {
            user: session_user,
            role: role.clone(),
        });
    }
    let table = match &request.table {
        Some(name) => Some(table_info(client, name).await?),
        None => None,
    };
    let total = match &table {
        Some(t) if t.sees_all => Some(count(client, &t.regclass, None).await?.map_err(db)?),
        _ => None,
    };
    let policies = match &table {
        Some(t) => policies(client, t, role, request.command).await?,
        None => Vec::new(),
    };
    // PostgREST's settings, as it applies them: one statement, values as parameters.
    let calls: Vec<String> = (0..request.settings.pairs.len())
        .map(|i| format!("set_config(${}, ${}, true)", 2 * i + 1, 2 * i + 2))
        .collect();
    let mut params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = Vec::new();
    let names: Vec<String> = request
        .settings
        .pairs
        .iter()
        .map(|p| p.0.to_string())
        .collect();
    for (name, (_, value)) in names.iter().zip(&request.settings.pairs) {
        params.push(name);
        params.push(value);
    }
    client
        .query(&format!("select {}", calls.join(", ")), &params)
        .await
        .map_err(db)?;
    let seen = if auth_schema {
        "select current_user::text, auth.uid()::text, auth.role()::text, auth.jwt()::text"
    } else {
        "select current_user::text, null::text, null::text, current_setting('request.jwt.claims', true)"
    };
    let row = client.query_one(seen, &[]).await.map_err(db)?;
    let current_user: String = row.get(0);
    let claims_text: Option<String> = row.get(3);
    let claims = claims_text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null);
    let mut visible = None;
    let mut denied = None;
    if let Some(t) = &table {
        match count(client, &t.regclass, None).await? {
            Ok(n) => visible = Some(n),
            Err(e) if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
                denied = Some(
                    e.as_db_error()
                        .map(|d| d.message().to_string())
                        .unwrap_or_default(),
                );
            }
            Err(e) => return Err(db(e)),
        }
    }
    let rows = match &request.sql {
        Some(sql) => Some(user_sql(client, sql).await?),
        None => None,
    };
    // Each policy's USING expression, counted over every row with the token's settings, as
    // the connecting user (only when it sees every row).
    client.batch_execute("reset role").await.map_err(db)?;
    let mut counted = Vec::with_capacity(policies.len());
    for mut policy in policies {
        if let (Some(t), Some(using)) = (&table, &policy.using)
            && t.sees_all
        {
            policy.admits = count(client, &t.regclass, Some(using)).await?.ok();
        }
        counted.push(policy);
    }
    let mut report = Report {
        role: role.clone(),
        current_user,
        uid: row.get(1),
        auth_role: row.get(2),
        claims,
        auth_schema,
        can_switch,
        bypasses_rls,
        table: table.map(|t| Table {
            name: t.qualified,
            rls_enabled: t.rls_enabled,
            rls_forced: t.rls_forced,
            visible_rows: visible,
            total_rows: total,
            policies: counted,
            denied,
        }),
        explanation: Vec::new(),
    };
    report.explanation = explain(&report);
    Ok(Outcome { report, rows })
}

async fn table_info(client: &Client, name: &str) -> Result<TableInfo, DbError> {
    let found = guarded(
        client,
        client.query_opt(
            "select format('%I.%I', n.nspname, c.relname), c.oid::regclass::text, n.nspname::text, c.relname::text, c.relrowsecurity, c.relforcerowsecurity, \
             has_table_privilege(session_user, c.oid, 'SELECT') and (r.rolsuper or r.rolbypassrls or not c.relrowsecurity \
               or (pg_has_role(session_user, c.relowner, 'USAGE') and not c.relforcerowsecurity)) \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_roles r on r.rolname = session_user \
             where c.oid = to_regclass($1::text)",
            &[&name],
        ),
    )
    .await?;
    match found {
        Ok(Some(row)) => Ok(TableInfo {
            qualified: row.get(0),
            regclass: row.get(1),
            schema: row.get(2),
            name: row.get(3),
            rls_enabled: row.get(4),
            rls_forced: row.get(5),
            sees_all: row.get(6),
        }),
        Ok(None) | Err(_) => Err(DbError::NoSuchTable(name.to_string())),
    }
}

async fn policies(
    client: &Client,
    table: &TableInfo,
    role: &str,
    command: &str,
) -> Result<Vec<Policy>, DbError> {
    let rows = client
        .query(
            "select policyname::text, cmd, permissive = 'PERMISSIVE', roles::text[], qual, with_check \
             from pg_policies where schemaname = $1::text and tablename = $2::text \
             and (cmd = $3::text or cmd = 'ALL') and roles && array[$4::text, 'public']::name[] \
             order by permissive = 'PERMISSIVE' desc, policyname",
            &[&table.schema, &table.name, &command, &role],
        )
        .await
        .map_err(db)?;
    Ok(rows
        .iter()
        .map(|r| Policy {
            name: r.get(0),
            command: r.get(1),
            permissive: r.get(2),
            roles: r.get(3),
            using: r.get(4),
            with_check: r.get(5),
            admits: None,
        })
        .collect())
}

/// `count(*)` of the table (the expression, from `pg_policies` of this database, as filter).
async fn count(
    client: &Client,
    regclass: &str,
    filter: Option<&str>,
) -> Result<Result<i64, tokio_postgres::Error>, DbError> {
    let sql = match filter {
        Some(f) => format!("select count(*) from {regclass} where ({f})"),
        None => format!("select count(*) from {regclass}"),
    };
    Ok(guarded(client, client.query_one(&sql, &[]))
        .await?
        .map(|row| row.get(0)))
}

/// `--sql`: one statement (a prepared statement holds exactly one), read only (the
/// transaction is), as the role.
async fn user_sql(client: &Client, sql: &str) -> Result<Rows, DbError> {
    if let Err(e) = guarded(client, client.prepare(sql)).await? {
        let detail = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string());
        return Err(DbError::BadSql(if detail.contains("multiple commands") {
            "must be a single statement".into()
        } else {
            format!("is not valid here: {detail}")
        }));
    }
    let messages = match guarded(client, client.simple_query(sql)).await? {
        Ok(m) => m,
        Err(e) if e.code() == Some(&SqlState::READ_ONLY_SQL_TRANSACTION) => {
            return Err(DbError::BadSql(
                "must be read-only: supajwt never writes (the transaction is READ ONLY)".into(),
            ));
        }
        Err(e) => {
            let detail = e
                .as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or_else(|| e.to_string());
            return Err(DbError::BadSql(format!("failed: {detail}")));
        }
    };
    let mut rows = Rows::default();
    for message in messages {
        match message {
            SimpleQueryMessage::RowDescription(columns) => {
                rows.columns = columns.iter().map(|c| c.name().to_string()).collect();
            }
            SimpleQueryMessage::Row(row) => {
                if rows.columns.is_empty() {
                    rows.columns = row.columns().iter().map(|c| c.name().to_string()).collect();
                }
                rows.rows.push(
                    (0..row.len())
                        .map(|i| row.get(i).map(str::to_string))
                        .collect(),
                );
            }
            _ => {}
        }
    }
    Ok(rows)
}
