//! Token verification (RFC 7515 §5.2, RFC 7519 §7.2, RFC 8725): the key and algorithm come
//! from the caller, never from the token; a key set selects by `kid` as the JWKS verifiers do.

use crate::jose::alg::{Alg, list};
use crate::jose::crypto::verify_raw;
use crate::jose::error::{AlgorithmLimit, CoreError, Segment};
use crate::jose::header::check_header;
use crate::jose::keys::{Key, KeySet};
use crate::jose::token::{Jws, describe_json};
use serde_json::{Map, Value};

use crate::jose::verify_note::VerifyNote;

/// What to check besides the signature.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Narrows the algorithms the keys allow (`--alg`); empty means "what the keys allow".
    pub algorithms: Vec<Alg>,
    /// Clock skew tolerated for `exp`, `nbf` and `iat`, in seconds.
    pub leeway: u64,
    /// Required `iss`, if any.
    pub issuer: Option<String>,
    /// Required audience (in `aud`), if any.
    pub audience: Option<String>,
}

/// The largest `leeway` accepted: more than a day disables expiry checks in practice.
pub const MAX_LEEWAY_SECS: u64 = 86_400;
/// A leeway above this (5 minutes) is named in the verdict when the token needs it to pass.
pub const NOTABLE_LEEWAY_SECS: u64 = 300;

/// Refuses a leeway above [`MAX_LEEWAY_SECS`] with the message the CLI and the window show.
pub fn check_leeway(leeway: u64) -> Result<(), String> {
    if leeway <= MAX_LEEWAY_SECS {
        return Ok(());
    }
    let days = if leeway.is_multiple_of(86_400) {
        (leeway / 86_400).to_string()
    } else {
        format!("{:.1}", leeway as f64 / 86_400.0)
    };
    Err(format!(
        "a leeway of {days} days disables expiry checks; the most is {MAX_LEEWAY_SECS} s"
    ))
}

/// A time check that passed only thanks to a leeway above [`NOTABLE_LEEWAY_SECS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeewayReliance {
    /// `exp`, `nbf` or `iat`.
    pub claim: &'static str,
    /// The leeway, in seconds.
    pub leeway: u64,
    /// The claim's time.
    pub at: i64,
    /// The time of the check.
    pub now: i64,
}

impl LeewayReliance {
    /// "valid only because of the 3600 s leeway: it expired 20 minutes ago".
    pub fn describe(&self) -> String {
        let span = crate::jose::time::human_span(self.at, self.now);
        let what = match self.claim {
            "exp" => format!("it expired {span} ago"),
            "nbf" => format!("it is not valid for another {span}"),
            _ => format!("it was issued {span} in the future"),
        };
        format!("valid only because of the {} s leeway: {what}", self.leeway)
    }
}

/// A token that passed every check.
#[derive(Debug, Clone)]
pub struct Verified {
    /// Index of the key that verified it, in the key set.
    pub key_index: usize,
    /// That key, described.
    pub key: String,
    /// The algorithm used.
    pub alg: Alg,
    /// Things worth knowing that did not fail the check.
    pub notes: Vec<VerifyNote>,
    /// Set when a leeway above 5 minutes is what made a time check pass.
    pub leeway_reliance: Option<LeewayReliance>,
}

/// Checks only the signature of a JWS (any payload) against a key set.
pub fn verify_signature(
    jws: &Jws,
    keys: &KeySet,
    algorithms: &[Alg],
) -> Result<Verified, CoreError> {
    check_header(jws)?;
    let alg = jws.alg()?;
    if !algorithms.is_empty() && !algorithms.contains(&alg) {
        return Err(CoreError::AlgorithmNotAllowed {
            alg: alg.name().into(),
            by: AlgorithmLimit::AllowList,
            allowed: list(algorithms),
        });
    }
    if keys.keys.is_empty() {
        return Err(CoreError::NoKeys);
    }
    let mut notes = Vec::new();
    let candidates = select_candidates(jws, keys, alg, &mut notes)?;
    let message = jws.signing_input();
    let mut last_error = None;
    for &i in &candidates {
        match verify_raw(&keys.keys[i], alg, &message, &jws.signature) {
            Ok(()) => {
                return Ok(Verified {
                    key_index: i,
                    key: keys.keys[i].describe(),
                    alg,
                    notes,
                    leeway_reliance: None,
                });
            }
            Err(e) => last_error = Some(e),
        }
    }
    let error = last_error.unwrap_or(CoreError::NoKeys);
    if let CoreError::SignatureInvalid { .. } = error
        && let Some(encoding) =
            crate::jose::secret_reading::other_secret_reading(jws, keys, alg, &candidates)
    {
        return Err(CoreError::SecretEncodingMismatch {
            encoding: encoding.label().into(),
        });
    }
    if candidates.len() > 1 && matches!(error, CoreError::SignatureInvalid { .. }) {
        return Err(CoreError::SignatureInvalid {
            key: format!(
                "any of the {} {} keys in the set",
                candidates.len(),
                alg.name()
            ),
        });
    }
    Err(error)
}

/// Full JWT verification: signature, then the payload as claims with `exp`, `nbf`, `iat`,
/// `iss` and `aud` checked against `now` (seconds since 1970).
pub fn verify_token(
    jws: &Jws,
    keys: &KeySet,
    options: &VerifyOptions,
    now: i64,
) -> Result<Verified, CoreError> {
    let mut verified = verify_signature(jws, keys, &options.algorithms)?;
    let claims = checked_claims(jws, options, now)?;
    verified.leeway_reliance = leeway_reliance(&claims, options.leeway, now);
    Ok(verified)
}

/// The claims step after a good signature: no duplicate payload member, a JSON object, and
/// `exp`, `nbf`, `iat`, `iss`, `aud` checked against `now`.
fn checked_claims(
    jws: &Jws,
    options: &VerifyOptions,
    now: i64,
) -> Result<serde_json::Map<String, serde_json::Value>, CoreError> {
    if let Some(dup) = jws.duplicate_members(Segment::Payload).first() {
        return Err(dup.to_error());
    }
    let claims = jws.claims().map_err(|_| CoreError::PayloadNotClaims)?;
    check_claims(&claims, options, now)?;
    Ok(claims)
}

/// Tries labelled key sources in order (the JWKS pane's set, then each key of the ring): the
/// first that verifies wins with its label; otherwise the first source's label and reason.
pub fn verify_with_sources(
    jws: &Jws,
    sources: &[(String, KeySet)],
    options: &VerifyOptions,
    now: i64,
) -> Result<(String, Verified), (String, CoreError)> {
    let mut first_failure = None;
    for (label, set) in sources {
        match verify_token(jws, set, options, now) {
            Ok(v) => return Ok((label.clone(), v)),
            Err(e) => {
                first_failure.get_or_insert((label.clone(), e));
            }
        }
    }
    Err(first_failure.unwrap_or_else(|| (String::new(), CoreError::NoKeys)))
}

/// Which keys a token may be checked against. In a key set, a token with a kid matches only
/// keys with that kid (PostgREST, GoTrue, Realtime); a token without one is tried against the
/// keys of the right type. A single key (secret, PEM, one JWK) is always the candidate.
fn select_candidates(
    jws: &Jws,
    keys: &KeySet,
    alg: Alg,
    notes: &mut Vec<VerifyNote>,
) -> Result<Vec<usize>, CoreError> {
    let all: Vec<usize> = (0..keys.keys.len()).collect();
    if !keys.shape.selects_by_kid() {
        if let (Some(token_kid), Some(key_kid)) = (jws.kid(), keys.keys[0].kid.as_deref())
            && token_kid != key_kid
        {
            notes.push(VerifyNote::KidDiffers {
                token_kid: token_kid.into(),
                key_kid: key_kid.into(),
            });
        }
        return Ok(all);
    }
    if let Some(kid) = jws.kid() {
        let matching: Vec<usize> = all
            .into_iter()
            .filter(|&i| keys.keys[i].kid.as_deref() == Some(kid))
            .collect();
        let unreadable: Vec<&CoreError> = keys
            .unreadable
            .iter()
            .filter(|(k, _)| k.as_deref() == Some(kid))
            .map(|(_, e)| e)
            .collect();
        return match (matching.len(), unreadable.as_slice()) {
            (0, []) => Err(CoreError::KidNotFound {
                kid: kid.into(),
                available: describe_kids(keys),
            }),
            (0, [e]) => Err((*e).clone()),
            (1, []) => Ok(matching),
            (n, rest) => Err(CoreError::AmbiguousKid {
                kid: kid.into(),
                count: n + rest.len(),
            }),
        };
    }
    let family = alg.family();
    let matching: Vec<usize> = all
        .into_iter()
        .filter(|&i| keys.keys[i].family() == family)
        .collect();
    if matching.is_empty() {
        let kinds: Vec<String> = keys.keys.iter().map(Key::kind_label).collect();
        return Err(CoreError::NoKeyForAlgorithm {
            alg: alg.name().into(),
            available: kinds.join(", "),
        });
    }
    Ok(matching)
}

fn describe_kids(keys: &KeySet) -> String {
    let kids = keys.kids();
    if kids.is_empty() {
        "no kids at all".into()
    } else {
        kids.iter()
            .map(|k| format!("\"{k}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reads a NumericDate claim: absent is `None`, a non-number is an error (never "absent").
/// Any JSON number is accepted without overflow: a fraction is rounded down and a value beyond
/// the `i64` range (`1e300`, `18446744073709551615`) is clamped to it, so a huge `exp` means
/// "never expires" and a hugely negative one "expired", as in panva/jose's plain comparison.
pub fn numeric_date(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, CoreError> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(Some(saturating_seconds(n))),
        Some(other) => Err(type_error(name, other)),
    }
}

/// A JSON number as whole seconds, rounded down and clamped to the `i64` range.
fn saturating_seconds(n: &serde_json::Number) -> i64 {
    if let Some(i) = n.as_i64() {
        return i;
    }
    if n.is_u64() {
        return i64::MAX;
    }
    // `as` saturates for floats (and JSON has no NaN): 1e300 becomes i64::MAX.
    n.as_f64().map_or(0, |f| f.floor() as i64)
}

fn type_error(name: &str, v: &Value) -> CoreError {
    CoreError::ClaimType {
        claim: name.into(),
        expected: "a number of seconds since 1970 (NumericDate)",
        found: describe_json(v),
    }
}

/// Which time check (if any) passes only because of a leeway above [`NOTABLE_LEEWAY_SECS`]:
/// `exp` at or before `now`, `nbf` or `iat` after it. Call after [`check_claims`] passed.
pub fn leeway_reliance(
    claims: &Map<String, Value>,
    leeway: u64,
    now: i64,
) -> Option<LeewayReliance> {
    if leeway <= NOTABLE_LEEWAY_SECS {
        return None;
    }
    let time = |name: &str| numeric_date(claims, name).ok().flatten();
    let found = [
        ("exp", time("exp").filter(|&exp| now >= exp)),
        ("nbf", time("nbf").filter(|&nbf| now < nbf)),
        ("iat", time("iat").filter(|&iat| iat > now)),
    ];
    found.into_iter().find_map(|(claim, at)| {
        at.map(|at| LeewayReliance {
            claim,
            leeway,
            at,
            now,
        })
    })
}

/// Checks the registered time claims and the optional `iss` / `aud` requirements.
pub fn check_claims(
    claims: &Map<String, Value>,
    options: &VerifyOptions,
    now: i64,
) -> Result<(), CoreError> {
    let leeway = i64::try_from(options.leeway).unwrap_or(i64::MAX);
    let exp = numeric_date(claims, "exp")?;
    let nbf = numeric_date(claims, "nbf")?;
    let iat = numeric_date(claims, "iat")?;
    if let Some(exp) = exp
        && now >= exp.saturating_add(leeway)
    {
        return Err(CoreError::Expired { exp, now });
    }
    if let Some(nbf) = nbf
        && now.saturating_add(leeway) < nbf
    {
        return Err(CoreError::NotYetValid { nbf, now });
    }
    if let Some(iat) = iat
        && iat > now.saturating_add(leeway)
    {
        return Err(CoreError::IssuedInFuture { iat, now });
    }
    if let Some(expected) = &options.issuer {
        match claims.get("iss") {
            Some(Value::String(s)) if s == expected => {}
            other => {
                return Err(CoreError::IssuerMismatch {
                    expected: expected.clone(),
                    found: other.map_or("nothing (no \"iss\")".into(), describe_json),
                });
            }
        }
    }
    if let Some(expected) = &options.audience {
        let ok = match claims.get("aud") {
            Some(Value::String(s)) => s == expected,
            Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some(expected)),
            _ => false,
        };
        if !ok {
            return Err(CoreError::AudienceMismatch {
                expected: expected.clone(),
                found: claims
                    .get("aud")
                    .map_or("nothing (no \"aud\")".into(), describe_json),
            });
        }
    }
    Ok(())
}

/// One key source's answer to a token, with the signature kept apart from the claims, so a
/// front end can tell "no key here can check it" from "this key was tried and refused it" and
/// from "signed by this key, but expired".
#[derive(Debug, Clone)]
pub struct SourceCheck {
    /// The source's label (as given to [`check_each_source`]).
    pub label: String,
    /// The keys of the source that should check this token ([`keys_for_token`]), described.
    pub matching: Vec<String>,
    /// The signature check: the key that verified it, or why not.
    pub signature: Result<Verified, CoreError>,
    /// The claims checks, run only when the signature verified.
    pub claims: Option<Result<(), CoreError>>,
}

/// Checks a token against every labelled key source (none is skipped after a failure).
pub fn check_each_source(
    jws: &Jws,
    sources: &[(String, KeySet)],
    options: &VerifyOptions,
    now: i64,
) -> Vec<SourceCheck> {
    sources
        .iter()
        .map(|(label, set)| {
            let signature = verify_signature(jws, set, &options.algorithms);
            let claims = signature
                .is_ok()
                .then(|| checked_claims(jws, options, now).map(drop));
            SourceCheck {
                label: label.clone(),
                matching: keys_for_token(jws, set)
                    .into_iter()
                    .map(|i| set.keys[i].describe())
                    .collect(),
                signature,
                claims,
            }
        })
        .collect()
}

/// The keys of a set that should check this token: of the family its `alg` needs and, when
/// the set selects by kid and the token has one, with that kid; otherwise with the same kid or
/// no kid on one side. Empty when the token's `alg` is unusable.
pub fn keys_for_token(jws: &Jws, keys: &KeySet) -> Vec<usize> {
    let Ok(alg) = jws.alg() else {
        return Vec::new();
    };
    let token_kid = jws.kid();
    let by_kid = keys.shape.selects_by_kid();
    (0..keys.keys.len())
        .filter(|&i| {
            let key = &keys.keys[i];
            let kid_fits = match (token_kid, key.kid.as_deref()) {
                (Some(t), Some(k)) => t == k,
                (Some(_), None) => !by_kid,
                (None, _) => true,
            };
            key.family() == alg.family() && kid_fits
        })
        .collect()
}
