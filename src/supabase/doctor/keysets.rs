//! The asymmetric-key checks: `JWT_KEYS` (GoTrue's bare array), `JWT_JWKS` (the object the other
//! services read), the valid methods, and the `*_ASYMMETRIC` API keys.

use super::Config;
use super::finding::{Finding, Severity};
use super::finding_code::FindingCode;
use super::remedy::Remedy;
use crate::jose::b64;
use crate::jose::keys::{
    Key, KeyMaterial, KeySet, KeySetShape, KeySetWarning, load_keys, short_ec_coordinates,
    thumbprint, to_jwk,
};
use crate::jose::token::Jws;
use crate::jose::verify::{VerifyOptions, verify_token};
use serde_json::Value;

/// Runs the key-set checks.
pub fn check(config: &Config, now: i64, out: &mut Vec<Finding>) {
    let keys = config
        .get("JWT_KEYS")
        .and_then(|text| check_jwt_keys(text, out));
    let jwks = config
        .get("JWT_JWKS")
        .and_then(|text| check_jwt_jwks(text, config, out));
    let duplicated = check_duplicate_kids(keys.as_ref(), jwks.as_ref(), out);
    if let (Some(keys), Some(jwks)) = (&keys, &jwks) {
        check_jwks_covers_keys(keys, jwks, &duplicated, out);
    }
    check_methods(config, keys.as_ref(), out);
    for (name, role) in [
        ("ANON_KEY_ASYMMETRIC", "anon"),
        ("SERVICE_ROLE_KEY_ASYMMETRIC", "service_role"),
    ] {
        if let Some(token) = config.get(name) {
            check_asymmetric_key(name, role, token, jwks.as_ref(), now, out);
        }
    }
}

fn check_jwt_keys(text: &str, out: &mut Vec<Finding>) -> Option<KeySet> {
    let parsed = serde_json::from_str::<Value>(text);
    if matches!(&parsed, Ok(Value::Object(o)) if o.contains_key("keys")) {
        out.push(Finding::new(Severity::Error, FindingCode::JwtKeysNotArray, "JWT_KEYS is a {\"keys\":[...]} object; GoTrue needs a bare array").vars(&["JWT_KEYS", "GOTRUE_JWT_KEYS"])
            .detail("GoTrue fails to start: \"cannot unmarshal object into Go value of type []…\".")
            .fix("Write JWT_KEYS as the array itself: [{…},{…}] (the object form belongs in JWT_JWKS)."));
    }
    let set = match load_keys(text) {
        Ok(set) => set,
        Err(e) => {
            out.push(
                Finding::new(
                    Severity::Error,
                    FindingCode::JwtKeysInvalid,
                    "JWT_KEYS cannot be read",
                )
                .vars(&["JWT_KEYS"])
                .detail(format!(
                    "{e}. GoTrue refuses it the same way (e.g. \"invalid \\\"x\\\" length (31)\")."
                ))
                .fix("Regenerate the key set, keeping JWT_SECRET as its legacy key.")
                .remedy(Remedy::NewKeySet {
                    keep_legacy_secret: true,
                }),
            );
            return None;
        }
    };
    for w in set
        .warnings
        .iter()
        .filter(|w| matches!(w, KeySetWarning::SkippedKey { .. }))
    {
        out.push(Finding::new(Severity::Error, FindingCode::JwtKeysInvalid, "a key in JWT_KEYS cannot be read").vars(&["JWT_KEYS"])
            .detail(format!("{w}. GoTrue refuses the whole set."))
            .fix("Fix or regenerate that key (EC coordinates must be full length: 32 bytes for P-256)."));
    }
    check_short_coordinates(parsed.as_ref().ok(), out);
    let signing = set
        .keys
        .iter()
        .filter(|k| {
            k.key_ops
                .as_ref()
                .is_some_and(|o| o.iter().any(|x| x == "sign"))
        })
        .count();
    if signing != 1 {
        let what = if signing == 0 {
            "no signing key found"
        } else {
            "multiple signing keys detected"
        };
        out.push(Finding::new(Severity::Error, FindingCode::JwtKeysSigning, format!("JWT_KEYS has {signing} keys with \"sign\" in key_ops; exactly one is required")).vars(&["JWT_KEYS"])
            .detail(format!("GoTrue fails to start: \"{what}\"."))
            .fix("Keep key_ops [\"sign\",\"verify\"] on the current signing key only; older keys get [\"verify\"]."));
    }
    for k in &set.keys {
        let asymmetric = !matches!(k.material, KeyMaterial::Hmac { .. });
        if k.alg.is_none() || (asymmetric && k.kid.is_none()) {
            out.push(Finding::new(Severity::Error, FindingCode::JwtKeysMissingKidAlg, format!("{} in JWT_KEYS lacks {}", k.origin, if k.alg.is_none() { "\"alg\"" } else { "\"kid\"" })).vars(&["JWT_KEYS"])
                .detail("GoTrue stores keys by kid and picks the signing method from alg; without them tokens are signed or checked wrongly.")
                .fix("Give every asymmetric key a kid (a UUID) and every key its alg."));
        }
    }
    Some(set)
}

/// EC members shorter than the curve size: supajwt reads them left-padded, GoTrue refuses
/// the whole set (`invalid "x" length (31)`) and does not start.
fn check_short_coordinates(keys: Option<&Value>, out: &mut Vec<Finding>) {
    let items = keys
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, item) in items.iter().enumerate() {
        let name = item
            .get("kid")
            .and_then(Value::as_str)
            .map_or_else(|| format!("JWK #{}", i + 1), |kid| format!("key \"{kid}\""));
        for short in short_ec_coordinates(item) {
            let (coordinate, len) = (short.coordinate, short.len);
            out.push(Finding::new(Severity::Error, FindingCode::JwtKeysShortCoordinate, format!("{name} in JWT_KEYS has a short \"{coordinate}\" ({len} bytes; {} needs {})", short.crv, short.expected)).vars(&["JWT_KEYS"])
                .detail(format!("GoTrue refuses the key set and does not start: invalid \"{coordinate}\" length ({len}). The generator dropped leading zero bytes; RFC 7518 requires the full length (supajwt's Verify reads it left-padded)."))
                .fix("Left-pad the member with zero bytes to the curve size before base64url-encoding it, or regenerate the key.")
                .remedy(Remedy::NewKeySet { keep_legacy_secret: false }));
        }
    }
}

fn check_jwt_jwks(text: &str, config: &Config, out: &mut Vec<Finding>) -> Option<KeySet> {
    let set = match load_keys(text) {
        Ok(set) => set,
        Err(e) => {
            out.push(
                Finding::new(
                    Severity::Error,
                    FindingCode::JwtJwksInvalid,
                    "JWT_JWKS cannot be read",
                )
                .vars(&["JWT_JWKS"])
                .detail(format!(
                    "{e}. PostgREST, Realtime and Storage cannot verify asymmetric tokens."
                ))
                .fix("Regenerate it, keeping JWT_SECRET as its legacy key.")
                .remedy(Remedy::NewKeySet {
                    keep_legacy_secret: true,
                }),
            );
            return None;
        }
    };
    if set.shape != KeySetShape::Jwks {
        out.push(Finding::new(Severity::Error, FindingCode::JwtJwksNotObject, format!("JWT_JWKS is a {}; it must be an object {{\"keys\":[...]}}", set.shape.label())).vars(&["JWT_JWKS", "API_JWT_JWKS"])
            .detail("Realtime's API_JWT_JWKS and Storage's JWT_JWKS must be objects; an array breaks Realtime, and PostgREST reads an array as no JWKS at all.")
            .fix("Wrap the keys: {\"keys\":[…]}."));
    }
    if set
        .keys
        .iter()
        .any(|k| !matches!(k.material, KeyMaterial::Hmac { .. }) && k.has_private())
    {
        out.push(Finding::new(Severity::Critical, FindingCode::JwtJwksPrivate, "JWT_JWKS contains a private key").vars(&["JWT_JWKS"])
            .detail("JWT_JWKS is handed to many services (and often published); with the private \"d\" anyone who reads it can sign tokens.")
            .fix("Keep only the public members (kty, kid, alg, crv, x, y / n, e) in JWT_JWKS; private keys belong in JWT_KEYS only. Then rotate the exposed key."));
    }
    if let Some(secret) = config.get("JWT_SECRET") {
        let want = b64::encode(secret.as_bytes());
        let octs: Vec<&Key> = set
            .keys
            .iter()
            .filter(|k| matches!(k.material, KeyMaterial::Hmac { .. }))
            .collect();
        let matches = octs.iter().any(|k| matches!(&k.material, KeyMaterial::Hmac { secret, .. } if b64::encode(secret.expose()) == want));
        if !octs.is_empty() && !matches {
            out.push(Finding::new(Severity::Error, FindingCode::JwtJwksOctMismatch, "the oct key in JWT_JWKS is not JWT_SECRET").vars(&["JWT_JWKS", "JWT_SECRET"])
                .detail("Legacy HS256 tokens (ANON_KEY, SERVICE_ROLE_KEY) are checked against this oct key by PostgREST, Realtime and Storage and fail with 401.")
                .fix(format!("Set its \"k\" to base64url of JWT_SECRET's bytes: \"{want}\".")));
        }
        if octs.is_empty() {
            out.push(Finding::new(Severity::Warning, FindingCode::JwtJwksNoOct, "JWT_JWKS has no oct key for the legacy JWT_SECRET").vars(&["JWT_JWKS", "JWT_SECRET"])
                .detail("Services that read JWT_JWKS instead of the secret (PGRST_JWT_SECRET=${JWT_JWKS}) will reject ANON_KEY / SERVICE_ROLE_KEY.")
                .fix(format!("Add {{\"kty\":\"oct\",\"k\":\"{want}\",\"alg\":\"HS256\"}} to JWT_JWKS while legacy keys are in use.")));
        }
    }
    Some(set)
}

/// Two different keys (by RFC 7638 thumbprint) under one kid, within `JWT_KEYS`, within
/// `JWT_JWKS` or across them. Returns those kids.
fn check_duplicate_kids(
    keys: Option<&KeySet>,
    jwks: Option<&KeySet>,
    out: &mut Vec<Finding>,
) -> Vec<String> {
    let mut all: Vec<(&str, &str, String)> = Vec::new();
    for (var, set) in [("JWT_KEYS", keys), ("JWT_JWKS", jwks)] {
        for k in set.map(|s| s.keys.as_slice()).unwrap_or_default() {
            if let Some(kid) = &k.kid {
                all.push((var, kid, thumbprint(k)));
            }
        }
    }
    let mut kids: Vec<&str> = all.iter().map(|(_, kid, _)| *kid).collect();
    kids.sort_unstable();
    kids.dedup();
    let mut duplicated = Vec::new();
    for kid in kids {
        let these: Vec<&(&str, &str, String)> = all.iter().filter(|(_, k, _)| *k == kid).collect();
        let mut prints: Vec<&str> = these.iter().map(|(_, _, t)| t.as_str()).collect();
        prints.sort_unstable();
        prints.dedup();
        if prints.len() < 2 {
            continue;
        }
        let list: Vec<String> = these
            .iter()
            .map(|(var, _, t)| format!("{var}: thumbprint {}…", &t[..t.len().min(8)]))
            .collect();
        out.push(Finding::new(Severity::Error, FindingCode::DuplicateKid, format!("{} different keys carry the kid \"{kid}\"", prints.len())).vars(&["JWT_KEYS", "JWT_JWKS"])
            .detail(format!("Under kid \"{kid}\": {}. GoTrue stores its keys by kid and the services look a token's kid up, so whichever key is picked, tokens signed by the other are refused (\"signature is invalid\", \"No suitable key or wrong key type\").", list.join("; ")))
            .fix("Give every key its own kid (a new UUID) and make JWT_JWKS hold exactly the public halves of JWT_KEYS; `supajwt key list` names each key by kid and thumbprint."));
        duplicated.push(kid.to_string());
    }
    duplicated
}

fn check_jwks_covers_keys(
    keys: &KeySet,
    jwks: &KeySet,
    duplicated: &[String],
    out: &mut Vec<Finding>,
) {
    for key in keys
        .keys
        .iter()
        .filter(|k| !matches!(k.material, KeyMaterial::Hmac { .. }))
        .filter(|k| !k.kid.as_ref().is_some_and(|kid| duplicated.contains(kid)))
    {
        let public = to_jwk(key, false);
        let same = jwks.keys.iter().filter(|j| j.kid == key.kid).any(|j| {
            let p = to_jwk(j, false);
            ["x", "y", "n", "e", "crv"]
                .iter()
                .all(|m| p.get(*m) == public.get(*m))
        });
        if !same {
            let kid = key.kid.clone().unwrap_or_default();
            out.push(Finding::new(Severity::Error, FindingCode::JwtJwksMissingKey, format!("JWT_JWKS lacks the public half of JWT_KEYS key \"{kid}\"")).vars(&["JWT_JWKS", "JWT_KEYS"])
                .detail(format!("GoTrue signs with kid \"{kid}\", but PostgREST / Realtime / Storage look the kid up in JWT_JWKS and answer \"No suitable key or wrong key type\" / \"Failed to generate JWT signer for key ID\"."))
                .fix("Rebuild JWT_JWKS from JWT_KEYS (a rotation plan shows both), then restart rest, realtime and storage.")
                .remedy(Remedy::Rotate));
        }
    }
}

fn check_methods(config: &Config, keys: Option<&KeySet>, out: &mut Vec<Finding>) {
    let declared = config.valid_methods();
    let (Some(declared), Some(keys)) = (declared, keys) else {
        return;
    };
    let methods: Vec<&str> = declared.split(',').map(str::trim).collect();
    let mut in_use: Vec<String> = keys.keys.iter().filter_map(|k| k.alg.clone()).collect();
    if config.get("JWT_SECRET").is_some() {
        in_use.push("HS256".into());
    }
    for alg in in_use.iter().filter(|a| !methods.contains(&a.as_str())) {
        out.push(
            Finding::new(
                Severity::Error,
                FindingCode::ValidMethods,
                format!("GOTRUE_JWT_VALID_METHODS ({declared}) does not include {alg}"),
            )
            .vars(&["GOTRUE_JWT_VALID_METHODS"])
            .detail(format!(
                "GoTrue rejects {alg} tokens: \"signing method {alg} is invalid\"."
            ))
            .fix(format!(
                "Add {alg} to GOTRUE_JWT_VALID_METHODS (auth service) and restart auth."
            )),
        );
    }
}

fn check_asymmetric_key(
    name: &str,
    role: &str,
    token: &str,
    jwks: Option<&KeySet>,
    now: i64,
    out: &mut Vec<Finding>,
) {
    let Ok(jws) = Jws::parse_unverified(token) else {
        out.push(
            Finding::new(
                Severity::Error,
                FindingCode::ApiKeyMalformed,
                format!("{name} is not a JWT"),
            )
            .vars(&[name]),
        );
        return;
    };
    let claims = jws.claims().unwrap_or_default();
    if claims.get("role").and_then(Value::as_str) != Some(role) {
        out.push(
            Finding::new(
                Severity::Error,
                FindingCode::ApiKeyRole,
                format!("{name} does not carry role \"{role}\""),
            )
            .vars(&[name]),
        );
    }
    let Some(jwks) = jwks else { return };
    let kid = jws.kid().unwrap_or_default().to_string();
    if !jwks
        .keys
        .iter()
        .any(|k| k.kid.as_deref() == Some(kid.as_str()))
    {
        out.push(Finding::new(Severity::Error, FindingCode::AsymKeyKid, format!("{name}'s kid \"{kid}\" is not in JWT_JWKS")).vars(&[name, "JWT_JWKS"])
            .detail("Every service looks the kid up and rejects the token (GoTrue: \"unrecognized JWT kid\").")
            .fix("Re-sign the key with the current signing key (a rotation plan does), or add its public key to JWT_JWKS.")
            .remedy(Remedy::Rotate));
        return;
    }
    if let Err(e) = verify_token(&jws, jwks, &VerifyOptions::default(), now) {
        out.push(
            Finding::new(
                Severity::Error,
                FindingCode::AsymKeySignature,
                format!("{name} does not verify against JWT_JWKS"),
            )
            .vars(&[name, "JWT_JWKS"])
            .detail(format!("{e}."))
            .fix("Re-sign it with the private key that belongs to that kid in JWT_KEYS.")
            .remedy(Remedy::ResignWithKid),
        );
    }
}
