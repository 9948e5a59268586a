//! Error-message explainer: a message seen in logs or responses → which component said it,
//! what it means, what to check, and which findings of the loaded configuration explain it.

use super::finding::Finding;
use super::finding_code::FindingCode;
use serde::Serialize;

/// What an error message means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// Who says it (Kong, GoTrue, PostgREST, ...).
    pub component: String,
    /// What it means.
    pub meaning: String,
    /// What to check.
    pub check: String,
    /// Titles of loaded findings that explain it.
    pub related_findings: Vec<String>,
    /// The message is about what the request sent (no apikey, no Authorization, not a JWT, an
    /// API key where a user is needed), which no configuration file explains.
    pub about_the_request: bool,
}

struct Known {
    patterns: &'static [&'static str],
    component: &'static str,
    meaning: &'static str,
    check: &'static str,
    codes: &'static [FindingCode],
    /// See [`Explanation::about_the_request`].
    request: bool,
}

const KNOWN: &[Known] = &[
    Known {
        patterns: &["unauthorized_unsupported_token_algorithm"],
        component: "Edge Functions (VERIFY_JWT)",
        meaning: "The functions gate verifies only HS256 (with JWT_SECRET) and ES256 / RS256 (with SUPABASE_JWKS); the token uses another algorithm (EdDSA, HS384, ES384, ...).",
        check: "Sign user tokens with ES256 (GoTrue's signing key in JWT_KEYS), or turn VERIFY_JWT off for that function and verify in the function.",
        codes: &[],
        request: false,
    },
    Known {
        patterns: &[
            "unauthorized_asymmetric_jwt",
            "jwks not available for es256/rs256",
        ],
        component: "Edge Functions (VERIFY_JWT)",
        meaning: "The functions gate could not verify an ES256 / RS256 token with its JWKS: SUPABASE_JWKS is not set (upstream's compose files from 2026-05 ship it commented out), is not a {\"keys\":[...]} object, or lacks the token's kid (stale after a rotation); older gates fetch GoTrue's JWKS through SUPABASE_URL instead.",
        check: "In the functions service set SUPABASE_JWKS: ${JWT_JWKS:-{\"keys\":[]}} with the current JWT_JWKS, then restart functions.",
        codes: &[FindingCode::FunctionsJwksMissing],
        request: false,
    },
    Known {
        patterns: &["unauthorized_legacy_jwt"],
        component: "Edge Functions (VERIFY_JWT)",
        meaning: "The functions gate could not verify an HS256 token with its JWT_SECRET (another secret, expired, or JWT_SECRET not set in the functions service).",
        check: "Compare the functions service's JWT_SECRET with the one that signed the token (check the token against this configuration).",
        codes: &[],
        request: false,
    },
    Known {
        patterns: &["missing authorization header"],
        component: "Edge Functions (VERIFY_JWT)",
        meaning: "The request reached the functions runtime without Authorization: Bearer <jwt>.",
        check: "Call the function with supabase.functions.invoke (it sends the session or the anon key), or send Authorization yourself; with sb_ keys the gateway passes them in sb-api-key, not Authorization.",
        codes: &[],
        request: true,
    },
    Known {
        patterns: &["invalid alg claim"],
        component: "supabase-js auth.getClaims()",
        meaning: "getClaims() verifies only ES256 and RS256 tokens locally and throws for any other asymmetric algorithm (EdDSA, ES512, RS512) — although GoTrue can sign them.",
        check: "Make GoTrue sign with ES256 (the signing key in JWT_KEYS), or call getUser() instead.",
        codes: &[FindingCode::ValidMethods],
        request: false,
    },
    Known {
        patterns: &[
            "jwt has expired",
            "authsessionmissingerror",
            "auth session missing",
        ],
        component: "supabase-js",
        meaning: "getClaims() found an expired token (it checks exp first, with no leeway), or there is no session at all (AuthSessionMissingError).",
        check: "Sign in again or let the client refresh the session (autoRefreshToken); check the device clock; API keys need a later exp.",
        codes: &[FindingCode::ApiKeyExpired, FindingCode::ApiKeyExpiring],
        request: false,
    },
    Known {
        patterns: &["header parameter value not allowed"],
        component: "Storage",
        meaning: "Storage allows an asymmetric token only when its JWT_JWKS is a usable {\"keys\":[...]} object; without it only HS256 is allowed, so every ES256 user token is refused before any signature check.",
        check: "Give the storage service JWT_JWKS: ${JWT_JWKS:-{\"keys\":[]}} (an object, not the bare JWT_KEYS array) and restart storage.",
        codes: &[
            FindingCode::JwtJwksNotObject,
            FindingCode::JwtJwksInvalid,
            FindingCode::PodmanNestedDefault,
        ],
        request: false,
    },
    Known {
        patterns: &["no api key found"],
        component: "Kong (key-auth)",
        meaning: "The request had no apikey header (or ?apikey=).",
        check: "Send the anon or service_role key in the apikey header; supabase-js does this for you when it is created with the key.",
        codes: &[],
        request: true,
    },
    Known {
        patterns: &["invalid authentication credentials", "invalid api key"],
        component: "Kong (key-auth) / hosted API gateway",
        meaning: "The apikey is not byte-for-byte equal to any consumer key in Kong's declarative config.",
        check: "Compare the key you send with kong.yml's consumers (whitespace, CR, quotes, truncation); re-render kong.yml after rotating keys and restart Kong.",
        codes: &[
            FindingCode::KongKeyMismatch,
            FindingCode::KongKeyMissing,
            FindingCode::KongPlaceholderLiteral,
            FindingCode::KongTemplate,
            FindingCode::ServiceValueMismatch,
        ],
        request: false,
    },
    Known {
        patterns: &["you cannot consume this service"],
        component: "Kong (ACL)",
        meaning: "The key is valid but its consumer is not in the ACL group of this route (anon on an admin route).",
        check: "Use the service_role key for admin routes, or check the acl plugin groups in kong.yml.",
        codes: &[FindingCode::KeysSwapped],
        request: false,
    },
    Known {
        patterns: &["signing method"],
        component: "GoTrue",
        meaning: "The token's algorithm is not in GOTRUE_JWT_VALID_METHODS.",
        check: "Add the algorithm (e.g. ES256) to GOTRUE_JWT_VALID_METHODS of the auth service, or remove that variable (unset, GoTrue accepts the algorithms of its keys).",
        codes: &[FindingCode::ValidMethods],
        request: false,
    },
    Known {
        patterns: &["unrecognized jwt kid"],
        component: "GoTrue",
        meaning: "The token's kid is not in GOTRUE_JWT_KEYS (rotated away, or a token from another stack).",
        check: "Make sure JWT_KEYS holds the key with that kid and auth was restarted.",
        codes: &[
            FindingCode::AsymKeyKid,
            FindingCode::ApiKeySignerRevoked,
            FindingCode::JwksKeyNotInJwtKeys,
            FindingCode::DuplicateKid,
            FindingCode::JwtJwksMissingKey,
            FindingCode::JwtKeysInvalid,
        ],
        request: false,
    },
    Known {
        patterns: &["crypto/ecdsa: verification error"],
        component: "GoTrue",
        meaning: "An ES256 signature does not match the key with that kid.",
        check: "The key pair in JWT_KEYS changed but the token was signed with the old private key.",
        codes: &[FindingCode::AsymKeySignature],
        request: false,
    },
    Known {
        patterns: &[
            "token is expired",
            "jwt expired",
            "\"exp\" claim timestamp check failed",
        ],
        component: "GoTrue / PostgREST / Storage",
        meaning: "The token's exp has passed (GoTrue allows no leeway, PostgREST 30 s).",
        check: "Refresh the session; for API keys mint new ones; check the machine clocks.",
        codes: &[FindingCode::ApiKeyExpired, FindingCode::ApiKeyExpiring],
        request: false,
    },
    Known {
        patterns: &[
            "invalid number of segments",
            "expected 3 parts in jwt",
            "invalid compact jws",
        ],
        component: "GoTrue / PostgREST / Storage",
        meaning: "What was sent as Bearer is not a JWT — often an sb_publishable_/sb_secret_ key or an empty string.",
        check: "Send a JWT (the anon key or a user's access token) as Authorization: Bearer; opaque sb_ keys go in apikey only.",
        codes: &[FindingCode::ApiKeyMalformed],
        request: true,
    },
    Known {
        patterns: &["missing sub claim"],
        component: "GoTrue",
        meaning: "An API key (anon/service_role has no sub) was used on an endpoint that needs a signed-in user.",
        check: "Call /auth/v1/user and similar with the user's access token, not the anon key.",
        codes: &[],
        request: true,
    },
    Known {
        patterns: &["jwsinvalidsignature"],
        component: "PostgREST ≤ 12 (PGRST301)",
        meaning: "The signature does not match PGRST_JWT_SECRET.",
        check: "Same JWT_SECRET everywhere? Same encoding (text vs base64 vs hex)?",
        codes: &[
            FindingCode::ApiKeySignature,
            FindingCode::SecretEncoding,
            FindingCode::ServiceValueMismatch,
            FindingCode::PodmanNestedDefault,
        ],
        request: false,
    },
    Known {
        patterns: &["no suitable key or wrong key type"],
        component: "PostgREST ≥ 13 (PGRST301)",
        meaning: "No key in PGRST_JWT_SECRET can check this token: another secret, a kid without matching key, a text secret against an ES256 token, or a broken JWKS.",
        check: "Is PGRST_JWT_SECRET the JWKS when tokens are asymmetric? Does it end with a stray } (Podman nested default)?",
        codes: &[
            FindingCode::ApiKeySignature,
            FindingCode::SecretEncoding,
            FindingCode::JwtJwksMissingKey,
            FindingCode::JwtJwksOctMismatch,
            FindingCode::PodmanNestedDefault,
            FindingCode::ServiceValueMismatch,
        ],
        request: false,
    },
    Known {
        patterns: &["must be at least 32 characters"],
        component: "PostgREST",
        meaning: "PGRST_JWT_SECRET (JWT_SECRET) is shorter than 32 characters.",
        check: "Generate a longer secret and re-mint the keys.",
        codes: &[FindingCode::JwtSecretShort],
        request: false,
    },
    Known {
        patterns: &[
            "signature is invalid",
            "unable to parse or verify signature",
            "signature verification failed",
        ],
        component: "GoTrue / Storage",
        meaning: "An HS256 token signed with another JWT_SECRET.",
        check: "Re-mint ANON_KEY / SERVICE_ROLE_KEY with the current JWT_SECRET, or give every service the same secret.",
        codes: &[
            FindingCode::ApiKeySignature,
            FindingCode::SecretEncoding,
            FindingCode::ServiceValueMismatch,
        ],
        request: false,
    },
    Known {
        patterns: &["failed to generate jwt signer"],
        component: "Realtime",
        meaning: "API_JWT_JWKS has no key for the token's kid (the tenant was seeded before the rotation).",
        check: "Reseed Realtime's tenant with the new JWT_JWKS (object form) and restart it.",
        codes: &[
            FindingCode::JwtJwksMissingKey,
            FindingCode::JwtJwksNotObject,
        ],
        request: false,
    },
    Known {
        patterns: &["unauthorized"],
        component: "Kong 3.x (key-auth) / Envoy (api-gw)",
        meaning: "Kong 3 says \"Unauthorized\" where 2.8 said \"Invalid authentication credentials\": the apikey matches no consumer. Envoy's Lua filter answers the same 401 \"Unauthorized\" when the apikey is none of ANON_KEY, SERVICE_ROLE_KEY or (with all four opaque/asymmetric keys set) the translated sb_ keys.",
        check: "Compare the key you send with the gateway's keys; restart Kong / api-gw after rotating keys so the configuration is re-rendered; with sb_ keys set ANON_KEY_ASYMMETRIC and SERVICE_ROLE_KEY_ASYMMETRIC too.",
        codes: &[
            FindingCode::KongKeyMismatch,
            FindingCode::KongKeyMissing,
            FindingCode::KongPlaceholderLiteral,
            FindingCode::KongTemplate,
            FindingCode::EnvoyKeyMismatch,
            FindingCode::EnvoyPlaceholderLiteral,
            FindingCode::EnvoyTranslationDisabled,
        ],
        request: false,
    },
    Known {
        patterns: &["fields `role` and `exp` are required"],
        component: "Realtime",
        meaning: "The token lacks role or exp.",
        check: "Mint tokens with role and exp.",
        codes: &[FindingCode::ApiKeyRole],
        request: false,
    },
];

/// Explains `message`, citing the loaded findings that account for it.
pub fn explain_error(message: &str, findings: &[Finding]) -> Explanation {
    let lower = message.to_lowercase();
    let known = KNOWN
        .iter()
        .find(|k| k.patterns.iter().any(|p| lower.contains(p)));
    match known {
        Some(k) => Explanation {
            component: k.component.into(),
            meaning: k.meaning.into(),
            check: k.check.into(),
            related_findings: findings.iter().filter(|f| k.codes.contains(&f.code)).map(|f| f.title.clone()).collect(),
            about_the_request: k.request,
        },
        None => Explanation {
            component: "unknown".into(),
            meaning: "supajwt does not recognise this message.".into(),
            check: "Decode the token you sent and verify it against the configuration; check every finding above.".into(),
            related_findings: vec![],
            about_the_request: false,
        },
    }
}
