//! Verification as a Supabase deployment needs it: the JOSE checks of [`crate::jose::verify`],
//! plus a [`VerifyNote::PublicSecret`] when the secret that verified is one of upstream's public
//! demo values (anyone can forge tokens for such a deployment).

use crate::jose::error::CoreError;
use crate::jose::keys::{KeyMaterial, KeySet};
use crate::jose::token::Jws;
use crate::jose::verify::{self as jose_verify, SourceCheck, Verified, VerifyOptions};
use crate::jose::verify_note::VerifyNote;
use crate::supabase::roles::demo_value;

/// [`jose_verify::verify_token`], noting a public demo secret.
pub fn verify_token(
    jws: &Jws,
    keys: &KeySet,
    options: &VerifyOptions,
    now: i64,
) -> Result<Verified, CoreError> {
    jose_verify::verify_token(jws, keys, options, now).map(|v| with_demo_note(v, keys))
}

/// [`jose_verify::check_each_source`], noting a public demo secret in each good signature.
pub fn check_each_source(
    jws: &Jws,
    sources: &[(String, KeySet)],
    options: &VerifyOptions,
    now: i64,
) -> Vec<SourceCheck> {
    jose_verify::check_each_source(jws, sources, options, now)
        .into_iter()
        .zip(sources)
        .map(|(mut check, (_, set))| {
            check.signature = check.signature.map(|v| with_demo_note(v, set));
            check
        })
        .collect()
}

fn with_demo_note(mut verified: Verified, keys: &KeySet) -> Verified {
    if let Some(KeyMaterial::Hmac { secret, .. }) =
        keys.keys.get(verified.key_index).map(|k| &k.material)
        && let Some(what) = std::str::from_utf8(secret.expose())
            .ok()
            .and_then(demo_value)
    {
        verified.notes.push(VerifyNote::PublicSecret { what });
    }
    verified
}
