//! The report of `supajwt db` as lines of text (issue 21 §2): the CLI prints them, the window's
//! Database section shows them (escaped). Pure.

use super::report::Report;

/// What Postgres saw for the token and, with a table, its RLS, rows and policies: one line
/// each, as `supajwt db` prints them (before the `--sql` rows and the explanation). `command`
/// is the command the policies apply to (`SELECT`…). Text from the database is not escaped.
pub fn report_lines(r: &Report, command: &str) -> Vec<String> {
    let mut out = vec![
        format!("role: {} (decoded from the token, NOT verified)", r.role),
        format!("current_user: {}", r.current_user),
    ];
    if r.auth_schema {
        out.push(format!(
            "auth.uid(): {}",
            r.uid.as_deref().unwrap_or("null")
        ));
        out.push(format!(
            "auth.role(): {}",
            r.auth_role.as_deref().unwrap_or("null")
        ));
        out.push(format!("auth.jwt(): {}", r.claims));
    } else {
        out.push(
            "auth: no auth schema here (auth.uid(), auth.role(), auth.jwt() are missing)".into(),
        );
        out.push(format!("request.jwt.claims: {}", r.claims));
    }
    out.push(format!(
        "can switch: {} (pg_has_role MEMBER){}",
        if r.can_switch { "yes" } else { "no" },
        if r.bypasses_rls {
            "; the role has BYPASSRLS"
        } else {
            ""
        }
    ));
    let Some(t) = &r.table else {
        return out;
    };
    out.push(format!("== table {}", t.name));
    out.push(format!(
        "RLS: {}{}",
        if t.rls_enabled {
            "enabled"
        } else {
            "not enabled"
        },
        if t.rls_forced {
            ", forced (the owner too)"
        } else {
            ""
        }
    ));
    out.push(match t.visible_rows {
        Some(n) => format!("visible rows as {}: {n}", r.role),
        None => format!("visible rows as {}: none (no SELECT privilege)", r.role),
    });
    out.push(match t.total_rows {
        Some(n) => format!("total rows: {n}"),
        None => "total rows: not counted (the connecting user does not see every row)".into(),
    });
    if t.policies.is_empty() {
        out.push(format!("policies for {} and {command}: none", r.role));
    } else {
        out.push(format!("policies for {} and {command}:", r.role));
    }
    for p in &t.policies {
        let mut line = format!(
            "  \"{}\" {} {} to {}",
            p.name,
            if p.permissive {
                "PERMISSIVE"
            } else {
                "RESTRICTIVE"
            },
            p.command,
            p.roles.join(",")
        );
        if let Some(u) = &p.using {
            line.push_str(&format!(" USING {}", parenthesised(u)));
        }
        if let Some(w) = &p.with_check {
            line.push_str(&format!(" WITH CHECK {}", parenthesised(w)));
        }
        if let Some(n) = p.admits {
            line.push_str(&format!(": admits {n}"));
        }
        out.push(line);
    }
    out
}

/// An expression from `pg_policies` in one pair of parentheses (Postgres often writes them).
fn parenthesised(expr: &str) -> String {
    if expr.starts_with('(') && expr.ends_with(')') {
        expr.to_string()
    } else {
        format!("({expr})")
    }
}
