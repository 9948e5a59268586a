//! Every exported form of a generated or selected ring key (JWKs, PEMs, the Supabase .env block), each marked
//! secret or public for the value blocks that show them.

use crate::jose::keys::{Key, KeyMaterial, jwks_value, private_pem, public_pem, to_jwk};
use crate::jose::secret::SecretString;
use crate::supabase::env::{EnvRequest, render_env};
use crate::supabase::mint::Lifetime;

/// One exported form of the generated key.
pub struct Output {
    /// Title.
    pub title: &'static str,
    /// Text (private key material for some outputs: wiped on drop).
    pub text: SecretString,
    /// Contains secret material.
    pub secret: bool,
    /// Suggested file name.
    pub file_name: &'static str,
}

/// The exports of `key`; `legacy` is an existing JWT_SECRET kept in the .env block (or empty).
pub fn exports(key: &Key, legacy: &str, now: i64) -> Vec<Output> {
    let mut outputs = Vec::new();
    let mut out = |title, text: String, secret, file_name| {
        outputs.push(Output {
            title,
            text: SecretString::new(text),
            secret,
            file_name,
        })
    };
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    let lifetime = Lifetime::Years(5);
    if let KeyMaterial::Hmac { secret, .. } = &key.material {
        let text = SecretString::new(String::from_utf8_lossy(secret.expose()).into_owned());
        out(
            "JWT_SECRET",
            text.expose().to_string(),
            true,
            "jwt_secret.txt",
        );
        let env = render_env(&EnvRequest {
            secret: Some(text.expose()),
            signing_key: None,
            now,
            lifetime,
        });
        out(
            ".env block (JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY)",
            env.map_or_else(|e| e.to_string(), |s| s.expose().to_string()),
            true,
            "supabase.env",
        );
        out(
            "oct JWK",
            pretty(serde_json::Value::Object(to_jwk(key, true))),
            true,
            "secret.jwk.json",
        );
        return outputs;
    }
    if key.has_private() {
        out(
            "Private JWK",
            pretty(serde_json::Value::Object(to_jwk(key, true))),
            true,
            "private.jwk.json",
        );
    }
    out(
        "Public JWK",
        pretty(serde_json::Value::Object(to_jwk(key, false))),
        false,
        "public.jwk.json",
    );
    out(
        "JWKS (public)",
        pretty(jwks_value(std::slice::from_ref(key), false)),
        false,
        "jwks.json",
    );
    if let Ok(pem) = private_pem(key) {
        out(
            "Private key PEM (PKCS#8)",
            pem.expose().to_string(),
            true,
            "private.pem",
        );
    }
    if let Ok(pem) = public_pem(key) {
        out("Public key PEM (SPKI)", pem, false, "public.pem");
    }
    if !key.has_private() {
        // A public key: nothing to sign with, so no .env block.
        return outputs;
    }
    let legacy = Some(legacy).filter(|s| !s.is_empty());
    let env = render_env(&EnvRequest {
        secret: legacy,
        signing_key: Some(key),
        now,
        lifetime,
    });
    out(
        "Supabase .env block",
        env.map_or_else(|e| e.to_string(), |s| s.expose().to_string()),
        true,
        "supabase.env",
    );
    outputs
}
