//! The Doctor's file slots, one per configuration kind: once a file (or a paste) is in one, it
//! shows collapsed as one line, its name, size and what was recognised in it, with the content
//! one click away; each slot's path field names the file it wants.

use crate::app::vocab::route::classify;
use crate::app::vocab::{ConfigKind, Content};
use crate::supabase::doctor::dotenv::parse_env;
use crate::supabase::doctor::gateway::looks_like_envoy;

/// The variables a slot's line names when a `.env` sets them, in this order.
const NAMED: [&str; 7] = [
    "JWT_SECRET",
    "ANON_KEY",
    "SERVICE_ROLE_KEY",
    "JWT_KEYS",
    "JWT_JWKS",
    "SUPABASE_PUBLISHABLE_KEY",
    "SUPABASE_SECRET_KEY",
];

/// How many of those the line names before "…".
const NAMED_SHOWN: usize = 3;

/// What one slot holds, described.
#[derive(Default)]
pub struct Slot {
    /// The name of the file opened or dropped into it (`None`: pasted or empty).
    pub name: Option<String>,
    /// "… — 4.2 KiB — 48 variables, JWT_SECRET, …" (`None`: empty).
    pub summary: Option<String>,
    /// Collapse the slot at the next frame (a file was just loaded).
    pub collapse: bool,
}

impl Slot {
    /// A file was loaded into the slot: named, described and collapsed.
    pub fn loaded(&mut self, name: &str, kind: ConfigKind, text: &str) {
        self.name = Some(name.to_string());
        self.refresh(kind, text);
        self.collapse = true;
    }

    /// Describes the text as it is now (after an edit, a paste, a run).
    pub fn refresh(&mut self, kind: ConfigKind, text: &str) {
        if text.trim().is_empty() {
            self.name = None;
            self.summary = None;
            return;
        }
        let name = match &self.name {
            Some(name) => name.clone(),
            None => format!("pasted {}", kind.label()),
        };
        self.summary = Some(format!(
            "{name} — {} — {}",
            size(text.len()),
            recognised(kind, text)
        ));
    }
}

/// The path field's placeholder for a slot.
pub fn path_hint(kind: ConfigKind) -> &'static str {
    match kind {
        ConfigKind::Env => "/path/to/.env or ~/…",
        ConfigKind::Compose => "/path/to/docker-compose.yml or ~/…",
        ConfigKind::Kong => "/path/to/kong.yml or ~/…",
        ConfigKind::K8s => "/path/to/secret.yaml or ~/…",
        ConfigKind::ConfigToml => "/path/to/supabase/config.toml or ~/…",
    }
}

/// "312 bytes", "4.2 KiB".
fn size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} byte{}", if bytes == 1 { "" } else { "s" })
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// What the text is, as far as the slot's kind goes.
fn recognised(kind: ConfigKind, text: &str) -> String {
    let content = classify(text);
    if let Content::Config(other) = content
        && other != kind
    {
        return format!("looks like a {}, not a {}", other.label(), kind.label());
    }
    let matches = content == Content::Config(kind);
    match kind {
        ConfigKind::Env => env_summary(text),
        ConfigKind::Kong if looks_like_envoy(text) => "Envoy configuration".into(),
        _ if !matches => format!("not recognised as a {}", kind.label()),
        ConfigKind::Compose => "Docker Compose file".into(),
        ConfigKind::Kong => "Kong declarative configuration".into(),
        ConfigKind::K8s => "Kubernetes Secret / ConfigMap".into(),
        ConfigKind::ConfigToml => "Supabase CLI config.toml ([auth])".into(),
    }
}

/// "48 variables, JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY…".
fn env_summary(text: &str) -> String {
    let env = parse_env(text);
    let mut names: Vec<&str> = env.vars.iter().map(|v| v.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let n = names.len();
    if n == 0 {
        return "no variables found".into();
    }
    let set: Vec<&str> = NAMED
        .into_iter()
        .filter(|name| env.value(name).is_some())
        .collect();
    let mut line = format!("{n} variable{}", if n == 1 { "" } else { "s" });
    for name in set.iter().take(NAMED_SHOWN) {
        line.push_str(", ");
        line.push_str(name);
    }
    if set.len() > NAMED_SHOWN {
        line.push('…');
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slot_names_the_file_its_size_and_what_it_holds() {
        let mut slot = Slot::default();
        let env = "JWT_SECRET=x\nANON_KEY=y\nSERVICE_ROLE_KEY=z\nJWT_KEYS=[]\nA=1\n";
        slot.loaded(".env", ConfigKind::Env, env);
        assert_eq!(
            slot.summary.as_deref(),
            Some(".env — 59 bytes — 5 variables, JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY…")
        );
        assert!(slot.collapse);
        let mut slot = Slot::default();
        slot.refresh(ConfigKind::Env, "services:\n  auth:\n");
        assert_eq!(
            slot.summary.as_deref(),
            Some("pasted .env — 18 bytes — looks like a docker-compose.yml, not a .env")
        );
        slot.refresh(ConfigKind::Env, " \n");
        assert!(slot.summary.is_none());
        assert_eq!(size(4300), "4.2 KiB");
    }
}
