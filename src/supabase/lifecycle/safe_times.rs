//! When a step becomes safe, read from the stack alone (the window shows it beside a disabled
//! button): promoting a standby key once it has been published for [`PUBLISH_WAIT`], revoking a
//! key `JWT_EXPIRY` + [`REVOKE_MARGIN`] after it stopped signing. `promote` and `revoke`
//! enforce the same times; these only announce them.

use super::add::PUBLISH_WAIT;
use super::{KeyState, Stack, StackKey};

/// The wait Supabase documents between a key's last signature's expiry and its revocation.
pub const REVOKE_MARGIN: i64 = 15 * 60;

/// The earliest time `key` may be promoted: its standby time + [`PUBLISH_WAIT`]; `None` when
/// the stack records no standby time for it (a verify-only key with unknown history).
pub fn promote_after(key: &StackKey) -> Option<i64> {
    match key.state {
        KeyState::Standby => key.since.map(|t| t.saturating_add(PUBLISH_WAIT)),
        _ => None,
    }
}

/// The earliest time `key` may be revoked: when it stopped signing + `JWT_EXPIRY` +
/// [`REVOKE_MARGIN`]; `None` when no stop time is recorded (a standby key never signed).
pub fn revoke_after(stack: &Stack, key: &StackKey) -> Option<i64> {
    key.stopped_signing.map(|t| {
        t.saturating_add(stack.jwt_expiry)
            .saturating_add(REVOKE_MARGIN)
    })
}
