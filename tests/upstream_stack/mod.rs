//! Upstream's self-hosted stack (`tests/data/upstream/`, copied verbatim from supabase/supabase
//! `docker/`) brought to life the way upstream's scripts do. Each helper reimplements exactly
//! what a script writes into `.env` (read from the scripts in supabase/supabase `docker/utils/`):
//! - `generate-keys.sh`: `JWT_SECRET=$(openssl rand -base64 30)`, HS256 `ANON_KEY` /
//!   `SERVICE_ROLE_KEY` with header `{"alg":"HS256","typ":"JWT"}` and payload
//!   `{"role":…,"iss":"supabase","iat":N,"exp":N+5y}`, other secrets; `sed s|^VAR=.*$|VAR=v|`.
//! - `add-new-auth-keys.sh`: JWT_SECRET read raw (`grep '^JWT_SECRET=' .env | cut -d= -f2-`);
//!   an EC P-256 key, kid = randomUUID, `JWT_KEYS` (bare array: EC private + oct), `JWT_JWKS`
//!   (object: EC public + oct), ES256 `*_ASYMMETRIC` keys, opaque keys; each line replaced or
//!   appended.
//! - `rotate-new-api-keys.sh`: new `SUPABASE_PUBLISHABLE_KEY` / `SUPABASE_SECRET_KEY` only.
//!
//! The opaque-key stack's compose file could not be retrieved; [`opaque_compose`] derives it from
//! the 2026-02 one with the changes upstream documents (kong 3.9.1 with kong-entrypoint.sh and
//! the opaque/asymmetric variables, PostgREST's `${JWT_JWKS:-${JWT_SECRET}}`, and the lines
//! add-new-auth-keys.sh tells the user to uncomment).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::data;
use crate::common::sign::independent_hs256;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use p256::ecdsa::signature::Signer;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

fn read(path: &str) -> String {
    data::upstream(path)
}

/// The 2026-02 stack: `.env.example`, docker-compose.yml (Kong 2.8.1, eval-echo entrypoint),
/// kong.yml (`$SUPABASE_ANON_KEY`, `$SUPABASE_SERVICE_KEY`).
pub fn env_example() -> String {
    read("supabase-docker-2026-02/.env.example")
}

/// The 2026-02 docker-compose.yml.
pub fn compose_2026_02() -> String {
    read("supabase-docker-2026-02/docker-compose.yml")
}

/// The 2026-02 kong.yml.
pub fn kong_2026_02() -> String {
    read("supabase-docker-2026-02/volumes/api/kong.yml")
}

/// The opaque-key stack's kong.yml (legacy + opaque credentials, `$LUA_AUTH_EXPR`).
pub fn kong_opaque() -> String {
    read("supabase-docker-opaque/volumes/api/kong.yml")
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "anchor not unique: {from}");
    text.replacen(from, to, 1)
}

/// The opaque-key stack's compose file; `enabled`: the asymmetric lines uncommented, as
/// add-new-auth-keys.sh asks.
pub fn opaque_compose(enabled: bool) -> String {
    let c = if enabled { "" } else { "# " };
    let mut t = compose_2026_02();
    t = replace_once(&t, "image: kong:2.8.1", "image: kong/kong:3.9.1");
    t = replace_once(
        &t,
        "      - ./volumes/api/kong.yml:/home/kong/temp.yml:ro,z\n",
        "      - ./volumes/api/kong.yml:/home/kong/temp.yml:ro,z\n      - ./volumes/api/kong-entrypoint.sh:/home/kong/kong-entrypoint.sh:ro,z\n",
    );
    t = replace_once(
        &t,
        "KONG_DECLARATIVE_CONFIG: /home/kong/kong.yml",
        "KONG_DECLARATIVE_CONFIG: /usr/local/kong/kong.yml",
    );
    t = replace_once(
        &t,
        "      SUPABASE_SERVICE_KEY: ${SERVICE_ROLE_KEY}\n      DASHBOARD_USERNAME",
        "      SUPABASE_SERVICE_KEY: ${SERVICE_ROLE_KEY}\n      SUPABASE_PUBLISHABLE_KEY: ${SUPABASE_PUBLISHABLE_KEY:-}\n      SUPABASE_SECRET_KEY: ${SUPABASE_SECRET_KEY:-}\n      ANON_KEY_ASYMMETRIC: ${ANON_KEY_ASYMMETRIC:-}\n      SERVICE_ROLE_KEY_ASYMMETRIC: ${SERVICE_ROLE_KEY_ASYMMETRIC:-}\n      DASHBOARD_USERNAME",
    );
    t = replace_once(
        &t,
        "    entrypoint: bash -c 'eval \"echo \\\"$$(cat ~/temp.yml)\\\"\" > ~/kong.yml && /docker-entrypoint.sh kong docker-start'",
        "    entrypoint: ['/bin/sh', '/home/kong/kong-entrypoint.sh']",
    );
    t = replace_once(
        &t,
        "      GOTRUE_JWT_SECRET: ${JWT_SECRET}\n",
        &format!(
            "      GOTRUE_JWT_SECRET: ${{JWT_SECRET}}\n      {c}GOTRUE_JWT_KEYS: ${{JWT_KEYS:-[]}}\n"
        ),
    );
    t = replace_once(
        &t,
        "      PGRST_JWT_SECRET: ${JWT_SECRET}\n      PGRST_DB_USE_LEGACY_GUCS",
        "      PGRST_JWT_SECRET: ${JWT_JWKS:-${JWT_SECRET}}\n      PGRST_DB_USE_LEGACY_GUCS",
    );
    t = replace_once(
        &t,
        "      API_JWT_SECRET: ${JWT_SECRET}\n      SECRET_KEY_BASE",
        &format!(
            "      API_JWT_SECRET: ${{JWT_SECRET}}\n      {c}API_JWT_JWKS: ${{JWT_JWKS:-{{\"keys\":[]}}}}\n      SECRET_KEY_BASE"
        ),
    );
    replace_once(
        &t,
        "      PGRST_JWT_SECRET: ${JWT_SECRET}\n      DATABASE_URL",
        &format!(
            "      PGRST_JWT_SECRET: ${{JWT_SECRET}}\n      {c}JWT_JWKS: ${{JWT_JWKS:-{{\"keys\":[]}}}}\n      DATABASE_URL"
        ),
    )
}

/// The functions service as supabase/supabase PR #45635 (2026-05, "functions expose jwks")
/// writes it: `#SUPABASE_JWKS: ${JWT_JWKS:-{"keys":[]}}` under `JWT_SECRET`, commented until
/// add-new-auth-keys.sh uncomments it (`enabled`); its main/index.ts reads only that variable.
pub fn with_functions_jwks(compose: &str, enabled: bool) -> String {
    let c = if enabled { "" } else { "#" };
    replace_once(
        compose,
        "      JWT_SECRET: ${JWT_SECRET}\n      SUPABASE_URL: http://kong:8000\n",
        &format!(
            "      JWT_SECRET: ${{JWT_SECRET}}\n      # JWKS for token verification (EC public + legacy symmetric).\n      # For Podman, use: JWT_JWKS: ${{JWT_JWKS}}\n      {c}SUPABASE_JWKS: ${{JWT_JWKS:-{{\"keys\":[]}}}}\n      SUPABASE_URL: http://kong:8000\n"
        ),
    )
}

/// The opaque stack's `.env.example`: the 2026-02 one with the empty asymmetric block.
pub fn env_example_opaque() -> String {
    env_example()
        + "\n# Asymmetric keys and opaque API keys (sh utils/add-new-auth-keys.sh)\nJWT_KEYS=\nJWT_JWKS=\nSUPABASE_PUBLISHABLE_KEY=\nSUPABASE_SECRET_KEY=\nANON_KEY_ASYMMETRIC=\nSERVICE_ROLE_KEY_ASYMMETRIC=\n"
}

fn random(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    OsRng.fill_bytes(&mut b);
    b
}

fn b64url(b: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(b)
}

/// `sed -e "s|^VAR=.*$|VAR=value|"`, or `echo "VAR=value" >> .env` when `append` and absent.
pub fn set_var(env: &str, var: &str, value: &str, append: bool) -> String {
    let prefix = format!("{var}=");
    let mut found = false;
    let mut lines: Vec<String> = env
        .split('\n')
        .map(|l| {
            if l.starts_with(&prefix) {
                found = true;
                format!("{var}={value}")
            } else {
                l.to_string()
            }
        })
        .collect();
    if !found && append {
        if lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        lines.push(format!("{var}={value}"));
        lines.push(String::new());
    }
    lines.join("\n")
}

/// The raw text after `VAR=` (`grep '^VAR=' .env | cut -d= -f2-`).
pub fn raw_var(env: &str, var: &str) -> String {
    let prefix = format!("{var}=");
    env.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_default()
        .to_string()
}

/// generate-keys.sh's HS256 key: its header, signed with the secret's text, not by supajwt.
fn hs256(secret: &str, payload: &str) -> String {
    independent_hs256(secret.as_bytes(), r#"{"alg":"HS256","typ":"JWT"}"#, payload)
}

/// generate-keys.sh --update-env at time `iat`.
pub fn generate_keys(env: &str, iat: i64) -> String {
    let secret = STANDARD.encode(random(30));
    let exp = iat + 5 * 3600 * 24 * 365;
    let payload =
        |role: &str| format!(r#"{{"role":"{role}","iss":"supabase","iat":{iat},"exp":{exp}}}"#);
    let mut env = env.to_string();
    for (var, value) in [
        ("JWT_SECRET", secret.clone()),
        ("ANON_KEY", hs256(&secret, &payload("anon"))),
        ("SERVICE_ROLE_KEY", hs256(&secret, &payload("service_role"))),
        ("SECRET_KEY_BASE", STANDARD.encode(random(48))),
        ("VAULT_ENC_KEY", hex(&random(16))),
        ("PG_META_CRYPTO_KEY", STANDARD.encode(random(24))),
        ("LOGFLARE_PUBLIC_ACCESS_TOKEN", STANDARD.encode(random(24))),
        ("LOGFLARE_PRIVATE_ACCESS_TOKEN", STANDARD.encode(random(24))),
        ("S3_PROTOCOL_ACCESS_KEY_ID", hex(&random(16))),
        ("S3_PROTOCOL_ACCESS_KEY_SECRET", hex(&random(32))),
        ("POSTGRES_PASSWORD", hex(&random(16))),
        ("DASHBOARD_PASSWORD", hex(&random(16))),
    ] {
        env = set_var(&env, var, &value, false);
    }
    env
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `generateOpaqueKey(prefix)` of the scripts.
pub fn opaque_key(prefix: &str) -> String {
    let random: String = b64url(&random(17)).chars().take(22).collect();
    let digest = Sha256::digest(format!("supabase-self-hosted|{prefix}{random}").as_bytes());
    let checksum: String = b64url(&digest).chars().take(8).collect();
    format!("{prefix}{random}_{checksum}")
}

/// add-new-auth-keys.sh --update-env at time `iat`.
pub fn add_new_auth_keys(env: &str, iat: i64) -> String {
    let jwt_secret = raw_var(env, "JWT_SECRET");
    let key = p256::SecretKey::random(&mut OsRng);
    let point = key.public_key();
    let encoded = p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&point, false);
    let x = b64url(encoded.x().unwrap());
    let y = b64url(encoded.y().unwrap());
    let d = b64url(&key.to_bytes());
    let kid = uuid::Uuid::new_v4().to_string();
    let oct = format!(
        r#"{{"kty":"oct","k":"{}","alg":"HS256"}}"#,
        b64url(jwt_secret.as_bytes())
    );
    let jwt_keys = format!(
        r#"[{{"kty":"EC","kid":"{kid}","use":"sig","key_ops":["sign","verify"],"alg":"ES256","ext":true,"crv":"P-256","x":"{x}","y":"{y}","d":"{d}"}},{oct}]"#
    );
    let jwt_jwks = format!(
        r#"{{"keys":[{{"kty":"EC","kid":"{kid}","use":"sig","key_ops":["verify"],"alg":"ES256","ext":true,"crv":"P-256","x":"{x}","y":"{y}"}},{oct}]}}"#
    );
    let signing = p256::ecdsa::SigningKey::from(&key);
    let exp = iat + 5 * 365 * 24 * 3600;
    let es256 = |role: &str| {
        let header = format!(r#"{{"alg":"ES256","typ":"JWT","kid":"{kid}"}}"#);
        let payload = format!(r#"{{"role":"{role}","iss":"supabase","iat":{iat},"exp":{exp}}}"#);
        let data = format!(
            "{}.{}",
            b64url(header.as_bytes()),
            b64url(payload.as_bytes())
        );
        let sig: p256::ecdsa::Signature = signing.sign(data.as_bytes());
        format!("{data}.{}", b64url(&sig.to_bytes()))
    };
    let mut env = env.to_string();
    for (var, value) in [
        ("SUPABASE_PUBLISHABLE_KEY", opaque_key("sb_publishable_")),
        ("SUPABASE_SECRET_KEY", opaque_key("sb_secret_")),
        ("ANON_KEY_ASYMMETRIC", es256("anon")),
        ("SERVICE_ROLE_KEY_ASYMMETRIC", es256("service_role")),
        ("JWT_KEYS", jwt_keys),
        ("JWT_JWKS", jwt_jwks),
    ] {
        env = set_var(&env, var, &value, true);
    }
    env
}

/// rotate-new-api-keys.sh --update-env.
pub fn rotate_new_api_keys(env: &str) -> String {
    let env = set_var(
        env,
        "SUPABASE_PUBLISHABLE_KEY",
        &opaque_key("sb_publishable_"),
        true,
    );
    set_var(&env, "SUPABASE_SECRET_KEY", &opaque_key("sb_secret_"), true)
}

/// Applies the `+NAME=value` lines of a rotation's `.env` diff, as a user would.
pub fn apply_env_diff(env: &str, diff: &str) -> String {
    let mut env = env.to_string();
    for line in diff.lines() {
        if let Some((name, value)) = line.strip_prefix('+').and_then(|l| l.split_once('=')) {
            env = set_var(&env, name, value, true);
        }
    }
    env
}

/// upstream's docker-compose.envoy.yml (supabase/supabase `docker/docker-compose.envoy.yml`).
pub fn compose_envoy() -> String {
    read("supabase-docker-opaque/docker-compose.envoy.yml")
}

/// The key-checking parts of upstream's `volumes/api/envoy/lds.template.yaml`: the Lua
/// translation and 401 filters' constants and the RBAC principals, as written there.
pub const ENVOY_LDS_EXCERPT: &str = r#"resources:
  - '@type': type.googleapis.com/envoy.config.listener.v3.Listener
    name: supabase
    filter_chains:
      - filters:
          - name: envoy.filters.network.http_connection_manager
            typed_config:
              http_filters:
                - name: envoy.filters.http.lua
                  typed_config:
                    '@type': >-
                      type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua
                    inline_code: |
                      local SECRET_KEY = "${SUPABASE_SECRET_KEY}"
                      local PUBLISHABLE_KEY = "${SUPABASE_PUBLISHABLE_KEY}"
                      local SERVICE_ROLE_JWT = "${SERVICE_ROLE_KEY_ASYMMETRIC}"
                      local ANON_JWT = "${ANON_KEY_ASYMMETRIC}"
                - name: envoy.filters.http.lua
                  typed_config:
                    '@type': >-
                      type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua
                    inline_code: |
                      local ANON_KEY = "${ANON_KEY}"
                      local SERVICE_ROLE_KEY = "${SERVICE_ROLE_KEY}"
                      local SUPABASE_PUBLISHABLE_KEY = "${SUPABASE_PUBLISHABLE_KEY}"
                      local SUPABASE_SECRET_KEY = "${SUPABASE_SECRET_KEY}"
                      local ANON_KEY_ASYMMETRIC = "${ANON_KEY_ASYMMETRIC}"
                      local SERVICE_ROLE_KEY_ASYMMETRIC = "${SERVICE_ROLE_KEY_ASYMMETRIC}"
                - name: envoy.filters.http.rbac
                  typed_config:
                    '@type': >-
                      type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                    rules:
                      action: ALLOW
                      policies:
                        apikey:
                          principals:
                            - header:
                                name: apikey
                                string_match:
                                  exact: '${SERVICE_ROLE_KEY}'
                            - header:
                                name: apikey
                                string_match:
                                  exact: '${ANON_KEY}'
"#;
