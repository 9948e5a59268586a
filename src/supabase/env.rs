//! The `.env` block a self-hosted Supabase reads: `JWT_SECRET`, `ANON_KEY`, `SERVICE_ROLE_KEY`,
//! `JWT_KEYS` (bare array), `JWT_JWKS` (object) and the asymmetric keys. `JWT_METHODS` is read by
//! no upstream file and is never written.

use crate::jose::b64;
use crate::jose::error::CoreError;
use crate::jose::keys::{Key, to_jwk};
use crate::jose::secret::SecretString;
use crate::supabase::mint::{Lifetime, MintRequest, MintRole, mint};
use serde_json::{Map, Value, json};

/// What to render.
#[derive(Debug, Clone)]
pub struct EnvRequest<'a> {
    /// The legacy HS256 secret (`JWT_SECRET`), if any; used as its UTF-8 bytes.
    pub secret: Option<&'a str>,
    /// The asymmetric signing key (private), if any.
    pub signing_key: Option<&'a Key>,
    /// Issue time of the generated API keys.
    pub now: i64,
    /// Lifetime of the generated API keys (Supabase uses 5 years).
    pub lifetime: Lifetime,
    /// How the front end takes the legacy secret, for the comment written when an asymmetric
    /// block has none ("re-run with --secret-env JWT_SECRET"); `None` writes no such comment
    /// (the window shows [`no_secret_advice`] beside the block, not inside it).
    pub give_secret: Option<&'a str>,
}

/// What an asymmetric block without a legacy secret means, and how to keep the legacy tokens
/// (`give_secret`: how the front end takes the secret).
pub fn no_secret_advice(give_secret: &str) -> String {
    format!(
        "No JWT_SECRET given: legacy HS256 tokens will stop verifying. To keep them during a migration, {give_secret}."
    )
}

fn api_key_request(role: MintRole, req: &EnvRequest<'_>) -> MintRequest {
    MintRequest::preset(role, req.now, req.lifetime)
}

/// A private JWK as Supabase's generator writes it: `"ext": true` right after `alg`.
fn private_jwk_with_ext(key: &Key) -> Value {
    let mut out = Map::new();
    for (k, v) in to_jwk(key, true) {
        let is_alg = k == "alg";
        out.insert(k, v);
        if is_alg {
            out.insert("ext".into(), json!(true));
        }
    }
    Value::Object(out)
}

/// The asymmetric block's values for `keys` (signing key first) and the legacy secret:
/// `JWT_KEYS` (bare array of private JWKs), `JWT_JWKS` (`{"keys":[...]}` of public JWKs), each
/// with the `oct` key last when a secret is given, and `JWT_METHODS` (HS256 first, no repeats).
pub fn jwt_key_set(
    keys: &[Key],
    secret: Option<&str>,
) -> Result<(Value, Value, String), CoreError> {
    let mut private: Vec<Value> = keys.iter().map(private_jwk_with_ext).collect();
    let mut public: Vec<Value> = keys
        .iter()
        .map(|k| Value::Object(to_jwk(k, false)))
        .collect();
    let mut methods = Vec::new();
    if let Some(secret) = secret {
        private.push(legacy_oct_jwk(secret));
        public.push(legacy_oct_jwk(secret));
        methods.push("HS256".to_string());
    }
    for key in keys {
        let name = crate::jose::sign::default_alg(key)?.name().to_string();
        if !methods.contains(&name) {
            methods.push(name);
        }
    }
    Ok((
        Value::Array(private),
        json!({ "keys": public }),
        methods.join(","),
    ))
}

/// The legacy `oct` key: `k` is base64url (unpadded) of the secret's UTF-8 bytes.
pub fn legacy_oct_jwk(secret: &str) -> Value {
    json!({"kty": "oct", "k": b64::encode(secret.as_bytes()), "alg": "HS256"})
}

/// Renders the `.env` lines. Secret material inside, hence a [`SecretString`].
pub fn render_env(req: &EnvRequest<'_>) -> Result<SecretString, CoreError> {
    let mut lines = Vec::new();
    if let Some(secret) = req.secret {
        let legacy = crate::jose::keys::secret_key(secret, crate::jose::b64::SecretEncoding::Text)?;
        lines.push("# Legacy HS256 (read by every service)".to_string());
        lines.push(format!("JWT_SECRET={secret}"));
        lines.push(format!(
            "ANON_KEY={}",
            mint(&api_key_request(MintRole::Anon, req), &legacy, None)?
        ));
        lines.push(format!(
            "SERVICE_ROLE_KEY={}",
            mint(&api_key_request(MintRole::ServiceRole, req), &legacy, None)?
        ));
    }
    if let Some(key) = req.signing_key {
        if !key.has_private() {
            return Err(CoreError::NotAPrivateKey(key.describe()));
        }
        let (private, public, _methods) = jwt_key_set(std::slice::from_ref(key), req.secret)?;
        if let (None, Some(give)) = (req.secret, req.give_secret) {
            lines.push(format!("# {}", no_secret_advice(give)));
        }
        lines.push(
            "# Asymmetric signing keys (JWT_KEYS: private, bare array; JWT_JWKS: public, object)"
                .into(),
        );
        lines.push(format!("JWT_KEYS='{private}'"));
        lines.push(format!("JWT_JWKS='{public}'"));
        lines.push(format!(
            "ANON_KEY_ASYMMETRIC={}",
            mint(&api_key_request(MintRole::Anon, req), key, None)?
        ));
        lines.push(format!(
            "SERVICE_ROLE_KEY_ASYMMETRIC={}",
            mint(&api_key_request(MintRole::ServiceRole, req), key, None)?
        ));
        lines.push(
            "# Opaque API keys (as add-new-auth-keys.sh makes them): clients send these as apikey; the gateway swaps them for the *_ASYMMETRIC keys"
                .into(),
        );
        for (name, prefix) in [
            (
                "SUPABASE_PUBLISHABLE_KEY",
                crate::supabase::opaque::PUBLISHABLE_PREFIX,
            ),
            (
                "SUPABASE_SECRET_KEY",
                crate::supabase::opaque::SECRET_PREFIX,
            ),
        ] {
            let key = crate::supabase::opaque::generate_opaque_key(prefix)?;
            lines.push(format!("{name}={}", key.expose()));
        }
    }
    if lines.is_empty() {
        return Err(CoreError::InvalidOption(
            "nothing to render: give a secret or a signing key".into(),
        ));
    }
    lines.push(String::new());
    Ok(SecretString::new(lines.join("\n")))
}
