//! The Doctor's parsers and checks (.env, compose, kong.yml, Kubernetes, config.toml) never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use supajwt::supabase::doctor::{Inputs, diagnose};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let slot = data.first().copied().unwrap_or(0) % 5;
    let mut inputs = Inputs { token: Some(text.to_string()), error_message: Some(text.to_string()), ..Inputs::default() };
    match slot {
        0 => inputs.env = Some(text.to_string()),
        1 => inputs.compose = Some(text.to_string()),
        2 => inputs.kong = Some(text.to_string()),
        3 => inputs.k8s = Some(text.to_string()),
        _ => inputs.config_toml = Some(text.to_string()),
    }
    let _ = diagnose(&inputs, 1_767_225_600);
});
