//! Reading tokens, secrets and key files for the CLI.

use super::{KeySource, SecretEncodingArg, UsageError};
use crate::jose::b64::SecretEncoding;
use crate::jose::input::MAX_INPUT_BYTES;
use crate::jose::keys::{KeySet, KeySetShape, load_keys, secret_key};
use crate::jose::secret::SecretString;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

/// The token argument, or standard input for `-` / no argument.
pub fn read_token_arg(arg: Option<&str>) -> Result<String, UsageError> {
    match arg {
        Some("-") | None => {
            let stdin = std::io::stdin();
            if arg.is_none() && stdin.is_terminal() {
                return Err(UsageError::new(
                    "give a token as an argument, or pipe one in (use - for standard input)",
                ));
            }
            let mut buf = Vec::new();
            stdin
                .lock()
                .take(MAX_INPUT_BYTES as u64 + 1)
                .read_to_end(&mut buf)
                .map_err(|e| UsageError::new(format!("cannot read standard input: {e}")))?;
            if buf.len() > MAX_INPUT_BYTES {
                return Err(UsageError::new(format!(
                    "the input is larger than the {MAX_INPUT_BYTES}-byte limit"
                )));
            }
            String::from_utf8(buf).map_err(|_| UsageError::new("the input is not UTF-8 text"))
        }
        Some(text) => Ok(text.to_string()),
    }
}

/// Reads a text file with a size cap and a clear message. A regular file over the cap is
/// refused from its size, before any of it is read; anything else (a pipe, a device) is read
/// only up to one byte past the cap.
pub fn read_text_file(path: &Path, limit: usize) -> Result<String, UsageError> {
    let file = std::fs::File::open(path)
        .map_err(|e| UsageError::new(format!("cannot open {}: {e}", path.display())))?;
    if let Ok(meta) = file.metadata()
        && meta.is_file()
        && meta.len() > limit as u64
    {
        return Err(too_large(path, limit));
    }
    let mut buf = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| UsageError::new(format!("cannot read {}: {e}", path.display())))?;
    if buf.len() > limit {
        return Err(too_large(path, limit));
    }
    String::from_utf8(buf)
        .map_err(|_| UsageError::new(format!("{} is not UTF-8 text", path.display())))
}

fn too_large(path: &Path, limit: usize) -> UsageError {
    UsageError::new(format!(
        "{} is larger than {limit} bytes: supajwt reads files up to {} KiB",
        path.display(),
        limit / 1024
    ))
}

impl SecretEncodingArg {
    fn core(self) -> SecretEncoding {
        match self {
            SecretEncodingArg::Text => SecretEncoding::Text,
            SecretEncodingArg::Base64 => SecretEncoding::Base64,
            SecretEncodingArg::Base64url => SecretEncoding::Base64Url,
            SecretEncodingArg::Hex => SecretEncoding::Hex,
        }
    }
}

/// Reads `--secret` straight into a [`SecretString`], so the command line's copy is wiped with
/// the arguments and never printed by `Debug`.
pub fn secret_arg(text: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::new(text.to_string()))
}

impl KeySource {
    /// How many sources were given.
    pub fn count(&self) -> usize {
        [
            self.secret.is_some(),
            self.secret_file.is_some(),
            self.secret_env.is_some(),
            self.key.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }

    /// The secret text, from whichever secret option was given.
    pub fn secret_text(&self) -> Result<Option<SecretString>, UsageError> {
        if let Some(s) = &self.secret {
            return Ok(Some(s.clone()));
        }
        if let Some(path) = &self.secret_file {
            let text = SecretString::new(read_text_file(path, 64 * 1024)?);
            let line = text.expose().strip_suffix('\n').unwrap_or(text.expose());
            let line = line.strip_suffix('\r').unwrap_or(line);
            return Ok(Some(SecretString::new(line.to_string())));
        }
        if let Some(var) = &self.secret_env {
            return std::env::var(var)
                .map(|value| Some(SecretString::new(value)))
                .map_err(|_| {
                    UsageError::new(format!(
                        "environment variable {var} is not set (or not UTF-8)"
                    ))
                });
        }
        Ok(None)
    }

    /// Loads the keys from the one source given; `None` when none was given.
    pub fn load(&self) -> Result<Option<KeySet>, UsageError> {
        if let Some(text) = self.secret_text()? {
            let key = secret_key(text.expose(), self.secret_encoding.core())?;
            return Ok(Some(KeySet::single(key, KeySetShape::Secret)));
        }
        if let Some(path) = &self.key {
            let text = read_text_file(path, crate::jose::keys::MAX_KEY_INPUT_BYTES)?;
            let set = load_keys(&text).map_err(|e| UsageError::from(e).context(path.display()))?;
            for w in &set.warnings {
                super::out::note(&format!("note: {}: {w}", path.display()));
            }
            return Ok(Some(set));
        }
        Ok(None)
    }
}

/// Parses `--now`, defaulting to the system clock.
pub fn now_or_system(now: Option<i64>) -> i64 {
    now.unwrap_or_else(crate::jose::time::system_now)
}

/// The size cap of a configuration file (`.env`, compose, kong.yml, …).
pub const CONFIG_LIMIT: usize = 1024 * 1024;

/// An optional configuration file's text.
pub fn read_config(path: &Option<PathBuf>) -> Result<Option<String>, UsageError> {
    path.as_ref()
        .map(|p| read_text_file(p, CONFIG_LIMIT))
        .transpose()
}

/// The compose file and its overrides, in the order given (`docker compose -f A -f B`).
pub fn read_compose(paths: &[PathBuf]) -> Result<(Option<String>, Vec<String>), UsageError> {
    let mut files = paths
        .iter()
        .map(|p| read_text_file(p, CONFIG_LIMIT))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter();
    Ok((files.next(), files.collect()))
}
