//! Line-oriented pastes: header lines, `.env` / YAML assignments, cookie strings, DevTools
//! cookie tables and bare tokens, one line at a time.

use super::{Collector, strip_quotes};
use crate::inspect::cookie::{self, RawCookie};
use crate::inspect::{RequestInfo, Slot};

impl Collector {
    /// Line-oriented pastes: header lines, `.env` lines, cookie strings, DevTools cookie
    /// tables, bare tokens.
    pub(super) fn lines(&mut self, t: &str) {
        let mut req = RequestInfo::default();
        let mut table: Vec<RawCookie> = Vec::new();
        let mut kinds: Vec<&str> = Vec::new();
        for raw_line in t.lines() {
            let line = raw_line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(row) = table_row(raw_line) {
                table.push(row);
                continue;
            }
            if !table.is_empty() {
                self.cookies(std::mem::take(&mut table));
                kinds.push("a DevTools cookie table");
            }
            if let Some((name, value)) = line.split_once(':').filter(|(n, _)| is_header_name(n)) {
                self.header(name, value, &mut req);
                kinds.push("header lines");
            } else if let Some((name, value)) = env_assignment(line) {
                let value = strip_quotes(value);
                if value.contains("; ") && value.contains('=') {
                    self.cookies(cookie::parse_cookie_header(value));
                } else {
                    self.scan(value, &format!("env {name}"), Slot::Stored);
                }
                kinds.push(".env lines");
            } else if line.contains('=') && line.contains("sb-") && !line.contains(' ')
                || line.contains("; ") && line.contains("sb-")
            {
                self.cookies(cookie::parse_cookie_header(line));
                kinds.push("a cookie string");
            } else if line.len() > 7 && line[..7].eq_ignore_ascii_case("bearer ") {
                self.header("authorization", line, &mut req);
                kinds.push("header lines");
            } else {
                self.scan(line, "text", Slot::Stored);
                kinds.push("text");
            }
        }
        if !table.is_empty() {
            self.cookies(table);
            kinds.push("a DevTools cookie table");
        }
        if self.out.credentials.is_empty() && !t.contains([':', '=']) {
            // A token broken over several lines.
            let joined: String = t.split_whitespace().collect();
            self.scan(strip_quotes(&joined), "text", Slot::Stored);
        }
        if !req.headers.is_empty() {
            self.out.request = Some(req);
        }
        kinds.dedup();
        self.out.shape = if kinds.is_empty() {
            "text".into()
        } else {
            kinds.join(", ")
        };
    }
}

/// A DevTools Application → Cookies row: `name<TAB>value<TAB>domain<TAB>path…`.
fn table_row(line: &str) -> Option<RawCookie> {
    let mut cols = line.split('\t');
    let name = cols.next()?.trim();
    let value = cols.next()?.trim();
    let valid = !name.is_empty()
        && cols.next().is_some()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'=' && b != b';');
    valid.then(|| RawCookie {
        name: name.to_string(),
        value: value.to_string(),
    })
}

/// A header name: letters, digits and `-`, not an upper-case env name.
fn is_header_name(name: &str) -> bool {
    let n = name.trim();
    let known = ["authorization", "apikey", "cookie", "set-cookie"];
    known.iter().any(|k| n.eq_ignore_ascii_case(k))
        || (!n.is_empty()
            && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && n.bytes().any(|b| b.is_ascii_lowercase())
            && !n.contains('_')
            && n.contains('-'))
}

/// `NAME=value`, `export NAME=value`, `- NAME=value`, YAML `NAME: value`.
fn env_assignment(line: &str) -> Option<(&str, &str)> {
    let idx = line.find(['=', ':'])?;
    let head = line[..idx].trim();
    let head = head.strip_prefix("- ").unwrap_or(head).trim();
    let head = head.strip_prefix("export ").unwrap_or(head).trim();
    let head = head.trim_matches(|c| c == '"' || c == '\'');
    let is_name = !head.is_empty()
        && head
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        && !head.starts_with("eyJ")
        && !head.starts_with("sb-");
    is_name.then(|| (head, &line[idx + 1..]))
}
