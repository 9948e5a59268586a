//! `supajwt key list` and the lifecycle core on upstream's own stacks: the keys and their
//! states (with the `# supajwt:` records), the verdict matrix agreeing with the Doctor cell by
//! cell, and bad input (invalid `JWT_KEYS`, two signing keys, a bad record) refused with exit 2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod lifecycle_kit;
mod upstream_stack;

use common::cli::run;
use common::clock::UPSTREAM_NOW as NOW;
use lifecycle_kit::*;
use serde_json::{Value, json};
use supajwt::jose::keys::{KeygenAlg, KidChoice, generate, to_jwk};
use supajwt::supabase::doctor::{Inputs, load};
use supajwt::supabase::lifecycle::records::{Event, format_record};
use supajwt::supabase::lifecycle::{KeyState, read_stack};
use upstream_stack::*;

fn session_cells<'a>(matrix: &'a [Value], name: &str) -> Vec<&'a Value> {
    let label = format!("user sessions signed by {name}");
    matrix.iter().filter(|c| c["token"] == label).collect()
}

const VERIFIERS: [&str; 4] = ["gotrue", "postgrest", "realtime", "storage"];

#[test]
fn the_legacy_only_stack_has_one_signing_secret() {
    let env = legacy_stack();
    let f = files(&env, &compose_2026_02(), &kong_2026_02());
    let out = list_json(&f);
    let keys = out["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "{keys:#?}");
    let k = &keys[0];
    assert_eq!(k["state"], "signing");
    assert_eq!(
        (k["kty"].clone(), k["alg"].clone()),
        (json!("oct"), json!("HS256"))
    );
    assert_eq!(k["kid"], Value::Null);
    assert_eq!(k["in"], json!(["JWT_SECRET"]));
    assert_eq!(k["since"], Value::Null);
    let config = load(&Inputs {
        env: Some(env.clone()),
        ..Inputs::default()
    })
    .unwrap();
    let stack = read_stack(&env, &config).unwrap();
    assert_eq!(stack.keys[0].signed, vec!["ANON_KEY", "SERVICE_ROLE_KEY"]);
    let thumb = k["thumbprint"].as_str().unwrap();
    assert_eq!(stack.find(&thumb[..6]).unwrap().thumbprint, thumb);

    let matrix = out["matrix"].as_array().unwrap();
    assert_agrees_with_doctor(matrix, &env, &compose_2026_02(), &kong_2026_02());
    for var in ["ANON_KEY", "SERVICE_ROLE_KEY"] {
        let kong = matrix
            .iter()
            .find(|c| c["token"] == var && c["service"] == "kong")
            .unwrap();
        assert_eq!(kong["accepted"], true, "{kong}");
    }
    let sessions = session_cells(matrix, &thumb[..8]);
    assert_eq!(sessions.len(), 7, "{matrix:#?}");
    for c in sessions {
        let s = c["service"].as_str().unwrap();
        if VERIFIERS.contains(&s) || s == "supabase_js" {
            assert_eq!(c["accepted"], true, "{c}");
        }
    }
}

#[test]
fn the_opaque_stack_signs_with_the_ec_key_and_keeps_the_legacy_secret() {
    let env = opaque_stack();
    let f = files(&env, &opaque_compose(true), &kong_opaque());
    let out = list_json(&f);
    let keys = out["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2, "{keys:#?}");
    let (ec, oct) = (&keys[0], &keys[1]);
    assert_eq!(
        (ec["state"].clone(), ec["alg"].clone()),
        (json!("signing"), json!("ES256"))
    );
    assert_eq!(ec["in"], json!(["JWT_KEYS", "JWT_JWKS"]));
    assert_eq!(oct["state"], "legacy_secret");
    assert_eq!(oct["in"], json!(["JWT_KEYS", "JWT_JWKS", "JWT_SECRET"]));
    let kid = ec["kid"].as_str().unwrap();
    let config = load(&Inputs {
        env: Some(env.clone()),
        ..Inputs::default()
    })
    .unwrap();
    let stack = read_stack(&env, &config).unwrap();
    assert_eq!(
        stack.find(kid).unwrap().signed,
        vec!["ANON_KEY_ASYMMETRIC", "SERVICE_ROLE_KEY_ASYMMETRIC"]
    );
    assert_eq!(stack.keys[1].signed, vec!["ANON_KEY", "SERVICE_ROLE_KEY"]);

    let matrix = out["matrix"].as_array().unwrap();
    assert_agrees_with_doctor(matrix, &env, &opaque_compose(true), &kong_opaque());
    let sessions = session_cells(matrix, kid);
    assert_eq!(sessions.len(), 7, "{matrix:#?}");
    for c in &sessions {
        assert_eq!(c["kid"], kid);
        if VERIFIERS.contains(&c["service"].as_str().unwrap()) {
            assert_eq!(c["accepted"], true, "{c}");
        }
    }
    // Upstream's healthy stack has no red cell: nobody sends *_ASYMMETRIC as Kong's apikey,
    // and getClaims() checks sessions, not API keys (both were shown refused before).
    let refused: Vec<_> = matrix.iter().filter(|c| c["accepted"] == false).collect();
    assert!(refused.is_empty(), "{refused:#?}");
    // The legacy secret stopped signing when add-new-auth-keys.sh ran: no live sessions.
    let thumb = oct["thumbprint"].as_str().unwrap();
    assert!(session_cells(matrix, &thumb[..8]).is_empty());
}

#[test]
fn without_the_jwks_lines_realtime_and_storage_refuse_the_ec_sessions() {
    let env = opaque_stack();
    let f = files(&env, &opaque_compose(false), &kong_opaque());
    let out = list_json(&f);
    let kid = out["keys"][0]["kid"].as_str().unwrap().to_string();
    let matrix = out["matrix"].as_array().unwrap();
    for c in session_cells(matrix, &kid) {
        if ["realtime", "storage"].contains(&c["service"].as_str().unwrap()) {
            assert_eq!(c["accepted"], false, "{c}");
        }
    }
    // GOTRUE_JWT_KEYS is commented out too: GoTrue really signs with the secret, and says so.
    let thumb = out["keys"][1]["thumbprint"].as_str().unwrap();
    let real = format!(
        "user sessions signed by {} (GoTrue's real signer)",
        &thumb[..8]
    );
    let cells: Vec<_> = matrix
        .iter()
        .filter(|c| c["token"] == real.as_str())
        .collect();
    assert_eq!(cells.len(), 7, "{matrix:#?}");
    for c in cells {
        if VERIFIERS.contains(&c["service"].as_str().unwrap()) {
            assert_eq!(c["accepted"], true, "{c}");
        }
    }
}

/// A standby key (in JWT_KEYS without "sign", in JWT_JWKS, recorded) and a recorded stop of the
/// legacy secret: states, times, and a session row for the secret until JWT_EXPIRY has passed.
#[test]
fn records_give_standby_and_previously_used_keys_their_times() {
    let mut env = opaque_stack();
    let new = generate(KeygenAlg::ES256, KidChoice::Given("next-key".into())).unwrap();
    let mut private: Value = serde_json::from_str(&raw_var(&env, "JWT_KEYS")).unwrap();
    let mut public: Value = serde_json::from_str(&raw_var(&env, "JWT_JWKS")).unwrap();
    let mut jwk = Value::Object(to_jwk(&new, true));
    jwk["key_ops"] = json!(["verify"]);
    private.as_array_mut().unwrap().push(jwk);
    public["keys"]
        .as_array_mut()
        .unwrap()
        .push(Value::Object(to_jwk(&new, false)));
    env = set_var(&env, "JWT_KEYS", &private.to_string(), true);
    env = set_var(&env, "JWT_JWKS", &public.to_string(), true);
    let config = load(&Inputs {
        env: Some(env.clone()),
        ..Inputs::default()
    })
    .unwrap();
    let unrecorded = read_stack(&env, &config).unwrap();
    assert_eq!(
        unrecorded.find("next-key").unwrap().state,
        KeyState::VerifyOnly
    );
    assert_eq!(unrecorded.find("next-key").unwrap().since, None);
    let thumb = unrecorded.keys[1].thumbprint.clone();
    env.push_str(&format_record("next-key", Event::Standby, NOW - 1200));
    env.push('\n');
    env.push_str(&format_record(
        &thumb[..10],
        Event::StoppedSigning,
        NOW - 600,
    ));
    env.push('\n');
    let stack = read_stack(&env, &config).unwrap();
    let next = stack.find("next-key").unwrap();
    assert_eq!(
        (next.state, next.since),
        (KeyState::Standby, Some(NOW - 1200))
    );
    let oct = stack.find(&thumb[..10]).unwrap();
    assert_eq!(oct.state, KeyState::LegacySecret);
    assert_eq!(oct.stopped_signing, Some(NOW - 600));

    let f = files(&env, &opaque_compose(true), &kong_opaque());
    let out = list_json(&f);
    assert_eq!(out["keys"][2]["state"], "standby");
    assert_eq!(out["keys"][2]["since"], NOW - 1200);
    let matrix = out["matrix"].as_array().unwrap();
    assert!(
        session_cells(matrix, "next-key").is_empty(),
        "a standby key signed nothing"
    );
    let sessions = session_cells(matrix, &thumb[..8]);
    assert_eq!(sessions.len(), 7, "HS256 sessions of the last 10 minutes");
    for c in sessions {
        if VERIFIERS.contains(&c["service"].as_str().unwrap()) {
            assert_eq!(c["accepted"], true, "{c}");
        }
    }
    // After JWT_EXPIRY, the secret's sessions are gone.
    let later = read_stack(&env, &config).unwrap();
    let m = supajwt::supabase::lifecycle::matrix::matrix(&later, &config, NOW + 3600).unwrap();
    assert!(!m.cells().any(|c| c.token.contains(&thumb[..8])));
}

#[test]
fn key_lookup_names_unknown_and_ambiguous_keys() {
    let env = opaque_stack();
    let config = load(&Inputs {
        env: Some(env.clone()),
        ..Inputs::default()
    })
    .unwrap();
    let stack = read_stack(&env, &config).unwrap();
    let e = stack.find("no-such-key").unwrap_err().to_string();
    assert!(
        e.contains("no key has the kid or a thumbprint starting \"no-such-key\""),
        "{e}"
    );
    assert!(e.contains("signing") && e.contains("legacy_secret"), "{e}");
    assert!(stack.find("").is_err());
}

#[test]
fn bad_input_exits_2_with_a_message_naming_the_variable() {
    let env = opaque_stack();
    let keys = raw_var(&env, "JWT_KEYS");
    let cases = [
        (
            set_var(&env, "JWT_KEYS", &keys[..keys.len() - 2], true),
            vec!["JWT_KEYS", ".env line", "not valid JSON"],
        ),
        (
            set_var(
                &env,
                "JWT_KEYS",
                &keys.replace(r#""kty":"oct","#, r#""kty":"oct","key_ops":["sign"],"#),
                true,
            ),
            vec![
                "JWT_KEYS",
                "2 signing keys",
                "multiple signing keys detected",
            ],
        ),
        (
            set_var(
                &env,
                "JWT_KEYS",
                &keys.replace(r#"["sign","verify"]"#, r#"["verify"]"#),
                true,
            ),
            vec!["JWT_KEYS", "no signing key"],
        ),
        (
            format!("{env}# supajwt: key abc retired since 2026-01-01T00:00:00Z\n"),
            vec!["unreadable supajwt record"],
        ),
    ];
    for (bad, words) in cases {
        let f = files(&bad, &opaque_compose(true), &kong_opaque());
        let r = run(&["key", "list", "--env", &f.env], None);
        assert_eq!(r.code, 2, "{}", r.stdout);
        for w in words {
            assert!(r.stderr.contains(w), "{w}: {}", r.stderr);
        }
        assert!(r.stdout.is_empty());
    }
}

#[test]
fn the_text_output_has_the_keys_then_the_matrix() {
    let env = opaque_stack();
    let f = files(&env, &opaque_compose(true), &kong_opaque());
    let now = NOW.to_string();
    let r = run(&["key", "list", "--env", &f.env, "--now", &now], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let keys = r.stdout.find("Keys (2;").unwrap();
    let matrix = r.stdout.find("Verdict matrix").unwrap();
    assert!(keys < matrix, "{}", r.stdout);
    assert!(
        r.stdout.contains("upstream's wiring assumed"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("signed ANON_KEY_ASYMMETRIC, SERVICE_ROLE_KEY_ASYMMETRIC")
    );
    assert!(
        !r.stdout.contains("envoy"),
        "no Envoy column without an Envoy file"
    );
}

/// With upstream's Envoy override and listener: an envoy column, the legacy API keys accepted
/// as apikey (the entrypoint renders them into the listener), a stale rendered key refused.
#[test]
fn the_envoy_column_appears_with_an_envoy_listener() {
    let env = opaque_stack();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let (e, c, o) = (
        write(".env", &env),
        write("docker-compose.yml", &opaque_compose(true)),
        write("docker-compose.envoy.yml", &compose_envoy()),
    );
    let now = NOW.to_string();
    let list = |lds: &str| {
        let l = write("lds.yaml", lds);
        let args = [
            "key",
            "list",
            "--env",
            &e,
            "--compose",
            &c,
            "--compose",
            &o,
            "--envoy",
            &l,
            "--now",
            &now,
            "--json",
        ];
        let r = run(&args, None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str::<Value>(&r.stdout).unwrap()
    };
    let envoy = |out: &Value, token: &str| {
        out["matrix"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["token"] == token && c["service"] == "envoy")
            .unwrap()["accepted"]
            .clone()
    };
    let out = list(ENVOY_LDS_EXCERPT);
    assert_eq!(envoy(&out, "ANON_KEY"), true);
    assert_eq!(envoy(&out, "SERVICE_ROLE_KEY"), true);
    assert_eq!(envoy(&out, "ANON_KEY_ASYMMETRIC"), Value::Null);
    let stale = ENVOY_LDS_EXCERPT.replace("${ANON_KEY}", &raw_var(&opaque_stack(), "ANON_KEY"));
    assert_eq!(envoy(&list(&stale), "ANON_KEY"), false);
}
