//! `doctor --token`: each service's own rule — Storage (kid-less HS256 uses JWT_SECRET, no
//! usable JWT_JWKS → only HS256), Edge Functions (HS256 / ES256 / RS256 only) and supabase-js
//! `getClaims()` (ES256 / RS256 local, HS256 via /user, "Invalid alg claim" otherwise).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::clock::UPSTREAM_NOW as NOW;
use supajwt::jose::keys::{KeygenAlg, KidChoice, generate, load_keys, secret_key};
use supajwt::jose::sign::sign_claims;
use supajwt::supabase::doctor::{Inputs, ServiceVerdict, diagnose};
use upstream_stack::*;

fn stack() -> String {
    add_new_auth_keys(
        &generate_keys(&env_example_opaque(), NOW - 86_400),
        NOW - 86_400,
    )
}

fn verdicts(env: &str, compose: &str, token: &str) -> Vec<ServiceVerdict> {
    let inputs = Inputs {
        env: Some(env.into()),
        compose: Some(compose.into()),
        kong: Some(kong_opaque()),
        token: Some(token.into()),
        ..Inputs::default()
    };
    diagnose(&inputs, NOW).unwrap().services
}

fn of<'a>(v: &'a [ServiceVerdict], s: &str) -> &'a ServiceVerdict {
    v.iter().find(|x| x.service == s).unwrap()
}

fn user_claims(exp: i64) -> serde_json::Map<String, serde_json::Value> {
    serde_json::json!({"sub":"6b1d3c3e-0000-4000-8000-000000000001","role":"authenticated","aud":"authenticated","exp":exp,"iat":NOW})
        .as_object()
        .unwrap()
        .clone()
}

/// A user token signed with the stack's ES256 key (as GoTrue would).
fn es256_user_token(env: &str, exp: i64) -> String {
    let keys = load_keys(&raw_var(env, "JWT_KEYS")).unwrap();
    sign_claims(&user_claims(exp), &keys.keys[0], None).unwrap()
}

#[test]
fn storage_follows_its_own_rule() {
    let env = stack();
    // A stale oct key in JWT_JWKS: PostgREST rejects the kid-less legacy key, Storage does not.
    let stale_oct = raw_var(&env, "JWT_JWKS").replace(
        &supajwt::jose::b64::encode(raw_var(&env, "JWT_SECRET").as_bytes()),
        &supajwt::jose::b64::encode(b"an-older-secret-that-is-long-enough-000000"),
    );
    let env2 = set_var(&env, "JWT_JWKS", &stale_oct, true);
    let v = verdicts(&env2, &opaque_compose(true), &raw_var(&env, "ANON_KEY"));
    assert_eq!(
        of(&v, "Storage").accepted,
        Some(true),
        "{}",
        of(&v, "Storage").message
    );
    assert_eq!(
        of(&v, "PostgREST").accepted,
        Some(false),
        "{}",
        of(&v, "PostgREST").message
    );
    // The 2026-02 compose gives storage no JWT_JWKS: only HS256.
    let user = es256_user_token(&env, NOW + 3600);
    let v = verdicts(&env, &compose_2026_02(), &user);
    let storage = of(&v, "Storage");
    assert_eq!(storage.accepted, Some(false));
    assert!(
        storage
            .message
            .contains("Header Parameter value not allowed"),
        "{}",
        storage.message
    );
    let v = verdicts(&env, &opaque_compose(true), &user);
    for s in ["GoTrue", "PostgREST", "Realtime", "Storage", "supabase-js"] {
        assert_eq!(of(&v, s).accepted, Some(true), "{s}: {}", of(&v, s).message);
    }
}

#[test]
fn edge_functions_verify_hs256_es256_rs256_only() {
    let env = set_var(&stack(), "FUNCTIONS_VERIFY_JWT", "true", true);
    let with_jwks = with_functions_jwks(&opaque_compose(true), true);
    let v = verdicts(&env, &with_jwks, &raw_var(&env, "ANON_KEY"));
    let f = of(&v, "Functions");
    assert_eq!(f.accepted, Some(true), "{}", f.message);
    let user = es256_user_token(&env, NOW + 3600);
    let v = verdicts(&env, &with_jwks, &user);
    let f = of(&v, "Functions");
    assert_eq!(f.accepted, Some(true), "{}", f.message);
    assert!(f.message.contains("SUPABASE_JWKS"), "{}", f.message);
    // HS384 / EdDSA are refused outright.
    let long = "a-secret-long-enough-for-hs384-0123456789-0123456789";
    let secret = secret_key(long, supajwt::jose::b64::SecretEncoding::Text).unwrap();
    let hs384 = sign_claims(
        &user_claims(NOW + 3600),
        &secret,
        Some(supajwt::jose::alg::Alg::HS384),
    )
    .unwrap();
    let v = verdicts(&env, &with_jwks, &hs384);
    let f = of(&v, "Functions");
    assert_eq!(f.accepted, Some(false));
    assert!(
        f.message
            .contains("UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM"),
        "{}",
        f.message
    );
    // main/index.ts compares VERIFY_JWT with 'true' exactly.
    for off in ["false", "TRUE"] {
        let env = set_var(&env, "FUNCTIONS_VERIFY_JWT", off, true);
        let v = verdicts(&env, &with_jwks, &hs384);
        assert_eq!(of(&v, "Functions").accepted, Some(true), "{off}");
    }
}

#[test]
fn edge_functions_jwks_source_follows_the_compose_template() {
    let env = set_var(&stack(), "FUNCTIONS_VERIFY_JWT", "true", true);
    let user = es256_user_token(&env, NOW + 3600);
    // PR #45635's template with SUPABASE_JWKS still commented: its gate reads only that variable.
    let v = verdicts(
        &env,
        &with_functions_jwks(&opaque_compose(true), false),
        &user,
    );
    let f = of(&v, "Functions");
    assert_eq!(f.accepted, Some(false), "{}", f.message);
    assert!(
        f.message.contains("UNAUTHORIZED_ASYMMETRIC_JWT"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("uncomment SUPABASE_JWKS"),
        "{}",
        f.message
    );
    // The older template (no SUPABASE_JWKS anywhere) fetches GoTrue's keys through SUPABASE_URL:
    // a token signed by a key GoTrue does not publish is refused.
    let foreign = generate(KeygenAlg::ES256, KidChoice::Given("foreign".into())).unwrap();
    let token = sign_claims(&user_claims(NOW + 3600), &foreign, None).unwrap();
    let v = verdicts(&env, &opaque_compose(true), &token);
    let f = of(&v, "Functions");
    assert_eq!(f.accepted, Some(false), "{}", f.message);
    assert!(
        f.message
            .contains("kong:8000/auth/v1/.well-known/jwks.json"),
        "{}",
        f.message
    );
    // An SUPABASE_JWKS that is not a {"keys":[...]} object gives the gate no JWKS (parseJwks).
    let bare = with_functions_jwks(&opaque_compose(true), true).replace(
        "SUPABASE_JWKS: ${JWT_JWKS:-{\"keys\":[]}}",
        "SUPABASE_JWKS: ${JWT_KEYS}",
    );
    let v = verdicts(&env, &bare, &user);
    let f = of(&v, "Functions");
    assert_eq!(f.accepted, Some(false), "{}", f.message);
    assert!(f.message.contains("not a {\"keys\""), "{}", f.message);
}

#[test]
fn supabase_js_get_claims() {
    let env = set_var(&stack(), "FUNCTIONS_VERIFY_JWT", "true", true);
    // HS256 API key: getClaims asks /auth/v1/user, which needs a user.
    let v = verdicts(&env, &opaque_compose(true), &raw_var(&env, "ANON_KEY"));
    let js = of(&v, "supabase-js");
    assert_eq!(js.accepted, Some(false));
    assert!(js.message.contains("/auth/v1/user"), "{}", js.message);
    // Expired: "JWT has expired" before anything else.
    let expired = es256_user_token(&env, NOW - 10);
    let v = verdicts(&env, &opaque_compose(true), &expired);
    assert!(of(&v, "supabase-js").message.contains("JWT has expired"));
    // An EdDSA signing key: GoTrue signs, supabase-js throws "Invalid alg claim".
    let ed = generate(KeygenAlg::EdDSA, KidChoice::Given("ed-1".into())).unwrap();
    let jwk = serde_json::Value::Object(supajwt::jose::keys::to_jwk(&ed, true));
    let mut keys: serde_json::Value = serde_json::from_str(&raw_var(&env, "JWT_KEYS")).unwrap();
    keys.as_array_mut().unwrap().push(jwk);
    let env = set_var(&env, "JWT_KEYS", &keys.to_string(), true);
    let token = sign_claims(&user_claims(NOW + 3600), &ed, None).unwrap();
    let v = verdicts(&env, &opaque_compose(true), &token);
    let js = of(&v, "supabase-js");
    assert_eq!(js.accepted, Some(false));
    assert!(js.message.contains("Invalid alg claim"), "{}", js.message);
    assert!(
        of(&v, "Functions")
            .message
            .contains("UNSUPPORTED_TOKEN_ALGORITHM")
    );
}

#[test]
fn supabase_js_get_claims_follows_auth_js() {
    let env = stack();
    // A kid that GoTrue's JWKS does not list: fetchJwk returns null and getClaims() falls back
    // to getUser() — GoTrue's answer decides, not a local refusal.
    let foreign = generate(KeygenAlg::ES256, KidChoice::Given("not-published".into())).unwrap();
    let token = sign_claims(&user_claims(NOW + 3600), &foreign, None).unwrap();
    let v = verdicts(&env, &opaque_compose(true), &token);
    let js = of(&v, "supabase-js");
    assert!(js.message.contains("/auth/v1/user"), "{}", js.message);
    assert!(
        js.message.contains("unrecognized JWT kid"),
        "{}",
        js.message
    );
    // Locally only the signature is checked (after exp): a future nbf does not matter.
    let keys = load_keys(&raw_var(&env, "JWT_KEYS")).unwrap();
    let mut claims = user_claims(NOW + 3600);
    claims.insert("nbf".into(), (NOW + 600).into());
    let token = sign_claims(&claims, &keys.keys[0], None).unwrap();
    let v = verdicts(&env, &opaque_compose(true), &token);
    let js = of(&v, "supabase-js");
    assert_eq!(js.accepted, Some(true), "{}", js.message);
    // validateExp: a falsy exp (0) is "Missing exp claim".
    let mut claims = user_claims(0);
    claims.insert("exp".into(), 0.into());
    let token = sign_claims(&claims, &keys.keys[0], None).unwrap();
    let v = verdicts(&env, &opaque_compose(true), &token);
    assert!(of(&v, "supabase-js").message.contains("Missing exp claim"));
}

#[test]
fn gotrue_reads_its_own_container() {
    let env = stack();
    let user = es256_user_token(&env, NOW + 3600);
    // GOTRUE_JWT_KEYS still commented out: GoTrue has only the secret, so it accepts HS256 only
    // (its valid methods default to its keys' algorithms) — even though the .env has JWT_KEYS.
    let v = verdicts(&env, &opaque_compose(false), &user);
    let g = of(&v, "GoTrue");
    assert_eq!(g.accepted, Some(false), "{}", g.message);
    assert!(
        g.message.contains("signing method ES256 is invalid"),
        "{}",
        g.message
    );
    // Nothing published, so supabase-js asks /user, which GoTrue refuses.
    assert!(of(&v, "supabase-js").message.contains("/auth/v1/user"));
    // An ES256 token without kid: "unrecognized JWT kid <nil> for algorithm ES256".
    let keys = load_keys(&raw_var(&env, "JWT_KEYS")).unwrap();
    let mut kidless = keys.keys[0].clone();
    kidless.kid = None;
    let token = sign_claims(&user_claims(NOW + 3600), &kidless, None).unwrap();
    let v = verdicts(&env, &opaque_compose(true), &token);
    assert!(
        of(&v, "GoTrue")
            .message
            .contains("unrecognized JWT kid <nil> for algorithm ES256"),
        "{}",
        of(&v, "GoTrue").message
    );
}

fn with_key_id(compose: &str, kid: &str) -> String {
    compose.replacen(
        "      GOTRUE_JWT_SECRET: ${JWT_SECRET}\n",
        &format!("      GOTRUE_JWT_SECRET: ${{JWT_SECRET}}\n      GOTRUE_JWT_KEY_ID: {kid}\n"),
        1,
    )
}

fn doctor_codes(env: &str, compose: &str) -> Vec<&'static str> {
    let inputs = Inputs {
        env: Some(env.into()),
        compose: Some(compose.into()),
        kong: Some(kong_opaque()),
        ..Inputs::default()
    };
    diagnose(&inputs, NOW)
        .unwrap()
        .findings
        .iter()
        .map(|f| f.code.as_str())
        .collect()
}

#[test]
fn gotrue_jwt_key_id() {
    let env = stack();
    // Legacy GoTrue (GOTRUE_JWT_KEYS commented) with a key ID signs HS256 tokens with that kid;
    // PostgREST gets JWT_JWKS (${JWT_JWKS:-${JWT_SECRET}}), whose oct key has no kid.
    let compose = with_key_id(&opaque_compose(false), "legacy-1");
    assert!(doctor_codes(&env, &compose).contains(&"gotrue_key_id_not_in_jwks"));
    let secret = secret_key(
        &raw_var(&env, "JWT_SECRET"),
        supajwt::jose::b64::SecretEncoding::Text,
    )
    .unwrap();
    let mut with_kid = secret.clone();
    with_kid.kid = Some("legacy-1".into());
    let token = sign_claims(&user_claims(NOW + 3600), &with_kid, None).unwrap();
    let v = verdicts(&env, &compose, &token);
    assert_eq!(
        of(&v, "GoTrue").accepted,
        Some(true),
        "{}",
        of(&v, "GoTrue").message
    );
    assert_eq!(of(&v, "PostgREST").accepted, Some(false));
    // With GOTRUE_JWT_KEYS, a key ID naming none of them does not choose the signing key.
    let compose = with_key_id(&opaque_compose(true), "legacy-1");
    let codes = doctor_codes(&env, &compose);
    assert!(codes.contains(&"gotrue_key_id_unused"), "{codes:?}");
    assert!(!codes.contains(&"gotrue_key_id_not_in_jwks"), "{codes:?}");
    // GoTrue checks a token carrying that kid against JWT_SECRET.
    let v = verdicts(&env, &compose, &token);
    assert_eq!(
        of(&v, "GoTrue").accepted,
        Some(true),
        "{}",
        of(&v, "GoTrue").message
    );
    // Never on upstream's stack as shipped.
    assert!(
        !doctor_codes(&env, &opaque_compose(true))
            .iter()
            .any(|c| c.starts_with("gotrue_key_id"))
    );
}

#[test]
fn functions_without_the_signing_key_is_an_error() {
    let env = set_var(&stack(), "FUNCTIONS_VERIFY_JWT", "true", true);
    let commented = with_functions_jwks(&opaque_compose(true), false);
    assert!(doctor_codes(&env, &commented).contains(&"functions_jwks_missing"));
    let enabled = with_functions_jwks(&opaque_compose(true), true);
    assert!(!doctor_codes(&env, &enabled).contains(&"functions_jwks_missing"));
    // A JWT_JWKS from before a rotation: the signing kid is missing.
    let stale = set_var(&env, "JWT_JWKS", r#"{"keys":[]}"#, true);
    assert!(doctor_codes(&stale, &enabled).contains(&"functions_jwks_missing"));
    // The older template fetches GoTrue's keys; FUNCTIONS_VERIFY_JWT=false (upstream's default)
    // checks nothing.
    assert!(!doctor_codes(&env, &opaque_compose(true)).contains(&"functions_jwks_missing"));
    let off = set_var(&env, "FUNCTIONS_VERIFY_JWT", "false", true);
    assert!(!doctor_codes(&off, &commented).contains(&"functions_jwks_missing"));
}
