//! `supajwt doctor` and `supajwt rotate`.

use super::UsageError;
use super::io::{CONFIG_LIMIT, now_or_system, read_compose, read_config, read_text_file};
use super::keygen::KeygenAlgArg;
use super::out::Out;
use crate::jose::alg::Alg;
use crate::safe_text::redact::scrub_text;
use crate::supabase::doctor::redact::{redact_report, redact_rotation, secrets};
use crate::supabase::doctor::rotate::{
    ApiKeyClaims, RotateFormat, plan_api_keys, plan_with, render,
};
use crate::supabase::doctor::{
    Explanation, Finding, Inputs, Remedy, Report, Severity, diagnose_loaded, load,
};
use clap::{Args, ValueEnum};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

// `doctor` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Self-hosted .env file.
    #[arg(long, value_name = "FILE")]
    pub env: Option<PathBuf>,
    /// docker-compose.yml; repeat it for override files, merged in order as `docker compose -f
    /// A -f B` does (e.g. docker-compose.override.yml, docker-compose.envoy.yml).
    #[arg(long, value_name = "FILE")]
    pub compose: Vec<PathBuf>,
    /// Kong's kong.yml (the template, rendered the way the compose file says, or a rendered copy).
    #[arg(long, value_name = "FILE")]
    pub kong: Option<PathBuf>,
    /// Envoy's lds.template.yaml (or a rendered lds.yaml) from docker-compose.envoy.yml's api-gw.
    #[arg(long, value_name = "FILE")]
    pub envoy: Option<PathBuf>,
    /// Kubernetes Secret manifest (may also hold the kong ConfigMap).
    #[arg(long = "k8s-secret", value_name = "FILE")]
    pub k8s: Option<PathBuf>,
    /// Supabase CLI config.toml.
    #[arg(long = "config-toml", value_name = "FILE")]
    pub config_toml: Option<PathBuf>,
    /// Supabase CLI signing_keys.json.
    #[arg(long = "signing-keys", value_name = "FILE")]
    pub signing_keys: Option<PathBuf>,
    /// A token to check against every service.
    #[arg(long)]
    pub token: Option<String>,
    /// An error message seen in logs or responses.
    #[arg(long)]
    pub error: Option<String>,
    /// Pretend the current time is this (seconds since 1970).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
    /// Print {"findings":[...]} as JSON.
    #[arg(long)]
    pub json: bool,
    /// Share-safe output: every secret, key or token the report quotes becomes its sha256
    /// fingerprint (the same value, the same fingerprint); emails are masked.
    #[arg(long)]
    pub redact: bool,
}

// `rotate` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The current .env.
    #[arg(long, value_name = "FILE")]
    pub env: PathBuf,
    /// The stack's docker-compose.yml (repeat it for override files): the steps then say, service
    /// by service, which line to uncomment, add or change.
    #[arg(long, value_name = "FILE")]
    pub compose: Vec<PathBuf>,
    /// The new key's algorithm (HS256: a new JWT_SECRET).
    #[arg(long, value_enum, default_value_t = KeygenAlgArg(Alg::ES256), ignore_case = true)]
    pub alg: KeygenAlgArg,
    /// Output: a .env diff, a Kubernetes Secret, or the .env diff with Kong's consumers block
    /// ($VAR placeholders) or Envoy's api-gw environment.
    #[arg(long, value_enum, default_value_t = FormatArg::Env)]
    pub format: FormatArg,
    /// Rotate only the opaque API keys (SUPABASE_PUBLISHABLE_KEY / SUPABASE_SECRET_KEY), as
    /// upstream's rotate-new-api-keys.sh does; --alg is ignored.
    #[arg(long)]
    pub api_keys: bool,
    /// Re-sign the old ANON_KEY / SERVICE_ROLE_KEY payloads (their iss and exp too) instead of
    /// minting new ones valid for five years, as upstream's generate-keys.sh does.
    #[arg(long)]
    pub keep_claims: bool,
    /// Issue time of newly minted keys (seconds since 1970).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
    /// Share-safe output: each old and new value becomes its sha256 fingerprint (shows what
    /// changes without the secrets; not applicable as is).
    #[arg(long)]
    pub redact: bool,
}

/// `rotate --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    /// .env diff.
    Env,
    /// Kubernetes Secret.
    K8s,
    /// .env diff and Kong consumers.
    Kong,
    /// .env diff and Envoy's api-gw environment.
    Envoy,
}

/// Runs `doctor`: exit 0 with no problem, 1 with errors, 2 on unusable input.
pub fn run(args: &DoctorArgs) -> Result<ExitCode, UsageError> {
    let (compose, compose_overrides) = read_compose(&args.compose)?;
    let inputs = Inputs {
        env: read_config(&args.env)?,
        compose,
        compose_overrides,
        kong: read_config(&args.kong)?,
        envoy: read_config(&args.envoy)?,
        k8s: read_config(&args.k8s)?,
        config_toml: read_config(&args.config_toml)?,
        signing_keys: read_config(&args.signing_keys)?,
        token: args.token.clone(),
        error_message: args.error.clone(),
    };
    let config = load(&inputs)?;
    let mut report = diagnose_loaded(&config, &inputs, now_or_system(args.now))?;
    let known = if args.redact {
        secrets(&inputs, &config)
    } else {
        Vec::new()
    };
    if args.redact {
        report = redact_report(&report, &known);
    }
    if args.json {
        let findings: Vec<serde_json::Value> = report.findings.iter().map(finding_json).collect();
        let text = serde_json::to_string_pretty(&json!({
            "findings": findings,
            "services": report.services,
            "explanation": report.explanation,
            "unexplained": report.unexplained,
            "read": report.read,
        }))
        .unwrap_or_default();
        Out::stdout().json(&if args.redact {
            scrub_text(&text, &known.iter().map(String::as_str).collect::<Vec<_>>())
        } else {
            text
        });
    } else {
        print_report(&mut Out::stdout(), &report);
    }
    Ok(if report.failing() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report<W: std::io::Write>(out: &mut Out<W>, report: &Report) {
    out.line(format!(
        "read: {}",
        if report.read.is_empty() {
            "no configuration files".to_string()
        } else {
            report.read.join(", ")
        }
    ));
    if let Some(u) = &report.unexplained {
        out.blank();
        out.line(format!("NOT EXPLAINED: {}", u.headline));
        if let Some(e) = &report.explanation {
            print_explanation(out, e);
        }
        if !u.causes.is_empty() {
            out.blank();
            out.line("likely causes, each with its check:");
        }
        for c in &u.causes {
            out.line(format!("  - {}", c.cause));
            out.line(format!("    check: {}", c.check));
        }
    } else if report.findings.is_empty() {
        out.line("no problems found");
    }
    for f in &report.findings {
        out.blank();
        out.line(format!("{} [{}] {}", f.severity.label(), f.code, f.title));
        if !f.variables.is_empty() {
            out.line(format!("  variables: {}", f.variables.join(", ")));
        }
        if !f.detail.is_empty() {
            out.line(format!("  why: {}", f.detail));
        }
        if !f.fix.is_empty() {
            out.line(format!("  fix: {}", f.fix));
        }
        if let Some(remedy) = f.remedy {
            out.line(format!("  run: {}", remedy_command(remedy)));
        }
    }
    if !report.services.is_empty() {
        out.blank();
        out.line("the token, service by service:");
        for s in &report.services {
            let mark = match s.accepted {
                Some(true) => "accepts",
                Some(false) => "REJECTS",
                None => "unknown",
            };
            out.line(format!("  {:<10} {mark:<8} {}", s.service, s.message));
        }
    }
    if let (Some(e), None) = (&report.explanation, &report.unexplained) {
        out.blank();
        print_explanation(out, e);
    }
    let refused = report.refused_by();
    if !refused.is_empty() {
        out.blank();
        out.line(format!("this token is refused by {}.", refused.join(", ")));
    }
    let worst = report.findings.first().map(|f| f.severity);
    if worst >= Some(Severity::Error) {
        out.blank();
        out.line(format!(
            "{} problem(s) that cause failures.",
            report
                .findings
                .iter()
                .filter(|f| f.severity >= Severity::Error)
                .count()
        ));
    }
}

fn print_explanation<W: std::io::Write>(out: &mut Out<W>, e: &Explanation) {
    out.line("the error message:");
    out.line(format!("  from: {}", e.component));
    out.line(format!("  means: {}", e.meaning));
    out.line(format!("  check: {}", e.check));
    for t in &e.related_findings {
        out.line(format!("  explained by: {t}"));
    }
}

/// Runs `rotate`.
pub fn run_rotate(args: &RotateArgs) -> Result<ExitCode, UsageError> {
    let (compose, compose_overrides) = read_compose(&args.compose)?;
    let inputs = Inputs {
        env: Some(read_text_file(&args.env, CONFIG_LIMIT)?),
        compose,
        compose_overrides,
        ..Inputs::default()
    };
    let config = load(&inputs)?;
    let alg = args.alg.to_keygen(2048)?;
    let rotation = if args.api_keys {
        plan_api_keys(&config)?
    } else {
        let claims = if args.keep_claims {
            ApiKeyClaims::Keep
        } else {
            ApiKeyClaims::Fresh
        };
        plan_with(&config, alg, claims, now_or_system(args.now))?
    };
    let format = match args.format {
        FormatArg::Env => RotateFormat::Env,
        FormatArg::K8s => RotateFormat::K8s,
        FormatArg::Kong => RotateFormat::Kong,
        FormatArg::Envoy => RotateFormat::Envoy,
    };
    if !args.api_keys
        && let Some(warning) = alg.alg().supabase_client_warning()
    {
        super::out::note(&format!("warning: {warning}"));
    }
    let rotation = if args.redact {
        redact_rotation(&rotation, &secrets(&inputs, &config))
    } else {
        rotation
    };
    Out::stdout().data(render(&rotation, format).expose());
    Ok(ExitCode::SUCCESS)
}

/// A finding as `doctor --json` prints it: its fields, and the command of its remedy.
fn finding_json(f: &Finding) -> serde_json::Value {
    let mut value = serde_json::to_value(f).unwrap_or_default();
    if let (Some(remedy), Some(object)) = (f.remedy, value.as_object_mut()) {
        object.insert("command".into(), remedy_command(remedy).into());
    }
    value
}

/// The command that carries out a remedy (the window offers the same as a button).
fn remedy_command(remedy: Remedy) -> String {
    match remedy {
        Remedy::NewSecretEnv => "supajwt keygen --alg HS256 --format env".into(),
        Remedy::NewSecret => "supajwt keygen --alg HS256 --format secret".into(),
        Remedy::MintApiKey(role) => format!(
            "supajwt mint --role {} --secret-env JWT_SECRET --expires-in 5y",
            role.claim()
        ),
        Remedy::NewKeySet {
            keep_legacy_secret: true,
        } => "supajwt keygen --alg ES256 --format env --secret-env JWT_SECRET".into(),
        Remedy::NewKeySet {
            keep_legacy_secret: false,
        } => "supajwt keygen --alg ES256 --format env".into(),
        Remedy::Rotate => "supajwt rotate --env .env".into(),
        Remedy::ResignWithKid => "supajwt mint --resign TOKEN --key jwt_keys.json".into(),
    }
}
