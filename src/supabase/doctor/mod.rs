//! The 401 Doctor: reads a Supabase configuration (`.env`, docker-compose, kong.yml, Kubernetes
//! manifests, Supabase CLI `config.toml` / `signing_keys.json`), runs every check offline, and
//! says what is wrong, why it causes a 401, and how to fix it.

mod checks;
pub mod compose;
mod config;
pub mod dotenv;
mod explain;
mod finding;
mod finding_code;
pub mod gateway;
mod gateway_checks;
mod gotrue;
pub mod interpolate;
mod keysets;
mod lifecycle_checks;
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

pub use config::{Config, Inputs, ResolvedVar, Var};
pub use explain::{Explanation, explain_error};
pub use finding::{Finding, Severity};
pub use finding_code::FindingCode;
pub use reconcile::{Cause, Unexplained};
pub use remedy::Remedy;
pub use services::simulate;
pub use verdict::ServiceVerdict;

pub use load::load;

use crate::jose::error::CoreError;
use serde::Serialize;

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
    lifecycle_checks::check(
        config,
        inputs.env.as_deref().unwrap_or(""),
        now,
        &mut findings,
    );
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
