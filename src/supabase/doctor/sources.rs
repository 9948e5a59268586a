//! Reading the other configuration files: Kong's declarative `kong.yml`, Kubernetes Secrets / ConfigMaps, and the Supabase CLI `config.toml`.

use crate::jose::error::CoreError;
use crate::jose::secret::{RedactedToken, SecretString, redacted_opt};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::{ScanError, Yaml, YamlLoader};

/// Input larger than this is refused (a compose file is a few KiB).
pub const MAX_CONFIG_BYTES: usize = 1024 * 1024;

/// Parses YAML (every document), refusing oversized input.
pub(super) fn load_yaml(text: &str, what: &str) -> Result<Vec<Yaml>, CoreError> {
    if text.len() > MAX_CONFIG_BYTES {
        return Err(CoreError::TooLarge {
            size: text.len(),
            limit: MAX_CONFIG_BYTES,
        });
    }
    let invalid = |e: ScanError| CoreError::InvalidOption(format!("{what} is not valid YAML: {e}"));
    let mut sizes = AliasSizes::default();
    Parser::new_from_str(text)
        .load(&mut sizes, true)
        .map_err(invalid)?;
    if sizes.total > MAX_YAML_EXPANSION {
        return Err(CoreError::InvalidOption(format!(
            "{what}: its YAML aliases expand to more than {MAX_YAML_EXPANSION} nodes and bytes (a \"billion laughs\" alias set); refused"
        )));
    }
    YamlLoader::load_from_str(text).map_err(invalid)
}

/// The most a YAML file may expand to through its aliases, counted as nodes plus scalar bytes
/// (16 Mi): loading clones the anchored node at each alias, so nine aliases of nine aliases of
/// … would exhaust memory from 1 KB of text.
pub const MAX_YAML_EXPANSION: usize = 16 * 1024 * 1024;

/// Counts what loading would produce, alias expansions included, without building it (the
/// way hardened YAML loaders bound aliases): each anchor's size is known when it ends.
#[derive(Default)]
struct AliasSizes {
    /// The size of each anchor, by anchor id.
    anchors: HashMap<usize, usize>,
    /// Open collections: (anchor id, total when it started).
    open: Vec<(usize, usize)>,
    total: usize,
}

impl MarkedEventReceiver for AliasSizes {
    fn on_event(&mut self, ev: Event, _mark: Marker) {
        if self.total > MAX_YAML_EXPANSION {
            return;
        }
        match ev {
            Event::Scalar(value, _, anchor, _) => {
                let size = 1 + value.len();
                self.total = self.total.saturating_add(size);
                if anchor > 0 {
                    self.anchors.insert(anchor, size);
                }
            }
            Event::Alias(anchor) => {
                let size = self.anchors.get(&anchor).copied().unwrap_or(1);
                self.total = self.total.saturating_add(size);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.total = self.total.saturating_add(1);
                self.open.push((anchor, self.total - 1));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, start)) = self.open.pop()
                    && anchor > 0
                {
                    self.anchors.insert(anchor, self.total - start);
                }
            }
            _ => {}
        }
    }
}

/// A scalar as text (numbers and booleans as written by YAML, null as "").
pub(super) fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        Yaml::Null => Some(String::new()),
        _ => None,
    }
}

/// A Kong consumer's API key. `Debug` hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct KongKey {
    /// Consumer username (`anon`, `service_role`).
    pub consumer: String,
    /// The key exactly as written.
    pub key: String,
}

/// The consumers' keys of a declarative `kong.yml` (template or rendered).
pub fn parse_kong(text: &str) -> Result<Vec<KongKey>, CoreError> {
    let docs = load_yaml(text, "kong.yml")?;
    let mut out = Vec::new();
    for doc in &docs {
        for consumer in doc["consumers"]
            .as_vec()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let name = scalar(&consumer["username"]).unwrap_or_default();
            for cred in consumer["keyauth_credentials"]
                .as_vec()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if let Some(key) = scalar(&cred["key"]) {
                    out.push(KongKey {
                        consumer: name.clone(),
                        key,
                    });
                }
            }
        }
    }
    if out.is_empty() {
        return Err(CoreError::InvalidOption(
            "kong.yml has no consumers with keyauth_credentials".into(),
        ));
    }
    Ok(out)
}

/// What a Kubernetes manifest holds: Secret entries (decoded) and an embedded kong.yml.
/// `Debug` hides the values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct K8sManifests {
    /// (name, value) from every Secret's `data` (base64-decoded) and `stringData`.
    pub secrets: Vec<(String, SecretString)>,
    /// A `kong.yml` found in a ConfigMap.
    pub kong_yml: Option<String>,
}

/// Reads Secrets and ConfigMaps from a (multi-document) manifest.
pub fn parse_k8s(text: &str) -> Result<K8sManifests, CoreError> {
    use base64::Engine;
    let docs = load_yaml(text, "the Kubernetes manifest")?;
    let mut out = K8sManifests::default();
    for doc in &docs {
        match doc["kind"].as_str() {
            Some("Secret") => {
                for (k, v) in doc["data"].as_hash().into_iter().flatten() {
                    let name = scalar(k).unwrap_or_default();
                    let encoded = scalar(v).unwrap_or_default();
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(encoded.trim())
                        .ok()
                        .and_then(|b| String::from_utf8(b).ok())
                        .ok_or_else(|| {
                            CoreError::InvalidOption(format!(
                                "Secret data \"{name}\" is not base64 of UTF-8 text"
                            ))
                        })?;
                    out.secrets.push((name, SecretString::new(decoded)));
                }
                for (k, v) in doc["stringData"].as_hash().into_iter().flatten() {
                    let value = SecretString::new(scalar(v).unwrap_or_default());
                    out.secrets.push((scalar(k).unwrap_or_default(), value));
                }
            }
            Some("ConfigMap") => {
                for (k, v) in doc["data"].as_hash().into_iter().flatten() {
                    let name = scalar(k).unwrap_or_default();
                    if name.ends_with(".yml") || name.ends_with(".yaml") {
                        out.kong_yml = scalar(v);
                    }
                }
            }
            _ => {}
        }
    }
    if out.secrets.is_empty() && out.kong_yml.is_none() {
        return Err(CoreError::InvalidOption(
            "no Secret or ConfigMap found in the manifest".into(),
        ));
    }
    Ok(out)
}

/// The `[auth]` settings of a Supabase CLI `config.toml` that matter here. `Debug` hides the
/// secret.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CliAuth {
    /// `auth.jwt_secret`.
    pub jwt_secret: Option<SecretString>,
    /// `auth.signing_keys_path`.
    pub signing_keys_path: Option<String>,
    /// `auth.jwt_expiry`.
    pub jwt_expiry: Option<i64>,
}

/// Reads `config.toml`.
pub fn parse_config_toml(text: &str) -> Result<CliAuth, CoreError> {
    let value: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        CoreError::InvalidOption(format!("config.toml is not valid TOML: {}", e.message()))
    })?;
    let auth = value.get("auth").and_then(toml::Value::as_table);
    let get = |k: &str| {
        auth.and_then(|a| a.get(k))
            .and_then(toml::Value::as_str)
            .map(str::to_string)
    };
    Ok(CliAuth {
        jwt_secret: get("jwt_secret").map(SecretString::new),
        signing_keys_path: get("signing_keys_path"),
        jwt_expiry: auth
            .and_then(|a| a.get("jwt_expiry"))
            .and_then(toml::Value::as_integer),
    })
}

impl std::fmt::Debug for KongKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KongKey")
            .field("consumer", &self.consumer)
            .field("key", &RedactedToken(&self.key))
            .finish()
    }
}

impl std::fmt::Debug for K8sManifests {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("K8sManifests")
            .field("secrets", &self.secrets)
            .field("kong_yml", &redacted_opt(&self.kong_yml))
            .finish()
    }
}

impl std::fmt::Debug for CliAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CliAuth")
            .field("jwt_secret", &self.jwt_secret)
            .field("signing_keys_path", &self.signing_keys_path)
            .field("jwt_expiry", &self.jwt_expiry)
            .finish()
    }
}
