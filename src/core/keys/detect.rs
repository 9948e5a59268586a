//! Reading key material of any supported shape, detected by content (never by file name).

use super::{Key, KeyMaterial, parse_jwk, parse_pem};
use crate::core::b64::SecretEncoding;
use crate::core::error::CoreError;
use crate::core::secret::SecretBytes;
use serde_json::Value;

/// The most key text the core reads (1 MiB).
pub const MAX_KEY_INPUT_BYTES: usize = 1024 * 1024;
/// The most keys a set may hold.
pub const MAX_KEYS: usize = 1000;

/// The shape the keys came in; it decides the `kid` rules at verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySetShape {
    /// A shared secret given as text.
    Secret,
    /// One or more PEM blocks.
    Pem,
    /// One JWK object.
    SingleJwk,
    /// A JWKS object `{"keys":[...]}` (what `JWT_JWKS` and `/.well-known/jwks.json` hold).
    Jwks,
    /// A bare JSON array of JWKs (Supabase's `JWT_KEYS`).
    JwtKeysArray,
}

impl KeySetShape {
    /// True for key *sets*, where a token's `kid` selects the key.
    pub fn selects_by_kid(self) -> bool {
        matches!(self, KeySetShape::Jwks | KeySetShape::JwtKeysArray)
    }

    /// A human name for the shape.
    pub fn label(self) -> &'static str {
        match self {
            KeySetShape::Secret => "shared secret",
            KeySetShape::Pem => "PEM",
            KeySetShape::SingleJwk => "JWK",
            KeySetShape::Jwks => "JWKS object {\"keys\":[...]}",
            KeySetShape::JwtKeysArray => "JWT_KEYS array [...]",
        }
    }
}

/// Keys read from one source, with what was noticed while reading them.
#[derive(Debug, Clone)]
pub struct KeySet {
    /// The usable keys, in source order.
    pub keys: Vec<Key>,
    /// The shape they came in.
    pub shape: KeySetShape,
    /// Things the user should know: skipped keys, duplicate kids, private material in a JWKS.
    pub warnings: Vec<String>,
    /// Entries that could not be read, with their kid when they had one: a token naming such
    /// a kid gets that entry's error rather than "kid not found".
    pub unreadable: Vec<(Option<String>, CoreError)>,
}

impl KeySet {
    /// A set holding one key.
    pub fn single(key: Key, shape: KeySetShape) -> KeySet {
        KeySet {
            keys: vec![key],
            shape,
            warnings: vec![],
            unreadable: vec![],
        }
    }

    /// The kids present, for "kid not found (it has: ...)" messages.
    pub fn kids(&self) -> Vec<String> {
        self.keys.iter().filter_map(|k| k.kid.clone()).collect()
    }
}

/// Reads keys from text: PEM, a JWK, a JWKS, a `JWT_KEYS` array, an env line holding one of
/// those, or otherwise a shared secret read as UTF-8 text.
pub fn load_keys(text: &str) -> Result<KeySet, CoreError> {
    if text.len() > MAX_KEY_INPUT_BYTES {
        return Err(CoreError::TooLarge {
            size: text.len(),
            limit: MAX_KEY_INPUT_BYTES,
        });
    }
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return Err(CoreError::Empty);
    }
    if t.contains("-----BEGIN") {
        let keys = parse_pem(t)?;
        return Ok(KeySet {
            keys,
            shape: KeySetShape::Pem,
            warnings: vec![],
            unreadable: vec![],
        });
    }
    if t.starts_with('{') || t.starts_with('[') {
        return load_json(t);
    }
    if let Some(value) = env_value(t)
        && (value.starts_with('{') || value.starts_with('['))
    {
        return load_json(value);
    }
    if t.starts_with("eyJ") && t.matches('.').count() == 2 {
        return Err(CoreError::KeyParse(
            "this is a token, not a key: paste it as the token instead".into(),
        ));
    }
    Ok(KeySet::single(
        secret_key(t, SecretEncoding::Text)?,
        KeySetShape::Secret,
    ))
}

/// A shared-secret key from text read in the given encoding.
pub fn secret_key(text: &str, encoding: SecretEncoding) -> Result<Key, CoreError> {
    let bytes = encoding.decode(text).ok_or_else(|| {
        CoreError::KeyParse(format!("the secret is not valid {}", encoding.label()))
    })?;
    if bytes.is_empty() {
        return Err(CoreError::Empty);
    }
    let material = KeyMaterial::Hmac {
        secret: SecretBytes::new(bytes),
        read_as: encoding,
    };
    Ok(Key::new(material, format!("secret ({})", encoding.label())))
}

fn env_value(t: &str) -> Option<&str> {
    let (name, value) = t.split_once('=')?;
    let name = name.trim().trim_start_matches("export ").trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let v = value.trim();
    Some(
        v.strip_prefix('\'')
            .and_then(|v| v.strip_suffix('\''))
            .or_else(|| v.strip_prefix('"').and_then(|v| v.strip_suffix('"')))
            .unwrap_or(v),
    )
}

fn load_json(t: &str) -> Result<KeySet, CoreError> {
    let value: Value = serde_json::from_str(t)
        .map_err(|e| CoreError::KeyParse(format!("the key JSON is malformed: {e}")))?;
    match &value {
        Value::Array(items) => collect(items, KeySetShape::JwtKeysArray),
        Value::Object(obj) => match obj.get("keys") {
            Some(Value::Array(items)) => collect(items, KeySetShape::Jwks),
            Some(_) => Err(CoreError::KeyParse(
                "\"keys\" must be an array of JWKs".into(),
            )),
            None if obj.contains_key("kty") => Ok(KeySet::single(
                parse_jwk(&value, "the JWK")?,
                KeySetShape::SingleJwk,
            )),
            None => Err(CoreError::KeyParse(
                "this JSON object is neither a JWK (no \"kty\") nor a JWKS (no \"keys\")".into(),
            )),
        },
        _ => Err(CoreError::KeyParse(
            "key JSON must be an object or an array".into(),
        )),
    }
}

fn collect(items: &[Value], shape: KeySetShape) -> Result<KeySet, CoreError> {
    if items.len() > MAX_KEYS {
        return Err(CoreError::KeyParse(format!(
            "the key set has {} keys; at most {MAX_KEYS} are read",
            items.len()
        )));
    }
    let mut keys = Vec::new();
    let mut warnings = Vec::new();
    let mut unreadable = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match parse_jwk(item, &format!("JWK #{}", i + 1)) {
            Ok(key) => keys.push(key),
            Err(e) => {
                warnings.push(format!("skipped: {e}"));
                let kid = item.get("kid").and_then(Value::as_str).map(str::to_string);
                unreadable.push((kid, e));
            }
        }
    }
    if keys.is_empty() {
        return Err(unreadable
            .into_iter()
            .next()
            .map_or(CoreError::NoKeys, |(_, e)| e));
    }
    let mut kids = keys
        .iter()
        .filter_map(|k| k.kid.as_deref())
        .chain(unreadable.iter().filter_map(|(kid, _)| kid.as_deref()))
        .collect::<Vec<_>>();
    kids.sort_unstable();
    for pair in kids.windows(2) {
        if pair[0] == pair[1]
            && !warnings
                .iter()
                .any(|w| w.contains(&format!("\"{}\"", pair[0])))
        {
            warnings.push(format!(
                "two or more keys share kid \"{}\": tokens with it are ambiguous",
                pair[0]
            ));
        }
    }
    if shape == KeySetShape::Jwks {
        if keys
            .iter()
            .any(|k| !matches!(k.material, KeyMaterial::Hmac { .. }) && k.has_private())
        {
            warnings.push(
                "this JWKS contains PRIVATE keys: never publish it; publish only the public halves"
                    .into(),
            );
        }
        if keys
            .iter()
            .any(|k| matches!(k.material, KeyMaterial::Hmac { .. }))
        {
            warnings.push("this JWKS contains an \"oct\" shared secret: anyone who reads it can mint tokens; keep it private (fine for JWT_JWKS, never for a published jwks.json)".into());
        }
    }
    Ok(KeySet {
        keys,
        shape,
        warnings,
        unreadable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_shapes() {
        assert_eq!(
            load_keys("my-long-secret").unwrap().shape,
            KeySetShape::Secret
        );
        let oct = r#"{"kty":"oct","k":"c2VjcmV0"}"#;
        assert_eq!(load_keys(oct).unwrap().shape, KeySetShape::SingleJwk);
        assert_eq!(
            load_keys(&format!("[{oct}]")).unwrap().shape,
            KeySetShape::JwtKeysArray
        );
        let jwks = format!("{{\"keys\":[{oct}]}}");
        assert_eq!(load_keys(&jwks).unwrap().shape, KeySetShape::Jwks);
        assert_eq!(
            load_keys(&format!("JWT_JWKS='{jwks}'")).unwrap().shape,
            KeySetShape::Jwks
        );
        assert!(load_keys("{\"a\":1}").is_err());
    }
}
