//! Pasted-token cleanup, strict decoding, the JOSE header rules, duplicate-member detection, the
//! claims report and the claim checks (at the clock's and the leeway's extremes) never panic; the
//! escaped text holds no control character.
#![no_main]
use libfuzzer_sys::fuzz_target;
use supajwt::safe_text::escape::{escape_for_terminal, needs_escape};
use supajwt::jose::verify::{VerifyOptions, check_claims, leeway_reliance};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    assert!(!escape_for_terminal(text).chars().any(needs_escape));
    if let Ok(jws) = supajwt::jose::token::Jws::parse_pasted_unverified(text) {
        let _ = jws.alg();
        let _ = supajwt::jose::header::check_header(&jws);
        for now in [1_767_225_600, i64::MIN, i64::MAX] {
            let _ = supajwt::supabase::claims::claims_report(&jws, now);
            if let Ok(claims) = jws.claims() {
                for leeway in [0, 86_400, u64::MAX] {
                    let options = VerifyOptions { leeway, ..VerifyOptions::default() };
                    let _ = check_claims(&claims, &options, now).map_err(|e| e.to_string());
                    let _ = leeway_reliance(&claims, leeway, now).map(|r| r.describe());
                }
            }
        }
    }
});
