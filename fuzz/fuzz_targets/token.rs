//! Pasted-token cleanup, strict decoding, the JOSE header rules, duplicate-member detection and
//! the claims report never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(jws) = supajwt::core::token::Jws::parse_pasted_unverified(text) {
        let _ = supajwt::core::claims::claims_report(&jws, 1_767_225_600);
        let _ = jws.alg();
        let _ = supajwt::core::header::check_header(&jws);
    }
});
