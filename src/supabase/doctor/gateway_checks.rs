//! The gateway checks, after rendering: Kong's consumers hold the legacy key and the opaque key
//! of their role (`*_ASYMMETRIC` keys are never credentials: Kong's Lua transformer swaps them
//! into `Authorization` for an `sb_` apikey), and Envoy's listener compares with the current keys.

use super::Config;
use super::finding::{Finding, Severity};
use super::finding_code::FindingCode;
use super::gateway::{ENVOY_VARS, KongRendering, diagnose_mismatch, envoy_keys, kong_service};

/// (consumer, legacy variable, opaque variable, asymmetric variable, Kong's environment name
/// of the legacy key).
const CONSUMERS: [(&str, &str, &str, &str, &str); 2] = [
    (
        "anon",
        "ANON_KEY",
        "SUPABASE_PUBLISHABLE_KEY",
        "ANON_KEY_ASYMMETRIC",
        "SUPABASE_ANON_KEY",
    ),
    (
        "service_role",
        "SERVICE_ROLE_KEY",
        "SUPABASE_SECRET_KEY",
        "SERVICE_ROLE_KEY_ASYMMETRIC",
        "SUPABASE_SERVICE_KEY",
    ),
];

/// Runs the Kong and Envoy checks.
pub fn check(config: &Config, out: &mut Vec<Finding>) {
    check_kong(config, out);
    check_kong_version(config, out);
    check_kong_transformer(config, out);
    check_envoy(config, out);
}

fn placeholder_name(key: &str) -> String {
    key.trim()
        .trim_start_matches('$')
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_string()
}

fn check_kong(config: &Config, out: &mut Vec<Finding>) {
    let mode = config.kong_rendering;
    for (consumer, legacy, opaque, asym, kong_env) in CONSUMERS {
        let keys: Vec<&str> = config
            .kong
            .iter()
            .filter(|k| k.consumer == consumer)
            .map(|k| k.key.as_str())
            .filter(|k| !k.trim().is_empty())
            .collect();
        if keys.is_empty() {
            continue;
        }
        let mut template = false;
        for key in &keys {
            if key.contains('$') {
                template = true;
                if mode == KongRendering::Unknown {
                    out.push(Finding::new(Severity::Info, FindingCode::KongTemplate, format!("kong.yml consumer \"{consumer}\" uses the placeholder {}", key.trim()))
                        .detail("This is the template: how it is rendered depends on the compose file (give it too). Kong reads the rendered copy made at start-up; after rotating keys, restart Kong so it is re-rendered."));
                } else {
                    let var = placeholder_name(key);
                    let why = if mode == KongRendering::EntrypointAwk && key.contains("${") {
                        format!(
                            "kong-entrypoint.sh expands only $VAR, not ${{VAR}}: write ${var} instead of ${{{var}}}"
                        )
                    } else {
                        format!("{var} is not in the kong service's environment")
                    };
                    out.push(Finding::new(Severity::Error, FindingCode::KongPlaceholderLiteral, format!("Kong consumer \"{consumer}\" accepts the literal text {}", key.trim())).vars(&[&var, "kong.yml"])
                        .detail(format!("After rendering by {}, the placeholder stays as written ({why}), so Kong compares every apikey with that text and answers 401.", mode.describe()))
                        .fix(format!("Use ${var} in kong.yml and set {var} in the kong service's environment (e.g. {var}: ${{{legacy}}}), then restart Kong.")));
                }
                continue;
            }
            let expected = [legacy, opaque]
                .iter()
                .filter_map(|n| config.get(n).map(|v| (*n, v)))
                .collect::<Vec<_>>();
            if expected.iter().any(|(_, v)| *v == *key) {
                continue;
            }
            if config.get(asym) == Some(*key) {
                out.push(Finding::new(Severity::Info, FindingCode::KongAsymmetricCredential, format!("Kong consumer \"{consumer}\" lists {asym} as a credential")).vars(&[asym, "kong.yml"])
                    .detail("Upstream never makes the *_ASYMMETRIC keys credentials: clients send the legacy key or the sb_ key, and Kong's request-transformer puts the asymmetric JWT into Authorization."));
                continue;
            }
            let Some((primary, value)) = expected.first() else {
                continue;
            };
            let (primary, value) = if key.starts_with("sb_") {
                expected
                    .iter()
                    .find(|(n, _)| *n == opaque)
                    .unwrap_or(&(*primary, *value))
                    .to_owned()
            } else {
                (*primary, *value)
            };
            let why = diagnose_mismatch(key, value);
            out.push(Finding::new(Severity::Error, FindingCode::KongKeyMismatch, format!("Kong consumer \"{consumer}\" does not hold {primary}")).vars(&[primary, "kong.yml"])
                .detail(format!("Kong compares the apikey header byte for byte with consumers[].keyauth_credentials[].key: {why}. Requests with {primary} get 401 (\"Invalid authentication credentials\" / \"Unauthorized\") from Kong, and nothing shows in GoTrue's logs."))
                .fix("Re-render kong.yml from the template with the current keys (restart Kong) or paste the exact value."));
        }
        if template {
            continue;
        }
        for (var, severity, placeholder) in [
            (legacy, Severity::Error, kong_env),
            (opaque, Severity::Warning, opaque),
        ] {
            if let Some(v) = config.get(var)
                && !keys.contains(&v)
            {
                out.push(Finding::new(severity, FindingCode::KongKeyMissing, format!("Kong consumer \"{consumer}\" does not accept {var}")).vars(&[var, "kong.yml"])
                    .detail(format!("{var} is set, but no credential of consumer \"{consumer}\" equals it after rendering: requests with it get 401 from Kong."))
                    .fix(format!("Add - key: ${placeholder} to consumer \"{consumer}\" (upstream's kong.yml lists the legacy and the opaque key), pass {placeholder} to the kong service and restart Kong.")));
            }
        }
    }
}

/// The opaque-key kong.yml (its `$LUA_*_EXPR` transformers, `$SUPABASE_PUBLISHABLE_KEY` /
/// `$SUPABASE_SECRET_KEY` consumers) needs the compose file of the same version: a kong service
/// that runs kong-entrypoint.sh, which builds the Lua expressions, and passes the opaque keys.
fn check_kong_version(config: &Config, out: &mut Vec<Finding>) {
    let mode = config.kong_rendering;
    if !matches!(mode, KongRendering::EvalEcho | KongRendering::AsIs) {
        return;
    }
    let Some(service) = config.compose.as_ref().and_then(kong_service) else {
        return;
    };
    let env = config.container_env(&service.name);
    let passed = |n: &str| env.get(n).is_some_and(|v| !v.is_empty());
    let missing: Vec<&str> = config
        .kong_placeholders
        .iter()
        .map(String::as_str)
        .filter(|n| {
            (n.starts_with("LUA_")
                || *n == "SUPABASE_PUBLISHABLE_KEY"
                || *n == "SUPABASE_SECRET_KEY")
                && !passed(n)
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let effect = if mode == KongRendering::EvalEcho {
        "its eval-echo entrypoint renders them empty and strips the double quotes around \"Authorization: …\" (upstream's kong-entrypoint.sh says so), so Kong starts with a broken configuration or none, and the sb_ keys are not credentials"
    } else {
        "kong.yml is read as is, so Kong sees the placeholders as literal text"
    };
    let mut vars = missing.clone();
    vars.push("kong.yml");
    out.push(Finding::new(Severity::Error, FindingCode::KongTemplateVersion, format!("kong.yml is the opaque-key version, but the compose file's kong service does not render it ({list} stay unset)")).vars(&vars)
        .detail(format!("This kong.yml uses {list}: kong-entrypoint.sh builds the $LUA_*_EXPR transformers and the opaque-key compose file passes the sb_ keys. The loaded compose file's kong service, rendering with {}, does neither: {effect}.", mode.describe()))
        .fix("Use the kong.yml that came with this compose file, or update the kong service to the opaque-key one (kong 3.9 with volumes/api/kong-entrypoint.sh as its entrypoint, KONG_DECLARATIVE_CONFIG: /usr/local/kong/kong.yml, and SUPABASE_PUBLISHABLE_KEY, SUPABASE_SECRET_KEY, ANON_KEY_ASYMMETRIC, SERVICE_ROLE_KEY_ASYMMETRIC in its environment), then docker compose up -d --force-recreate kong."));
}

/// kong-entrypoint.sh builds the Lua that turns an `sb_` apikey into
/// `Authorization: Bearer <*_ASYMMETRIC>`: the kong service must receive those keys.
fn check_kong_transformer(config: &Config, out: &mut Vec<Finding>) {
    if config.kong_rendering != KongRendering::EntrypointAwk {
        return;
    }
    let Some(service) = config.compose.as_ref().and_then(kong_service) else {
        return;
    };
    let env = config.container_env(&service.name);
    let set = |n: &str| env.get(n).is_some_and(|v| !v.is_empty());
    if !(set("SUPABASE_PUBLISHABLE_KEY") && set("SUPABASE_SECRET_KEY")) {
        return;
    }
    for (_, _, opaque, asym, _) in CONSUMERS {
        if !set(asym) {
            out.push(Finding::new(Severity::Error, FindingCode::KongTransformerMissingJwt, format!("Kong turns {opaque} into an empty Bearer: {asym} is not in the kong service's environment")).vars(&[asym, opaque])
                .detail(format!("kong-entrypoint.sh builds the request-transformer's Lua from SUPABASE_SECRET_KEY / SUPABASE_PUBLISHABLE_KEY and the *_ASYMMETRIC keys: with {asym} empty, requests with {opaque} reach the services with \"Authorization: Bearer \" and get 401."))
                .fix(format!("Set {asym} in the .env (add-new-auth-keys.sh writes it) and {asym}: ${{{asym}:-}} in the kong service, then restart Kong.")));
        }
    }
}

fn check_envoy(config: &Config, out: &mut Vec<Finding>) {
    let Some(text) = &config.envoy else { return };
    let current: Vec<&str> = ENVOY_VARS.iter().filter_map(|n| config.get(n)).collect();
    for key in envoy_keys(text) {
        if key.starts_with("${") {
            let var = placeholder_name(&key);
            if !ENVOY_VARS.contains(&var.as_str()) {
                out.push(Finding::new(Severity::Error, FindingCode::EnvoyPlaceholderLiteral, format!("Envoy compares apikey with the literal text {key}")).vars(&[&var, "lds.yaml"])
                    .detail("The api-gw entrypoint's sed replaces only ${ANON_KEY}, ${SERVICE_ROLE_KEY}, ${SUPABASE_PUBLISHABLE_KEY}, ${SUPABASE_SECRET_KEY}, ${ANON_KEY_ASYMMETRIC} and ${SERVICE_ROLE_KEY_ASYMMETRIC}: this placeholder stays as written and every request with a real key gets 401.")
                    .fix("Use one of those six braced names in lds.template.yaml."));
            }
            continue;
        }
        if !current.is_empty() && !current.contains(&key.as_str()) {
            out.push(Finding::new(Severity::Error, FindingCode::EnvoyKeyMismatch, "Envoy's listener holds a key that is not in the configuration").vars(&["lds.yaml"])
                .detail(format!("{} — typically a rendered lds.yaml kept after the keys were rotated: Envoy answers 401 \"Unauthorized\" to the current keys.", diagnose_mismatch(&key, current[0]).replace("kong.yml", "lds.yaml")))
                .fix("Keep the ${VAR} placeholders in lds.template.yaml and restart api-gw so its entrypoint renders the current keys."));
        }
    }
    let set = |n: &str| config.get(n).is_some();
    if set("SUPABASE_PUBLISHABLE_KEY") && set("SUPABASE_SECRET_KEY") {
        for (_, _, opaque, asym, _) in CONSUMERS {
            if !set(asym) {
                out.push(Finding::new(Severity::Error, FindingCode::EnvoyTranslationDisabled, format!("Envoy rejects {opaque}: {asym} is empty")).vars(&[asym, opaque])
                    .detail("Envoy translates sb_ keys only when all four of SUPABASE_PUBLISHABLE_KEY, SUPABASE_SECRET_KEY, ANON_KEY_ASYMMETRIC and SERVICE_ROLE_KEY_ASYMMETRIC are set; otherwise its Lua filter answers 401 \"Unauthorized\" to an sb_ apikey.")
                    .fix(format!("Set {asym} (add-new-auth-keys.sh writes it) and restart api-gw.")));
            }
        }
    }
}
