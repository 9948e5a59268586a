//! Reading key material of any supported shape, detected by content (never by file name).
//! A key source is a key or an error: text that is no key format is never taken as a shared
//! secret (secrets come only from [`secret_key`], called for an explicit secret input).

use super::bare::{looks_like_openssh, parse_bare_base64, parse_openssh};
use super::warning::KeySetWarning;
use super::{
    AlgFamily, Key, KeyMaterial, MAX_KEY_INPUT_BYTES, MAX_KEYS, parse_jwk, parse_pem,
    short_ec_coordinates,
};
use crate::jose::b64::SecretEncoding;
use crate::jose::error::CoreError;
use crate::jose::secret::SecretBytes;
use serde_json::Value;

/// The shape the keys came in; it decides the `kid` rules at verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySetShape {
    /// A shared secret given as text.
    Secret,
    /// One or more PEM blocks.
    Pem,
    /// An OpenSSH public key line.
    OpenSsh,
    /// A base64 SPKI or PKCS#1 DER body without PEM lines.
    BareDer,
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
            KeySetShape::OpenSsh => "OpenSSH public key",
            KeySetShape::BareDer => "base64 DER public key",
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
    pub warnings: Vec<KeySetWarning>,
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

    /// The explicit way to a shared secret (`--secret`, `--secret-file`, `--secret-env`, the
    /// window's secret field): [`load_keys`] never makes one from key text.
    pub fn secret(text: &str, encoding: SecretEncoding) -> Result<KeySet, CoreError> {
        Ok(KeySet::single(
            secret_key(text, encoding)?,
            KeySetShape::Secret,
        ))
    }

    /// A set of keys with no warnings.
    pub fn from_keys(keys: Vec<Key>, shape: KeySetShape) -> KeySet {
        KeySet {
            keys,
            shape,
            warnings: vec![],
            unreadable: vec![],
        }
    }

    /// The public half of every asymmetric key, in order (shared secrets are left out): what a
    /// JWKS may publish.
    pub fn public_keys(&self) -> Vec<Key> {
        self.keys
            .iter()
            .filter(|k| k.family() != AlgFamily::Hmac)
            .map(Key::public_only)
            .collect()
    }

    /// The kids present, for "kid not found (it has: ...)" messages.
    pub fn kids(&self) -> Vec<String> {
        self.keys.iter().filter_map(|k| k.kid.clone()).collect()
    }
}

/// Reads keys from text: a JWK, a JWKS, a `JWT_KEYS` array (or an env line holding one), PEM,
/// an OpenSSH public key line, or a bare base64 SPKI / PKCS#1 DER body. JSON-looking text is
/// read as JSON only (never searched for PEM blocks). Anything else is an error that says what
/// the text looks like and what to do; it is never used as a shared secret.
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
    if t.starts_with('{') || t.starts_with('[') {
        return load_json(t);
    }
    if let Some(value) = env_value(t)
        && (value.starts_with('{') || value.starts_with('['))
    {
        return load_json(value);
    }
    if t.contains("-----BEGIN") {
        return Ok(KeySet::from_keys(parse_pem(t)?, KeySetShape::Pem));
    }
    if looks_like_openssh(t) {
        let key = Key::new(parse_openssh(t)?, "OpenSSH public key");
        return Ok(KeySet::single(key, KeySetShape::OpenSsh));
    }
    if let Some(material) = parse_bare_base64(t)? {
        let key = Key::new(material, "base64 DER public key");
        return Ok(KeySet::single(key, KeySetShape::BareDer));
    }
    let starts_with = |p: &str| t.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
    if starts_with("https://") || starts_with("http://") {
        return Err(CoreError::UrlNotAKey);
    }
    if t.starts_with("eyJ") && t.matches('.').count() == 2 {
        return Err(CoreError::TokenNotAKey);
    }
    Err(CoreError::NotAKey)
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
            None if obj.contains_key("kty") => {
                let key = parse_jwk(&value, "the JWK")?;
                let warnings = short_coordinate_warnings(&value, &key);
                let mut set = KeySet::single(key, KeySetShape::SingleJwk);
                set.warnings = warnings;
                Ok(set)
            }
            None => Err(CoreError::KeyParse(
                "this JSON object is neither a JWK (no \"kty\") nor a JWKS (no \"keys\")".into(),
            )),
        },
        _ => Err(CoreError::KeyParse(
            "key JSON must be an object or an array".into(),
        )),
    }
}

/// A [`KeySetWarning::ShortEcCoordinate`] for each short member of the parsed JWK `value`.
fn short_coordinate_warnings(value: &Value, key: &Key) -> Vec<KeySetWarning> {
    short_ec_coordinates(value)
        .into_iter()
        .map(|short| KeySetWarning::ShortEcCoordinate {
            origin: key.origin.clone(),
            kid: key.kid.clone(),
            coordinate: short.coordinate.into(),
            len: short.len,
            expected: short.expected,
            crv: short.crv,
        })
        .collect()
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
            Ok(key) => {
                warnings.extend(short_coordinate_warnings(item, &key));
                keys.push(key);
            }
            Err(e) => {
                warnings.push(KeySetWarning::SkippedKey { error: e.clone() });
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
        let warning = KeySetWarning::DuplicateKid {
            kid: pair[0].to_string(),
        };
        if pair[0] == pair[1] && !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    if shape == KeySetShape::Jwks {
        if keys
            .iter()
            .any(|k| !matches!(k.material, KeyMaterial::Hmac { .. }) && k.has_private())
        {
            warnings.push(KeySetWarning::PrivateKeysInJwks);
        }
        if keys
            .iter()
            .any(|k| matches!(k.material, KeyMaterial::Hmac { .. }))
        {
            warnings.push(KeySetWarning::SecretInJwks);
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

    #[test]
    fn key_file_never_hmac_for_unrecognised_text() {
        for (text, code) in [
            ("my-long-secret-that-is-long-enough-for-hs256", "not_a_key"),
            ("JWT_SECRET=my-long-secret-that-is-long-enough", "not_a_key"),
            (
                "https://example.supabase.co/auth/v1/.well-known/jwks.json",
                "url_not_a_key",
            ),
            ("eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "token_not_a_key"),
            (
                "ssh-dss AAAAB3NzaC1kc3MAAACBAP== me@host",
                "openssh_key_unusable",
            ),
            (
                "---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----",
                "openssh_key_unusable",
            ),
            // A PKCS#8 private key body (DER, but not a public key read bare).
            (
                "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC",
                "unarmoured_base64",
            ),
        ] {
            let e = load_keys(text).unwrap_err();
            assert_eq!(e.code(), code, "{text}: {e}");
        }
    }

    #[test]
    fn key_file_never_hmac_json_is_never_scanned_for_pem() {
        let pem = include_str!("../../../tests/data/pem/ed25519_spki_public.pem");
        assert!(load_keys(pem).is_ok());
        let wrapped = serde_json::json!({ "note": pem }).to_string();
        let e = load_keys(&wrapped).unwrap_err();
        assert!(e.to_string().contains("neither a JWK"), "{e}");
        let in_array = serde_json::json!([pem]).to_string();
        assert!(load_keys(&in_array).is_err());
    }

    #[test]
    fn key_file_bare_der_body_is_used() {
        let pem = include_str!("../../../tests/data/pem/ed25519_spki_public.pem");
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let set = load_keys(&body).unwrap();
        assert_eq!(set.shape, KeySetShape::BareDer);
        assert_eq!(set.keys[0].kind_label(), "Ed25519");
    }
}
