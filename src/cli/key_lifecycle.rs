//! `supajwt key list --env .env`: the stack's keys with their lifecycle state, then the verdict
//! matrix (which service accepts which token class); `supajwt key add`: the `.env` diff of a
//! new standby key, the matrix before and after, and the steps (written with `--write`).

use super::UsageError;
use super::io::{CONFIG_LIMIT, now_or_system, read_compose, read_config, read_text_file};
use super::key_write::{WriteArgs, emit_plan};
use super::keygen::KeygenAlgArg;
use super::out::Out;
use crate::jose::alg::Alg;
use crate::jose::time::format_utc;
use crate::supabase::doctor::{Config, Inputs, load};
use crate::supabase::lifecycle::add::plan_add;
use crate::supabase::lifecycle::matrix::{Matrix, matrix};
use crate::supabase::lifecycle::{Stack, read_stack};
use clap::Args;
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

// The stack's files and the clock, shared by `key list` and `key add` (a plain comment: clap
// would show a doc comment here as their about).
#[derive(Debug, Args)]
#[group(skip)]
pub struct StackArgs {
    /// The stack's .env.
    #[arg(long, value_name = "FILE")]
    pub env: PathBuf,
    /// docker-compose.yml (repeat it for override files): the matrix then uses what each
    /// service really receives; without it, upstream's wiring.
    #[arg(long, value_name = "FILE")]
    pub compose: Vec<PathBuf>,
    /// Kong's kong.yml, for the kong column.
    #[arg(long, value_name = "FILE")]
    pub kong: Option<PathBuf>,
    /// Envoy's lds.template.yaml (or lds.yaml): adds the envoy column.
    #[arg(long, value_name = "FILE")]
    pub envoy: Option<PathBuf>,
    /// Pretend the current time is this (seconds since 1970).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
}

// `key list` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct KeyListArgs {
    #[command(flatten)]
    pub stack: StackArgs,
    /// Print {"keys":[…],"matrix":[…]} as JSON.
    #[arg(long)]
    pub json: bool,
}

// `key add` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct KeyAddArgs {
    #[command(flatten)]
    pub stack: StackArgs,
    /// The new key's algorithm.
    #[arg(long, value_enum, default_value_t = KeygenAlgArg(Alg::ES256), ignore_case = true)]
    pub alg: KeygenAlgArg,
    /// The new key's kid (default: a random UUID).
    #[arg(long)]
    pub kid: Option<String>,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// The `.env` text and its stack loaded with the other files of `args`.
pub(super) fn load_stack(
    args: &StackArgs,
    env: Option<String>,
) -> Result<(String, Config, Stack), UsageError> {
    let env = match env {
        Some(e) => e,
        None => read_text_file(&args.env, CONFIG_LIMIT)?,
    };
    let (compose, compose_overrides) = read_compose(&args.compose)?;
    let inputs = Inputs {
        env: Some(env.clone()),
        compose,
        compose_overrides,
        kong: read_config(&args.kong)?,
        envoy: read_config(&args.envoy)?,
        ..Inputs::default()
    };
    let config = load(&inputs)?;
    let stack =
        read_stack(&env, &config).map_err(|e| UsageError::from(e).context(args.env.display()))?;
    Ok((env, config, stack))
}

/// Runs `key list`: exit 0, or 2 on unusable input.
pub fn run(args: &KeyListArgs) -> Result<ExitCode, UsageError> {
    let (_, config, stack) = load_stack(&args.stack, None)?;
    let now = now_or_system(args.stack.now);
    let matrix = matrix(&stack, &config, now)?;
    let mut out = Out::stdout();
    if args.json {
        out.json_block(&to_json(&stack, &matrix));
        return Ok(ExitCode::SUCCESS);
    }
    keys_table(&mut out, &stack);
    out.blank();
    matrix_table(&mut out, &matrix);
    Ok(ExitCode::SUCCESS)
}

/// Runs `key add`: a dry run, or with `--write` the `.env` rewritten; exit 0, or 2 on
/// unusable input or a refused write (the file untouched).
pub fn run_add(args: &KeyAddArgs) -> Result<ExitCode, UsageError> {
    let (env, config, stack) = load_stack(&args.stack, None)?;
    let now = now_or_system(args.stack.now);
    let alg = args.alg.to_keygen(2048)?;
    let plan = plan_add(&env, &stack, &config, alg, args.kid.clone(), now)?;
    emit_plan(&args.write, &args.stack.env, &env, &plan, now, |out| {
        if let (Some(before), Some(after)) = (&plan.before, &plan.after) {
            out.line("Before:");
            matrix_table(out, before);
            out.blank();
            out.line("After:");
            matrix_table(out, after);
        }
    })
}

fn to_json(stack: &Stack, matrix: &Matrix) -> Value {
    let keys: Vec<Value> = stack
        .keys
        .iter()
        .map(|k| {
            json!({
                "kid": k.key.kid,
                "alg": k.alg,
                "kty": k.key.kty(),
                "thumbprint": k.thumbprint,
                "state": k.state.name(),
                "since": k.since,
                "in": k.held_in,
            })
        })
        .collect();
    json!({ "keys": keys, "matrix": matrix.cells().collect::<Vec<_>>() })
}

fn keys_table<W: Write>(out: &mut Out<W>, stack: &Stack) {
    out.line(format!(
        "Keys ({}; JWT_EXPIRY {} s)",
        stack.keys.len(),
        stack.jwt_expiry
    ));
    for k in &stack.keys {
        let since = k.since.map_or_else(
            || "since: not recorded".to_string(),
            |t| format!("since {}", format_utc(t)),
        );
        let stopped = k
            .stopped_signing
            .map(|t| format!(", stopped signing {}", format_utc(t)))
            .unwrap_or_default();
        let signed = if k.signed.is_empty() {
            "signed none of the stack's API keys".to_string()
        } else {
            format!("signed {}", k.signed.join(", "))
        };
        out.line(format!(
            "  {:<16} {:<6} {:<4} {}",
            k.state.name(),
            k.alg,
            k.key.kty(),
            k.key
                .kid
                .as_deref()
                .map_or("(no kid)".to_string(), |kid| format!("kid {kid}"))
        ));
        out.line(format!("    thumbprint {}", k.thumbprint));
        out.line(format!(
            "    {since}{stopped}; in {}; {signed}",
            k.held_in.join(", ")
        ));
    }
}

pub(super) fn matrix_table<W: Write>(out: &mut Out<W>, matrix: &Matrix) {
    out.line("Verdict matrix (yes: accepted, NO: refused, -: not checked)");
    out.line(format!("  {}", matrix.wiring));
    let width = matrix
        .rows
        .iter()
        .filter_map(|r| r.first())
        .map(|c| c.token.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut head = format!("  {:<width$}", "token");
    for s in &matrix.services {
        head.push_str(&format!(" {s:>11}"));
    }
    out.line(head);
    for row in &matrix.rows {
        let Some(first) = row.first() else { continue };
        let mut line = format!("  {:<width$}", first.token);
        for c in row {
            let mark = match c.accepted {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "-",
            };
            line.push_str(&format!(" {mark:>11}"));
        }
        out.line(line);
    }
    let refused: Vec<_> = matrix
        .cells()
        .filter(|c| c.accepted == Some(false))
        .collect();
    if !refused.is_empty() {
        out.blank();
        out.line("Refused:");
        for c in refused {
            out.line(format!("  {} at {}: {}", c.token, c.service, c.reason));
        }
    }
}
