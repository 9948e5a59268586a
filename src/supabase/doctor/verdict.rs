//! A service's answer to one token (accepted, refused with its own words, or unknown), and the
//! verification every service rule ends in.

use crate::jose::error::CoreError;
use crate::jose::keys::KeySet;
use crate::jose::token::Jws;
use crate::jose::verify::{VerifyOptions, verify_token};
use serde::Serialize;

/// One service's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceVerdict {
    /// Kong, GoTrue, PostgREST, Realtime, Storage, Functions, supabase-js.
    pub service: &'static str,
    /// Accepted or not (`None`: not enough configuration to tell).
    pub accepted: Option<bool>,
    /// What the service would say, or why it accepts.
    pub message: String,
}

pub(super) fn verdict(service: &'static str, result: Result<String, String>) -> ServiceVerdict {
    match result {
        Ok(m) => ServiceVerdict {
            service,
            accepted: Some(true),
            message: m,
        },
        Err(m) => ServiceVerdict {
            service,
            accepted: Some(false),
            message: m,
        },
    }
}

/// An acceptance.
pub(super) fn accepted(service: &'static str, message: String) -> ServiceVerdict {
    verdict(service, Ok(message))
}

/// A refusal with the service's message.
pub(super) fn refused(service: &'static str, message: &str) -> ServiceVerdict {
    verdict(service, Err(message.to_string()))
}

/// Not enough configuration to tell.
pub(super) fn unknown(service: &'static str, why: &str) -> ServiceVerdict {
    ServiceVerdict {
        service,
        accepted: None,
        message: why.into(),
    }
}

pub(super) fn check(
    service: &'static str,
    jws: &Jws,
    set: &KeySet,
    now: i64,
    skew: u64,
) -> ServiceVerdict {
    let options = VerifyOptions {
        leeway: skew,
        ..VerifyOptions::default()
    };
    match verify_token(jws, set, &options, now) {
        Ok(v) => verdict(
            service,
            Ok(format!("accepted: {} signature by {}", v.alg, v.key)),
        ),
        Err(e) => verdict(service, Err(describe(service, &e))),
    }
}

/// Verifies with `set`, naming which key the service picked.
pub(super) fn check_with(
    service: &'static str,
    jws: &Jws,
    set: &KeySet,
    now: i64,
    skew: u64,
    picked: &str,
) -> ServiceVerdict {
    let mut v = check(service, jws, set, now, skew);
    v.message = format!("{} (uses {picked})", v.message);
    v
}

/// The service's own words for a failed check.
fn describe(service: &str, e: &CoreError) -> String {
    let quoted = match (service, e) {
        ("GoTrue", CoreError::Expired { .. }) => "token is expired",
        ("GoTrue", CoreError::KidNotFound { .. }) => "unrecognized JWT kid",
        ("GoTrue", _) => "signature is invalid",
        ("PostgREST", CoreError::Expired { .. }) => "JWT expired",
        ("PostgREST", _) => "No suitable key or wrong key type",
        ("Realtime", CoreError::KidNotFound { .. }) => "Failed to generate JWT signer for key ID",
        ("Storage", CoreError::Expired { .. }) => "\"exp\" claim timestamp check failed",
        ("Functions", _) => "Invalid JWT",
        (_, _) => "signature verification failed",
    };
    format!("401 \"{quoted}\" — {e}")
}
