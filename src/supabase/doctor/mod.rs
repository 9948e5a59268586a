//! The 401 Doctor: reads a Supabase configuration (`.env`, docker-compose, kong.yml, Kubernetes
//! manifests, Supabase CLI `config.toml` / `signing_keys.json`), runs every check offline, and
//! says what is wrong, why it causes a 401, and how to fix it.

mod checks;
pub mod compose;
pub mod dotenv;
mod explain;
mod finding;
mod finding_code;
pub mod gateway;
mod gateway_checks;
mod gotrue;
pub mod interpolate;
mod keysets;
mod load;
mod reconcile;
pub mod redact;
mod remedy;
pub mod rotate;
mod services;
mod services_clients;
mod services_rules;
pub mod sources;
mod verdict;

pub use explain::{Explanation, explain_error};
pub use finding::{Finding, Severity};
pub use finding_code::FindingCode;
pub use reconcile::{Cause, Unexplained};
pub use remedy::Remedy;
pub use services::simulate;
pub use verdict::ServiceVerdict;

pub use load::load;

use crate::jose::error::CoreError;
use crate::jose::secret::{Redacted, RedactedToken, redacted_opt};
use compose::ComposeProject;
use gateway::KongRendering;
use serde::Serialize;
use sources::KongKey;
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
    /// The texts this configuration was loaded from, so that [`Config::with_env`] can load the
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
    /// The same files loaded again with `env` as the `.env`.
    pub fn with_env(&self, env: &str) -> Result<Config, CoreError> {
        load(&Inputs {
            env: Some(env.to_string()),
            ..self.inputs.clone()
        })
    }

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

/// The Doctor's answer.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// For a given token: what each service would do with it.
    pub services: Vec<ServiceVerdict>,
    /// For a given error message: what it means.
    pub explanation: Option<Explanation>,
    /// For a given error message that the files do not explain (no error finding, no service
    /// refusing the token): why, and what to check. Shown first.
    pub unexplained: Option<Unexplained>,
    /// The inputs read.
    pub read: Vec<String>,
}

impl Report {
    /// True when a finding of severity error or worse exists.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity >= Severity::Error)
    }

    /// The services that check the token's signature and claims (GoTrue, PostgREST, Realtime,
    /// Storage, Edge Functions) and refuse it. Kong's "as apikey" and supabase-js' `getClaims()`
    /// depend on what the token is for (a user's session is no apikey; an API key is no
    /// session), so they are not counted.
    pub fn refused_by(&self) -> Vec<&'static str> {
        self.services
            .iter()
            .filter(|s| s.accepted == Some(false))
            .filter(|s| !matches!(s.service, "Kong" | "Envoy" | "supabase-js"))
            .map(|s| s.service)
            .collect()
    }

    /// True when something is wrong: an error finding, a token the verifiers refuse, or a
    /// reported error that the files do not explain. The CLI exits 1 then.
    pub fn failing(&self) -> bool {
        self.has_errors() || !self.refused_by().is_empty() || self.unexplained.is_some()
    }
}

/// Runs every check at time `now`.
pub fn diagnose(inputs: &Inputs, now: i64) -> Result<Report, CoreError> {
    diagnose_loaded(&load(inputs)?, inputs, now)
}

/// [`diagnose`] over the configuration already [`load`]ed from these inputs (for callers that
/// use the configuration too, so it is read once).
pub fn diagnose_loaded(config: &Config, inputs: &Inputs, now: i64) -> Result<Report, CoreError> {
    let nothing =
        config.read.is_empty() && inputs.token.is_none() && inputs.error_message.is_none();
    if nothing {
        return Err(CoreError::InvalidOption("give at least one input: a .env, compose file, kong.yml, Kubernetes manifest, config.toml, a token or an error message".into()));
    }
    let mut findings = checks::run_all(config, now);
    let services = match &inputs.token {
        Some(token) => services::simulate(config, token, now, &mut findings),
        None => Vec::new(),
    };
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let explanation = inputs
        .error_message
        .as_deref()
        .map(|m| explain_error(m, &findings));
    let unexplained =
        reconcile::reconcile(&config.read, &findings, &services, explanation.as_ref());
    Ok(Report {
        findings,
        services,
        explanation,
        unexplained,
        read: config.read.clone(),
    })
}
