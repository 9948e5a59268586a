//! The 401 Doctor: reads a Supabase configuration (`.env`, docker-compose, kong.yml, Kubernetes
//! manifests, Supabase CLI `config.toml` / `signing_keys.json`), runs every check offline, and
//! says what is wrong, why it causes a 401, and how to fix it.

mod checks;
pub mod dotenv;
mod explain;
mod finding;
pub mod interpolate;
mod keysets;
pub mod rotate;
mod services;
pub mod sources;

pub use explain::{Explanation, explain_error};
pub use finding::{Finding, Severity};
pub use services::ServiceVerdict;

use crate::core::error::CoreError;
use crate::core::secret::{Redacted, RedactedToken, redacted_opt};
use interpolate::{interpolate, podman_value};
use serde::Serialize;
use sources::KongKey;
use std::collections::{BTreeMap, HashMap};

/// What the user gave (any subset); texts, not paths: the core does no I/O. `Debug` shows only
/// the lengths: these texts hold secrets.
#[derive(Clone, Default)]
pub struct Inputs {
    /// A self-hosted `.env`.
    pub env: Option<String>,
    /// `docker-compose.yml`.
    pub compose: Option<String>,
    /// Kong's `kong.yml` (template or rendered).
    pub kong: Option<String>,
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
    /// What Podman computes when it differs (nested defaults).
    pub podman_value: Option<String>,
}

impl std::fmt::Debug for Inputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inputs")
            .field("env", &redacted_opt(&self.env))
            .field("compose", &redacted_opt(&self.compose))
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
            .field("podman_value", &redacted_opt(&self.podman_value))
            .finish()
    }
}

/// Everything read, merged.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Top-level variables (`.env`, Kubernetes Secret, config.toml).
    pub vars: BTreeMap<String, Var>,
    /// Compose service environments.
    pub services: Vec<ResolvedVar>,
    /// Kong consumer keys, and where they were read.
    pub kong: Vec<KongKey>,
    /// Names of the inputs read.
    pub read: Vec<String>,
}

impl Config {
    /// A variable's value, if set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.value.as_str())
            .filter(|v| !v.is_empty())
    }

    /// GoTrue's accepted algorithms: `GOTRUE_JWT_VALID_METHODS` of the auth service, else
    /// `JWT_METHODS`.
    pub fn valid_methods(&self) -> Option<String> {
        self.service_var("auth", "GOTRUE_JWT_VALID_METHODS")
            .map(|v| v.value.clone())
            .or_else(|| self.get("JWT_METHODS").map(str::to_string))
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
    /// The inputs read.
    pub read: Vec<String>,
}

impl Report {
    /// True when a finding of severity error or worse exists.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity >= Severity::Error)
    }
}

/// Reads and merges the inputs. Unusable input (bad YAML, not a manifest) is an error.
pub fn load(inputs: &Inputs) -> Result<Config, CoreError> {
    let mut config = Config::default();
    let texts = [
        &inputs.env,
        &inputs.compose,
        &inputs.kong,
        &inputs.k8s,
        &inputs.config_toml,
        &inputs.signing_keys,
        &inputs.token,
        &inputs.error_message,
    ];
    if let Some(big) = texts
        .iter()
        .filter_map(|t| t.as_ref())
        .find(|t| t.len() > sources::MAX_CONFIG_BYTES)
    {
        return Err(CoreError::TooLarge {
            size: big.len(),
            limit: sources::MAX_CONFIG_BYTES,
        });
    }
    if let Some(text) = &inputs.env {
        for v in dotenv::parse_env(text).vars {
            let source = format!(".env line {}", v.line);
            config.vars.insert(
                v.name,
                Var {
                    value: v.value,
                    raw: v.raw,
                    source,
                },
            );
        }
        config.read.push(".env".into());
    }
    if let Some(text) = &inputs.k8s {
        let manifests = sources::parse_k8s(text)?;
        for (name, value) in manifests.secrets {
            config.vars.entry(name).or_insert(Var {
                raw: value.clone(),
                value,
                source: "Kubernetes Secret".into(),
            });
        }
        if let Some(kong) = manifests.kong_yml {
            config.kong.extend(sources::parse_kong(&kong)?);
        }
        config.read.push("Kubernetes manifest".into());
    }
    if let Some(text) = &inputs.config_toml {
        let auth = sources::parse_config_toml(text)?;
        if let Some(secret) = auth.jwt_secret {
            config.vars.entry("JWT_SECRET".into()).or_insert(Var {
                raw: secret.clone(),
                value: secret,
                source: "config.toml [auth] jwt_secret".into(),
            });
        }
        config.read.push("config.toml".into());
    }
    if let Some(text) = &inputs.signing_keys {
        config.vars.insert(
            "JWT_KEYS".into(),
            Var {
                value: text.trim().into(),
                raw: text.clone(),
                source: "signing_keys.json".into(),
            },
        );
        config.read.push("signing_keys.json".into());
    }
    if let Some(text) = &inputs.compose {
        let values: HashMap<String, String> = config
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect();
        for sv in sources::parse_compose(text)? {
            let result = interpolate(&sv.template, &values);
            let podman = result
                .nested_default
                .then(|| podman_value(&sv.template, &values));
            config.services.push(ResolvedVar {
                service: sv.service,
                name: sv.name,
                template: sv.template,
                value: result.value,
                missing: result.missing,
                podman_value: podman,
            });
        }
        config.read.push("docker-compose.yml".into());
    }
    if let Some(text) = &inputs.kong {
        config.kong.extend(sources::parse_kong(text)?);
        config.read.push("kong.yml".into());
    }
    Ok(config)
}

/// Runs every check at time `now`.
pub fn diagnose(inputs: &Inputs, now: i64) -> Result<Report, CoreError> {
    let config = load(inputs)?;
    let nothing =
        config.read.is_empty() && inputs.token.is_none() && inputs.error_message.is_none();
    if nothing {
        return Err(CoreError::InvalidOption("give at least one input: a .env, compose file, kong.yml, Kubernetes manifest, config.toml, a token or an error message".into()));
    }
    let mut findings = checks::run_all(&config, now);
    let services = match &inputs.token {
        Some(token) => services::simulate(&config, token, now, &mut findings),
        None => Vec::new(),
    };
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let explanation = inputs
        .error_message
        .as_deref()
        .map(|m| explain_error(m, &findings));
    Ok(Report {
        findings,
        services,
        explanation,
        read: config.read,
    })
}
