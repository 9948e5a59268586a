//! Properties checked on generated inputs (proptest): no input panics the core; keys survive
//! export and import; minted claims decode unchanged; minted tokens verify and any single
//! changed character is rejected.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::clock::NOW;
use proptest::prelude::*;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::input::clean_token_input;
use supajwt::jose::keys::{
    Key, KeyMaterial, KeySet, KeySetShape, load_keys, private_pem, public_pem, to_jwk,
};
use supajwt::jose::sign::sign_claims;
use supajwt::jose::token::Jws;
use supajwt::jose::verify::{VerifyOptions, check_claims, leeway_reliance, verify_token};
use supajwt::safe_text::escape::{escape_for_terminal, needs_escape, pretty_json};
use supajwt::supabase::claims::claims_report;
use supajwt::supabase::doctor::{Inputs, diagnose};
use supajwt::supabase::mint::{Lifetime, MintRequest, MintRole, mint};

fn token_like() -> impl Strategy<Value = String> {
    let seg = "[A-Za-z0-9_=+/-]{0,60}";
    (
        seg,
        seg,
        seg,
        prop::sample::select(vec!["", ".", "..", " ", "\n", "Bearer ", "ANON_KEY="]),
    )
        .prop_map(|(a, b, c, pre)| format!("{pre}eyJ{a}.{b}.{c}"))
}

fn ec_key(seed: [u8; 32]) -> Option<Key> {
    let sk = p256::SecretKey::from_slice(&seed).ok()?;
    let mut key = Key::new(
        KeyMaterial::P256 {
            public: sk.public_key(),
            private: Some(sk),
        },
        "generated",
    );
    key.kid = Some("prop".into());
    Some(key)
}

fn ed_key(seed: [u8; 32]) -> Key {
    let sk = ed25519_dalek::SigningKey::from_bytes(&seed);
    Key::new(
        KeyMaterial::Ed25519 {
            public: sk.verifying_key(),
            private: Some(Box::new(sk)),
        },
        "generated",
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn nothing_panics_on_arbitrary_text(text in ".{0,400}") {
        let _ = clean_token_input(&text);
        if let Ok(jws) = Jws::parse_pasted_unverified(&text) {
            let _ = claims_report(&jws, NOW);
        }
        let _ = load_keys(&text);
        let _ = diagnose(&Inputs { env: Some(text.clone()), compose: Some(text.clone()), token: Some(text.clone()), error_message: Some(text.clone()), ..Inputs::default() }, NOW);
    }

    #[test]
    fn nothing_panics_on_token_like_text(text in token_like()) {
        if let Ok(jws) = Jws::parse_pasted_unverified(&text) {
            let _ = claims_report(&jws, NOW);
            let keys = KeySet::secret("a-secret-that-is-long-enough-for-hs256-0123", SecretEncoding::Text).unwrap();
            let _ = verify_token(&jws, &keys, &VerifyOptions::default(), NOW);
        }
    }

    #[test]
    fn keys_survive_export_and_import(seed in any::<[u8; 32]>(), ed in any::<bool>()) {
        let key = if ed { ed_key(seed) } else { match ec_key(seed) { Some(k) => k, None => return Ok(()) } };
        let jwk = serde_json::Value::Object(to_jwk(&key, true)).to_string();
        prop_assert_eq!(to_jwk(&load_keys(&jwk).unwrap().keys[0], true), to_jwk(&key, true));
        let from_pem = load_keys(private_pem(&key).unwrap().expose()).unwrap();
        prop_assert_eq!(to_jwk(&from_pem.keys[0], true).get("d").cloned(), to_jwk(&key, true).get("d").cloned());
        let public = load_keys(&public_pem(&key).unwrap()).unwrap();
        prop_assert_eq!(to_jwk(&public.keys[0], false).get("x").cloned(), to_jwk(&key, false).get("x").cloned());
    }

    #[test]
    fn minted_claims_decode_unchanged(role in 0..3u8, sub in "[a-z0-9-]{1,36}", iss in "[ -~]{1,40}", secs in 60i64..100_000_000, extra in "[a-z]{1,10}") {
        let key = KeySet::secret("a-secret-that-is-long-enough-for-hs256-0123", SecretEncoding::Text).unwrap();
        let role = [MintRole::Anon, MintRole::ServiceRole, MintRole::Authenticated][role as usize];
        let mut claims = serde_json::Map::new();
        claims.insert("note".into(), serde_json::json!(extra));
        let req = MintRequest { role, issuer: Some(iss.clone()), project_ref: None, subject: Some(sub.clone()), expires_in: Lifetime::Seconds(secs), extra: claims, now: NOW };
        let token = mint(&req, &key.keys[0], None).unwrap();
        let decoded = Jws::parse_unverified(&token).unwrap().claims().unwrap();
        prop_assert_eq!(decoded.get("iss").and_then(|v| v.as_str()), Some(iss.as_str()));
        prop_assert_eq!(decoded.get("exp").and_then(|v| v.as_i64()), Some(NOW + secs));
        prop_assert_eq!(decoded.get("role").and_then(|v| v.as_str()), Some(role.claim()));
        prop_assert_eq!(decoded.get("note").and_then(|v| v.as_str()), Some(extra.as_str()));
        if role == MintRole::Authenticated {
            prop_assert_eq!(decoded.get("sub").and_then(|v| v.as_str()), Some(sub.as_str()));
        }
    }

    #[test]
    fn any_single_change_is_rejected(seed in any::<[u8; 32]>(), which in 0..3u8, pos in any::<prop::sample::Index>(), replacement in "[A-Za-z0-9_-]") {
        let (key, keys) = match which {
            0 => {
                let k = KeySet::secret("a-secret-that-is-long-enough-for-hs256-0123", SecretEncoding::Text).unwrap();
                (k.keys[0].clone(), k)
            }
            1 => match ec_key(seed) {
                Some(k) => (k.clone(), KeySet::single(k.public_only(), KeySetShape::SingleJwk)),
                None => return Ok(()),
            },
            _ => {
                let k = ed_key(seed);
                (k.clone(), KeySet::single(k.public_only(), KeySetShape::SingleJwk))
            }
        };
        let token = sign_claims(serde_json::json!({"role": "anon", "exp": NOW + 60}).as_object().unwrap(), &key, None).unwrap();
        prop_assert!(verify_token(&Jws::parse_unverified(&token).unwrap(), &keys, &VerifyOptions::default(), NOW).is_ok());
        let positions: Vec<usize> = token.char_indices().filter(|(_, c)| *c != '.').map(|(i, _)| i).collect();
        let at = positions[pos.index(positions.len())];
        let new = replacement.chars().next().unwrap();
        prop_assume!(token.as_bytes()[at] as char != new);
        let mut tampered = token.clone();
        tampered.replace_range(at..at + 1, &new.to_string());
        let outcome = Jws::parse_unverified(&tampered).and_then(|j| verify_token(&j, &keys, &VerifyOptions::default(), NOW));
        prop_assert!(outcome.is_err(), "changed byte {} of {}", at, token);
    }

    #[test]
    fn numeric_date_any_number_never_overflows(
        exp in prop_oneof![any::<i64>(), Just(i64::MAX), Just(i64::MIN)],
        float in prop_oneof![any::<f64>().prop_filter("finite", |f| f.is_finite()), Just(1e300), Just(-1e300), Just(0.5)],
        now in prop_oneof![any::<i64>(), Just(i64::MAX), Just(i64::MIN), Just(NOW)],
        leeway in prop_oneof![0..=86_400u64, Just(u64::MAX)],
    ) {
        for claims in [
            serde_json::json!({"exp": exp, "nbf": float, "iat": u64::MAX}),
            serde_json::json!({"exp": float, "nbf": exp, "iat": exp}),
        ] {
            let claims = claims.as_object().unwrap().clone();
            let options = VerifyOptions { leeway, ..VerifyOptions::default() };
            let _ = check_claims(&claims, &options, now).map_err(|e| e.to_string());
            if let Some(r) = leeway_reliance(&claims, leeway, now) {
                let _ = r.describe();
            }
            let token = format!(
                "eyJhbGciOiJIUzI1NiJ9.{}.c2ln",
                supajwt::jose::b64::encode(serde_json::Value::Object(claims).to_string().as_bytes())
            );
            let jws = Jws::parse_unverified(&token).unwrap();
            let _ = claims_report(&jws, now);
        }
    }

    #[test]
    fn escape_leaves_no_control_and_keeps_plain_text(text in "\\PC{0,40}|[\\x00-\\x{9f}\\x{2028}-\\x{202e}\\x{2066}-\\x{2069}a-z]{0,40}") {
        let escaped = escape_for_terminal(&text);
        prop_assert!(!escaped.chars().any(needs_escape));
        if !text.chars().any(needs_escape) {
            prop_assert_eq!(escaped.as_ref(), text.as_str());
        }
        let json = pretty_json(&serde_json::json!({ "k": text.clone() }));
        prop_assert!(!json.chars().any(|c| needs_escape(c) && c != '\n'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back["k"].as_str(), Some(text.as_str()));
    }

    /// Issue 24 §2: the one-pass scrub leaves none of the known secrets, however they overlap
    /// (upper-case secrets: no fingerprint can spell one again).
    #[test]
    fn scrub_removes_every_known_secret(
        secrets in prop::collection::vec("[A-D]{6,9}", 1..12),
        glue in prop::collection::vec("[A-D ]{0,5}", 1..12),
    ) {
        let text: String = secrets.iter().zip(glue.iter().cycle()).map(|(s, g)| format!("{g}{s}")).collect();
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let out = supajwt::safe_text::redact::scrub_text(&text, &refs);
        for s in &secrets {
            prop_assert!(!out.contains(s.as_str()), "{} survives in {}", s, out);
        }
    }

    /// Issue 24 §1: a paste never reports more than the cap, and counts the rest.
    #[test]
    fn a_paste_reports_at_most_the_cap(n in 0usize..300) {
        let text: String = (0..n).map(|i| format!("eyJ{i}.a.b ")).collect();
        if let Ok(found) = supajwt::inspect::recognise(&text) {
            prop_assert!(found.credentials.len() <= supajwt::inspect::MAX_CREDENTIALS);
            prop_assert_eq!(found.credentials.len() + found.omitted, n);
        }
    }

    /// Issue 24 §3: wherever a HAR holds a secret-named value (a URL, a relative URL, a header,
    /// a cookie, a form, JSON or multipart body, a page title), `har --redact` leaves none of
    /// it, and its output is valid JSON with the entry.
    #[test]
    fn har_redact_leaves_no_planted_secret(
        secret in "[A-Z]{12,20}",
        name in prop::sample::select(vec!["token", "token_hash", "code", "password", "new_password", "access_token", "refresh_token", "apikey", "client_secret"]),
        place in 0usize..8,
    ) {
        let url = format!("https://abc.supabase.co/auth/v1/x?{name}={secret}");
        let (mut request, mut title) = (serde_json::json!({"method": "GET", "url": "https://abc.supabase.co/", "headers": []}), String::from("t"));
        match place {
            0 => request["url"] = url.into(),
            1 => request["headers"] = serde_json::json!([{"name": ":path", "value": format!("/x?{name}={secret}")}]),
            2 => request["headers"] = serde_json::json!([{"name": "location", "value": format!("x/y?a=1&{name}={secret}")}]),
            3 => request["headers"] = serde_json::json!([{"name": "set-cookie", "value": format!("a=1\n{name}={secret}; Path=/")}]),
            4 => request["postData"] = serde_json::json!({"mimeType": "application/x-www-form-urlencoded", "text": format!("a=1&{name}={secret}")}),
            // In JSON, `code` is an error code (PostgREST's "PGRST301"); the PKCE code is `auth_code`.
            5 => request["postData"] = serde_json::json!({"mimeType": "application/json", "text": serde_json::json!({if name == "code" { "auth_code" } else { name }: secret}).to_string()}),
            6 => request["postData"] = serde_json::json!({"mimeType": "multipart/form-data; boundary=B", "text": format!("--B\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{secret}\r\n--B--\r\n")}),
            _ => title = format!("Confirm {name}={secret} now"),
        }
        let har = serde_json::json!({"log": {"pages": [{"title": title}], "entries": [{"request": request, "response": {"status": 200}}]}});
        let mut out = Vec::new();
        let n = supajwt::inspect::har::redact_har(har.to_string().as_bytes(), &mut out).unwrap();
        prop_assert_eq!(n, 1);
        let text = String::from_utf8(out).unwrap();
        prop_assert!(!text.contains(&secret), "{} survives: {}", secret, text);
        serde_json::from_str::<serde_json::Value>(&text).unwrap();
    }
}
