//! PostgREST's per-request settings for one token and the SQL that applies them: the role (the
//! `role` claim, else the anon role), `request.jwt.claims` (the payload with `role` filled in),
//! `request.method`, `request.path`, `request.headers`, `request.cookies`, in PostgREST's order
//! (`shared/docs/supabase-formats.md`), every value written as a SQL string literal. Pure: the
//! payload comes decoded; nothing here verifies a signature.

use serde_json::{Map, Value};

/// The role PostgREST uses for a request without a `role` claim (Supabase's `PGRST_DB_ANON_ROLE`).
pub const ANON_ROLE: &str = "anon";

/// Supabase's API roles: the ones its `authenticator` may switch to.
pub const API_ROLES: [&str; 3] = ["anon", "authenticated", "service_role"];

/// Supabase's administrative roles (its Postgres image): PostgREST's `authenticator` is not
/// granted them, and a token naming one is a mistake or an attack.
pub const ADMIN_ROLES: &[&str] = &[
    "postgres",
    "supabase_admin",
    "supabase_auth_admin",
    "supabase_storage_admin",
    "supabase_functions_admin",
    "supabase_realtime_admin",
    "supabase_replication_admin",
    "supabase_read_only_user",
    "supabase_etl_admin",
    "authenticator",
    "pgbouncer",
    "dashboard_user",
    "pgsodium_keyholder",
    "pgsodium_keyiduser",
    "pgsodium_keymaker",
    "pg_monitor",
    "pg_read_all_data",
    "pg_write_all_data",
];

/// What kind of role a request runs as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    /// `anon`, `authenticated` or `service_role`.
    Api,
    /// One of [`ADMIN_ROLES`].
    Administrative,
    /// A name Supabase does not create: the database may not have it.
    Unknown,
}

/// The kind of the role `name`.
pub fn role_kind(name: &str) -> RoleKind {
    if API_ROLES.contains(&name) {
        RoleKind::Api
    } else if ADMIN_ROLES.contains(&name) {
        RoleKind::Administrative
    } else {
        RoleKind::Unknown
    }
}

/// The request PostgREST would be answering (the parts its settings carry besides the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `request.method`, e.g. `GET`.
    pub method: String,
    /// `request.path` as PostgREST sees it (behind Kong: `/todos`, `/rest/v1` stripped).
    pub path: String,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            method: "GET".into(),
            path: "/".into(),
        }
    }
}

/// Why no settings can be written for a payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SqlError {
    /// The `role` claim is there but is not a string.
    #[error("the role claim is {0}, not a string: PostgREST refuses such a token")]
    RoleNotString(&'static str),
    /// The `role` claim is the empty string.
    #[error("the role claim is empty: Postgres has no role named \"\"")]
    EmptyRole,
    /// A value holds U+0000, which Postgres cannot store in `text` or `jsonb`.
    #[error(
        "{0} holds a NUL character (U+0000), which Postgres cannot store in text or jsonb: remove it"
    )]
    Nul(String),
}

impl SqlError {
    /// A stable code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            SqlError::RoleNotString(_) => "role_not_string",
            SqlError::EmptyRole => "role_empty",
            SqlError::Nul(_) => "nul_character",
        }
    }
}

/// PostgREST's settings for one request, in the order it applies them.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The role the request runs as.
    pub role: String,
    /// Whether [`Settings::role`] came from the token (`false`: the anon role, no `role` claim).
    pub role_from_claim: bool,
    /// `request.jwt.claims`: the payload with `role` filled in.
    pub claims: Map<String, Value>,
    /// `(name, value)` pairs for `set_config(name, value, true)`, in PostgREST's order.
    pub pairs: Vec<(&'static str, String)>,
}

/// The settings PostgREST applies for a token whose (unverified) payload is `payload`.
pub fn settings(payload: &Map<String, Value>, request: &Request) -> Result<Settings, SqlError> {
    let (role, role_from_claim) = match payload.get("role") {
        None => (ANON_ROLE.to_string(), false),
        Some(Value::String(s)) if s.is_empty() => return Err(SqlError::EmptyRole),
        Some(Value::String(s)) => (s.clone(), true),
        Some(other) => return Err(SqlError::RoleNotString(json_kind(other))),
    };
    let mut claims = payload.clone();
    claims.insert("role".into(), Value::String(role.clone()));
    refuse_nul_in_value(&Value::Object(claims.clone()), "claims")?;
    for (what, text) in [("the method", &request.method), ("the path", &request.path)] {
        if text.contains('\0') {
            return Err(SqlError::Nul(what.into()));
        }
    }
    let claims_json = Value::Object(claims.clone()).to_string();
    let pairs = vec![
        ("role", role.clone()),
        ("request.jwt.claims", claims_json),
        ("request.method", request.method.clone()),
        ("request.path", request.path.clone()),
        ("request.headers", "{}".to_string()),
        ("request.cookies", "{}".to_string()),
    ];
    Ok(Settings {
        role,
        role_from_claim,
        claims,
        pairs,
    })
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Refuses a NUL anywhere in `value` (keys included), naming the claim path.
fn refuse_nul_in_value(value: &Value, path: &str) -> Result<(), SqlError> {
    match value {
        Value::String(s) if s.contains('\0') => Err(SqlError::Nul(format!("the claim {path}"))),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| refuse_nul_in_value(v, &format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            let here = format!("{path}.{}", k.replace('\0', "\\u0000"));
            if k.contains('\0') {
                return Err(SqlError::Nul(format!("the claim name {here}")));
            }
            refuse_nul_in_value(v, &here)
        }),
        _ => Ok(()),
    }
}

/// `text` as a SQL string literal: `'…'` with each `'` doubled, the standard form when
/// `standard_conforming_strings` is on (Postgres' default since 9.1); a value holding a
/// backslash is written `E'…'` with `\` doubled too, which reads the same whatever that setting
/// is. A NUL is refused.
pub fn literal(text: &str) -> Result<String, SqlError> {
    if text.contains('\0') {
        return Err(SqlError::Nul("a value".into()));
    }
    let quoted = text.replace('\'', "''");
    Ok(if text.contains('\\') {
        format!("E'{}'", quoted.replace('\\', "\\\\"))
    } else {
        format!("'{quoted}'")
    })
}

/// One `select set_config(…, true), …;` statement applying `settings`, as PostgREST runs it.
pub fn select_statement(settings: &Settings) -> Result<String, SqlError> {
    let mut calls = Vec::with_capacity(settings.pairs.len());
    for (name, value) in &settings.pairs {
        calls.push(format!(
            "set_config({}, {}, true)",
            literal(name)?,
            literal(value)?
        ));
    }
    Ok(format!("select {};", calls.join(",\n       ")))
}

/// The warnings the role deserves, one line each (empty for an API role).
pub fn role_warnings(settings: &Settings) -> Vec<String> {
    let role = crate::safe_text::escape::escape_for_terminal(&settings.role);
    match role_kind(&settings.role) {
        RoleKind::Api => Vec::new(),
        RoleKind::Administrative => vec![format!(
            "the role claim is \"{role}\", an administrative role, not one of Supabase's API roles (anon, authenticated, service_role): PostgREST's authenticator may not switch to it, and a token that asks for it was minted by mistake or by an attacker"
        )],
        RoleKind::Unknown => vec![format!(
            "the role claim is \"{role}\", not one of Supabase's API roles (anon, authenticated, service_role): the database may not have this role, and the authenticator must be granted it"
        )],
    }
}

/// How [`script`] wraps its statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapper {
    /// `begin; … rollback;`: nothing the query does is kept.
    Transaction,
    /// The statements alone (`set_config(…, true)` then lasts only for the caller's transaction).
    None,
}

/// The whole script for psql or Studio's SQL editor: `--` comments (what this is, the
/// warnings), then `begin;`, the settings, `query` (or a marked place for one) and `rollback;`.
/// Comments are one line each whatever the token holds, so the output pipes into psql as it is.
pub fn script(
    settings: &Settings,
    query: Option<&str>,
    wrapper: Wrapper,
) -> Result<String, SqlError> {
    let mut out = String::new();
    out.push_str(
        "-- PostgREST's settings for this token, decoded WITHOUT verifying its signature\n",
    );
    out.push_str(
        "-- (supajwt verify checks it). Literals are standard SQL strings ('' for a quote);\n",
    );
    out.push_str("-- a value holding a backslash is an E'' string.\n");
    let role = crate::safe_text::escape::escape_for_terminal(&settings.role);
    if settings.role_from_claim {
        out.push_str(&format!("-- role: {role} (the token's role claim)\n"));
    } else {
        out.push_str(&format!(
            "-- role: {role} (no role claim: PostgREST's anon role)\n"
        ));
    }
    for warning in role_warnings(settings) {
        out.push_str(&format!("-- WARNING: {warning}\n"));
    }
    out.push_str("-- request.headers and request.cookies are empty here; PostgREST fills them from the HTTP request.\n");
    if wrapper == Wrapper::Transaction {
        out.push_str("begin;\n");
    }
    out.push_str(&select_statement(settings)?);
    out.push('\n');
    match query.map(str::trim) {
        Some(q) if !q.is_empty() => {
            if q.contains('\0') {
                return Err(SqlError::Nul("the query".into()));
            }
            out.push_str("-- your query:\n");
            out.push_str(q);
            if !q.ends_with(';') {
                out.push(';');
            }
            out.push('\n');
        }
        _ => out.push_str(
            "-- your query here, for example:\nselect auth.uid(), auth.role(), auth.jwt();\n",
        ),
    }
    if wrapper == Wrapper::Transaction {
        out.push_str("rollback;\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn literals_double_quotes_and_escape_backslashes() {
        assert_eq!(literal("it's").unwrap_or_default(), "'it''s'");
        assert_eq!(literal("$$x$$").unwrap_or_default(), "'$$x$$'");
        assert_eq!(literal("a\\'b").unwrap_or_default(), "E'a\\\\''b'");
        assert_eq!(literal("a\0b"), Err(SqlError::Nul("a value".into())));
    }

    #[test]
    fn role_defaults_to_anon_and_is_filled_into_the_claims() {
        let s = settings(&payload(json!({"sub": "x"})), &Request::default())
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(s.role, "anon");
        assert!(!s.role_from_claim);
        assert_eq!(s.claims.get("role"), Some(&json!("anon")));
        let names: Vec<&str> = s.pairs.iter().map(|p| p.0).collect();
        assert_eq!(
            names,
            [
                "role",
                "request.jwt.claims",
                "request.method",
                "request.path",
                "request.headers",
                "request.cookies"
            ]
        );
    }

    #[test]
    fn bad_roles_and_nul_are_refused() {
        let r = Request::default();
        assert_eq!(
            settings(&payload(json!({"role": 1})), &r),
            Err(SqlError::RoleNotString("a number"))
        );
        assert_eq!(
            settings(&payload(json!({"role": ""})), &r),
            Err(SqlError::EmptyRole)
        );
        assert_eq!(
            settings(&payload(json!({"a": {"b": ["x\u{0}"]}})), &r),
            Err(SqlError::Nul("the claim claims.a.b[0]".into()))
        );
    }

    #[test]
    fn administrative_and_unknown_roles_are_warned_about() {
        let r = Request::default();
        for (role, kind) in [
            ("postgres", RoleKind::Administrative),
            ("supabase_admin", RoleKind::Administrative),
            ("editor", RoleKind::Unknown),
            ("authenticated", RoleKind::Api),
        ] {
            assert_eq!(role_kind(role), kind);
            let s =
                settings(&payload(json!({"role": role})), &r).unwrap_or_else(|_| unreachable!());
            assert_eq!(
                role_warnings(&s).is_empty(),
                kind == RoleKind::Api,
                "{role}"
            );
        }
        let s = settings(&payload(json!({"role": "x\nselect 1; --"})), &r)
            .unwrap_or_else(|_| unreachable!());
        let text = script(&s, None, Wrapper::Transaction).unwrap_or_default();
        assert!(
            text.contains("-- role: x\\u{a}select 1; -- (the token's role claim)\n"),
            "{text}"
        );
    }
}
