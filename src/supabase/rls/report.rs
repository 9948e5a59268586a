//! What the database said of one token (`supajwt db`, issue 21 §2) and why, in plain words: the
//! report the database client fills in, and the explanation written from it. Pure.

use serde::Serialize;
use serde_json::Value;

/// One policy of `pg_policies` that applies to the role and command.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    /// `policyname`.
    pub name: String,
    /// `cmd`: `SELECT`, `INSERT`, `UPDATE`, `DELETE` or `ALL`.
    pub command: String,
    /// PERMISSIVE (`true`) or RESTRICTIVE.
    pub permissive: bool,
    /// `roles`.
    pub roles: Vec<String>,
    /// `qual`: the USING expression.
    pub using: Option<String>,
    /// `with_check`.
    pub with_check: Option<String>,
    /// How many of the table's rows the USING expression admits, with the token's settings
    /// (`None`: not counted, because the connecting user cannot see every row).
    pub admits: Option<i64>,
}

/// The table part of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// `schema.name` as Postgres quotes it.
    pub name: String,
    /// `relrowsecurity`.
    pub rls_enabled: bool,
    /// `relforcerowsecurity`.
    pub rls_forced: bool,
    /// Rows visible as the role (`None`: the role may not read the table).
    pub visible_rows: Option<i64>,
    /// Every row, when the connecting user may see them all.
    pub total_rows: Option<i64>,
    /// The policies for this role and command.
    pub policies: Vec<Policy>,
    /// The role's error when it may not read the table (`permission denied for table todos`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denied: Option<String>,
}

/// What Postgres sees for one token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The role the request runs as.
    pub role: String,
    /// `current_user` after the settings.
    pub current_user: String,
    /// `auth.uid()` (`None` when null or without an `auth` schema).
    pub uid: Option<String>,
    /// `auth.role()`.
    pub auth_role: Option<String>,
    /// `auth.jwt()`, or `request.jwt.claims` without an `auth` schema.
    pub claims: Value,
    /// Whether the database has Supabase's `auth.uid()`.
    pub auth_schema: bool,
    /// `pg_has_role(session_user, role, 'MEMBER')`.
    pub can_switch: bool,
    /// Whether the role has BYPASSRLS (or is a superuser).
    pub bypasses_rls: bool,
    /// The table asked about.
    pub table: Option<Table>,
    /// Why the answer is what it is.
    pub explanation: Vec<String>,
}

/// The command a request method runs as (`GET` → `SELECT`, `POST` → `INSERT`, …).
pub fn command_for_method(method: &str) -> &'static str {
    match method.to_ascii_uppercase().as_str() {
        "POST" => "INSERT",
        "PATCH" | "PUT" => "UPDATE",
        "DELETE" => "DELETE",
        _ => "SELECT",
    }
}

/// The explanation for `report`, one sentence each.
pub fn explain(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    let role = &report.role;
    if !report.auth_schema {
        out.push("no auth schema here: auth.uid(), auth.role() and auth.jwt() do not exist in this database".into());
    } else {
        match &report.uid {
            Some(uid) => out.push(format!("auth.uid() is {uid}")),
            None => out.push(
                "auth.uid() is null (the token has no sub claim): a policy comparing it with a column admits no row".into(),
            ),
        }
    }
    let Some(table) = &report.table else {
        return out;
    };
    let name = &table.name;
    if let Some(denied) = &table.denied {
        out.push(format!(
            "{role} may not read {name} at all ({denied}): RLS is not even reached; GRANT SELECT ON {name} TO {role} is missing (PostgREST answers 401/403 with code 42501)"
        ));
        return out;
    }
    let visible = table.visible_rows.unwrap_or(0);
    let of_total = table
        .total_rows
        .map(|t| format!(" of {t}"))
        .unwrap_or_default();
    if !table.rls_enabled {
        out.push(format!(
            "{visible}{of_total} rows: RLS is not enabled on {name}, so {role} sees every row its privileges allow"
        ));
        return out;
    }
    if report.bypasses_rls {
        out.push(format!(
            "{visible}{of_total} rows: {role} has BYPASSRLS, so no policy applies to it"
        ));
        return out;
    }
    let permissive: Vec<&Policy> = table.policies.iter().filter(|p| p.permissive).collect();
    let restrictive: Vec<&Policy> = table.policies.iter().filter(|p| !p.permissive).collect();
    if permissive.is_empty() {
        out.push(format!(
            "{visible} rows: RLS is enabled on {name} and no permissive policy applies to {role}: every row is hidden"
        ));
        return out;
    }
    let rows = |n: Option<i64>| match (n, table.total_rows) {
        (Some(n), Some(t)) => format!("{n} of the {t} rows"),
        (Some(n), None) => format!("{n} rows"),
        _ => "an uncounted number of rows".into(),
    };
    let mut text = format!("{visible}{of_total} rows: ");
    let list: Vec<String> = permissive
        .iter()
        .map(|p| match (&p.using, &p.with_check) {
            (None, Some(check)) => format!("\"{}\" lets a new row in when {check}", p.name),
            (using, _) => format!(
                "\"{}\" admits rows where {} ({})",
                p.name,
                using.as_deref().unwrap_or("true"),
                rows(p.admits)
            ),
        })
        .collect();
    if list.len() == 1 {
        text.push_str(&format!(
            "the only permissive policy for {role}, {}",
            list[0]
        ));
    } else {
        text.push_str(&format!(
            "a row is visible when any of these admits it: {}",
            list.join("; ")
        ));
    }
    for p in &restrictive {
        text.push_str(&format!(
            "; and the RESTRICTIVE policy \"{}\" also requires {} ({})",
            p.name,
            p.using.as_deref().unwrap_or("true"),
            rows(p.admits)
        ));
    }
    if visible == 0 && permissive.iter().all(|p| p.admits == Some(0)) {
        text.push_str(": with these claims, no row passes a permissive policy");
    }
    if let Some(p) = restrictive.iter().find(|p| p.admits == Some(0)) {
        text.push_str(&format!(
            ": the RESTRICTIVE policy \"{}\" hides every row",
            p.name
        ));
    }
    out.push(text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(name: &str, permissive: bool, using: &str, admits: i64) -> Policy {
        Policy {
            name: name.into(),
            command: "SELECT".into(),
            permissive,
            roles: vec!["authenticated".into()],
            using: Some(using.into()),
            with_check: None,
            admits: Some(admits),
        }
    }

    fn report(visible: i64, policies: Vec<Policy>, uid: Option<&str>) -> Report {
        Report {
            role: "authenticated".into(),
            current_user: "authenticated".into(),
            uid: uid.map(str::to_string),
            auth_role: Some("authenticated".into()),
            claims: Value::Null,
            auth_schema: true,
            can_switch: true,
            bypasses_rls: false,
            table: Some(Table {
                name: "public.todos".into(),
                rls_enabled: true,
                rls_forced: false,
                visible_rows: Some(visible),
                total_rows: Some(12),
                policies,
                denied: None,
            }),
            explanation: Vec::new(),
        }
    }

    #[test]
    fn the_explanation_names_the_policy_and_what_it_admits() {
        let r = report(
            0,
            vec![policy("own todos", true, "(auth.uid() = user_id)", 0)],
            Some("5b1c"),
        );
        let why = explain(&r);
        assert_eq!(why[0], "auth.uid() is 5b1c");
        assert_eq!(
            why[1],
            "0 of 12 rows: the only permissive policy for authenticated, \"own todos\" admits rows where (auth.uid() = user_id) (0 of the 12 rows): with these claims, no row passes a permissive policy"
        );
        let r = report(0, vec![], None);
        let why = explain(&r);
        assert!(why[0].starts_with("auth.uid() is null"), "{why:?}");
        assert!(
            why[1].ends_with("no permissive policy applies to authenticated: every row is hidden"),
            "{why:?}"
        );
        let r = report(
            0,
            vec![
                policy("own", true, "true", 12),
                policy("never", false, "false", 0),
            ],
            Some("x"),
        );
        assert!(explain(&r)[1].ends_with("the RESTRICTIVE policy \"never\" hides every row"));
        let mut r = report(12, vec![], Some("x"));
        r.bypasses_rls = true;
        assert_eq!(
            explain(&r)[1],
            "12 of 12 rows: authenticated has BYPASSRLS, so no policy applies to it"
        );
    }
}
