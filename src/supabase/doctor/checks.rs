//! The legacy-key checks: JWT_SECRET, ANON_KEY / SERVICE_ROLE_KEY, Kong's consumer keys, and
//! that every service receives the same secret and keys.

use super::finding::{Finding, Severity};
use super::finding_code::FindingCode;
use super::gateway::diagnose_mismatch;
use super::remedy::Remedy;
use super::{Config, ResolvedVar, keysets};
use crate::jose::b64::SecretEncoding;
use crate::jose::error::CoreError;
use crate::jose::keys::{KeySet, KeySetShape, secret_key};
use crate::jose::time::{describe_relative, format_utc};
use crate::jose::token::Jws;
use crate::jose::verify::numeric_date;
use crate::supabase::claims::EXPIRY_WARNING_SECS;
use crate::supabase::mint::MintRole;
use crate::supabase::opaque::{CLI_DEMO_OPAQUE_KEYS, OpaqueCheck, OpaqueKind};
use crate::supabase::roles::{Role, demo_value};

/// Runs every configuration check.
pub fn run_all(config: &Config, now: i64) -> Vec<Finding> {
    let mut out = Vec::new();
    check_secret_whitespace(config, &mut out);
    check_secret(config, &mut out);
    for (name, role) in [
        ("ANON_KEY", Role::Anon),
        ("SERVICE_ROLE_KEY", Role::ServiceRole),
    ] {
        check_api_key(config, name, &role, now, &mut out);
    }
    for (name, kind) in [
        ("SUPABASE_PUBLISHABLE_KEY", OpaqueKind::Publishable),
        ("SUPABASE_SECRET_KEY", OpaqueKind::Secret),
    ] {
        check_opaque_key(config, name, kind, &mut out);
    }
    check_env_expansion(config, &mut out);
    super::gateway_checks::check(config, &mut out);
    check_services(config, &mut out);
    keysets::check(config, now, &mut out);
    super::gotrue::check(config, &mut out);
    super::services_clients::check_functions(config, &mut out);
    out
}

fn check_secret(config: &Config, out: &mut Vec<Finding>) {
    let Some(secret) = config.get("JWT_SECRET") else {
        if config.get("ANON_KEY").is_some() {
            out.push(Finding::new(Severity::Warning, FindingCode::JwtSecretMissing, "JWT_SECRET is not set").vars(&["JWT_SECRET"])
                .detail("ANON_KEY / SERVICE_ROLE_KEY cannot be checked, and every service needs the secret.")
                .fix("Set JWT_SECRET (at least 32 characters) in the .env or Secret."));
        }
        return;
    };
    if let Some(what) = demo_value(secret) {
        let (severity, exposure) = match exposed_by(config) {
            Some((var, host)) => (
                Severity::Error,
                format!(
                    " {var} names {host}, a host other machines reach: this stack is exposed, so this is an error, not a local test setup."
                ),
            ),
            None => (Severity::Warning, String::new()),
        };
        out.push(Finding::new(severity, FindingCode::DemoSecret, "JWT_SECRET is a public demo value").vars(&["JWT_SECRET"])
            .detail(format!("It is {what}: anyone can mint a service_role token for this deployment and bypass Row Level Security.{exposure}"))
            .fix("Generate a new secret and new ANON_KEY / SERVICE_ROLE_KEY, then restart every service.")
            .remedy(Remedy::NewSecretEnv));
    }
    if secret.chars().count() < 32 {
        out.push(Finding::new(Severity::Error, FindingCode::JwtSecretShort, format!("JWT_SECRET is {} characters; at least 32 are required", secret.chars().count())).vars(&["JWT_SECRET"])
            .detail("PostgREST refuses to start: \"The JWT secret must be at least 32 characters long.\" Short HMAC keys are also guessable.")
            .fix("Use a random secret of 32+ characters.")
            .remedy(Remedy::NewSecret));
    }
}

/// The first of the stack's public URLs (`API_EXTERNAL_URL`, `SUPABASE_PUBLIC_URL`,
/// `SITE_URL`) whose host is not this machine (loopback, `localhost`, `*.localhost`), with it.
fn exposed_by(config: &Config) -> Option<(&'static str, String)> {
    ["API_EXTERNAL_URL", "SUPABASE_PUBLIC_URL", "SITE_URL"]
        .into_iter()
        .find_map(|var| {
            let url = url::Url::parse(config.get(var)?.trim()).ok()?;
            let local = match url.host()? {
                url::Host::Domain(name) => {
                    let name = name.trim_end_matches('.').to_ascii_lowercase();
                    name == "localhost" || name.ends_with(".localhost")
                }
                url::Host::Ipv4(ip) => ip.is_loopback(),
                url::Host::Ipv6(ip) => ip.is_loopback(),
            };
            (!local).then(|| (var, url.host_str().unwrap_or_default().to_string()))
        })
}

fn check_api_key(config: &Config, name: &str, expected: &Role, now: i64, out: &mut Vec<Finding>) {
    let Some(token) = config.get(name) else {
        return;
    };
    if let Some(what) = demo_value(token) {
        out.push(
            Finding::new(
                Severity::Warning,
                FindingCode::DemoKey,
                format!("{name} is a public demo key"),
            )
            .vars(&[name])
            .detail(format!(
                "It is {what}; it verifies only with the public demo secret."
            ))
            .fix("Generate your own JWT_SECRET and keys.")
            .remedy(Remedy::NewSecretEnv),
        );
    }
    let jws = match Jws::parse_unverified(token) {
        Ok(j) => j,
        Err(e) => {
            out.push(Finding::new(Severity::Error, FindingCode::ApiKeyMalformed, format!("{name} is not a JWT")).vars(&[name])
                .detail(format!("{e}. Kong, PostgREST and GoTrue all reject it (\"Expected 3 parts in JWT\")."))
                .fix(format!("Paste the whole {name} (three base64url parts separated by dots), without quotes or spaces.")));
            return;
        }
    };
    let claims = jws.claims().unwrap_or_default();
    let role = claims.get("role").and_then(|r| r.as_str()).map(Role::parse);
    match &role {
        Some(r) if r == expected => {}
        Some(r) => {
            let swapped = matches!(
                (expected, r),
                (Role::Anon, Role::ServiceRole) | (Role::ServiceRole, Role::Anon)
            );
            let (severity, code, detail) = if swapped {
                (
                    Severity::Critical,
                    FindingCode::KeysSwapped,
                    format!(
                        "{name} carries role \"{}\": ANON_KEY and SERVICE_ROLE_KEY are swapped, so the public anon key bypasses Row Level Security.",
                        r.name()
                    ),
                )
            } else {
                (
                    Severity::Error,
                    FindingCode::ApiKeyRole,
                    format!(
                        "{name} carries role \"{}\", not \"{}\".",
                        r.name(),
                        expected.name()
                    ),
                )
            };
            out.push(
                Finding::new(severity, code, format!("{name} has the wrong role"))
                    .vars(&[name])
                    .detail(detail)
                    .fix(format!(
                        "Mint {name} with role {}, signed with JWT_SECRET.",
                        expected.name()
                    ))
                    .remedy(Remedy::MintApiKey(mint_role(expected))),
            );
        }
        None => out.push(
            Finding::new(
                Severity::Error,
                FindingCode::ApiKeyRole,
                format!("{name} has no role claim"),
            )
            .vars(&[name])
            .detail("PostgREST falls back to its anonymous role and Realtime rejects the token.")
            .fix(format!("Mint {name} with role {}.", expected.name()))
            .remedy(Remedy::MintApiKey(mint_role(expected))),
        ),
    }
    match numeric_date(&claims, "exp") {
        Ok(Some(exp)) if exp <= now => out.push(Finding::new(Severity::Error, FindingCode::ApiKeyExpired, format!("{name} expired {}", describe_relative(exp, now))).vars(&[name])
            .detail("Every service rejects it (GoTrue \"token is expired\", PostgREST \"JWT expired\").")
            .fix(format!("Mint a new {name} (role {}), signed with JWT_SECRET.", expected.name()))
            .remedy(Remedy::MintApiKey(mint_role(expected)))),
        Ok(Some(exp)) if exp.saturating_sub(now) < EXPIRY_WARNING_SECS => out.push(Finding::new(Severity::Warning, FindingCode::ApiKeyExpiring, format!("{name} expires {} ({})", describe_relative(exp, now), format_utc(exp))).vars(&[name])
            .detail("When it expires every request with it gets 401.")
            .fix("Mint a replacement now and roll it out with the other keys.")),
        _ => {}
    }
    if let Some(iss) = claims.get("iss").and_then(|i| i.as_str())
        && iss != "supabase"
        && iss != "supabase-demo"
    {
        out.push(Finding::new(Severity::Info, FindingCode::ApiKeyIss, format!("{name} has iss \"{iss}\"")).vars(&[name])
            .detail("Self-hosted API keys normally carry iss \"supabase\"; services do not check iss by default."));
    }
    if let Some(secret) = config.get("JWT_SECRET") {
        check_signature(name, expected, &jws, secret, out);
    }
}

/// The mint preset for an API key's expected role (the service role's, else anon's).
fn mint_role(role: &Role) -> MintRole {
    match role {
        Role::ServiceRole => MintRole::ServiceRole,
        _ => MintRole::Anon,
    }
}

fn check_signature(name: &str, expected: &Role, jws: &Jws, secret: &str, out: &mut Vec<Finding>) {
    if jws.alg_name() != Some("HS256") {
        return;
    }
    let Ok(key) = secret_key(secret, SecretEncoding::Text) else {
        return;
    };
    let keys = KeySet::single(key, KeySetShape::Secret);
    match crate::jose::verify::verify_signature(jws, &keys, &[]) {
        Ok(_) => {}
        Err(CoreError::SecretEncodingMismatch { encoding }) => out.push(Finding::new(Severity::Error, FindingCode::SecretEncoding, format!("{name} was signed with JWT_SECRET read as {encoding}")).vars(&[name, "JWT_SECRET"])
            .detail(format!("Supabase's services use JWT_SECRET as UTF-8 text, but {name} only verifies when the secret is decoded as {encoding}: PostgREST answers JWSInvalidSignature / \"No suitable key or wrong key type\"."))
            .fix(format!("Re-mint {name} with the secret read as text, or set PGRST_JWT_SECRET_IS_BASE64=true only if every service decodes it."))
            .remedy(Remedy::MintApiKey(mint_role(expected)))),
        Err(CoreError::HmacKeyTooShort { .. }) => {}
        Err(_) => out.push(Finding::new(Severity::Error, FindingCode::ApiKeySignature, format!("{name} does not verify against JWT_SECRET")).vars(&[name, "JWT_SECRET"])
            .detail("It was signed with another secret (an old one, or another stack's): GoTrue says \"signature is invalid\", PostgREST \"JWSInvalidSignature\" / \"No suitable key or wrong key type\".")
            .fix(format!("Re-mint {name} with the current secret."))
            .remedy(Remedy::MintApiKey(mint_role(expected)))),
    }
}

/// Service variables that must carry JWT_SECRET, and those that must carry the API keys.
const SECRET_VARS: [&str; 6] = [
    "GOTRUE_JWT_SECRET",
    "PGRST_APP_SETTINGS_JWT_SECRET",
    "API_JWT_SECRET",
    "AUTH_JWT_SECRET",
    "JWT_SECRET",
    "METRICS_JWT_SECRET",
];
const KEY_VARS: [(&str, &str); 6] = [
    ("SUPABASE_ANON_KEY", "ANON_KEY"),
    ("ANON_KEY", "ANON_KEY"),
    ("SUPABASE_SERVICE_KEY", "SERVICE_ROLE_KEY"),
    ("SUPABASE_SERVICE_ROLE_KEY", "SERVICE_ROLE_KEY"),
    ("SERVICE_KEY", "SERVICE_ROLE_KEY"),
    ("SERVICE_ROLE_KEY", "SERVICE_ROLE_KEY"),
];

fn check_services(config: &Config, out: &mut Vec<Finding>) {
    for v in &config.services {
        check_compose_value(v, out);
        for m in &v.missing {
            out.push(
                Finding::new(
                    Severity::Warning,
                    FindingCode::UnresolvedVariable,
                    format!(
                        "{} ({}) references ${{{m}}}, which is not set",
                        v.name, v.service
                    ),
                )
                .vars(&[m, &v.name])
                .detail("It becomes an empty string; the service starts without the value.")
                .fix(format!("Set {m} in the .env.")),
            );
        }
        let expected = if SECRET_VARS.contains(&v.name.as_str()) {
            Some("JWT_SECRET")
        } else if v.name == "PGRST_JWT_SECRET" {
            if config.get("JWT_JWKS").is_some_and(|j| j == v.value) {
                None
            } else {
                Some("JWT_SECRET")
            }
        } else if v.name == "GOTRUE_JWT_KEYS" {
            Some("JWT_KEYS")
        } else if matches!(
            v.name.as_str(),
            "API_JWT_JWKS" | "JWT_JWKS" | "SUPABASE_JWKS"
        ) {
            Some("JWT_JWKS")
        } else {
            KEY_VARS
                .iter()
                .find(|(n, _)| *n == v.name)
                .map(|(_, top)| *top)
        };
        let Some(top) = expected else { continue };
        let Some(want) = config.get(top) else {
            continue;
        };
        if v.value != want && !v.value.is_empty() {
            out.push(Finding::new(Severity::Error, FindingCode::ServiceValueMismatch, format!("{} of service {} differs from {top}", v.name, v.service)).vars(&[&v.name, top])
                .detail(format!("The {} service gets a different value than the rest of the stack ({}), so tokens accepted elsewhere fail there with 401.", v.service, diagnose_mismatch(&v.value, want).replace("kong.yml", "the compose file")))
                .fix(format!("Use {} = ${{{top}}} in docker-compose.yml and recreate the container (docker compose up -d --force-recreate {}).", v.name, v.service)));
        }
    }
}

/// `sb_publishable_` / `sb_secret_` + 22 base64url characters + `_` + an 8-character checksum
/// (see [`crate::supabase::opaque`]).
fn check_opaque_key(config: &Config, name: &str, kind: OpaqueKind, out: &mut Vec<Finding>) {
    let Some(value) = config.get(name) else {
        return;
    };
    let prefix = kind.prefix();
    if CLI_DEMO_OPAQUE_KEYS.contains(&value) {
        out.push(Finding::new(Severity::Warning, FindingCode::DemoKey, format!("{name} is the Supabase CLI's public local key")).vars(&[name])
            .fix("Generate your own publishable / secret keys for any deployment reachable by others."));
        return;
    }
    match crate::supabase::opaque::check_opaque_key(value, kind) {
        OpaqueCheck::ChecksumOk => {}
        OpaqueCheck::Malformed => out.push(Finding::new(Severity::Error, FindingCode::OpaqueKeyFormat, format!("{name} is not a {prefix}… key")).vars(&[name])
            .detail(format!("Expected {prefix} + 22 characters + _ + an 8-character checksum ({} characters in all, letters, digits, - and _); Kong compares it literally, so a damaged key matches nothing.", prefix.len() + 31))
            .fix("Copy the key again in full, without quotes or spaces.")),
        OpaqueCheck::ChecksumMismatch => out.push(Finding::new(Severity::Info, FindingCode::OpaqueKeyChecksum, format!("{name}'s checksum does not match")).vars(&[name])
            .detail("The last 8 characters are not the checksum add-new-auth-keys.sh writes (for the self-hosted project ref). Nothing in the self-hosted stack checks it (Kong compares the key literally), so this only hints at a mistyped key or one made by another generator.")
            .fix("Copy the key again from where it was generated.")),
    }
}

/// What docker compose does with a service variable that another compose would read
/// differently, or refuses.
fn check_compose_value(v: &ResolvedVar, out: &mut Vec<Finding>) {
    if v.invalid {
        out.push(Finding::new(Severity::Error, FindingCode::ComposeInvalidInterpolation, format!("{} ({}) is not valid compose interpolation", v.name, v.service)).vars(&[&v.name])
            .detail("docker compose refuses the file: \"invalid interpolation format\" (an unclosed ${, ${} or a name that does not start with a letter or _).")
            .fix("Write $$ for a literal $, or close the ${...} expression."));
    }
    for (var, message) in &v.required {
        out.push(Finding::new(Severity::Error, FindingCode::ComposeRequiredVariable, format!("{} ({}) requires {var}, which is not set", v.name, v.service)).vars(&[var, &v.name])
            .detail(format!("docker compose refuses to start: \"required variable {var} is missing a value: {message}\"."))
            .fix(format!("Set {var} in the .env.")));
    }
    let mangled = if let Some(podman) = &v.podman_value {
        if podman.contains("${") {
            "the literal text of the inner ${…} instead of its value".to_string()
        } else if podman.strip_suffix('}') == Some(v.value.as_str()) {
            "the right value followed by a stray '}'".to_string()
        } else {
            format!(
                "a different value ({} characters instead of {})",
                podman.chars().count(),
                v.value.chars().count()
            )
        }
    } else if v.podman_150_self {
        "a stray '}' in podman-compose 1.5.0 (the variable has the name of the one it defaults)"
            .to_string()
    } else {
        return;
    };
    out.push(Finding::new(Severity::Warning, FindingCode::PodmanNestedDefault, format!("{} ({}): podman-compose < 1.6.0 computes a broken value", v.name, v.service)).vars(&[&v.name])
        .detail(format!("{} is correct with docker compose v2 and podman-compose ≥ 1.6.0. podman-compose < 1.6.0 ends ${{…}} at the first '}}' and never expands a default: it gives {mangled}, so {} cannot read the key and every request gets 401.", v.template, v.service))
        .fix("With podman-compose, upgrade to 1.6.0 or later, or write the value without a nested default (e.g. PGRST_JWT_SECRET: ${JWT_JWKS} once JWT_JWKS is set). With docker compose nothing needs to change."));
}

/// A `$` in an unquoted or double-quoted `.env` value is expanded by compose: the services see
/// another value than the file shows.
fn check_env_expansion(config: &Config, out: &mut Vec<Finding>) {
    for (name, var) in &config.vars {
        let expands = !super::interpolate::interpolate(&var.raw, &|_| None)
            .references
            .is_empty();
        if !var.source.starts_with(".env") || var.raw == var.value || !expands {
            continue;
        }
        let severity = if name == "JWT_SECRET" {
            Severity::Warning
        } else {
            Severity::Info
        };
        out.push(Finding::new(severity, FindingCode::EnvDollarExpanded, format!("{name} contains $: docker compose expands it, so the services see another value")).vars(&[name])
            .detail(format!("In an unquoted or double-quoted .env value, compose treats $NAME / ${{NAME}} as a variable ({} characters written, {} characters received by the services). Keys signed with the text as written do not verify in the services.", var.raw.chars().count(), var.value.chars().count()))
            .fix(format!("Put the value in single quotes ({name}='...') or write each $ as $$, then re-create the containers.")));
    }
}

/// A Kubernetes Secret value ending in a newline (or CR / space): the classic
/// `echo "…" | base64` (echo appends a newline, base64 keeps it, the pods receive it).
fn check_secret_whitespace(config: &Config, out: &mut Vec<Finding>) {
    for name in ["JWT_SECRET", "ANON_KEY", "SERVICE_ROLE_KEY"] {
        let Some(var) = config.vars.get(name) else {
            continue;
        };
        if !var.source.starts_with("Kubernetes") || var.value.trim_end() == var.value {
            continue;
        }
        let tail = match var.value.chars().last() {
            Some('\n') => "a newline",
            Some('\r') => "a carriage return",
            _ => "a space",
        };
        out.push(Finding::new(Severity::Error, FindingCode::K8sSecretTrailingNewline, format!("{name} in the Kubernetes Secret ends with {tail}")).vars(&[name])
            .detail(format!("The Secret's data holds base64 of the value plus {tail} — typically made with echo \"…\" | base64, which encodes echo's newline. The pods receive {name} with it, so the services use another secret / key than the one you minted or send, and requests get 401."))
            .fix(format!("Re-encode without it: echo -n '…' | base64 (or printf %s), or put the plain value under stringData: {name}: '…'; then restart the pods.")));
    }
}
