//! Showing a planned rotation: a `.env` diff, a Kubernetes Secret, or the diff with the
//! gateway's configuration (Kong's consumers block with `$VAR` placeholders for
//! kong-entrypoint.sh, Envoy's api-gw environment), then the numbered steps (if any).

use super::Rotation;
use crate::jose::secret::SecretString;

/// How to show the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotateFormat {
    /// A diff of the `.env`.
    Env,
    /// A Kubernetes Secret manifest (stringData).
    K8s,
    /// The `.env` diff and Kong's consumers block (`$VAR` placeholders).
    Kong,
    /// The `.env` diff and the api-gw (Envoy) environment block.
    Envoy,
}

fn yaml_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// Upstream's consumers block: each role's legacy key and opaque key, as `$VAR` placeholders
/// that kong-entrypoint.sh (and the older eval-echo entrypoint) expand.
const KONG_CONSUMERS: &str = "consumers:
  - username: DASHBOARD
  - username: anon
    keyauth_credentials:
      - key: $SUPABASE_ANON_KEY
      - key: $SUPABASE_PUBLISHABLE_KEY
  - username: service_role
    keyauth_credentials:
      - key: $SUPABASE_SERVICE_KEY
      - key: $SUPABASE_SECRET_KEY";

/// The kong service's environment that feeds those placeholders and the Lua transformer.
const KONG_ENV: &str = "      SUPABASE_ANON_KEY: ${ANON_KEY}
      SUPABASE_SERVICE_KEY: ${SERVICE_ROLE_KEY}
      SUPABASE_PUBLISHABLE_KEY: ${SUPABASE_PUBLISHABLE_KEY:-}
      SUPABASE_SECRET_KEY: ${SUPABASE_SECRET_KEY:-}
      ANON_KEY_ASYMMETRIC: ${ANON_KEY_ASYMMETRIC:-}
      SERVICE_ROLE_KEY_ASYMMETRIC: ${SERVICE_ROLE_KEY_ASYMMETRIC:-}";

/// docker-compose.envoy.yml's api-gw environment, read by its entrypoint's sed.
const ENVOY_ENV: &str = "      ANON_KEY: ${ANON_KEY}
      SERVICE_ROLE_KEY: ${SERVICE_ROLE_KEY}
      SUPABASE_PUBLISHABLE_KEY: ${SUPABASE_PUBLISHABLE_KEY:-}
      SUPABASE_SECRET_KEY: ${SUPABASE_SECRET_KEY:-}
      ANON_KEY_ASYMMETRIC: ${ANON_KEY_ASYMMETRIC:-}
      SERVICE_ROLE_KEY_ASYMMETRIC: ${SERVICE_ROLE_KEY_ASYMMETRIC:-}";

/// Renders the rotation (secret material inside).
pub fn render(rotation: &Rotation, format: RotateFormat) -> SecretString {
    let mut lines = Vec::new();
    match format {
        RotateFormat::K8s => {
            lines.extend(
                [
                    "apiVersion: v1",
                    "kind: Secret",
                    "metadata:",
                    "  name: supabase-secrets",
                    "type: Opaque",
                    "stringData:",
                ]
                .map(String::from),
            );
            for (name, _, new) in &rotation.changes {
                lines.push(format!("  {name}: {}", yaml_quote(new)));
            }
        }
        RotateFormat::Env | RotateFormat::Kong | RotateFormat::Envoy => {
            lines.push("# .env changes (- old, + new)".to_string());
            for (name, old, new) in &rotation.changes {
                if let Some(old) = old {
                    lines.push(format!("-{name}={}", env_value(old)));
                }
                lines.push(format!("+{name}={}", env_value(new)));
            }
        }
    }
    match format {
        RotateFormat::Kong => {
            lines.push(String::new());
            lines.push("# kong.yml: keep the placeholders; Kong's entrypoint expands $VAR from the kong service's environment at start-up (never paste keys here)".into());
            lines.push(KONG_CONSUMERS.into());
            lines.push(String::new());
            lines.push("# docker-compose.yml, services.kong.environment:".into());
            lines.extend(KONG_ENV.lines().map(|l| format!("#{l}")));
        }
        RotateFormat::Envoy => {
            lines.push(String::new());
            lines.push("# docker-compose.envoy.yml, services.api-gw.environment (its entrypoint's sed fills ${VAR} in lds.template.yaml at start-up):".into());
            lines.extend(ENVOY_ENV.lines().map(|l| format!("#{l}")));
        }
        RotateFormat::Env | RotateFormat::K8s => {}
    }
    // A plan always has steps; the window takes them out to show them as plain text.
    if !rotation.steps.is_empty() {
        lines.push(String::new());
        lines.push("# Steps".into());
        for (i, step) in rotation.steps.iter().enumerate() {
            lines.push(format!("# {}. {step}", i + 1));
        }
    }
    SecretString::new(lines.join("\n") + "\n")
}

fn env_value(v: &str) -> String {
    if v.starts_with('{') || v.starts_with('[') || v.contains('$') {
        format!("'{v}'")
    } else {
        v.to_string()
    }
}
