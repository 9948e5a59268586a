//! The Verify pane's verdict: the headline, the reason, the near misses, and the ring key that
//! verifies a token the chosen key rejected.

use crate::app::key_verdict::KeyVerdict;
use crate::jose::keys::KeySet;
use crate::jose::token::Jws;
use crate::jose::verify::VerifyOptions;

/// The verdict shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Valid or not.
    pub valid: bool,
    /// The big line.
    pub headline: String,
    /// The reason or the matched key, then any notes: one line each.
    pub detail: Vec<String>,
    /// Nearby mistakes the core can tell apart (a secret with a trailing newline, read as
    /// base64, too short; a kid loaded under another alg), in the CLI's words.
    pub near_misses: Vec<String>,
    /// The ring key that verifies a token the chosen secret or key rejected (its name).
    pub ring_verifies: Option<String>,
}

impl Outcome {
    pub fn problem(detail: impl Into<String>) -> Outcome {
        Outcome::refused("Cannot check yet", vec![detail.into()])
    }

    pub fn refused(headline: &str, detail: Vec<String>) -> Outcome {
        Outcome {
            valid: false,
            headline: headline.into(),
            detail,
            near_misses: Vec::new(),
            ring_verifies: None,
        }
    }

    /// The detail lines, then each near miss.
    pub fn lines(&self) -> Vec<String> {
        let misses = self.near_misses.iter().map(|m| format!("Near miss: {m}"));
        self.detail.iter().cloned().chain(misses).collect()
    }
}

/// Why the key ring refused a token: the key that should have matched and its reason, or that
/// no loaded key can check it (not a rejection by any key).
pub fn loaded_refusal(
    token: &Jws,
    sets: &[(String, KeySet)],
    options: &VerifyOptions,
    now: i64,
) -> Outcome {
    let verdict = KeyVerdict::of(token, sets, options, now);
    let (_, what, mut detail) = verdict.describe();
    let headline = match verdict {
        KeyVerdict::NotChecked { .. } => "NOT VERIFIED — no loaded key can check it",
        _ => "REJECTED",
    };
    detail.insert(0, what);
    Outcome::refused(headline, detail)
}

/// The near misses of a failed check, one line each, over every key source: the same words as
/// `supajwt verify` prints (the core's [`near_misses`](crate::jose::near_miss::near_misses)).
pub fn near_misses(token: &Jws, sets: &[(String, KeySet)], options: &VerifyOptions) -> Vec<String> {
    sets.iter()
        .flat_map(|(_, set)| crate::jose::near_miss::near_misses(token, set, options))
        .map(|m| m.describe())
        .collect()
}
