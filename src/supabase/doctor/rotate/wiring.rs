//! The compose step of an asymmetric rotation, worded for the compose files that were loaded:
//! each verifier must receive the key set (GoTrue `GOTRUE_JWT_KEYS`, PostgREST
//! `${JWT_JWKS:-${JWT_SECRET}}`, Realtime `API_JWT_JWKS`, Storage `JWT_JWKS`, the Edge Functions
//! gate `SUPABASE_JWKS`), and a line is "uncommented" only where the file has it commented out.

use super::super::Config;

/// (compose service, variable, what upstream's compose file sets it to).
const WIRING: [(&str, &str, &str); 5] = [
    ("auth", "GOTRUE_JWT_KEYS", "${JWT_KEYS:-[]}"),
    ("rest", "PGRST_JWT_SECRET", "${JWT_JWKS:-${JWT_SECRET}}"),
    ("realtime", "API_JWT_JWKS", "${JWT_JWKS:-{\"keys\":[]}}"),
    ("storage", "JWT_JWKS", "${JWT_JWKS:-{\"keys\":[]}}"),
    ("functions", "SUPABASE_JWKS", "${JWT_JWKS:-{\"keys\":[]}}"),
];

/// What the loaded compose files do with one variable of [`WIRING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Passed, and it reads the key set.
    Passes,
    /// Passed, but not from `JWT_KEYS` / `JWT_JWKS` (PostgREST's `${JWT_SECRET}`).
    Other,
    /// Only in a commented-out line.
    Commented,
    /// Not in the file at all.
    Absent,
}

fn state(config: &Config, service: &str, var: &str) -> State {
    match config.service_var(service, var) {
        Some(v) if v.template.contains("JWT_KEYS") || v.template.contains("JWT_JWKS") => {
            State::Passes
        }
        Some(_) => State::Other,
        None if config.compose_commented.iter().any(|c| c == var) => State::Commented,
        None => State::Absent,
    }
}

/// The step that makes every verifier of the loaded compose files receive the new key set.
pub fn compose_step(config: &Config) -> String {
    let Some(project) = &config.compose else {
        return "docker-compose.yml was not loaded, so this step is not checked: the auth service needs GOTRUE_JWT_KEYS: ${JWT_KEYS:-[]}, rest PGRST_JWT_SECRET: ${JWT_JWKS:-${JWT_SECRET}}, realtime API_JWT_JWKS and storage JWT_JWKS: ${JWT_JWKS:-{\"keys\":[]}}, and, where the compose file has it, functions SUPABASE_JWKS (uncomment each line that upstream's file has commented out, add those it lacks). Load the compose file to get this step worded for it.".into();
    };
    let mut todo = Vec::new();
    let mut done = Vec::new();
    for (service, var, value) in WIRING {
        let started = project
            .services
            .iter()
            .any(|s| s.name == service && s.started());
        if !started {
            continue;
        }
        // The Edge Functions gate read SUPABASE_JWKS from 2026-05 on; an older compose file
        // (no such line anywhere) runs the gate that fetches GoTrue's published keys.
        if var == "SUPABASE_JWKS" && !config.functions_jwks_line {
            continue;
        }
        match state(config, service, var) {
            State::Passes => done.push(format!("{service} ({var})")),
            State::Other => todo.push(format!(
                "in the {service} service, change {var} to {var}: {value}"
            )),
            State::Commented => todo.push(format!(
                "in the {service} service, uncomment {var}: {value}"
            )),
            State::Absent => todo.push(format!(
                "add {var}: {value} to the {service} service's environment"
            )),
        }
    }
    let passes = if done.is_empty() {
        String::new()
    } else {
        format!(" Already passed: {}.", done.join(", "))
    };
    if todo.is_empty() {
        format!(
            "docker-compose.yml already passes the key set to every verifier: nothing to change there.{passes}"
        )
    } else {
        format!(
            "In docker-compose.yml, {} — until then those services do not get the new key.{passes}",
            todo.join("; ")
        )
    }
}

/// What the compose files must change so the compose `service` (`auth`, `rest`, `realtime`,
/// `storage`, `functions`) receives the key set, in words naming the variable; `None` when
/// no compose file was loaded, the service is not started, or it already receives it.
pub fn service_step(config: &Config, service: &str) -> Option<String> {
    let project = config.compose.as_ref()?;
    let (_, var, value) = WIRING.into_iter().find(|(s, _, _)| *s == service)?;
    project
        .services
        .iter()
        .find(|s| s.name == service && s.started())?;
    match state(config, service, var) {
        State::Passes => None,
        State::Other => Some(format!(
            "in docker-compose.yml, change the {service} service's {var} to {var}: {value}"
        )),
        State::Commented => Some(format!(
            "in docker-compose.yml, uncomment the {service} service's line {var}: {value}"
        )),
        State::Absent => Some(format!(
            "add {var}: {value} to the {service} service's environment in docker-compose.yml"
        )),
    }
}

/// The compose service behind a lifecycle-matrix column (`gotrue` and `supabase_js`: `auth`,
/// whose JWKS endpoint supabase-js reads; `postgrest`: `rest`); `None` for the gateways.
pub fn column_service(column: &str) -> Option<&'static str> {
    Some(match column {
        "gotrue" | "supabase_js" => "auth",
        "postgrest" => "rest",
        "realtime" => "realtime",
        "storage" => "storage",
        "functions" => "functions",
        _ => return None,
    })
}
