//! Every exported form of a generated or selected ring key (JWKs, PEMs, the Supabase .env block), each marked
//! secret or public for the value blocks that show them.

use crate::jose::classified::Classified;
use crate::jose::keys::{Key, KeyMaterial, jwks_value, private_pem, public_pem, to_jwk};
use crate::jose::secret::SecretString;
use crate::supabase::env::{EnvRequest, no_secret_advice, render_env};
use crate::supabase::mint::Lifetime;
use serde_json::Value;

/// One exported form of the generated key.
pub struct Output {
    /// Title.
    pub title: &'static str,
    /// The text: a secret one (private key material) is wiped on drop, masked and saved 0600.
    pub text: Classified,
    /// Suggested file name.
    pub file_name: &'static str,
    /// Advice shown as plain text above the value (never inside it: Copy copies the value only).
    pub note: Option<String>,
}

/// How the window takes the legacy secret, for the advice beside a `.env` block without one.
const GIVE_SECRET: &str = "fill in \"Existing JWT_SECRET\" above";

/// JSON pretty-printed straight into a [`SecretString`] (no plain copy of the text is left).
fn secret_json(value: &Value) -> SecretString {
    SecretString::new(serde_json::to_string_pretty(value).unwrap_or_default())
}

/// JSON pretty-printed, for a public value.
fn public_json(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The `.env` block, or why it cannot be made (shown in its place).
fn env_block(request: &EnvRequest<'_>) -> SecretString {
    render_env(request).unwrap_or_else(|e| SecretString::new(e.to_string()))
}

/// The exports of `key`; `legacy` is an existing JWT_SECRET kept in the .env block (or empty).
pub fn exports(key: &Key, legacy: &str, now: i64) -> Vec<Output> {
    let mut outputs = Vec::new();
    let mut out = |title, value, file_name| {
        outputs.push(Output {
            title,
            text: value,
            file_name,
            note: None,
        })
    };
    let lifetime = Lifetime::Years(5);
    if let KeyMaterial::Hmac { secret, .. } = &key.material {
        let text = SecretString::new(String::from_utf8_lossy(secret.expose()).into_owned());
        let env = env_block(&EnvRequest {
            secret: Some(text.expose()),
            signing_key: None,
            now,
            lifetime,
            give_secret: None,
        });
        out("JWT_SECRET", Classified::Secret(text), "jwt_secret.txt");
        out(
            ".env block (JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY)",
            Classified::Secret(env),
            "supabase.env",
        );
        out(
            "oct JWK",
            Classified::Secret(secret_json(&Value::Object(to_jwk(key, true)))),
            "secret.jwk.json",
        );
        return outputs;
    }
    if key.has_private() {
        out(
            "Private JWK",
            Classified::Secret(secret_json(&Value::Object(to_jwk(key, true)))),
            "private.jwk.json",
        );
    }
    out(
        "Public JWK",
        Classified::Public(public_json(&Value::Object(to_jwk(key, false)))),
        "public.jwk.json",
    );
    out(
        "JWKS (public)",
        Classified::Public(public_json(&jwks_value(std::slice::from_ref(key), false))),
        "jwks.json",
    );
    if let Ok(pem) = private_pem(key) {
        out(
            "Private key PEM (PKCS#8)",
            Classified::Secret(pem),
            "private.pem",
        );
    }
    if let Ok(pem) = public_pem(key) {
        out(
            "Public key PEM (SPKI)",
            Classified::Public(pem),
            "public.pem",
        );
    }
    if !key.has_private() {
        // A public key: nothing to sign with, so no .env block.
        return outputs;
    }
    let legacy = Some(legacy).filter(|s| !s.is_empty());
    let env = env_block(&EnvRequest {
        secret: legacy,
        signing_key: Some(key),
        now,
        lifetime,
        give_secret: None,
    });
    outputs.push(Output {
        title: "Supabase .env block",
        text: Classified::Secret(env),
        file_name: "supabase.env",
        note: legacy.is_none().then(|| no_secret_advice(GIVE_SECRET)),
    });
    outputs
}
