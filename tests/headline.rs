//! The validity headline (issue 12 §4): expired, not yet valid, or expiring within the
//! 60 days the Doctor also warns about — through the core and as `decode`'s first line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::command;
use common::clock::HEADLINE_NOW as NOW;
use serde_json::{Map, Value, json};
use supajwt::supabase::claims::{EXPIRY_WARNING_SECS, Headline, Severity, validity_headline};
use supajwt::supabase::roles::DOCKER_DEMO_ANON_KEY;

const DAY: i64 = 86_400;

fn claims(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

#[test]
fn expired_not_yet_valid_and_expiring_soon() {
    let h = validity_headline(&claims(json!({"exp": NOW - 3 * DAY})), NOW).unwrap();
    assert_eq!(h.code(), "expired");
    assert_eq!(h.severity(), Severity::Danger);
    assert_eq!(h.text(), "EXPIRED 3 days ago (2026-11-25 14:02:00 UTC)");

    let h = validity_headline(
        &claims(json!({"nbf": NOW + 7200, "exp": NOW + 400 * DAY})),
        NOW,
    )
    .unwrap();
    assert_eq!(h.code(), "not_yet_valid");
    assert_eq!(
        h.text(),
        "NOT YET VALID — starts in 2 hours (2026-11-28 16:02:00 UTC)"
    );

    let h = validity_headline(&claims(json!({"exp": NOW + 42 * DAY})), NOW).unwrap();
    assert_eq!(
        h,
        Headline::ExpiresSoon {
            exp: NOW + 42 * DAY,
            now: NOW
        }
    );
    assert_eq!(h.severity(), Severity::Warning);
    assert_eq!(
        h.text(),
        "expires in 1 month 12 days (2027-01-09 14:02:00 UTC): re-mint before then"
    );
}

#[test]
fn the_order_and_the_60_day_boundary() {
    let both = claims(json!({"exp": NOW - 1, "nbf": NOW + 10}));
    assert_eq!(validity_headline(&both, NOW).unwrap().code(), "expired");
    assert_eq!(EXPIRY_WARNING_SECS, 60 * DAY);
    let edge = claims(json!({"exp": NOW + EXPIRY_WARNING_SECS}));
    assert_eq!(validity_headline(&edge, NOW), None);
    let inside = claims(json!({"exp": NOW + EXPIRY_WARNING_SECS - 1}));
    assert_eq!(
        validity_headline(&inside, NOW).unwrap().code(),
        "expires_soon"
    );
    assert_eq!(
        validity_headline(&claims(json!({"role": "anon"})), NOW),
        None
    );
    assert_eq!(
        validity_headline(&claims(json!({"exp": "soon"})), NOW),
        None
    );
    assert_eq!(
        validity_headline(&claims(json!({"exp": NOW - 1})), NOW)
            .unwrap()
            .code(),
        "expired",
        "at exp the token is expired (exp <= now), as verify says"
    );
}

fn decode(args: &[&str]) -> String {
    let out = command().arg("decode").args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn decode_prints_the_headline_first() {
    // The demo anon key of .env.example expires on 2027-01-09 23:00 UTC.
    let now = NOW.to_string();
    let human = decode(&[DOCKER_DEMO_ANON_KEY, "--now", &now]);
    assert_eq!(
        human.lines().next().unwrap(),
        "WARNING: expires in 1 month 12 days (2027-01-09 23:00:00 UTC): re-mint before then",
        "{human}"
    );
    let later = (1_799_535_600 + 3 * DAY).to_string();
    let human = decode(&[DOCKER_DEMO_ANON_KEY, "--now", &later]);
    assert!(
        human.starts_with("EXPIRED 3 days ago (2027-01-09 23:00:00 UTC)\n"),
        "{human}"
    );
    let redacted = decode(&[DOCKER_DEMO_ANON_KEY, "--now", &later, "--redact"]);
    assert!(redacted.starts_with("EXPIRED 3 days ago"), "{redacted}");
    let early = (1_641_769_200).to_string();
    let human = decode(&[DOCKER_DEMO_ANON_KEY, "--now", &early]);
    assert!(human.starts_with("== header"), "no headline: {human}");

    for extra in [None, Some("--redact")] {
        let mut args = vec![DOCKER_DEMO_ANON_KEY, "--now", &later, "--json"];
        args.extend(extra);
        let v: Value = serde_json::from_str(&decode(&args)).unwrap();
        assert_eq!(v["headline"]["code"], "expired", "{extra:?}");
        assert_eq!(v["headline"]["severity"], "danger");
        assert_eq!(
            v["headline"]["text"],
            "EXPIRED 3 days ago (2027-01-09 23:00:00 UTC)"
        );
    }
    let v: Value =
        serde_json::from_str(&decode(&[DOCKER_DEMO_ANON_KEY, "--now", &early, "--json"])).unwrap();
    assert_eq!(v["headline"], Value::Null);
}
