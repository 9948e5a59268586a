//! Replays every input kept in `tests/data/fuzz/<target>/` (crashes found by the fuzz targets in
//! `fuzz/`, and seeds) through the same code the fuzz target runs: none may panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::clock::NOW;
use common::data;
use supajwt::jose::keys::{load_keys, public_pem, thumbprint, to_jwk};
use supajwt::jose::token::Jws;
use supajwt::jose::verify::{VerifyOptions, verify_token};
use supajwt::supabase::doctor::{Inputs, diagnose};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = data::path(&format!("fuzz/{target}"));
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no inputs in {}", dir.display());
    out
}

#[test]
fn token_inputs() {
    for (_, data) in inputs("token") {
        let text = String::from_utf8_lossy(&data);
        if let Ok(jws) = Jws::parse_pasted_unverified(&text) {
            let _ = supajwt::supabase::claims::claims_report(&jws, NOW);
            let _ = supajwt::jose::header::check_header(&jws);
            // The claim checks at the clock's and the leeway's extremes.
            if let Ok(claims) = jws.claims() {
                for now in [NOW, i64::MIN, i64::MAX, 0] {
                    let _ = supajwt::supabase::claims::claims_report(&jws, now);
                    for leeway in [0, 3600, 86_400, u64::MAX] {
                        let options = VerifyOptions {
                            leeway,
                            ..VerifyOptions::default()
                        };
                        let _ = supajwt::jose::verify::check_claims(&claims, &options, now)
                            .map_err(|e| e.to_string());
                        let _ = supajwt::jose::verify::leeway_reliance(&claims, leeway, now)
                            .map(|r| r.describe());
                    }
                }
            }
        }
    }
}

#[test]
fn key_inputs() {
    for (_, data) in inputs("keys") {
        if let Ok(set) = load_keys(&String::from_utf8_lossy(&data)) {
            for key in &set.keys {
                let _ = (to_jwk(key, true), thumbprint(key), public_pem(key));
            }
        }
    }
}

#[test]
fn config_inputs() {
    for (_, data) in inputs("config") {
        let text = String::from_utf8_lossy(&data).into_owned();
        for slot in 0..5 {
            let mut i = Inputs {
                token: Some(text.clone()),
                ..Inputs::default()
            };
            match slot {
                0 => i.env = Some(text.clone()),
                1 => i.compose = Some(text.clone()),
                2 => i.kong = Some(text.clone()),
                3 => i.k8s = Some(text.clone()),
                _ => i.config_toml = Some(text.clone()),
            }
            let _ = diagnose(&i, NOW);
        }
    }
}

#[test]
fn verify_inputs() {
    let keys = load_keys(r#"{"keys":[{"kty":"oct","k":"c2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2gtZm9yLWhzMjU2"},{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#).unwrap();
    for (name, data) in inputs("verify") {
        if let Ok(jws) = Jws::parse_unverified(&String::from_utf8_lossy(&data)) {
            assert!(
                verify_token(&jws, &keys, &VerifyOptions::default(), NOW).is_err(),
                "{name} must not verify"
            );
        }
    }
}
