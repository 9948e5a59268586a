//! What carries out a finding's fix, typed: the command line prints it as a command, the window
//! offers it as a button. The finding's `fix` text says what to do in words and names neither.

use crate::supabase::mint::MintRole;

/// The action that fixes a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// A new random `JWT_SECRET` with new `ANON_KEY` / `SERVICE_ROLE_KEY`, as `.env` lines.
    NewSecretEnv,
    /// A new random secret of 32+ characters, alone.
    NewSecret,
    /// A new API key for this role, signed with `JWT_SECRET`, valid for five years.
    MintApiKey(MintRole),
    /// A new asymmetric key set as `.env` lines (keeping `JWT_SECRET` as the legacy key when
    /// `keep_legacy_secret`).
    NewKeySet {
        /// Keep the configured `JWT_SECRET` as the `oct` key of the new set.
        keep_legacy_secret: bool,
    },
    /// A rotation plan: new keys, the `.env` changes and the steps.
    Rotate,
    /// The token re-signed with the private key its `kid` names in `JWT_KEYS`.
    ResignWithKid,
}
