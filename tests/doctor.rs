//! The 401 Doctor on a healthy stack and on each broken case, finding by finding, through the
//! core and through the CLI. Every fixture is built with the core at test time (the only
//! committed secrets are Supabase's public demo values).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::command;
use common::clock::NOW;
use common::sign::legacy_key;
use supajwt::jose::b64;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::keys::{KeygenAlg, load_keys, secret_key};
use supajwt::jose::sign::sign_claims;
use supajwt::supabase::doctor::rotate::{RotateFormat, plan, render};
use supajwt::supabase::doctor::{Inputs, Report, Severity, diagnose, load};
use supajwt::supabase::mint::{Lifetime, MintRequest, MintRole, mint};
use supajwt::supabase::roles::{DOCKER_DEMO_ANON_KEY, DOCKER_DEMO_SECRET};

const SECRET: &str = "fixture-jwt-secret-0123456789abcdefghijklmn";
const KID: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const EC: &str = r#""crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0""#;
const EC_D: &str = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";

fn oct() -> String {
    format!(
        r#"{{"kty":"oct","k":"{}","alg":"HS256"}}"#,
        b64::encode(SECRET.as_bytes())
    )
}

fn jwt_keys() -> String {
    format!(
        r#"[{{"kty":"EC","kid":"{KID}","use":"sig","key_ops":["sign","verify"],"alg":"ES256","ext":true,{EC},"d":"{EC_D}"}},{}]"#,
        oct()
    )
}

fn jwt_jwks() -> String {
    format!(
        r#"{{"keys":[{{"kty":"EC","kid":"{KID}","use":"sig","key_ops":["verify"],"alg":"ES256",{EC}}},{}]}}"#,
        oct()
    )
}

fn asym_key(role: MintRole) -> String {
    let set = load_keys(&jwt_keys()).unwrap();
    let req = MintRequest::preset(role, NOW, Lifetime::Years(5));
    mint(&req, &set.keys[0], None).unwrap()
}

/// A healthy self-hosted stack: .env, compose, rendered kong.yml.
struct Stack {
    vars: Vec<(String, String)>,
    compose: String,
    kong: String,
}

impl Stack {
    fn healthy() -> Stack {
        let anon = legacy_key(MintRole::Anon, SECRET, NOW - 86_400, Lifetime::Years(5));
        let service = legacy_key(
            MintRole::ServiceRole,
            SECRET,
            NOW - 86_400,
            Lifetime::Years(5),
        );
        let vars = vec![
            ("JWT_SECRET".into(), SECRET.into()),
            ("ANON_KEY".into(), anon.clone()),
            ("SERVICE_ROLE_KEY".into(), service.clone()),
            ("JWT_EXPIRY".into(), "3600".into()),
            ("JWT_KEYS".into(), format!("'{}'", jwt_keys())),
            ("JWT_JWKS".into(), format!("'{}'", jwt_jwks())),
            ("JWT_METHODS".into(), "HS256,ES256".into()),
            ("ANON_KEY_ASYMMETRIC".into(), asym_key(MintRole::Anon)),
            (
                "SERVICE_ROLE_KEY_ASYMMETRIC".into(),
                asym_key(MintRole::ServiceRole),
            ),
        ];
        let compose = r#"services:
  auth:
    environment:
      GOTRUE_JWT_SECRET: ${JWT_SECRET}
      GOTRUE_JWT_KEYS: ${JWT_KEYS}
      GOTRUE_JWT_VALID_METHODS: ${JWT_METHODS}
  rest:
    environment:
      PGRST_JWT_SECRET: ${JWT_JWKS}
      PGRST_APP_SETTINGS_JWT_SECRET: ${JWT_SECRET}
  realtime:
    environment:
      - API_JWT_SECRET=${JWT_SECRET}
      - API_JWT_JWKS=${JWT_JWKS}
  storage:
    environment:
      AUTH_JWT_SECRET: ${JWT_SECRET}
      JWT_JWKS: ${JWT_JWKS}
  kong:
    environment:
      SUPABASE_ANON_KEY: ${ANON_KEY}
      SUPABASE_SERVICE_KEY: ${SERVICE_ROLE_KEY}
"#
        .to_string();
        let kong = format!(
            "_format_version: '2.1'\nconsumers:\n  - username: anon\n    keyauth_credentials:\n      - key: {anon}\n  - username: service_role\n    keyauth_credentials:\n      - key: {service}\n"
        );
        Stack {
            vars,
            compose,
            kong,
        }
    }

    fn set(mut self, name: &str, value: &str) -> Stack {
        match self.vars.iter_mut().find(|(n, _)| n == name) {
            Some(v) => v.1 = value.to_string(),
            None => self.vars.push((name.into(), value.into())),
        }
        self
    }

    fn value(&self, name: &str) -> String {
        self.vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    }

    fn env(&self) -> String {
        self.vars
            .iter()
            .map(|(k, v)| format!("{k}={v}\n"))
            .collect()
    }

    fn inputs(&self) -> Inputs {
        Inputs {
            env: Some(self.env()),
            compose: Some(self.compose.clone()),
            kong: Some(self.kong.clone()),
            ..Inputs::default()
        }
    }

    fn report(&self) -> Report {
        diagnose(&self.inputs(), NOW).unwrap()
    }
}

fn codes(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code.as_str()).collect()
}

fn assert_finding(stack: &Stack, code: &str) -> Report {
    let report = stack.report();
    assert!(
        codes(&report).contains(&code),
        "expected {code}, got {:#?}",
        report.findings
    );
    let f = report.findings.iter().find(|f| f.code == code).unwrap();
    assert!(!f.detail.is_empty() && !f.title.is_empty(), "{f:?}");
    report
}

#[test]
fn healthy_stack_has_no_problems() {
    let report = Stack::healthy().report();
    let problems: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(report.read, [".env", "docker-compose.yml", "kong.yml"]);
}

#[test]
fn legacy_key_problems() {
    let other = "another-secret-of-the-right-length-0123456789";
    assert_finding(
        &Stack::healthy().set(
            "ANON_KEY",
            &legacy_key(MintRole::Anon, other, NOW, Lifetime::Years(5)),
        ),
        "api_key_signature",
    );
    let b64_secret = b64::encode(b"thirty-two-bytes-of-secret-key!!");
    let decoded_signed = {
        let key = secret_key(&b64_secret, SecretEncoding::Base64Url).unwrap();
        sign_claims(
            serde_json::json!({"role":"anon","iss":"supabase","exp": NOW + 1000})
                .as_object()
                .unwrap(),
            &key,
            None,
        )
        .unwrap()
    };
    let r = assert_finding(
        &Stack::healthy()
            .set("JWT_SECRET", &b64_secret)
            .set("ANON_KEY", &decoded_signed),
        "secret_encoding",
    );
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "secret_encoding" && f.title.contains("base64"))
    );
    assert_finding(
        &Stack::healthy().set("JWT_SECRET", "short-secret"),
        "jwt_secret_short",
    );
    assert_finding(
        &Stack::healthy().set("JWT_SECRET", DOCKER_DEMO_SECRET),
        "demo_secret",
    );
    assert_finding(
        &Stack::healthy().set("ANON_KEY", DOCKER_DEMO_ANON_KEY),
        "demo_key",
    );
    let s = Stack::healthy();
    let (anon, service) = (s.value("ANON_KEY"), s.value("SERVICE_ROLE_KEY"));
    let swapped = s.set("ANON_KEY", &service).set("SERVICE_ROLE_KEY", &anon);
    let r = assert_finding(&swapped, "keys_swapped");
    assert_eq!(r.findings[0].severity, Severity::Critical);
    assert_finding(
        &Stack::healthy().set(
            "SERVICE_ROLE_KEY",
            &legacy_key(
                MintRole::ServiceRole,
                SECRET,
                NOW - 100_000,
                Lifetime::Seconds(3600),
            ),
        ),
        "api_key_expired",
    );
    assert_finding(
        &Stack::healthy().set(
            "ANON_KEY",
            &legacy_key(MintRole::Anon, SECRET, NOW, Lifetime::Days(10)),
        ),
        "api_key_expiring",
    );
    assert_finding(
        &Stack::healthy().set("ANON_KEY", "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH"),
        "api_key_malformed",
    );
}

#[test]
fn kong_key_mismatches_are_diagnosed() {
    let healthy = Stack::healthy();
    let anon = healthy.value("ANON_KEY");
    for (bad, why) in [
        (format!("'{anon}'"), "quotes"),
        (format!("{}\r", anon), "carriage return"),
        (anon[..anon.len() - 10].to_string(), "truncated"),
        (
            legacy_key(
                MintRole::Anon,
                "yet-another-secret-of-the-right-length-000000",
                NOW,
                Lifetime::Years(5),
            ),
            "stale rendered kong.yml",
        ),
    ] {
        let mut s = Stack::healthy();
        s.kong = s
            .kong
            .replace(&anon, &bad.replace('\'', "''").replace('\r', "\\r"));
        if why == "quotes" {
            s.kong = Stack::healthy()
                .kong
                .replace(&format!("key: {anon}"), &format!("key: \"'{anon}'\""));
        }
        if why == "carriage return" {
            s.kong = Stack::healthy()
                .kong
                .replace(&format!("key: {anon}"), &format!("key: \"{anon}\\r\""));
        }
        let r = assert_finding(&s, "kong_key_mismatch");
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "kong_key_mismatch")
            .unwrap();
        assert!(f.detail.contains(why), "{why}: {}", f.detail);
    }
    let mut template = Stack::healthy();
    template.kong = template.kong.replace(&anon, "$SUPABASE_ANON_KEY");
    let r = template.report();
    assert!(codes(&r).contains(&"kong_template") && !codes(&r).contains(&"kong_key_mismatch"));
}

#[test]
fn services_get_the_same_secret_and_keys() {
    let mut s = Stack::healthy();
    s.compose = s.compose.replace(
        "GOTRUE_JWT_SECRET: ${JWT_SECRET}",
        "GOTRUE_JWT_SECRET: an-old-secret-left-in-the-compose-file-123",
    );
    let r = assert_finding(&s, "service_value_mismatch");
    assert!(
        r.findings
            .iter()
            .any(|f| f.variables.contains(&"GOTRUE_JWT_SECRET".to_string()))
    );
    let mut nested = Stack::healthy();
    nested.compose = nested.compose.replace(
        "PGRST_JWT_SECRET: ${JWT_JWKS}",
        "PGRST_JWT_SECRET: ${JWT_JWKS:-${JWT_SECRET}}",
    );
    let r = assert_finding(&nested, "podman_nested_default");
    assert!(r.findings.iter().any(|f| f.code == "podman_nested_default"
        && f.severity == Severity::Warning
        && f.detail.contains("podman-compose < 1.6.0")));
    assert!(!r.has_errors(), "docker compose v2 computes it right");
    let mut missing = Stack::healthy();
    missing.compose = missing.compose.replace("${JWT_METHODS}", "${JWT_METHODZ}");
    assert_finding(&missing, "unresolved_variable");
}

#[test]
fn asymmetric_key_problems() {
    let as_object = format!("'{{\"keys\":{}}}'", jwt_keys());
    assert_finding(
        &Stack::healthy().set("JWT_KEYS", &as_object),
        "jwt_keys_not_array",
    );
    let two_signing = format!(
        "'{}'",
        jwt_keys().replace(r#""alg":"HS256"}"#, r#""alg":"HS256","key_ops":["sign"]}"#)
    );
    assert_finding(
        &Stack::healthy().set("JWT_KEYS", &two_signing),
        "jwt_keys_signing",
    );
    let no_kid = format!(
        "'{}'",
        jwt_keys().replace(&format!("\"kid\":\"{KID}\","), "")
    );
    assert_finding(
        &Stack::healthy().set("JWT_KEYS", &no_kid),
        "jwt_keys_missing_kid_alg",
    );
    let x31 = b64::encode(
        &b64::decode_strict("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU").unwrap()[1..],
    );
    let short_x = format!(
        "'{}'",
        jwt_keys().replace("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", &x31)
    );
    let r = assert_finding(
        &Stack::healthy().set("JWT_KEYS", &short_x),
        "jwt_keys_invalid",
    );
    assert!(
        r.findings.iter().any(|f| f.detail.contains("length (31)")),
        "{:#?}",
        r.findings
    );
    let as_array = format!("'[{}]'", &jwt_jwks()[9..jwt_jwks().len() - 2]);
    assert_finding(
        &Stack::healthy().set("JWT_JWKS", &as_array),
        "jwt_jwks_not_object",
    );
    let with_private = format!(
        "'{}'",
        jwt_jwks().replace(&format!("{EC}}}"), &format!("{EC},\"d\":\"{EC_D}\"}}"))
    );
    assert_finding(
        &Stack::healthy().set("JWT_JWKS", &with_private),
        "jwt_jwks_private",
    );
    let wrong_oct = format!(
        "'{}'",
        jwt_jwks().replace(
            &b64::encode(SECRET.as_bytes()),
            &b64::encode(b"some-other-secret-value-of-32-chars!")
        )
    );
    assert_finding(
        &Stack::healthy().set("JWT_JWKS", &wrong_oct),
        "jwt_jwks_oct_mismatch",
    );
    let other_kid = format!(
        "'{}'",
        jwt_jwks().replace(KID, "00000000-0000-0000-0000-000000000000")
    );
    let r = assert_finding(
        &Stack::healthy().set("JWT_JWKS", &other_kid),
        "jwt_jwks_missing_key",
    );
    assert!(codes(&r).contains(&"asym_key_kid"));
    assert_finding(
        &Stack::healthy().set("JWT_METHODS", "HS256"),
        "valid_methods",
    );
}

#[test]
fn a_token_service_by_service() {
    let healthy = Stack::healthy();
    let mut inputs = healthy.inputs();
    inputs.token = Some(healthy.value("ANON_KEY_ASYMMETRIC"));
    let r = diagnose(&inputs, NOW).unwrap();
    let by = |s: &str| r.services.iter().find(|v| v.service == s).unwrap().clone();
    for s in ["GoTrue", "PostgREST", "Realtime", "Storage"] {
        assert_eq!(by(s).accepted, Some(true), "{s}: {}", by(s).message);
    }
    assert_eq!(
        by("Kong").accepted,
        Some(false),
        "the asymmetric key is not a Kong consumer in this stack"
    );
    let foreign = supajwt::jose::keys::generate(
        KeygenAlg::ES256,
        supajwt::jose::keys::KidChoice::Given("foreign".into()),
    )
    .unwrap();
    let token = mint(
        &MintRequest::preset(MintRole::Anon, NOW, Lifetime::Years(1)),
        &foreign,
        None,
    )
    .unwrap();
    inputs.token = Some(format!("Bearer {token}"));
    let r = diagnose(&inputs, NOW).unwrap();
    let gotrue = r.services.iter().find(|v| v.service == "GoTrue").unwrap();
    assert!(
        gotrue
            .message
            .contains("unrecognized JWT kid foreign for algorithm ES256"),
        "{}",
        gotrue.message
    );
    let rest = r
        .services
        .iter()
        .find(|v| v.service == "PostgREST")
        .unwrap();
    assert!(
        rest.message.contains("No suitable key or wrong key type"),
        "{}",
        rest.message
    );
}

#[test]
fn error_messages_are_explained_with_the_findings() {
    let stack = Stack::healthy().set(
        "ANON_KEY",
        &legacy_key(
            MintRole::Anon,
            "another-secret-of-the-right-length-0123456789",
            NOW,
            Lifetime::Years(5),
        ),
    );
    for (message, component) in [
        ("No API key found in request", "Kong"),
        ("Invalid authentication credentials", "Kong"),
        ("JWSError JWSInvalidSignature", "PostgREST"),
        ("No suitable key or wrong key type", "PostgREST"),
        (
            "invalid JWT: unable to parse or verify signature, token signature is invalid: signature is invalid",
            "GoTrue",
        ),
        ("unrecognized JWT kid abc for algorithm ES256", "GoTrue"),
        ("JWT expired", "PostgREST"),
        ("invalid claim: missing sub claim", "GoTrue"),
        ("Expected 3 parts in JWT; got 1", "PostgREST"),
    ] {
        let mut inputs = stack.inputs();
        inputs.error_message = Some(message.into());
        let e = diagnose(&inputs, NOW).unwrap().explanation.unwrap();
        assert!(
            e.component.contains(component),
            "{message}: {}",
            e.component
        );
        if message.contains("JWSInvalidSignature") {
            assert!(
                e.related_findings
                    .iter()
                    .any(|t| t.contains("does not verify against JWT_SECRET")),
                "{:?}",
                e.related_findings
            );
        }
    }
}

#[test]
fn kubernetes_and_cli_config_inputs() {
    use base64::Engine;
    let s = Stack::healthy();
    let enc = |v: &str| base64::engine::general_purpose::STANDARD.encode(v);
    let manifest = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: supabase-secrets\ndata:\n  JWT_SECRET: {}\n  ANON_KEY: {}\n  SERVICE_ROLE_KEY: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kong-config\ndata:\n  kong.yml: |\n{}",
        enc(SECRET),
        enc(&s.value("ANON_KEY")),
        enc(&s.value("SERVICE_ROLE_KEY")),
        s.kong
            .replace(&s.value("ANON_KEY"), "stale-key")
            .lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    );
    let r = diagnose(
        &Inputs {
            k8s: Some(manifest),
            ..Inputs::default()
        },
        NOW,
    )
    .unwrap();
    assert!(
        codes(&r).contains(&"kong_key_mismatch"),
        "{:#?}",
        r.findings
    );
    let toml = format!("[auth]\njwt_secret = \"{DOCKER_DEMO_SECRET}\"\njwt_expiry = 3600\n");
    let r = diagnose(
        &Inputs {
            config_toml: Some(toml),
            ..Inputs::default()
        },
        NOW,
    )
    .unwrap();
    assert!(codes(&r).contains(&"demo_secret"));
    assert!(
        diagnose(
            &Inputs {
                compose: Some("services: [".into()),
                ..Inputs::default()
            },
            NOW
        )
        .is_err()
    );
}

#[test]
fn rotation_round_trip_is_healthy() {
    let stack = Stack::healthy();
    let config = load(&stack.inputs()).unwrap();
    let rotation = plan(&config, KeygenAlg::ES256, NOW).unwrap();
    let mut rotated = Stack::healthy();
    for (name, _, new) in &rotation.changes {
        let v = if new.starts_with('[') || new.starts_with('{') {
            format!("'{new}'")
        } else {
            new.clone()
        };
        rotated = rotated.set(name, &v);
    }
    let report = rotated.report();
    let problems: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let keys: serde_json::Value = serde_json::from_str(
        &rotation
            .changes
            .iter()
            .find(|c| c.0 == "JWT_KEYS")
            .unwrap()
            .2,
    )
    .unwrap();
    assert_eq!(
        keys.as_array().unwrap().len(),
        3,
        "new key, previous key (verify only), legacy oct"
    );
    let env = render(&rotation, RotateFormat::Env);
    assert!(
        env.expose().contains("+JWT_KEYS='[") && !env.expose().contains("JWT_METHODS"),
        "JWT_METHODS is read by no upstream file"
    );
    assert!(
        render(&rotation, RotateFormat::K8s)
            .expose()
            .contains("kind: Secret")
    );
    assert!(
        render(&rotation, RotateFormat::Kong)
            .expose()
            .contains("username: service_role")
    );
    let hs = plan(&config, KeygenAlg::HS256, NOW).unwrap();
    assert!(hs.changes.iter().any(|c| c.0 == "JWT_SECRET"));
}

#[test]
fn cli_doctor_and_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    };
    let healthy = Stack::healthy();
    let env = write("healthy.env", &healthy.env());
    let compose = write("docker-compose.yml", &healthy.compose);
    let kong = write("kong.yml", &healthy.kong);
    let run = |args: &[&str]| command().args(args).output().unwrap();
    let out = run(&[
        "doctor",
        "--env",
        &env,
        "--compose",
        &compose,
        "--kong",
        &kong,
        "--now",
        &NOW.to_string(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let bad = write(
        "bad.env",
        &healthy.set("JWT_SECRET", DOCKER_DEMO_SECRET).env(),
    );
    let out = run(&[
        "doctor",
        "--env",
        &bad,
        "--kong",
        &kong,
        "--json",
        "--now",
        &NOW.to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v["findings"][0];
    for field in ["severity", "code", "title", "variables", "detail", "fix"] {
        assert!(first.get(field).is_some(), "{field} in {first}");
    }
    assert_eq!(first["severity"], "error");
    let broken_yaml = write("broken.yml", "services: [");
    let out = run(&["doctor", "--compose", &broken_yaml]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid YAML"));
    let out = run(&["rotate", "--env", &env, "--format", "kong"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("keyauth_credentials"));
}

/// A JWT_KEYS EC key whose `x` lost its leading zero byte: GoTrue refuses the set ("invalid
/// \"x\" length (31)"), so the Doctor reports an error naming the kid and the coordinate.
#[test]
fn short_ec_coordinate_in_jwt_keys_is_a_doctor_error() {
    use supajwt::jose::keys::{KidChoice, generate, to_jwk};
    let jwk = loop {
        let key = generate(KeygenAlg::ES256, KidChoice::Given("kid-short".into())).unwrap();
        let jwk = to_jwk(&key, true);
        let y = b64::decode_strict(jwk["y"].as_str().unwrap()).unwrap();
        if y[0] == 0 && y[1] != 0 {
            break jwk;
        }
    };
    let mut short = jwk.clone();
    let y = b64::decode_strict(jwk["y"].as_str().unwrap()).unwrap();
    short["y"] = b64::encode(&y[1..]).into();
    let keys = format!("'[{},{}]'", serde_json::Value::Object(short), oct());
    let r = assert_finding(
        &Stack::healthy().set("JWT_KEYS", &keys),
        "jwt_keys_short_coordinate",
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "jwt_keys_short_coordinate")
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.title.contains("kid-short") && f.title.contains("\"y\""),
        "{}",
        f.title
    );
    assert!(
        f.detail.contains("invalid \"y\" length (31)"),
        "{}",
        f.detail
    );
    assert!(
        !codes(&r).contains(&"jwt_keys_invalid"),
        "the key itself is readable: {:#?}",
        r.findings
    );
}
