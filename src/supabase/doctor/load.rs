//! Reading and merging the inputs into one [`Config`]: the `.env` (compose rules), Kubernetes
//! Secrets, config.toml, signing_keys.json, the compose files (merged, then interpolated as
//! docker compose v2 and as podman-compose < 1.6.0 do), and the gateway's configuration
//! rendered the way the compose file has it rendered.

use super::compose::{ComposeProject, parse_compose};
use super::gateway::{
    KongRendering, envoy_service, kong_rendering, kong_service, render_envoy, render_kong,
};
use super::interpolate::{MAX_RENDERED_BYTES, interpolate, podman_legacy};
use super::{Config, Inputs, ResolvedVar, Var, dotenv, sources};
use crate::jose::error::CoreError;
use std::collections::HashMap;

impl Config {
    /// The same files loaded again with `env` as the `.env`.
    pub fn with_env(&self, env: &str) -> Result<Config, CoreError> {
        load(&Inputs {
            env: Some(env.to_string()),
            ..self.inputs.clone()
        })
    }
}

/// Reads and merges the inputs. Unusable input (bad YAML, not a manifest) is an error.
pub fn load(inputs: &Inputs) -> Result<Config, CoreError> {
    let mut config = Config::default();
    let texts = [
        &inputs.env,
        &inputs.compose,
        &inputs.kong,
        &inputs.envoy,
        &inputs.k8s,
        &inputs.config_toml,
        &inputs.signing_keys,
        &inputs.token,
        &inputs.error_message,
    ];
    if let Some(big) = texts
        .iter()
        .filter_map(|t| t.as_ref())
        .chain(inputs.compose_overrides.iter())
        .find(|t| t.len() > sources::MAX_CONFIG_BYTES)
    {
        return Err(CoreError::TooLarge {
            size: big.len(),
            limit: sources::MAX_CONFIG_BYTES,
        });
    }
    if let Some(text) = &inputs.env {
        let file = dotenv::parse_env(text);
        if let Some(name) = &file.too_large {
            return Err(CoreError::InvalidOption(format!(
                ".env: the value of {name} expands to more than 1 MiB (or the file's values to more than 16 MiB): a variable repeated inside a variable; refused"
            )));
        }
        for v in file.vars {
            let source = format!(".env line {}", v.line);
            config.vars.insert(
                v.name,
                Var {
                    value: v.value,
                    raw: v.literal,
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
                raw: value.expose().to_string(),
                value: value.expose().to_string(),
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
                raw: secret.expose().to_string(),
                value: secret.expose().to_string(),
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
        let files: Vec<&str> = std::iter::once(text.as_str())
            .chain(inputs.compose_overrides.iter().map(String::as_str))
            .collect();
        let project = parse_compose(&files)?;
        config.functions_jwks_line = files.iter().any(|f| f.contains("SUPABASE_JWKS"));
        config.compose_commented = files.iter().flat_map(|f| commented_vars(f)).collect();
        config.services = resolve(&project, &config)?;
        config.read.push(if files.len() == 1 {
            "docker-compose.yml".into()
        } else {
            format!("docker-compose.yml + {} override(s)", files.len() - 1)
        });
        config.compose = Some(project);
    }
    if let Some(text) = &inputs.kong {
        config.kong_placeholders = placeholders(text);
        let kong_env_and_mode = config
            .compose
            .as_ref()
            .and_then(kong_service)
            .map(|s| (config.container_env(&s.name), kong_rendering(s)));
        let rendered = match &kong_env_and_mode {
            Some((env, mode)) => {
                config.kong_rendering = *mode;
                let rendered = render_kong(text, *mode, env);
                if rendered.len() >= MAX_RENDERED_BYTES {
                    let big = env
                        .iter()
                        .filter(|(n, _)| text.contains(n.as_str()))
                        .max_by_key(|(_, v)| v.len())
                        .map_or(String::new(), |(n, _)| {
                            format!(" (the largest variable it uses: {n})")
                        });
                    return Err(CoreError::InvalidOption(format!(
                        "kong.yml renders to more than 16 MiB{big}: a variable expanded too many times; refused"
                    )));
                }
                rendered
            }
            None => text.clone(),
        };
        config.kong.extend(sources::parse_kong(&rendered)?);
        config.read.push("kong.yml".into());
    }
    if let Some(text) = &inputs.envoy {
        let env = config
            .compose
            .as_ref()
            .and_then(envoy_service)
            .map(|s| config.container_env(&s.name));
        config.envoy = Some(match env {
            Some(env) => render_envoy(text, &env).map_err(|var| {
                CoreError::InvalidOption(format!(
                    "Envoy lds.yaml renders to more than 16 MiB (the variable {var}, expanded at every ${{{var}}}): refused"
                ))
            })?,
            None => text.clone(),
        });
        config.read.push("Envoy lds.yaml".into());
    }
    if config.kong.is_empty() {
        config.kong_rendering = KongRendering::Unknown;
    }
    config.inputs = inputs.clone();
    Ok(config)
}

/// Every started service's environment, interpolated with the `.env` values.
fn resolve(project: &ComposeProject, config: &Config) -> Result<Vec<ResolvedVar>, CoreError> {
    let values: HashMap<String, String> = config
        .vars
        .iter()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect();
    let lookup = |n: &str| values.get(n).cloned();
    let mut out = Vec::new();
    let mut total = 0usize;
    for service in project.services.iter().filter(|s| s.started()) {
        for (name, template) in &service.environment {
            let Some(template) = template else { continue };
            let result = interpolate(template, &lookup);
            total += result.value.len();
            if result.too_large || total > MAX_RENDERED_BYTES {
                return Err(CoreError::InvalidOption(format!(
                    "docker-compose.yml: {name} of service {} expands to more than 1 MiB (or the services' environments to more than 16 MiB); refused",
                    service.name
                )));
            }
            let podman = podman_legacy(template, &lookup);
            let podman_value = podman.filter(|p| *p != result.value);
            let podman_150_self = podman_value.is_none()
                && values.get(name).is_none_or(String::is_empty)
                && template.starts_with(&format!("${{{name}:-{{"));
            out.push(ResolvedVar {
                service: service.name.clone(),
                name: name.clone(),
                template: template.clone(),
                value: result.value,
                missing: result.missing,
                required: result.required,
                invalid: result.invalid.is_some(),
                podman_value,
                podman_150_self,
            });
        }
    }
    Ok(out)
}

/// Names set in commented-out lines of a compose file: `# NAME: value` or `#- NAME=value`.
fn commented_vars(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix('#')?;
            let rest = rest.trim_start_matches(['#', ' ', '\t', '-']);
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            let (name, after) = rest.split_at(end);
            let named = !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit());
            (named && (after.starts_with(':') || after.starts_with('='))).then(|| name.to_string())
        })
        .collect()
}

/// The `$NAME` and `${NAME}` placeholders of a template, each once, in order.
fn placeholders(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, _) in text.match_indices('$') {
        let rest = text[i + 1..].trim_start_matches('{');
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        if !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && !out.iter().any(|n| n == name)
        {
            out.push(name.to_string());
        }
    }
    out
}
