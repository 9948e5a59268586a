//! What Decode may honestly say about a token's signature from the keys loaded in the session:
//! verified (by which key), signed but failing a claim, refused by a key that should match
//! (named), refused whatever the key, or not checked at all because no loaded key can check it.

use crate::jose::error::CoreError;
use crate::jose::header::check_header;
use crate::jose::keys::KeySet;
use crate::jose::token::Jws;
use crate::jose::verify::{SourceCheck, VerifyOptions};
use crate::supabase::verify::check_each_source;

/// The signature verdict from the loaded keys.
#[derive(Debug, Clone)]
pub enum KeyVerdict {
    /// No key is loaded: nothing was checked.
    NoKeys,
    /// A key verified the signature and the time claims pass.
    Valid {
        /// "ES256 signature by the EC P-256 public key (kid "k1")".
        by: String,
        /// The key source's label (ring entry or JWKS).
        source: String,
    },
    /// A key verified the signature, but a claim check fails (expired, not yet valid, ...).
    ClaimsFail {
        /// The signature, as in [`KeyVerdict::Valid`].
        by: String,
        /// The key source's label.
        source: String,
        /// What failed.
        problem: CoreError,
    },
    /// A key that should check this token (right family, matching kid) was tried and refused it.
    Refused {
        /// The keys tried, described (kind, kid).
        keys: Vec<String>,
        /// The key source's label (where the key came from).
        source: String,
        /// Why.
        error: CoreError,
    },
    /// The token is refused before any key is involved (unsigned, unknown alg, crit, ...).
    TokenRefused(CoreError),
    /// Keys are loaded but none can check this token: nothing was compared.
    NotChecked {
        /// How many keys are loaded.
        loaded: usize,
        /// The token's alg.
        alg: String,
        /// The token's kid.
        kid: Option<String>,
        /// Each source's reason, "label: reason".
        reasons: Vec<String>,
    },
}

/// How a verdict is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Green.
    Good,
    /// Amber.
    Warn,
    /// Red.
    Bad,
    /// Neither: nothing was decided.
    Neutral,
}

impl KeyVerdict {
    /// Checks the token against every source (with the checks of `options`) and says what can
    /// honestly be said.
    pub fn of(
        jws: &Jws,
        sources: &[(String, KeySet)],
        options: &VerifyOptions,
        now: i64,
    ) -> KeyVerdict {
        if sources.is_empty() {
            return KeyVerdict::NoKeys;
        }
        let alg = match check_header(jws).and_then(|()| jws.alg()) {
            Ok(alg) => alg,
            Err(e) => return KeyVerdict::TokenRefused(e),
        };
        let checks = check_each_source(jws, sources, options, now);
        let loaded = sources.iter().map(|(_, set)| set.keys.len()).sum();
        classify(&checks, loaded, alg.name(), jws.kid())
    }

    /// The colour, the headline and the detail lines.
    pub fn describe(&self) -> (Tone, String, Vec<String>) {
        match self {
            KeyVerdict::NoKeys => (
                Tone::Warn,
                "Signature NOT checked".into(),
                vec!["no key is loaded: load a JWKS, add a key in the Keys pane, or verify it with a secret".into()],
            ),
            KeyVerdict::Valid { by, source } => (
                Tone::Good,
                "Signature verifies".into(),
                vec![format!("{by} — from {source}")],
            ),
            KeyVerdict::ClaimsFail {
                by,
                source,
                problem,
            } => {
                let what = match problem {
                    CoreError::Expired { .. } => "EXPIRED",
                    CoreError::NotYetValid { .. } | CoreError::IssuedInFuture { .. } => {
                        "NOT YET VALID"
                    }
                    _ => "the claims are refused",
                };
                (
                    Tone::Warn,
                    format!("Signature OK, but {what}"),
                    vec![problem.to_string(), format!("{by} — from {source}")],
                )
            }
            KeyVerdict::Refused {
                keys,
                source,
                error,
            } => {
                let headline = match error {
                    CoreError::SignatureInvalid { .. } | CoreError::SecretEncodingMismatch { .. } => {
                        "Invalid signature"
                    }
                    _ => "Refused by the matching key",
                };
                (
                    Tone::Bad,
                    headline.into(),
                    vec![
                        error.to_string(),
                        format!("key tried: {} — from {source}", keys.join(", ")),
                    ],
                )
            }
            KeyVerdict::TokenRefused(e) => (
                Tone::Bad,
                "Refused whatever the key".into(),
                vec![e.to_string()],
            ),
            KeyVerdict::NotChecked {
                loaded,
                alg,
                kid,
                reasons,
            } => {
                let kid = kid
                    .as_ref()
                    .map(|k| format!(" (kid \"{k}\")"))
                    .unwrap_or_default();
                let keys = if *loaded == 1 {
                    "the 1 loaded key".to_string()
                } else {
                    format!("the {loaded} loaded keys")
                };
                (
                    Tone::Neutral,
                    format!("Not verified: none of {keys} can check an {alg} token{kid}"),
                    reasons.clone(),
                )
            }
        }
    }
}

/// The verdict from every source's answer: a verifying key wins, then a signature that
/// verified with failing claims, then a refusal by a key that should match; otherwise nothing
/// was checked.
fn classify(checks: &[SourceCheck], loaded: usize, alg: &str, kid: Option<&str>) -> KeyVerdict {
    let by = |v: &crate::jose::verify::Verified| format!("{} signature by {}", v.alg, v.key);
    if let Some((c, v)) = checks.iter().find_map(|c| match (&c.signature, &c.claims) {
        (Ok(v), Some(Ok(())) | None) => Some((c, v)),
        _ => None,
    }) {
        return KeyVerdict::Valid {
            by: by(v),
            source: c.label.clone(),
        };
    }
    if let Some((c, v, problem)) = checks.iter().find_map(|c| match (&c.signature, &c.claims) {
        (Ok(v), Some(Err(e))) => Some((c, v, e)),
        _ => None,
    }) {
        return KeyVerdict::ClaimsFail {
            by: by(v),
            source: c.label.clone(),
            problem: problem.clone(),
        };
    }
    if let Some((c, error)) = checks.iter().find_map(|c| match &c.signature {
        Err(e) if !c.matching.is_empty() => Some((c, e)),
        _ => None,
    }) {
        return KeyVerdict::Refused {
            keys: c.matching.clone(),
            source: c.label.clone(),
            error: error.clone(),
        };
    }
    KeyVerdict::NotChecked {
        loaded,
        alg: alg.into(),
        kid: kid.map(str::to_string),
        reasons: checks
            .iter()
            .filter_map(|c| {
                c.signature
                    .as_ref()
                    .err()
                    .map(|e| format!("{}: {e}", c.label))
            })
            .collect(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::jose::b64::SecretEncoding;
    use crate::jose::keys::{Key, KeySetShape, KeygenAlg, KidChoice, generate, secret_key};
    use crate::supabase::mint::{Lifetime, MintRequest, MintRole, mint};

    const NOW: i64 = 1_767_225_600;
    const SECRET: &str = "a-shared-secret-that-is-long-enough-for-hs256";

    fn single(key: Key, label: &str) -> (String, KeySet) {
        (label.into(), KeySet::single(key, KeySetShape::SingleJwk))
    }

    fn token(key: &Key, expires_in: i64) -> Jws {
        let req = MintRequest::preset(MintRole::Anon, NOW - 100, Lifetime::Seconds(expires_in));
        Jws::parse_unverified(&mint(&req, key, None).unwrap()).unwrap()
    }

    fn verdict(jws: &Jws, sources: &[(String, KeySet)]) -> KeyVerdict {
        KeyVerdict::of(jws, sources, &VerifyOptions::default(), NOW)
    }

    fn hs() -> Key {
        secret_key(SECRET, SecretEncoding::Text).unwrap()
    }

    fn es(kid: &str) -> Key {
        generate(KeygenAlg::ES256, KidChoice::Given(kid.into())).unwrap()
    }

    #[test]
    fn no_source_is_not_checked() {
        let jws = token(&hs(), 3600);
        assert!(matches!(verdict(&jws, &[]), KeyVerdict::NoKeys));
    }

    #[test]
    fn a_key_of_another_family_is_not_a_rejection() {
        let jws = token(&hs(), 3600);
        let v = verdict(&jws, &[single(es("k1"), "EC P-256 — generated")]);
        let (tone, headline, reasons) = v.describe();
        assert_eq!(tone, Tone::Neutral);
        assert_eq!(
            headline,
            "Not verified: none of the 1 loaded key can check an HS256 token"
        );
        assert!(
            reasons[0].starts_with("EC P-256 — generated: "),
            "{reasons:?}"
        );
    }

    #[test]
    fn a_key_with_another_kid_is_not_a_rejection() {
        let signer = es("signer");
        let jws = token(&signer, 3600);
        let sources = [single(es("other"), "a"), single(hs(), "b")];
        let (tone, headline, _) = verdict(&jws, &sources).describe();
        assert_eq!(tone, Tone::Neutral);
        assert_eq!(
            headline,
            "Not verified: none of the 2 loaded keys can check an ES256 token (kid \"signer\")"
        );
    }

    #[test]
    fn a_jwks_without_the_kid_is_not_a_rejection() {
        let jws = token(&es("signer"), 3600);
        let set = KeySet::from_keys(vec![es("one"), es("two")], KeySetShape::Jwks);
        let v = verdict(&jws, &[("JWKS (x)".into(), set)]);
        assert!(matches!(v, KeyVerdict::NotChecked { .. }), "{v:?}");
    }

    #[test]
    fn a_matching_key_that_fails_is_named() {
        let jws = token(&es("k1"), 3600);
        let impostor = es("k1");
        let sources = [
            single(hs(), "secret — imported"),
            single(impostor, "EC P-256 — generated"),
        ];
        let (tone, headline, lines) = verdict(&jws, &sources).describe();
        assert_eq!(tone, Tone::Bad);
        assert_eq!(headline, "Invalid signature");
        assert!(lines[1].contains("kid \"k1\""), "{lines:?}");
        assert!(lines[1].ends_with("from EC P-256 — generated"), "{lines:?}");
    }

    #[test]
    fn a_verifying_key_wins_over_unrelated_ones() {
        let key = hs();
        let jws = token(&key, 3600);
        let sources = [single(es("x"), "a"), single(key, "the secret")];
        let (tone, _, lines) = verdict(&jws, &sources).describe();
        assert_eq!(tone, Tone::Good);
        assert!(
            lines[0].starts_with("HS256 signature by the shared secret"),
            "{lines:?}"
        );
    }

    #[test]
    fn an_expired_token_with_a_good_signature_says_so() {
        let key = hs();
        let jws = token(&key, 10);
        let (tone, headline, lines) = verdict(&jws, &[single(key, "the secret")]).describe();
        assert_eq!(tone, Tone::Warn);
        assert_eq!(headline, "Signature OK, but EXPIRED");
        assert!(lines[0].starts_with("expired at"), "{lines:?}");
    }

    #[test]
    fn an_unsigned_token_is_refused_whatever_the_key() {
        let jws = Jws::parse_unverified("eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYW5vbiJ9.").unwrap();
        let v = verdict(&jws, &[single(hs(), "s")]);
        assert!(
            matches!(v, KeyVerdict::TokenRefused(CoreError::AlgNone(_))),
            "{v:?}"
        );
    }
}
