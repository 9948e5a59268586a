//! Issue 24 §5: configurations are bounded. A billion-laughs YAML alias set (compose, kong.yml,
//! Kubernetes), a `.env` whose lines repeat the previous variable and a kong.yml rendered from
//! many `$V` of a large `V` each end with a clear error naming the file (and the variable),
//! exit 2, within a generous bound: never an abort on a failed allocation.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::run;
use common::clock::NOW;
use common::deadline::within;
use supajwt::supabase::doctor::{Inputs, diagnose};

/// About 1 KB of YAML whose aliases expand to 9^9 scalars.
fn billion_laughs(under: &str) -> String {
    let mut y = format!(
        "{under}\n  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    );
    for i in 1..10 {
        let p = i - 1;
        y.push_str(&format!(
            "  a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    y
}

#[test]
fn billion_laughs_is_refused_in_every_yaml_input() {
    for slot in ["compose", "kong", "k8s"] {
        let (under, yaml) = match slot {
            "compose" => ("x-laughs:", billion_laughs("x-laughs:")),
            "kong" => ("consumers:", billion_laughs("x-laughs:")),
            _ => ("data:", billion_laughs("data:")),
        };
        let _ = under;
        let yaml = if slot == "k8s" {
            format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n{yaml}")
        } else {
            yaml
        };
        let mut inputs = Inputs::default();
        match slot {
            "compose" => inputs.compose = Some(yaml),
            "kong" => inputs.kong = Some(yaml),
            _ => inputs.k8s = Some(yaml),
        }
        let e = within(10, slot, move || diagnose(&inputs, NOW)).unwrap_err();
        assert!(e.to_string().contains("aliases"), "{slot}: {e}");
    }
}

#[test]
fn an_env_whose_lines_repeat_the_previous_variable_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    let mut text = String::from("V0=abcdefgh\n");
    for i in 1..12 {
        text.push_str(&format!("V{i}={}\n", format!("$V{}", i - 1).repeat(100)));
    }
    std::fs::write(&env, text).unwrap();
    let env = env.to_string_lossy().into_owned();
    let r = within(10, ".env", move || {
        run(&["doctor", "--env", &env, "--now", &NOW.to_string()], None)
    });
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(".env") && r.stderr.contains("V3"),
        "{}",
        r.stderr
    );
}

/// `doctor --env .env --compose docker-compose.yml FLAG FILE` with these texts, within 20 s.
fn doctor_with_gateway(
    env: String,
    compose: &str,
    flag: &str,
    file: String,
) -> common::cli::Output {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let args: Vec<String> = vec![
        "doctor".into(),
        "--env".into(),
        write(".env", &env),
        "--compose".into(),
        write("docker-compose.yml", compose),
        flag.into(),
        write("gateway.yml", &file),
        "--now".into(),
        NOW.to_string(),
    ];
    within(20, flag, move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args, None)
    })
}

#[test]
fn a_kong_yml_rendered_from_many_large_variables_exits_2() {
    let r = doctor_with_gateway(
        format!("V={}\n", "v".repeat(100_000)),
        "services:\n  kong:\n    image: kong:2.8.1\n    environment:\n      V: ${V}\n    entrypoint: bash -c 'eval \"echo \\\"$$(cat ~/temp.yml)\\\"\"; kong docker-start'\n",
        "--kong",
        format!("x: \"{}\"\n", "$V".repeat(200_000)),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("kong.yml") && r.stderr.contains("V"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_compose_environment_of_many_large_variables_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    std::fs::write(&env, format!("V={}\n", "v".repeat(500_000))).unwrap();
    let compose = dir.path().join("docker-compose.yml");
    let mut text = String::from("services:\n  db:\n    image: postgres\n    environment:\n");
    for i in 0..2_000 {
        text.push_str(&format!("      E{i}: $V$V$V\n"));
    }
    std::fs::write(&compose, text).unwrap();
    let args: Vec<String> = [
        "doctor",
        "--env",
        env.to_str().unwrap(),
        "--compose",
        compose.to_str().unwrap(),
        "--now",
        &NOW.to_string(),
    ]
    .map(String::from)
    .to_vec();
    let r = within(20, "compose", move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args, None)
    });
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("docker-compose.yml") && r.stderr.contains("E"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_envoy_lds_rendered_from_many_large_variables_exits_2() {
    // Under the 1 MiB input cap, but 80k × 100 KB rendered.
    let r = doctor_with_gateway(
        format!("ANON_KEY={}\n", "v".repeat(100_000)),
        "services:\n  api-gw:\n    image: envoyproxy/envoy:v1.37.0\n    environment:\n      ANON_KEY: ${ANON_KEY}\n",
        "--envoy",
        format!("x: \"{}\"\n", "${ANON_KEY}".repeat(80_000)),
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("Envoy lds.yaml") && r.stderr.contains("ANON_KEY"),
        "{}",
        r.stderr
    );
}
