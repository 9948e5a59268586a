//! Plain http for a JWKS on the LAN (`http://192.168.1.10:8000`): the fetch allows http only for
//! the local machine, so for any other host the JWKS pane offers an explicit, per-host opt-in
//! for the session (never saved), with the warning.

use crate::app::widgets::{WARN, esc, note_ui};
use egui::Ui;
use std::collections::BTreeSet;

/// The host of `input` when it is a plain-http URL the fetch refuses without the opt-in (one
/// to another machine than this one): the fetch's own rule, [`crate::fetch::check_url`].
pub fn plain_http_host(input: &str) -> Option<String> {
    let url = crate::fetch::parse_jwks_url(input).ok()?;
    match crate::fetch::check_url(&url, &crate::fetch::FetchOptions::default()) {
        Err(crate::fetch::UrlRefusal::PlainHttp { host }) => Some(host),
        _ => None,
    }
}

/// Whether the user allowed plain http for the host of `input` (false for https or localhost).
pub fn http_allowed(input: &str, allowed: &BTreeSet<String>) -> bool {
    plain_http_host(input).is_some_and(|h| allowed.contains(&h))
}

/// The "Allow plain http for HOST" checkbox and its warning, shown for a plain-http URL to
/// another machine.
pub fn allow_http_ui(ui: &mut Ui, input: &str, allowed: &mut BTreeSet<String>) {
    let Some(host) = plain_http_host(input) else {
        return;
    };
    let mut on = allowed.contains(&host);
    if ui
        .checkbox(&mut on, format!("Allow plain http for {}", esc(&host)))
        .on_hover_text("For this session only; never saved.")
        .changed()
    {
        if on {
            allowed.insert(host);
        } else {
            allowed.remove(&host);
        }
    }
    note_ui(
        ui,
        Some(WARN),
        "Keys fetched over plain http can be swapped in transit; use only on a network you trust.",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_to_another_machine_asks() {
        assert_eq!(
            plain_http_host("http://192.168.1.10:8000"),
            Some("192.168.1.10".into())
        );
        assert_eq!(
            plain_http_host(" http://supabase.lan/auth/v1 "),
            Some("supabase.lan".into())
        );
        for no in [
            "http://localhost:8000",
            "http://127.0.0.1:8000",
            "http://[::1]:8000",
            "http://api.localhost",
            "https://192.168.1.10",
            "abcdefghijklmnopqrst",
            "",
        ] {
            assert_eq!(plain_http_host(no), None, "{no}");
        }
    }
}
