//! What `supajwt key inspect` and the Keys pane say about a key: its kind, size, kid,
//! thumbprint, whether it is private, and what is weak about it.

use super::{Key, KeyMaterial, MIN_RSA_BITS, thumbprint};

/// What is weak or unusable about a key (short RSA, short HMAC secret, no usable algorithm).
pub fn key_warnings(key: &Key) -> Vec<String> {
    let mut w = Vec::new();
    if let Some(bits) = key.rsa_bits()
        && bits < MIN_RSA_BITS
    {
        w.push(format!(
            "RSA {bits}-bit: below {MIN_RSA_BITS} bits (RFC 8725 / NIST)"
        ));
    }
    if let KeyMaterial::Hmac { secret, .. } = &key.material
        && secret.len() < 32
    {
        w.push(format!("shared secret of {} bytes: below 32 (HS256 needs at least 256 bits; PostgREST refuses < 32 characters)", secret.len()));
    }
    if let Err(e) = key.allowed_algs() {
        w.push(e.to_string());
    }
    w
}

/// A one-key inspection, for a person: [`key_facts`], then each of [`key_warnings`] as
/// `WARNING: …`.
pub fn describe_key(key: &Key) -> Vec<String> {
    let mut lines = key_facts(key);
    lines.extend(
        key_warnings(key)
            .into_iter()
            .map(|w| format!("WARNING: {w}")),
    );
    lines
}

/// What a key is: kind, private or public, kty, alg, kid, thumbprint.
pub fn key_facts(key: &Key) -> Vec<String> {
    vec![
        format!(
            "{} {} key  kty={}  alg={}  kid={}",
            key.kind_label(),
            if key.has_private() {
                "private"
            } else {
                "public"
            },
            key.kty(),
            key.alg.as_deref().unwrap_or("(none)"),
            key.kid.as_deref().unwrap_or("(none)"),
        ),
        format!("thumbprint (RFC 7638): {}", thumbprint(key)),
    ]
}
