//! Deciding what a dropped or opened file is, by content ([`Content`]): a token, a key set, a
//! key, a configuration ([`ConfigKind`]), or a `.env` with a token in it.

use crate::jose::input::clean_token_input;
use crate::jose::keys::{KeySetShape, load_keys};
use crate::jose::secret::RedactedToken;
use crate::jose::token::Jws;

/// The configuration inputs the Doctor accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigKind {
    /// `.env`.
    Env,
    /// docker-compose.yml.
    Compose,
    /// kong.yml.
    Kong,
    /// Kubernetes Secret / ConfigMap.
    K8s,
    /// Supabase CLI config.toml.
    ConfigToml,
}

impl ConfigKind {
    /// Every kind, in display order.
    pub const ALL: [ConfigKind; 5] = [
        ConfigKind::Env,
        ConfigKind::Compose,
        ConfigKind::Kong,
        ConfigKind::K8s,
        ConfigKind::ConfigToml,
    ];

    /// The field's label.
    pub fn label(self) -> &'static str {
        match self {
            ConfigKind::Env => ".env",
            ConfigKind::Compose => "docker-compose.yml",
            ConfigKind::Kong => "kong.yml / Envoy lds.yaml",
            ConfigKind::K8s => "Kubernetes Secret / ConfigMap",
            ConfigKind::ConfigToml => "Supabase CLI config.toml",
        }
    }
}

/// What a piece of text is.
#[derive(Clone, PartialEq, Eq)]
pub enum Content {
    /// A token (the bare compact form).
    Token(String),
    /// A JWKS or a JWT_KEYS array.
    KeySet,
    /// A single key (PEM, JWK).
    Key,
    /// A Supabase configuration file for the Doctor.
    Config(ConfigKind),
    /// None of those.
    Unknown,
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Content::Token(token) => f.debug_tuple("Token").field(&RedactedToken(token)).finish(),
            Content::KeySet => f.write_str("KeySet"),
            Content::Key => f.write_str("Key"),
            Content::Config(kind) => f.debug_tuple("Config").field(kind).finish(),
            Content::Unknown => f.write_str("Unknown"),
        }
    }
}

const PREFERRED: [&str; 4] = [
    "ANON_KEY",
    "SERVICE_ROLE_KEY",
    "SUPABASE_ANON_KEY",
    "SUPABASE_SERVICE_KEY",
];

/// Classifies text.
pub fn classify(text: &str) -> Content {
    if let Some(kind) = config_kind(text) {
        return Content::Config(kind);
    }
    if let Some(token) = as_token(text) {
        return Content::Token(token);
    }
    if let Ok(set) = load_keys(text) {
        match set.shape {
            KeySetShape::Jwks | KeySetShape::JwtKeysArray => return Content::KeySet,
            KeySetShape::Pem
            | KeySetShape::SingleJwk
            | KeySetShape::OpenSsh
            | KeySetShape::BareDer => return Content::Key,
            KeySetShape::Secret => {}
        }
    }
    env_token(text).map_or(Content::Unknown, Content::Token)
}

/// Recognises `.env`, compose, kong.yml or Envoy's lds.yaml (the gateway slot), Kubernetes
/// manifests and `config.toml` by content.
fn config_kind(text: &str) -> Option<ConfigKind> {
    let has_line = |prefix: &str| text.lines().any(|l| l.trim_start().starts_with(prefix));
    // Kong's declarative config has top-level `services:` too: its `_format_version` and
    // `consumers:` tell it from a compose file, so they are looked at first.
    if has_line("kind: Secret") || has_line("kind: ConfigMap") {
        Some(ConfigKind::K8s)
    } else if has_line("_format_version:")
        || has_line("consumers:")
        || crate::supabase::doctor::gateway::looks_like_envoy(text)
    {
        Some(ConfigKind::Kong)
    } else if has_line("services:") {
        Some(ConfigKind::Compose)
    } else if has_line("[auth]") {
        Some(ConfigKind::ConfigToml)
    } else if ["JWT_SECRET=", "ANON_KEY=", "SERVICE_ROLE_KEY=", "JWT_KEYS="]
        .iter()
        .any(|p| has_line(p) || has_line(&format!("export {p}")))
    {
        Some(ConfigKind::Env)
    } else {
        None
    }
}

fn as_token(text: &str) -> Option<String> {
    let cleaned = clean_token_input(text).ok()?;
    Jws::parse_unverified(&cleaned.token)
        .ok()
        .map(|_| cleaned.token)
}

/// The token of an `.env` / compose file: ANON_KEY first, else the first line holding one.
fn env_token(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    let named = |name: &str| {
        lines.iter().find(|l| {
            let t = l
                .trim_start()
                .trim_start_matches("export ")
                .trim_start_matches("- ");
            t.starts_with(name) && t[name.len()..].trim_start().starts_with(['=', ':'])
        })
    };
    PREFERRED
        .iter()
        .find_map(|name| named(name).and_then(|l| as_token(l)))
        .or_else(|| lines.iter().find_map(|l| as_token(l)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::supabase::roles::DOCKER_DEMO_ANON_KEY;

    #[test]
    fn debug_leaves_out_the_signature() {
        let debug = format!("{:?}", classify(DOCKER_DEMO_ANON_KEY));
        let signature = DOCKER_DEMO_ANON_KEY.rsplit('.').next().unwrap_or_default();
        assert!(debug.starts_with("Token("), "{debug}");
        assert!(!debug.contains(signature), "{debug}");
    }

    #[test]
    fn classifies() {
        assert_eq!(
            classify(DOCKER_DEMO_ANON_KEY),
            Content::Token(DOCKER_DEMO_ANON_KEY.into())
        );
        let env = format!("# demo\nJWT_SECRET=abc\nANON_KEY={DOCKER_DEMO_ANON_KEY}\n");
        assert_eq!(classify(&env), Content::Config(ConfigKind::Env));
        assert_eq!(
            classify(&format!(
                "FOO=1\nSUPABASE_ANON_KEY={DOCKER_DEMO_ANON_KEY}\n"
            )),
            Content::Token(DOCKER_DEMO_ANON_KEY.into())
        );
        assert_eq!(
            classify("services:\n  auth:\n"),
            Content::Config(ConfigKind::Compose)
        );
        assert_eq!(
            classify(r#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#),
            Content::KeySet
        );
        assert_eq!(classify(r#"{"kty":"oct","k":"c2VjcmV0"}"#), Content::Key);
        assert_eq!(classify("hello there"), Content::Unknown);
    }

    /// Upstream's kong.yml files have top-level `services:` like a compose file: each goes to
    /// its own slot.
    #[test]
    fn upstream_kong_yml_is_not_a_compose_file() {
        let upstream = |rel: &str| {
            let path = format!("{}/tests/data/upstream/{rel}", env!("CARGO_MANIFEST_DIR"));
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
        };
        for kong in [
            "supabase-docker-2026-02/volumes/api/kong.yml",
            "supabase-docker-opaque/volumes/api/kong.yml",
        ] {
            assert_eq!(
                classify(&upstream(kong)),
                Content::Config(ConfigKind::Kong),
                "{kong}"
            );
        }
        assert_eq!(
            classify(&upstream("supabase-docker-2026-02/docker-compose.yml")),
            Content::Config(ConfigKind::Compose)
        );
        assert_eq!(
            classify(&upstream("supabase-docker-2026-02/.env.example")),
            Content::Config(ConfigKind::Env)
        );
    }
}
