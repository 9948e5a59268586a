//! Token signers for the tests: HS256 over exact header and payload text with the crate's own
//! signing, the one independent HS256 implementation, and a legacy API key as the mint presets
//! make it.

use crate::common::clock::NOW;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use supajwt::jose::alg::Alg;
use supajwt::jose::b64::{SecretEncoding, encode};
use supajwt::jose::crypto::sign_raw;
use supajwt::jose::keys::{Key, secret_key};
use supajwt::supabase::mint::{Lifetime, MintRequest, MintRole, mint};

/// The HMAC key `text` makes, read as text (as `--secret` reads it).
pub fn secret(text: &str) -> Key {
    secret_key(text, SecretEncoding::Text).unwrap()
}

/// An HS256 token over exactly `header` and `payload` (JSON text, kept byte for byte), signed
/// with the secret `secret_text` by the crate's own `sign_raw`, which refuses a secret shorter
/// than 32 bytes.
pub fn hs256(secret_text: &str, header: &str, payload: &str) -> String {
    let input = format!(
        "{}.{}",
        encode(header.as_bytes()),
        encode(payload.as_bytes())
    );
    let sig = sign_raw(&secret(secret_text), Alg::HS256, input.as_bytes()).unwrap();
    format!("{input}.{}", encode(&sig))
}

/// The one HS256 signer independent of supajwt: `hmac` and `base64` directly, none of the
/// crate's code, with key bytes of any length. For the tests whose point is that supajwt reads
/// tokens it did not make (upstream's scripts) or that need a token signed with a key the crate
/// refuses to sign with (a secret shorter than the hash); everywhere else use [`hs256`].
pub fn independent_hs256(key: &[u8], header: &str, payload: &str) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    mac.update(input.as_bytes());
    format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

/// The request for an anon token issued at [`NOW`] and valid for an hour.
pub fn anon_request() -> MintRequest {
    MintRequest::preset(MintRole::Anon, NOW, Lifetime::Seconds(3600))
}

/// A legacy API key: `role`'s mint preset issued at `issued` for `lifetime`, signed with the
/// secret `secret_text` (as `supajwt mint --secret` makes it).
pub fn legacy_key(role: MintRole, secret_text: &str, issued: i64, lifetime: Lifetime) -> String {
    let request = MintRequest::preset(role, issued, lifetime);
    mint(&request, &secret(secret_text), None).unwrap()
}
