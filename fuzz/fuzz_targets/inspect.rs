//! The recogniser, the report, the scrub and the HAR redactor never panic, and a paste never
//! reports more than the cap (issue 24).
#![no_main]
use libfuzzer_sys::fuzz_target;
use supajwt::inspect::report::report_lines;
use supajwt::inspect::{MAX_CREDENTIALS, recognise, request_findings};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(found) = recognise(text) {
        assert!(found.credentials.len() <= MAX_CREDENTIALS);
        let findings = request_findings(&found, 1_767_225_600);
        let _ = report_lines(&found, &findings, 1_767_225_600, true);
    }
    let _ = supajwt::inspect::har::redact_har(data, std::io::sink());
});
