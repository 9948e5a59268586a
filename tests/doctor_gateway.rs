//! The gateway as it really renders: Kong's three renderings (eval-echo, kong-entrypoint.sh,
//! as is), consumers with legacy + opaque keys, the Lua transformer's *_ASYMMETRIC keys, Envoy.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod upstream_stack;

use common::clock::UPSTREAM_NOW as NOW;
use supajwt::supabase::doctor::gateway::KongRendering;
use supajwt::supabase::doctor::{Finding, Inputs, Report, Severity, diagnose, load};
use upstream_stack::*;

fn stack() -> String {
    add_new_auth_keys(
        &generate_keys(&env_example_opaque(), NOW - 86_400),
        NOW - 86_400,
    )
}

fn doctor(env: &str, compose: &[&str], kong: Option<&str>, envoy: Option<&str>) -> Report {
    let inputs = Inputs {
        env: Some(env.into()),
        compose: compose.first().map(|c| c.to_string()),
        compose_overrides: compose.iter().skip(1).map(|c| c.to_string()).collect(),
        kong: kong.map(str::to_string),
        envoy: envoy.map(str::to_string),
        ..Inputs::default()
    };
    diagnose(&inputs, NOW).unwrap()
}

fn find<'a>(r: &'a Report, code: &str) -> Vec<&'a Finding> {
    r.findings.iter().filter(|f| f.code == code).collect()
}

#[test]
fn the_rendering_is_read_from_the_compose_file() {
    let env = stack();
    for (compose, mode) in [
        (compose_2026_02(), KongRendering::EvalEcho),
        (opaque_compose(true), KongRendering::EntrypointAwk),
        (
            compose_2026_02().replace(
                "    entrypoint: bash -c 'eval \"echo \\\"$$(cat ~/temp.yml)\\\"\" > ~/kong.yml && /docker-entrypoint.sh kong docker-start'\n",
                "",
            ),
            KongRendering::AsIs,
        ),
    ] {
        let inputs = Inputs {
            env: Some(env.clone()),
            compose: Some(compose),
            kong: Some(kong_2026_02()),
            ..Inputs::default()
        };
        assert_eq!(load(&inputs).unwrap().kong_rendering, mode);
    }
}

#[test]
fn a_placeholder_that_stays_literal_is_an_error_naming_consumer_and_variable() {
    let env = stack();
    // The current entrypoint expands only $VAR: a braced ${VAR} stays literal.
    let braced = kong_opaque().replace("key: $SUPABASE_ANON_KEY", "key: ${SUPABASE_ANON_KEY}");
    let r = doctor(&env, &[&opaque_compose(true)], Some(&braced), None);
    let f = find(&r, "kong_placeholder_literal");
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert!(f[0].title.contains("\"anon\"") && f[0].variables[0] == "SUPABASE_ANON_KEY");
    assert!(f[0].detail.contains("only $VAR"), "{}", f[0].detail);
    // The old eval-echo entrypoint expands it: healthy.
    let r = doctor(
        &env,
        &[&compose_2026_02()],
        Some(
            &braced
                .replace("$SUPABASE_PUBLISHABLE_KEY", "")
                .replace("$SUPABASE_SECRET_KEY", ""),
        ),
        None,
    );
    assert!(
        find(&r, "kong_placeholder_literal").is_empty(),
        "{:#?}",
        r.findings
    );
    // Mounted as is (no rendering step): $VAR is the literal key Kong compares with.
    let as_is = compose_2026_02().replace(
        "    entrypoint: bash -c 'eval \"echo \\\"$$(cat ~/temp.yml)\\\"\" > ~/kong.yml && /docker-entrypoint.sh kong docker-start'\n",
        "",
    );
    let r = doctor(&env, &[&as_is], Some(&kong_2026_02()), None);
    let f = find(&r, "kong_placeholder_literal");
    assert_eq!(f.len(), 2, "{:#?}", r.findings);
    assert!(f.iter().any(|f| f.title.contains("\"service_role\"")));
}

#[test]
fn a_stale_literal_key_is_an_error_naming_the_consumer() {
    let env = stack();
    let old = stack();
    let stale = kong_opaque().replace(
        "$SUPABASE_SECRET_KEY",
        &raw_var(&old, "SUPABASE_SECRET_KEY"),
    );
    let r = doctor(&env, &[&opaque_compose(true)], Some(&stale), None);
    let f = find(&r, "kong_key_mismatch");
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert!(f[0].title.contains("\"service_role\"") && f[0].title.contains("SUPABASE_SECRET_KEY"));
    assert_eq!(f[0].severity, Severity::Error);
}

#[test]
fn asymmetric_keys_are_never_credentials_but_the_transformer_needs_them() {
    let env = stack();
    // Without ANON_KEY_ASYMMETRIC in the kong service, an sb_publishable_ key becomes an empty
    // Bearer.
    let compose =
        opaque_compose(true).replace("      ANON_KEY_ASYMMETRIC: ${ANON_KEY_ASYMMETRIC:-}\n", "");
    let r = doctor(&env, &[&compose], Some(&kong_opaque()), None);
    let f = find(&r, "kong_transformer_missing_jwt");
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert!(f[0].variables.contains(&"ANON_KEY_ASYMMETRIC".to_string()));
    // Listing an *_ASYMMETRIC key as a credential is not upstream's way: a note, not an error.
    let listed = kong_opaque().replace(
        "      - key: $SUPABASE_PUBLISHABLE_KEY\n",
        "      - key: $SUPABASE_PUBLISHABLE_KEY\n      - key: $ANON_KEY_ASYMMETRIC\n",
    );
    let r = doctor(&env, &[&opaque_compose(true)], Some(&listed), None);
    assert_eq!(
        find(&r, "kong_asymmetric_credential").len(),
        1,
        "{:#?}",
        r.findings
    );
    assert!(!r.has_errors(), "{:#?}", r.findings);
    // The 2026-02 kong.yml has no opaque credential: sb_ keys get 401 (a warning).
    let r = doctor(&env, &[&compose_2026_02()], Some(&kong_2026_02()), None);
    let f = find(&r, "kong_key_missing");
    assert_eq!(f.len(), 2, "{:#?}", r.findings);
    assert!(f.iter().all(|f| f.severity == Severity::Warning));
}

/// Issue 23 §B.6: the opaque-key kong.yml with the 2026-02 compose file (Kong 2.8, eval-echo,
/// neither the sb_ keys nor kong-entrypoint.sh's Lua) is an error; each kong.yml with its own
/// compose file is not.
#[test]
fn an_opaque_kong_yml_with_the_2026_02_compose_file_is_an_error() {
    for env in [env_example(), stack()] {
        let r = doctor(&env, &[&compose_2026_02()], Some(&kong_opaque()), None);
        let f = find(&r, "kong_template_version");
        assert_eq!(f.len(), 1, "{:#?}", r.findings);
        assert_eq!(f[0].severity, Severity::Error);
        for named in ["$SUPABASE_PUBLISHABLE_KEY", "$LUA_AUTH_EXPR"] {
            assert!(f[0].title.contains(named), "{named}: {}", f[0].title);
        }
        assert!(f[0].detail.contains("eval-echo"), "{}", f[0].detail);
        assert!(r.has_errors());
    }
    for (env, compose, kong) in [
        (env_example(), compose_2026_02(), kong_2026_02()),
        (stack(), opaque_compose(true), kong_opaque()),
        (env_example_opaque(), opaque_compose(false), kong_opaque()),
    ] {
        let r = doctor(&env, &[&compose], Some(&kong), None);
        assert!(
            find(&r, "kong_template_version").is_empty(),
            "{:#?}",
            r.findings
        );
    }
}

#[test]
fn envoy_is_rendered_with_sed_on_braced_names_only() {
    let env = stack();
    let files = [opaque_compose(true), compose_envoy()];
    let compose: Vec<&str> = files.iter().map(String::as_str).collect();
    let r = doctor(&env, &compose, None, Some(ENVOY_LDS_EXCERPT));
    assert!(!r.has_errors(), "{:#?}", r.findings);
    let unbraced =
        ENVOY_LDS_EXCERPT.replace("exact: '${ANON_KEY}'", "exact: '${SUPABASE_ANON_KEY}'");
    let r = doctor(&env, &compose, None, Some(&unbraced));
    assert_eq!(
        find(&r, "envoy_placeholder_literal").len(),
        1,
        "{:#?}",
        r.findings
    );
    // A rendered lds.yaml kept after rotating: the old key is stale.
    let old = stack();
    let rendered = ENVOY_LDS_EXCERPT.replace("${ANON_KEY}", &raw_var(&old, "ANON_KEY"));
    let r = doctor(&env, &compose, None, Some(&rendered));
    assert!(
        !find(&r, "envoy_key_mismatch").is_empty(),
        "{:#?}",
        r.findings
    );
    // sb_ translation needs all four keys.
    let no_asym = set_var(&env, "SERVICE_ROLE_KEY_ASYMMETRIC", "", true);
    let r = doctor(&no_asym, &compose, None, Some(ENVOY_LDS_EXCERPT));
    assert_eq!(
        find(&r, "envoy_translation_disabled").len(),
        1,
        "{:#?}",
        r.findings
    );
    assert!(supajwt::supabase::doctor::gateway::looks_like_envoy(
        ENVOY_LDS_EXCERPT
    ));
    assert!(!supajwt::supabase::doctor::gateway::looks_like_envoy(
        &kong_opaque()
    ));
}
