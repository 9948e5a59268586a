//! Verification of arbitrary tokens against fixed keys of every family never panics and never
//! accepts a token that is not signed by them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use supajwt::jose::keys::{KeySet, load_keys};
use supajwt::jose::token::Jws;
use supajwt::jose::verify::{VerifyOptions, verify_token};

const KEYS: &str = r#"{"keys":[
 {"kty":"oct","kid":"hs","k":"c2VjcmV0LXRoYXQtaXMtbG9uZy1lbm91Z2gtZm9yLWhzMjU2"},
 {"kty":"EC","kid":"es","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
 {"kty":"OKP","kid":"ed","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
 {"kty":"RSA","kid":"rs","n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ","e":"AQAB"}]}"#;

fn keys() -> &'static KeySet {
    static SET: OnceLock<KeySet> = OnceLock::new();
    SET.get_or_init(|| load_keys(KEYS).expect("fixed keys"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(jws) = Jws::parse_unverified(text) {
        let _ = verify_token(&jws, keys(), &VerifyOptions::default(), 1_767_225_600);
    }
});
