//! Secret hygiene of the core's types and the window's secret fields: every type that can hold
//! a secret (a shared secret, a private key, a configuration value, a bearer token) prints
//! without it in `Debug`, and the types that own secret bytes wipe them when dropped.
//!
//! Zeroize-on-drop is proven the way the `zeroize` crate defines it: the `ZeroizeOnDrop` marker,
//! which its derive only emits together with a `Drop` that calls `zeroize()`, checked at compile
//! time for every secret-owning type; and `zeroize()` itself observed to wipe the value. Reading
//! freed memory to watch the drop happen would need `unsafe`, which this crate forbids.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::clock::NOW;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::input::clean_token_input;
use supajwt::jose::keys::{KeygenAlg, KidChoice, generate, load_keys, private_pem, secret_key};
use supajwt::jose::secret::{SecretBytes, SecretString};
use supajwt::jose::token::Jws;
use supajwt::supabase::doctor::dotenv::parse_env;
use supajwt::supabase::doctor::sources::{parse_config_toml, parse_k8s, parse_kong};
use supajwt::supabase::doctor::{Inputs, load};
use supajwt::supabase::mint::{Lifetime, MintRequest, MintRole, mint};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Appears in every secret below; must never appear in any `Debug` output.
const SENTINEL: &str = "SENTINELs3cr3tSENTINELs3cr3tSENTINELs3cr3t";

fn assert_redacted(what: &str, debug: String) {
    assert!(
        !debug.contains(SENTINEL),
        "{what} prints a secret in Debug: {debug}"
    );
}

fn zeroized_on_drop<T: ZeroizeOnDrop>() {}

#[test]
fn secret_owning_types_are_zeroize_on_drop() {
    zeroized_on_drop::<SecretBytes>();
    zeroized_on_drop::<SecretString>();
    // The private keys a `KeyMaterial` holds: each backend wipes its own on drop.
    zeroized_on_drop::<p256::SecretKey>();
    zeroized_on_drop::<p384::SecretKey>();
    zeroized_on_drop::<ed25519_dalek::SigningKey>();
    zeroized_on_drop::<rsa::RsaPrivateKey>();
}

#[test]
fn zeroize_wipes_the_value() {
    let mut bytes = SecretBytes::new(SENTINEL.as_bytes().to_vec());
    bytes.zeroize();
    assert!(bytes.is_empty());
    let mut text = SecretString::new(SENTINEL.to_string());
    text.zeroize();
    assert_eq!(text.expose(), "");
}

/// The window's secret fields (shared secrets, pasted private keys) are `SecretString`s edited
/// through egui's `TextBuffer`.
#[cfg(feature = "gui")]
#[test]
fn window_secret_fields_wipe_and_redact() {
    use egui::TextBuffer;
    let mut field = SecretString::default();
    field.insert_text(SENTINEL, egui::text::CharIndex(0));
    assert_eq!(format!("{field:?}"), "SecretString([redacted; 42 chars])");
    field.zeroize();
    assert_eq!(field.expose(), "");
}

#[test]
fn secret_wrappers_print_only_their_length() {
    let bytes = SecretBytes::new(SENTINEL.as_bytes().to_vec());
    assert_eq!(format!("{bytes:?}"), "SecretBytes([redacted; 42 bytes])");
    let text = SecretString::new(SENTINEL.to_string());
    assert_eq!(format!("{text:?}"), "SecretString([redacted; 42 chars])");
}

#[test]
fn keys_print_without_their_material() {
    let hmac = secret_key(SENTINEL, SecretEncoding::Text).unwrap();
    assert_redacted("an HMAC Key", format!("{hmac:?}"));
    let set = load_keys(&format!(
        r#"{{"keys":[{{"kty":"oct","k":"{}","kid":"a"}}]}}"#,
        supajwt::jose::b64::encode(SENTINEL.as_bytes())
    ))
    .unwrap();
    assert_redacted("a KeySet", format!("{set:?}"));
    assert!(!format!("{set:?}").contains(&supajwt::jose::b64::encode(SENTINEL.as_bytes())));

    for alg in [KeygenAlg::ES256, KeygenAlg::EdDSA] {
        let key = generate(alg, KidChoice::None).unwrap();
        let pem = private_pem(&key).unwrap();
        let body: String = pem
            .expose()
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let debug = format!("{key:?}");
        assert!(!debug.contains(&body[..24]), "{alg:?} key prints its PEM");
        assert_redacted("a private PEM", format!("{pem:?}"));
    }
}

#[test]
fn tokens_print_without_their_signature() {
    let key = secret_key(SENTINEL, SecretEncoding::Text).unwrap();
    let req = MintRequest::preset(MintRole::ServiceRole, NOW, Lifetime::Seconds(3600));
    let token = mint(&req, &key, None).unwrap();
    let signature = token.rsplit('.').next().unwrap();

    let jws = Jws::parse_unverified(&token).unwrap();
    let debug = format!("{jws:?}");
    assert!(
        !debug.contains(signature),
        "Jws prints its signature: {debug}"
    );
    assert!(debug.contains("service_role"), "the claims stay readable");

    let cleaned = clean_token_input(&format!("Authorization: Bearer {token}")).unwrap();
    let debug = format!("{cleaned:?}");
    assert!(
        !debug.contains(signature),
        "CleanedToken prints its signature: {debug}"
    );
}

#[test]
fn configuration_values_print_by_length_only() {
    let env = format!(
        "JWT_SECRET={SENTINEL}\nPOSTGRES_PASSWORD=\"{SENTINEL}\"\nnot an assignment {SENTINEL}\n"
    );
    let parsed = parse_env(&env);
    assert_eq!(parsed.get("JWT_SECRET").unwrap().value, SENTINEL);
    assert_redacted("EnvFile", format!("{parsed:?}"));

    let kong = format!(
        "consumers:\n  - username: service_role\n    keyauth_credentials:\n      - key: {SENTINEL}\n"
    );
    let keys = parse_kong(&kong).unwrap();
    assert_eq!(keys[0].key, SENTINEL);
    assert_redacted("KongKey", format!("{keys:?}"));

    let k8s = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: jwt\nstringData:\n  secret: {SENTINEL}\n"
    );
    let manifests = parse_k8s(&k8s).unwrap();
    assert_eq!(manifests.secrets[0].1.expose(), SENTINEL);
    assert_redacted("K8sManifests", format!("{manifests:?}"));

    let toml = format!("[auth]\njwt_secret = \"{SENTINEL}\"\n");
    let auth = parse_config_toml(&toml).unwrap();
    assert_eq!(auth.jwt_secret.as_ref().map(|s| s.expose()), Some(SENTINEL));
    assert_redacted("CliAuth", format!("{auth:?}"));

    let compose = format!(
        "services:\n  auth:\n    environment:\n      GOTRUE_JWT_SECRET: {SENTINEL}\n      API_KEY: ${{JWT_SECRET}}\n"
    );
    let inputs = Inputs {
        env: Some(env),
        compose: Some(compose),
        kong: Some(kong),
        k8s: Some(k8s),
        config_toml: Some(toml),
        ..Inputs::default()
    };
    assert_redacted("doctor Inputs", format!("{inputs:?}"));
    let config = load(&inputs).unwrap();
    assert_eq!(config.get("JWT_SECRET"), Some(SENTINEL));
    assert!(config.services.iter().any(|v| v.value == SENTINEL));
    assert_redacted("doctor Config", format!("{config:?}"));
}
