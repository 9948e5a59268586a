//! JSON Web Keys (RFC 7517, RFC 7518 §6, RFC 8037): parsing with full validation, export,
//! and the RFC 7638 thumbprint.

use super::{Key, KeyMaterial};
use crate::jose::b64::{self, SecretEncoding};
use crate::jose::error::CoreError;
use crate::jose::secret::SecretBytes;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rsa::BigUint;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// Parses one JWK object. `origin` names it in messages ("JWK #2").
pub fn parse_jwk(value: &Value, origin: &str) -> Result<Key, CoreError> {
    let obj = value
        .as_object()
        .ok_or_else(|| err(origin, "is not a JSON object"))?;
    let kty = str_member(obj, "kty", origin)?.ok_or_else(|| err(origin, "has no \"kty\""))?;
    let material = match kty {
        "oct" => oct_material(obj, origin)?,
        "RSA" => rsa_material(obj, origin)?,
        "EC" => ec_material(obj, origin)?,
        "OKP" => okp_material(obj, origin)?,
        other => {
            return Err(err(
                origin,
                &format!("has unsupported \"kty\": \"{other}\""),
            ));
        }
    };
    let key_ops = match obj.get("key_ops") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| err(origin, "has non-string entries in \"key_ops\""))?,
        ),
        Some(_) => return Err(err(origin, "has \"key_ops\" that is not an array")),
    };
    Ok(Key {
        material,
        kid: str_member(obj, "kid", origin)?.map(str::to_string),
        alg: str_member(obj, "alg", origin)?.map(str::to_string),
        key_use: str_member(obj, "use", origin)?.map(str::to_string),
        key_ops,
        origin: origin.to_string(),
    })
}

fn err(origin: &str, what: &str) -> CoreError {
    CoreError::KeyParse(format!("{origin} {what}"))
}

fn str_member<'a>(
    obj: &'a Map<String, Value>,
    name: &str,
    origin: &str,
) -> Result<Option<&'a str>, CoreError> {
    match obj.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(err(origin, &format!("has \"{name}\" that is not a string"))),
    }
}

fn bytes_member(
    obj: &Map<String, Value>,
    name: &str,
    origin: &str,
) -> Result<Option<Vec<u8>>, CoreError> {
    str_member(obj, name, origin)?
        .map(|s| {
            b64::decode_strict(s).map_err(|e| {
                err(
                    origin,
                    &format!("has \"{name}\" that is not base64url: {e}"),
                )
            })
        })
        .transpose()
}

fn required(obj: &Map<String, Value>, name: &str, origin: &str) -> Result<Vec<u8>, CoreError> {
    bytes_member(obj, name, origin)?.ok_or_else(|| err(origin, &format!("has no \"{name}\"")))
}

fn fixed_len(
    bytes: Vec<u8>,
    name: &str,
    len: usize,
    crv: &str,
    origin: &str,
) -> Result<Vec<u8>, CoreError> {
    if bytes.len() != len {
        return Err(err(
            origin,
            &format!(
                "has invalid \"{name}\" length ({}): {crv} needs exactly {len} bytes",
                bytes.len()
            ),
        ));
    }
    Ok(bytes)
}

fn oct_material(obj: &Map<String, Value>, origin: &str) -> Result<KeyMaterial, CoreError> {
    let k = required(obj, "k", origin)?;
    Ok(KeyMaterial::Hmac {
        secret: SecretBytes::new(k),
        read_as: SecretEncoding::Base64Url,
    })
}

fn rsa_material(obj: &Map<String, Value>, origin: &str) -> Result<KeyMaterial, CoreError> {
    let n = BigUint::from_bytes_be(&required(obj, "n", origin)?);
    let e = BigUint::from_bytes_be(&required(obj, "e", origin)?);
    let public = rsa::RsaPublicKey::new_with_max_size(n.clone(), e.clone(), 16384)
        .map_err(|x| err(origin, &format!("is not a usable RSA public key: {x}")))?;
    let private = match bytes_member(obj, "d", origin)? {
        None => None,
        Some(d) => {
            let d = BigUint::from_bytes_be(&d);
            let primes = match (
                bytes_member(obj, "p", origin)?,
                bytes_member(obj, "q", origin)?,
            ) {
                (Some(p), Some(q)) => vec![BigUint::from_bytes_be(&p), BigUint::from_bytes_be(&q)],
                _ => vec![],
            };
            let key = rsa::RsaPrivateKey::from_components(n, e, d, primes)
                .map_err(|x| err(origin, &format!("has an inconsistent RSA private key: {x}")))?;
            Some(Box::new(key))
        }
    };
    Ok(KeyMaterial::Rsa { public, private })
}

/// The byte size of a JWK EC curve's coordinates and private scalar (RFC 7518 §6.2.1.2).
fn ec_size(crv: &str) -> Option<usize> {
    match crv {
        "P-256" => Some(32),
        "P-384" => Some(48),
        "P-521" => Some(66),
        _ => None,
    }
}

/// An EC coordinate or scalar of the curve's size. A shorter, non-empty one (a generator that
/// dropped leading zero bytes) is left-padded: [`short_ec_coordinates`] reports it.
fn ec_bytes(
    bytes: Vec<u8>,
    name: &str,
    len: usize,
    crv: &str,
    origin: &str,
) -> Result<Vec<u8>, CoreError> {
    if !is_dropped_leading_zero(&bytes, len) {
        return fixed_len(bytes, name, len, crv, origin);
    }
    let mut padded = vec![0u8; len - bytes.len()];
    padded.extend_from_slice(&bytes);
    Ok(padded)
}

/// A shorter member that is the minimal big-endian form of the number (non-empty, first byte
/// non-zero): what a generator that drops leading zero bytes writes. Anything else short is
/// refused, not guessed.
fn is_dropped_leading_zero(bytes: &[u8], len: usize) -> bool {
    bytes.len() < len && bytes.first().is_some_and(|b| *b != 0)
}

/// One EC member shorter than its curve's size, as [`short_ec_coordinates`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortEcCoordinate {
    /// `x`, `y` or `d`.
    pub coordinate: &'static str,
    /// Its length in bytes.
    pub len: usize,
    /// The curve's size in bytes.
    pub expected: usize,
    /// `P-256`, `P-384` or `P-521`.
    pub crv: String,
}

/// The `x`/`y`/`d` members of an EC JWK that are shorter than the curve size (RFC 7518 §6.2.1.2
/// requires the full length; GoTrue refuses them: `invalid "x" length (31)`). Parsing accepts
/// them left-padded; callers warn with this.
pub fn short_ec_coordinates(value: &Value) -> Vec<ShortEcCoordinate> {
    let Some(obj) = value.as_object() else {
        return vec![];
    };
    if obj.get("kty").and_then(Value::as_str) != Some("EC") {
        return vec![];
    }
    let Some(crv) = obj.get("crv").and_then(Value::as_str) else {
        return vec![];
    };
    let Some(size) = ec_size(crv) else {
        return vec![];
    };
    ["x", "y", "d"]
        .into_iter()
        .filter_map(|name| {
            let text = obj.get(name)?.as_str()?;
            let bytes = b64::decode_strict(text).ok()?;
            let len = bytes.len();
            is_dropped_leading_zero(&bytes, size).then(|| ShortEcCoordinate {
                coordinate: name,
                len,
                expected: size,
                crv: crv.to_string(),
            })
        })
        .collect()
}

fn ec_material(obj: &Map<String, Value>, origin: &str) -> Result<KeyMaterial, CoreError> {
    let crv = str_member(obj, "crv", origin)?.ok_or_else(|| err(origin, "has no \"crv\""))?;
    let Some(size) = ec_size(crv) else {
        return Err(err(origin, &format!("uses unsupported curve \"{crv}\"")));
    };
    let x = ec_bytes(required(obj, "x", origin)?, "x", size, crv, origin)?;
    let y = ec_bytes(required(obj, "y", origin)?, "y", size, crv, origin)?;
    let d = bytes_member(obj, "d", origin)?
        .map(|d| ec_bytes(d, "d", size, crv, origin))
        .transpose()?;
    let mut point = vec![4u8];
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    let not_on_curve = || err(origin, &format!("has x/y that are not a point on {crv}"));
    let d_mismatch = || err(origin, "has a private \"d\" that does not match its x/y");
    let bad_d = || err(origin, "has an invalid \"d\"");
    match size {
        32 => {
            let public = p256::PublicKey::from_sec1_bytes(&point).map_err(|_| not_on_curve())?;
            let private = d
                .map(|d| p256::SecretKey::from_slice(&d).map_err(|_| bad_d()))
                .transpose()?;
            if private.as_ref().is_some_and(|sk| sk.public_key() != public) {
                return Err(d_mismatch());
            }
            Ok(KeyMaterial::P256 { public, private })
        }
        48 => {
            let public = p384::PublicKey::from_sec1_bytes(&point).map_err(|_| not_on_curve())?;
            let private = d
                .map(|d| p384::SecretKey::from_slice(&d).map_err(|_| bad_d()))
                .transpose()?;
            if private.as_ref().is_some_and(|sk| sk.public_key() != public) {
                return Err(d_mismatch());
            }
            Ok(KeyMaterial::P384 { public, private })
        }
        _ => {
            let public = p521::PublicKey::from_sec1_bytes(&point).map_err(|_| not_on_curve())?;
            let private = d
                .map(|d| p521::SecretKey::from_slice(&d).map_err(|_| bad_d()))
                .transpose()?;
            if private.as_ref().is_some_and(|sk| sk.public_key() != public) {
                return Err(d_mismatch());
            }
            Ok(KeyMaterial::P521 { public, private })
        }
    }
}

fn okp_material(obj: &Map<String, Value>, origin: &str) -> Result<KeyMaterial, CoreError> {
    let crv = str_member(obj, "crv", origin)?.ok_or_else(|| err(origin, "has no \"crv\""))?;
    if crv != "Ed25519" {
        return Err(err(
            origin,
            &format!("uses OKP curve \"{crv}\"; only Ed25519 is supported"),
        ));
    }
    let x: [u8; 32] = fixed_len(required(obj, "x", origin)?, "x", 32, crv, origin)?
        .try_into()
        .map_err(|_| err(origin, "has an invalid \"x\""))?;
    let public = ed25519_dalek::VerifyingKey::from_bytes(&x)
        .map_err(|_| err(origin, "has \"x\" that is not an Ed25519 public key"))?;
    super::check_ed25519_public(&public, origin)?;
    let private = match bytes_member(obj, "d", origin)? {
        None => None,
        Some(d) => {
            let d: [u8; 32] = fixed_len(d, "d", 32, crv, origin)?
                .try_into()
                .map_err(|_| err(origin, "has an invalid \"d\""))?;
            let sk = ed25519_dalek::SigningKey::from_bytes(&d);
            if sk.verifying_key() != public {
                return Err(err(
                    origin,
                    "has a private \"d\" that does not match its \"x\"",
                ));
            }
            Some(Box::new(sk))
        }
    };
    Ok(KeyMaterial::Ed25519 { public, private })
}

fn uint(n: &BigUint, len: usize) -> String {
    let bytes = n.to_bytes_be();
    if bytes.len() >= len {
        b64::encode(&bytes)
    } else {
        let mut padded = vec![0u8; len - bytes.len()];
        padded.extend_from_slice(&bytes);
        b64::encode(&padded)
    }
}

/// The `crv`, `x` and `y` members of an EC public key, from its uncompressed point.
fn ec_members(crv: &'static str, x: Option<&[u8]>, y: Option<&[u8]>) -> Vec<(&'static str, Value)> {
    vec![
        ("crv", json!(crv)),
        ("x", json!(x.map(b64::encode).unwrap_or_default())),
        ("y", json!(y.map(b64::encode).unwrap_or_default())),
    ]
}

/// The key's public members only, in RFC 7638 order-independent form.
fn public_members(key: &Key) -> Vec<(&'static str, Value)> {
    match &key.material {
        KeyMaterial::Hmac { secret, .. } => vec![("k", json!(b64::encode(secret.expose())))],
        KeyMaterial::Rsa { public, .. } => vec![
            ("n", json!(uint(public.n(), 0))),
            ("e", json!(uint(public.e(), 0))),
        ],
        KeyMaterial::P256 { public, .. } => {
            let p = public.to_encoded_point(false);
            ec_members("P-256", p.x().map(|x| &x[..]), p.y().map(|y| &y[..]))
        }
        KeyMaterial::P384 { public, .. } => {
            let p = public.to_encoded_point(false);
            ec_members("P-384", p.x().map(|x| &x[..]), p.y().map(|y| &y[..]))
        }
        KeyMaterial::P521 { public, .. } => {
            let p = public.to_encoded_point(false);
            ec_members("P-521", p.x().map(|x| &x[..]), p.y().map(|y| &y[..]))
        }
        KeyMaterial::Ed25519 { public, .. } => {
            vec![
                ("crv", json!("Ed25519")),
                ("x", json!(b64::encode(public.as_bytes()))),
            ]
        }
    }
}

fn private_members(key: &Key) -> Vec<(&'static str, Value)> {
    match &key.material {
        KeyMaterial::Hmac { .. } => vec![],
        KeyMaterial::Rsa {
            private: Some(sk), ..
        } => {
            let mut out = vec![("d", json!(uint(sk.d(), 0)))];
            if let [p, q] = sk.primes() {
                out.push(("p", json!(uint(p, 0))));
                out.push(("q", json!(uint(q, 0))));
                if let (Some(dp), Some(dq), Some(qi)) = (sk.dp(), sk.dq(), sk.crt_coefficient()) {
                    out.push(("dp", json!(uint(dp, 0))));
                    out.push(("dq", json!(uint(dq, 0))));
                    out.push(("qi", json!(uint(&qi, 0))));
                }
            }
            out
        }
        KeyMaterial::P256 {
            private: Some(sk), ..
        } => vec![("d", json!(b64::encode(&sk.to_bytes())))],
        KeyMaterial::P384 {
            private: Some(sk), ..
        } => vec![("d", json!(b64::encode(&sk.to_bytes())))],
        KeyMaterial::P521 {
            private: Some(sk), ..
        } => vec![("d", json!(b64::encode(&sk.to_bytes())))],
        KeyMaterial::Ed25519 {
            private: Some(sk), ..
        } => vec![("d", json!(b64::encode(sk.as_bytes())))],
        _ => vec![],
    }
}

/// Exports a key as a JWK object: `kty`, `kid`, `use`, `key_ops`, `alg`, then the key members.
/// With `include_private` false, asymmetric keys lose their private members and `key_ops`
/// keeps only `verify`; shared secrets always carry `k` (they have no public half).
pub fn to_jwk(key: &Key, include_private: bool) -> Map<String, Value> {
    let key = if include_private {
        key.clone()
    } else {
        key.public_only()
    };
    let mut m = Map::new();
    m.insert("kty".into(), json!(key.kty()));
    if let Some(kid) = &key.kid {
        m.insert("kid".into(), json!(kid));
    }
    if let Some(u) = &key.key_use {
        m.insert("use".into(), json!(u));
    }
    if let Some(ops) = &key.key_ops {
        m.insert("key_ops".into(), json!(ops));
    }
    if let Some(alg) = &key.alg {
        m.insert("alg".into(), json!(alg));
    }
    for (name, value) in public_members(&key) {
        m.insert(name.into(), value);
    }
    for (name, value) in private_members(&key) {
        m.insert(name.into(), value);
    }
    m
}

/// `{"keys":[...]}` of the given keys.
pub fn jwks_value(keys: &[Key], include_private: bool) -> Value {
    json!({ "keys": keys.iter().map(|k| Value::Object(to_jwk(k, include_private))).collect::<Vec<_>>() })
}

/// RFC 7638 JWK thumbprint (SHA-256, base64url): the required public members in
/// lexicographic order, no whitespace.
pub fn thumbprint(key: &Key) -> String {
    let mut members = public_members(key);
    members.push(("kty", json!(key.kty())));
    members.sort_by(|a, b| a.0.cmp(b.0));
    let body = members
        .iter()
        .map(|(k, v)| format!("\"{k}\":{v}"))
        .collect::<Vec<_>>()
        .join(",");
    b64::encode(&Sha256::digest(format!("{{{body}}}").as_bytes()))
}
