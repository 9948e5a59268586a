//! Key material detection and parsing (JSON JWK/JWKS/JWT_KEYS, PEM, OpenSSH public key lines,
//! bare base64 DER, and the refusals of everything else) and export never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use supajwt::jose::keys::{load_keys, public_pem, thumbprint, to_jwk};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(set) = load_keys(text) {
        for w in &set.warnings {
            let _ = (w.code(), w.to_string());
        }
        for key in &set.keys {
            let _ = to_jwk(key, true);
            let _ = thumbprint(key);
            let _ = public_pem(key);
            let _ = key.allowed_algs();
        }
    }
});
