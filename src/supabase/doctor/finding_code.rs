//! The stable identifier of a Doctor or Inspect finding: one variant per kind of finding,
//! written as the same snake_case text in every output (`"code":"kong_key_mismatch"`).

use serde::Serialize;

/// Declares [`FindingCode`] with each variant's text, and [`FindingCode::ALL`].
macro_rules! finding_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $text:literal,)*) => {
        /// What a finding is about, as a type: front ends dispatch on it, outputs print its
        /// [`FindingCode::as_str`] text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FindingCode {
            $($(#[doc = $doc])* $variant,)*
        }

        impl FindingCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant,)*];

            /// The stable snake_case text (`kong_key_mismatch`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingCode::$variant => $text,)*
                }
            }
        }
    };
}

finding_codes! {
    /// An API key is the Bearer on an endpoint that needs a signed-in user.
    ApiKeyAsUserBearer = "api_key_as_user_bearer",
    /// ANON_KEY / SERVICE_ROLE_KEY has expired.
    ApiKeyExpired = "api_key_expired",
    /// ANON_KEY / SERVICE_ROLE_KEY expires soon.
    ApiKeyExpiring = "api_key_expiring",
    /// An API key's `iss` is not "supabase".
    ApiKeyIss = "api_key_iss",
    /// An API key is not a JWT.
    ApiKeyMalformed = "api_key_malformed",
    /// An API key has no role claim, or the wrong one.
    ApiKeyRole = "api_key_role",
    /// An API key was signed by a key no longer in JWT_KEYS (revoked too early).
    ApiKeySignerRevoked = "api_key_signer_revoked",
    /// An API key does not verify against JWT_SECRET.
    ApiKeySignature = "api_key_signature",
    /// The apikey and the Bearer token belong to different projects.
    ApikeyBearerOtherProjects = "apikey_bearer_other_projects",
    /// The apikey header is not a Supabase key.
    ApikeyNotAKey = "apikey_not_a_key",
    /// The apikey belongs to another project than the URL.
    ApikeyOtherProject = "apikey_other_project",
    /// An asymmetric API key's kid is not in JWT_JWKS.
    AsymKeyKid = "asym_key_kid",
    /// An asymmetric API key does not verify against JWT_JWKS.
    AsymKeySignature = "asym_key_signature",
    /// The Bearer token has expired.
    BearerExpired = "bearer_expired",
    /// The Bearer token is not a JWT.
    BearerNotJwt = "bearer_not_jwt",
    /// The Bearer token was issued by another project than the URL's.
    BearerOtherProject = "bearer_other_project",
    /// A compose value is not valid interpolation.
    ComposeInvalidInterpolation = "compose_invalid_interpolation",
    /// A compose value requires a variable that is not set.
    ComposeRequiredVariable = "compose_required_variable",
    /// A chunk of a split auth cookie is missing.
    CookieChunkMissing = "cookie_chunk_missing",
    /// An auth cookie does not decode.
    CookieUnreadable = "cookie_unreadable",
    /// A key is a public demo key.
    DemoKey = "demo_key",
    /// JWT_SECRET is a public demo value.
    DemoSecret = "demo_secret",
    /// Two different keys carry one kid.
    DuplicateKid = "duplicate_kid",
    /// A `.env` value contains `$`, which docker compose expands.
    EnvDollarExpanded = "env_dollar_expanded",
    /// Envoy's listener holds a key that is not in the configuration.
    EnvoyKeyMismatch = "envoy_key_mismatch",
    /// Envoy compares the apikey with a literal placeholder.
    EnvoyPlaceholderLiteral = "envoy_placeholder_literal",
    /// Envoy cannot translate an opaque key: its asymmetric key is empty.
    EnvoyTranslationDisabled = "envoy_translation_disabled",
    /// The access token expired while its refresh token was at hand.
    ExpiredNotRefreshed = "expired_not_refreshed",
    /// Edge Functions cannot verify the tokens GoTrue signs.
    FunctionsJwksMissing = "functions_jwks_missing",
    /// GoTrue signs with a kid that PostgREST's JWKS does not hold.
    GotrueKeyIdNotInJwks = "gotrue_key_id_not_in_jwks",
    /// GOTRUE_JWT_KEY_ID names no key of GOTRUE_JWT_KEYS.
    GotrueKeyIdUnused = "gotrue_key_id_unused",
    /// A HAR value (a header or a body) over the per-value cap: skipped, not scanned.
    HarValueTooLarge = "har_value_too_large",
    /// JWT_JWKS cannot be read.
    JwtJwksInvalid = "jwt_jwks_invalid",
    /// A key of JWT_JWKS is not in JWT_KEYS: GoTrue does not know it.
    JwksKeyNotInJwtKeys = "jwks_key_not_in_jwt_keys",
    /// JWT_JWKS lacks the public half of a JWT_KEYS key.
    JwtJwksMissingKey = "jwt_jwks_missing_key",
    /// JWT_JWKS has no oct key for the legacy JWT_SECRET.
    JwtJwksNoOct = "jwt_jwks_no_oct",
    /// JWT_JWKS is not a `{"keys":[...]}` object.
    JwtJwksNotObject = "jwt_jwks_not_object",
    /// The oct key in JWT_JWKS is not JWT_SECRET.
    JwtJwksOctMismatch = "jwt_jwks_oct_mismatch",
    /// JWT_JWKS contains a private key.
    JwtJwksPrivate = "jwt_jwks_private",
    /// JWT_KEYS, or a key in it, cannot be read.
    JwtKeysInvalid = "jwt_keys_invalid",
    /// A key in JWT_KEYS lacks `kid` or `alg`.
    JwtKeysMissingKidAlg = "jwt_keys_missing_kid_alg",
    /// JWT_KEYS is an object where GoTrue needs a bare array.
    JwtKeysNotArray = "jwt_keys_not_array",
    /// A key in JWT_KEYS has a short EC coordinate.
    JwtKeysShortCoordinate = "jwt_keys_short_coordinate",
    /// JWT_KEYS does not have exactly one signing key.
    JwtKeysSigning = "jwt_keys_signing",
    /// The legacy secret signs nothing and no service needs it: safe to revoke.
    LegacySecretUnused = "legacy_secret_unused",
    /// JWT_SECRET is not set.
    JwtSecretMissing = "jwt_secret_missing",
    /// JWT_SECRET is shorter than 32 characters.
    JwtSecretShort = "jwt_secret_short",
    /// A value in a Kubernetes Secret ends with a newline.
    K8sSecretTrailingNewline = "k8s_secret_trailing_newline",
    /// ANON_KEY and SERVICE_ROLE_KEY are swapped.
    KeysSwapped = "keys_swapped",
    /// A Kong consumer lists an asymmetric key as a credential.
    KongAsymmetricCredential = "kong_asymmetric_credential",
    /// A Kong consumer does not hold the configured key.
    KongKeyMismatch = "kong_key_mismatch",
    /// A Kong consumer does not accept a configured key.
    KongKeyMissing = "kong_key_missing",
    /// A Kong consumer accepts a literal placeholder text.
    KongPlaceholderLiteral = "kong_placeholder_literal",
    /// A kong.yml consumer uses a placeholder rendered at start-up.
    KongTemplate = "kong_template",
    /// Kong turns an opaque key into an empty Bearer.
    KongTransformerMissingJwt = "kong_transformer_missing_jwt",
    /// kong.yml is the opaque-key template, but the compose file's kong service cannot render it.
    KongTemplateVersion = "kong_template_version",
    /// The request has no apikey.
    NoApikey = "no_apikey",
    /// An opaque `sb_` key's checksum does not match.
    OpaqueKeyChecksum = "opaque_key_checksum",
    /// An opaque `sb_` key is malformed.
    OpaqueKeyFormat = "opaque_key_format",
    /// The URL carries a PKCE code, not a token.
    PkceCode = "pkce_code",
    /// podman-compose < 1.6.0 computes a broken nested default.
    PodmanNestedDefault = "podman_nested_default",
    /// An auth redirect carries an error.
    RedirectError = "redirect_error",
    /// An `sb_` key is sent as Authorization: Bearer.
    SbKeyAsBearer = "sb_key_as_bearer",
    /// An API key was signed with JWT_SECRET read in another encoding.
    SecretEncoding = "secret_encoding",
    /// A service_role key is sent from a browser.
    SecretKeyInBrowser = "secret_key_in_browser",
    /// A service's value differs from the top-level one.
    ServiceValueMismatch = "service_value_mismatch",
    /// A standby key that some verifier of the stack cannot see.
    StandbyKeyUnseen = "standby_key_unseen",
    /// The token given to the Doctor cannot be read.
    TokenUnreadable = "token_unreadable",
    /// A compose value references a variable that is not set.
    UnresolvedVariable = "unresolved_variable",
    /// GOTRUE_JWT_VALID_METHODS does not include an algorithm in use.
    ValidMethods = "valid_methods",
}

impl FindingCode {
    /// The code whose text is `text`, if any.
    pub fn parse(text: &str) -> Option<FindingCode> {
        FindingCode::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == text)
    }
}

impl std::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serialises as its text, the shape JSON outputs have always had.
impl Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for FindingCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for FindingCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<FindingCode> for &str {
    fn eq(&self, other: &FindingCode) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_distinct_snake_case_and_round_trip() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in FindingCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{text}"
            );
            assert_eq!(FindingCode::parse(text), Some(code));
            assert_eq!(code.to_string(), text);
            assert_eq!(
                serde_json::to_string(&code).unwrap_or_default(),
                format!("\"{text}\"")
            );
        }
        assert_eq!(FindingCode::KongKeyMismatch, "kong_key_mismatch");
        assert!(FindingCode::ApiKeyRole != "api_key_expired");
    }
}
