//! What the Doctor read, merged: the top-level variables, each compose service's resolved
//! environment, the gateway's keys. The lifecycle model reads it too, so it lives apart from
//! `diagnose` (which uses the lifecycle model): the imports go one way.

use super::compose::ComposeProject;
use super::gateway::KongRendering;
use super::sources::KongKey;
use crate::jose::secret::{Redacted, RedactedToken, redacted_opt};
use std::collections::BTreeMap;

/// What the user gave (any subset); texts, not paths: the core does no I/O. `Debug` shows only
/// the lengths: these texts hold secrets.
#[derive(Clone, Default)]
pub struct Inputs {
    /// A self-hosted `.env`.
    pub env: Option<String>,
    /// `docker-compose.yml`.
    pub compose: Option<String>,
    /// Further compose files merged over it in order (`docker-compose.override.yml`, `-f`).
    pub compose_overrides: Vec<String>,
    /// Kong's `kong.yml` (template or rendered).
    pub kong: Option<String>,
    /// Envoy's `lds.template.yaml` (or the rendered `lds.yaml`).
    pub envoy: Option<String>,
    /// Kubernetes Secret (and optionally a ConfigMap with kong.yml).
    pub k8s: Option<String>,
    /// Supabase CLI `config.toml`.
    pub config_toml: Option<String>,
    /// Supabase CLI `signing_keys.json`.
    pub signing_keys: Option<String>,
    /// A token to check against every service.
    pub token: Option<String>,
    /// An error message seen in logs or responses.
    pub error_message: Option<String>,
}

impl std::fmt::Debug for Inputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inputs")
            .field("env", &redacted_opt(&self.env))
            .field("compose", &redacted_opt(&self.compose))
            .field("compose_overrides", &self.compose_overrides.len())
            .field("envoy", &redacted_opt(&self.envoy))
            .field("kong", &redacted_opt(&self.kong))
            .field("k8s", &redacted_opt(&self.k8s))
            .field("config_toml", &redacted_opt(&self.config_toml))
            .field("signing_keys", &redacted_opt(&self.signing_keys))
            .field("token", &self.token.as_deref().map(RedactedToken))
            .field("error_message", &self.error_message)
            .finish()
    }
}

/// A configuration variable and where it was read. `Debug` hides the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Var {
    /// The value services see.
    pub value: String,
    /// The value as written (for whitespace / CR / quote checks).
    pub raw: String,
    /// ".env line 12", "Secret supabase-secrets", "config.toml [auth]".
    pub source: String,
}

/// A service's environment variable after `${VAR}` interpolation. `Debug` hides the values.
#[derive(Clone, PartialEq, Eq)]
pub struct ResolvedVar {
    /// Service (`auth`, `rest`, `realtime`, ...).
    pub service: String,
    /// Variable.
    pub name: String,
    /// As written in the compose file.
    pub template: String,
    /// As docker compose computes it.
    pub value: String,
    /// Variables referenced but unset.
    pub missing: Vec<String>,
    /// `${A:?e}` that fired: (variable, message); compose refuses to start.
    pub required: Vec<(String, String)>,
    /// A malformed expression: compose refuses the file.
    pub invalid: bool,
    /// What podman-compose before 1.6.0 computes, when it differs from docker compose.
    pub podman_value: Option<String>,
    /// podman-compose 1.5.0 only: the variable has the name of the one its default stands for.
    pub podman_150_self: bool,
}

impl std::fmt::Debug for Var {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Var")
            .field("value", &Redacted(&self.value))
            .field("raw", &Redacted(&self.raw))
            .field("source", &self.source)
            .finish()
    }
}

impl std::fmt::Debug for ResolvedVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResolvedVar")
            .field("service", &self.service)
            .field("name", &self.name)
            .field("template", &Redacted(&self.template))
            .field("value", &Redacted(&self.value))
            .field("missing", &self.missing)
            .field("required", &self.required)
            .field("invalid", &self.invalid)
            .field("podman_value", &redacted_opt(&self.podman_value))
            .field("podman_150_self", &self.podman_150_self)
            .finish()
    }
}

/// Everything read, merged.
#[derive(Debug, Clone)]
pub struct Config {
    /// Top-level variables (`.env`, Kubernetes Secret, config.toml).
    pub vars: BTreeMap<String, Var>,
    /// Compose service environments.
    pub services: Vec<ResolvedVar>,
    /// Kong consumer keys (after the rendering below), and where they were read.
    pub kong: Vec<KongKey>,
    /// How the compose file has Kong render kong.yml.
    pub kong_rendering: KongRendering,
    /// The merged compose project.
    pub compose: Option<ComposeProject>,
    /// Envoy's listener configuration, rendered as its entrypoint does when the compose file
    /// says how (else as given).
    pub envoy: Option<String>,
    /// Names of the inputs read.
    pub read: Vec<String>,
    /// The compose files mention `SUPABASE_JWKS` (even commented out): upstream's template
    /// from 2026-05 on, whose Edge Functions gate reads only that variable.
    pub functions_jwks_line: bool,
    /// Variables that the compose files set only in commented-out lines (`# GOTRUE_JWT_KEYS:
    /// …`), for steps that say "uncomment" only where there is something to uncomment.
    pub compose_commented: Vec<String>,
    /// The `$NAME` / `${NAME}` placeholders of the kong.yml template as given, before rendering.
    pub kong_placeholders: Vec<String>,
    /// The texts this configuration was loaded from, so that `Config::with_env` can load the
    /// same files with a planned `.env` (the lifecycle's matrix after a step).
    pub inputs: Inputs,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            vars: BTreeMap::new(),
            services: Vec::new(),
            kong: Vec::new(),
            kong_rendering: KongRendering::Unknown,
            compose: None,
            envoy: None,
            read: Vec::new(),
            functions_jwks_line: false,
            compose_commented: Vec::new(),
            kong_placeholders: Vec::new(),
            inputs: Inputs::default(),
        }
    }
}

impl Config {
    /// A variable's value, if set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.value.as_str())
            .filter(|v| !v.is_empty())
    }

    /// GoTrue's accepted algorithms: `GOTRUE_JWT_VALID_METHODS` of the auth service when set
    /// (no upstream file reads `JWT_METHODS`; unset, GoTrue accepts the algorithms of its keys).
    pub fn valid_methods(&self) -> Option<String> {
        self.service_var("auth", "GOTRUE_JWT_VALID_METHODS")
            .map(|v| v.value.clone())
            .filter(|v| !v.trim().is_empty())
    }

    /// A service's environment as its container sees it (name → value).
    pub fn container_env(&self, service: &str) -> std::collections::HashMap<String, String> {
        self.services
            .iter()
            .filter(|v| v.service == service)
            .map(|v| (v.name.clone(), v.value.clone()))
            .collect()
    }

    /// A service variable, resolved.
    pub fn service_var(&self, service: &str, name: &str) -> Option<&ResolvedVar> {
        self.services
            .iter()
            .find(|v| v.service == service && v.name == name)
    }
}
