//! docker compose files read as docker compose v2 reads them: every file of a `-f` list (or
//! `docker-compose.yml` then `docker-compose.override.yml`) merged in order — services by name,
//! `environment` key by key (map or `KEY=value` list), `image` / `entrypoint` / `command` /
//! `profiles` replaced, `volumes` merged by container path — before interpolation.

use super::sources::{load_yaml, scalar};
use crate::jose::error::CoreError;
use crate::jose::secret::Redacted;
use yaml_rust2::Yaml;

/// One service of the merged project. `Debug` hides the environment values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ComposeService {
    /// Service name (`auth`, `rest`, `kong`, ...).
    pub name: String,
    /// `image`.
    pub image: Option<String>,
    /// `entrypoint`, as written (a list joined with spaces).
    pub entrypoint: Option<String>,
    /// `volumes` in short syntax (`source:target[:mode]`; the long syntax is turned into it).
    pub volumes: Vec<String>,
    /// `profiles`: a service with profiles is not started unless one is activated.
    pub profiles: Vec<String>,
    /// `environment` in file order: (name, template); `None` when no value is written (taken
    /// from the shell environment, unset here).
    pub environment: Vec<(String, Option<String>)>,
}

impl std::fmt::Debug for ComposeService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let env: Vec<_> = self
            .environment
            .iter()
            .map(|(k, v)| (k, v.as_deref().map(Redacted)))
            .collect();
        f.debug_struct("ComposeService")
            .field("name", &self.name)
            .field("image", &self.image)
            .field("entrypoint", &self.entrypoint.as_deref().map(Redacted))
            .field("volumes", &self.volumes)
            .field("profiles", &self.profiles)
            .field("environment", &env)
            .finish()
    }
}

impl ComposeService {
    /// True unless the service is behind a profile (not started by `docker compose up`).
    pub fn started(&self) -> bool {
        self.profiles.is_empty()
    }

    /// The container path a volume is mounted at.
    fn volume_target(volume: &str) -> &str {
        volume.split(':').nth(1).unwrap_or(volume)
    }

    fn merge(&mut self, other: ComposeService) {
        for (k, v) in other.environment {
            match self.environment.iter_mut().find(|(n, _)| *n == k) {
                Some(slot) => slot.1 = v,
                None => self.environment.push((k, v)),
            }
        }
        for v in other.volumes {
            let target = Self::volume_target(&v).to_string();
            self.volumes
                .retain(|old| Self::volume_target(old) != target.as_str());
            self.volumes.push(v);
        }
        if other.image.is_some() {
            self.image = other.image;
        }
        if other.entrypoint.is_some() {
            self.entrypoint = other.entrypoint;
        }
        if !other.profiles.is_empty() {
            self.profiles = other.profiles;
        }
    }
}

/// The merged services of one or more compose files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComposeProject {
    /// Services in first-seen order.
    pub services: Vec<ComposeService>,
}

impl ComposeProject {
    /// A service by name.
    pub fn service(&self, name: &str) -> Option<&ComposeService> {
        self.services.iter().find(|s| s.name == name)
    }
}

fn strings(y: &Yaml) -> Vec<String> {
    match y {
        Yaml::Array(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

fn volume(y: &Yaml) -> Option<String> {
    if let Some(s) = scalar(y) {
        return Some(s);
    }
    let source = scalar(&y["source"]).unwrap_or_default();
    let target = scalar(&y["target"])?;
    Some(format!("{source}:{target}"))
}

fn environment(y: &Yaml) -> Vec<(String, Option<String>)> {
    if let Some(map) = y.as_hash() {
        return map
            .iter()
            .map(|(k, v)| {
                let value = if v.is_null() { None } else { scalar(v) };
                (scalar(k).unwrap_or_default(), value)
            })
            .collect();
    }
    y.as_vec()
        .map(|list| {
            list.iter()
                .filter_map(scalar)
                .map(|item| match item.split_once('=') {
                    Some((k, v)) => (k.trim().to_string(), Some(v.to_string())),
                    None => (item.trim().to_string(), None),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn service(name: String, y: &Yaml) -> ComposeService {
    let entrypoint = match &y["entrypoint"] {
        Yaml::BadValue | Yaml::Null => None,
        e => Some(strings(e).join(" ")),
    };
    ComposeService {
        name,
        image: scalar(&y["image"]).filter(|s| !s.is_empty()),
        entrypoint,
        volumes: y["volumes"]
            .as_vec()
            .map(|v| v.iter().filter_map(volume).collect())
            .unwrap_or_default(),
        profiles: strings(&y["profiles"])
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect(),
        environment: environment(&y["environment"]),
    }
}

/// Reads and merges compose files, in `-f` order.
pub fn parse_compose(texts: &[&str]) -> Result<ComposeProject, CoreError> {
    let mut project = ComposeProject::default();
    for (n, text) in texts.iter().enumerate() {
        let what = if n == 0 {
            "the compose file".to_string()
        } else {
            format!("compose file {}", n + 1)
        };
        for doc in load_yaml(text, &what)? {
            let Some(services) = doc["services"].as_hash() else {
                continue;
            };
            for (name, y) in services {
                let name = scalar(name).unwrap_or_default();
                let s = service(name.clone(), y);
                match project.services.iter_mut().find(|s| s.name == name) {
                    Some(existing) => existing.merge(s),
                    None => project.services.push(s),
                }
            }
        }
    }
    if project.services.is_empty() {
        return Err(CoreError::InvalidOption(
            "the compose file has no services".into(),
        ));
    }
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_override_files_in_order() {
        let base = "services:\n  rest:\n    image: postgrest\n    environment:\n      A: ${X}\n      B: one\n    volumes:\n      - ./a:/etc/a:ro\n  kong:\n    image: kong\n    entrypoint: bash -c 'x'\n";
        let over = "services:\n  rest:\n    environment:\n      - B=two\n      - C\n    volumes:\n      - ./b:/etc/a\n  kong:\n    profiles: [disabled]\n  api-gw:\n    image: envoyproxy/envoy\n";
        let p = parse_compose(&[base, over]).unwrap_or_default();
        let rest = p.service("rest").cloned().unwrap_or_default();
        assert_eq!(
            rest.environment,
            vec![
                ("A".to_string(), Some("${X}".to_string())),
                ("B".to_string(), Some("two".to_string())),
                ("C".to_string(), None)
            ]
        );
        assert_eq!(rest.volumes, vec!["./b:/etc/a".to_string()]);
        assert!(!p.service("kong").is_some_and(ComposeService::started));
        assert!(p.service("api-gw").is_some_and(ComposeService::started));
        assert!(parse_compose(&["services: {}\n"]).is_err());
    }
}
