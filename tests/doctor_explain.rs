//! The Doctor names the real cause: each upstream component's error message is explained as
//! that component's, and a Kubernetes Secret whose value ends in a newline (the classic
//! `echo "…" | base64`) is diagnosed as exactly that.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::clock::NOW;
use supajwt::supabase::doctor::{Inputs, Severity, diagnose, explain_error};

#[test]
fn explainer_knows_storage_supabase_js_functions_realtime_and_envoy() {
    for (message, component) in [
        (
            r#"{"statusCode":"403","code":"AccessDenied","error":"Unauthorized","message":"\"alg\" (Algorithm) Header Parameter value not allowed"}"#,
            "Storage",
        ),
        ("\"exp\" claim timestamp check failed", "Storage"),
        ("Invalid Compact JWS", "Storage"),
        ("AuthInvalidJwtError: Invalid alg claim", "supabase-js"),
        ("JWT has expired", "supabase-js"),
        (
            "AuthSessionMissingError: Auth session missing!",
            "supabase-js",
        ),
        (
            r#"{"code":"UNAUTHORIZED_UNSUPPORTED_TOKEN_ALGORITHM","message":"Unsupported JWT algorithm EdDSA"}"#,
            "Edge Functions",
        ),
        ("Missing authorization header", "Edge Functions"),
        (
            r#"{"code":"UNAUTHORIZED_ASYMMETRIC_JWT","message":"Invalid JWT","msg":"Invalid JWT"}"#,
            "Edge Functions",
        ),
        (
            "JWKS not available for ES256/RS256 token verification",
            "Edge Functions",
        ),
        (
            r#"{"code":"UNAUTHORIZED_LEGACY_JWT","message":"Invalid JWT"}"#,
            "Edge Functions",
        ),
        ("failed to generate jwt signer", "Realtime"),
        ("Fields `role` and `exp` are required in JWT", "Realtime"),
        ("Unauthorized", "Envoy"),
    ] {
        let e = explain_error(message, &[]);
        assert!(
            e.component.contains(component),
            "{message}: explained as {}",
            e.component
        );
        assert!(!e.meaning.is_empty() && !e.check.is_empty(), "{message}");
    }
}

fn k8s_secret(jwt_secret_b64: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: supabase-jwt\ndata:\n  JWT_SECRET: {jwt_secret_b64}\n"
    )
}

#[test]
fn k8s_secret_with_a_trailing_newline_is_named_with_the_fix() {
    use base64::Engine;
    let enc = |v: &str| base64::engine::general_purpose::STANDARD.encode(v);
    let secret = "a-kubernetes-secret-that-is-long-enough-0123456789";
    for (value, tail) in [
        (format!("{secret}\n"), "a newline"),
        (format!("{secret}\r"), "a carriage return"),
        (format!("{secret} "), "a space"),
    ] {
        let report = diagnose(
            &Inputs {
                k8s: Some(k8s_secret(&enc(&value))),
                ..Inputs::default()
            },
            NOW,
        )
        .unwrap();
        let finding = report
            .findings
            .iter()
            .find(|f| f.code == "k8s_secret_trailing_newline")
            .unwrap_or_else(|| panic!("{tail}: {:#?}", report.findings));
        assert_eq!(finding.severity, Severity::Error);
        assert!(finding.title.contains(tail), "{}", finding.title);
        assert!(finding.detail.contains("echo"), "{}", finding.detail);
        assert!(
            finding.fix.contains("echo -n") && finding.fix.contains("stringData"),
            "{}",
            finding.fix
        );
    }
    // The same Secret made with echo -n: no such finding.
    let report = diagnose(
        &Inputs {
            k8s: Some(k8s_secret(&enc(secret))),
            ..Inputs::default()
        },
        NOW,
    )
    .unwrap();
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.code != "k8s_secret_trailing_newline"),
        "{:#?}",
        report.findings
    );
}
