//! The headless front end: `supajwt decode|verify|keygen|mint|doctor|rotate`, a thin layer over [`crate::core`],
//! and `selftest|version|completions` for packaging and trust on arrival.
//!
//! Exit codes: 0 success / valid, 1 token rejected (reason on stdout), 2 unusable input or
//! usage (message on stderr).

mod db;
mod decode;
mod doctor;
mod error;
mod har;
mod inspect;
mod io;
mod key;
mod key_lifecycle;
mod key_write;
pub(crate) mod keygen;
mod manpages;
mod mint;
mod out;
mod selftest;
mod sql;
mod verify;

use crate::jose::secret::SecretString;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

pub use error::{UsageError, core_message};

/// Command-line interface.
#[derive(Debug, Parser)]
#[command(
    name = "supajwt",
    version,
    about = "Decode, verify, generate and mint Supabase JWTs and keys, offline."
)]
#[cfg_attr(
    feature = "gui",
    command(
        long_about = "Decode, verify, generate and mint Supabase JWTs and keys, offline.\n\nRun with no arguments to open the desktop app."
    )
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands. Each one's arguments are built only when it is the one being run (clap's
/// `defer`), so `supajwt decode` does not build the other twelve subcommands' arguments first;
/// help, completions and man pages build the whole tree (`Command::build`).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Show a token's header, claims, times and Supabase meaning (no verification).
    Decode(decode::DecodeArgs),
    /// Verify a token's signature and claims against a secret, key file or JWKS URL.
    Verify(verify::VerifyArgs),
    /// Generate a key pair or secret offline.
    Keygen(keygen::KeygenArgs),
    /// Mint anon / service_role / authenticated tokens, or re-sign one with a new key.
    Mint(mint::MintArgs),
    /// Check a Supabase configuration (.env, compose, kong.yml, k8s, config.toml) for 401 causes.
    Doctor(doctor::DoctorArgs),
    /// Plan a key rotation from a .env: new signing key, JWT_KEYS / JWT_JWKS, re-signed API keys.
    Rotate(doctor::RotateArgs),
    /// Find every credential in a paste (cookie, session, redirect URL, curl, HTTP request, …) and judge the combination.
    Inspect(inspect::InspectArgs),
    /// List the Supabase requests of a HAR file with their credentials; diagnose 401/403; --redact for a safe copy.
    Har(har::HarArgs),
    /// Inspect a key file or convert it (JWK, public JWK, JWKS, PEM, public PEM, .env); list a stack's keys.
    #[command(subcommand)]
    Key(key::KeyAction),
    /// Print the SQL PostgREST runs for a token (role, request.jwt.claims, …), to test RLS in psql.
    Sql(sql::SqlArgs),
    /// Ask a PostgreSQL database what a token's role sees (RLS policies, rows, why); read only.
    Db(db::DbArgs),
    /// Check that this copy computes correctly: known answers, fresh keys, random source, clock.
    Selftest(selftest::SelftestArgs),
    /// Print the version (--verbose: commit, build date, features, target, crypto crates).
    Version(selftest::VersionArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(manpages::CompletionsArgs),
    /// Write the man pages (supajwt.1, supajwt-SUBCOMMAND.1) into a directory (for packaging).
    #[command(hide = true)]
    Manpages(manpages::ManpagesArgs),
}

// Where a secret or key comes from (one of them: the clap group `key_source`). A plain comment:
// clap would show a doc comment here as the about of every subcommand that flattens this.
#[derive(Debug, Args, Default)]
#[group(skip)]
pub struct KeySource {
    /// Shared secret as text (as in JWT_SECRET).
    #[arg(long, value_name = "TEXT", group = "key_source", value_parser = io::secret_arg)]
    pub secret: Option<SecretString>,
    /// Read the shared secret from a file (one trailing newline is ignored).
    #[arg(long, value_name = "FILE", group = "key_source")]
    pub secret_file: Option<std::path::PathBuf>,
    /// Read the shared secret from an environment variable.
    #[arg(long, value_name = "VAR", group = "key_source")]
    pub secret_env: Option<String>,
    /// How to read the secret's text as key bytes.
    #[arg(long, value_enum, default_value_t = SecretEncodingArg::Text)]
    pub secret_encoding: SecretEncodingArg,
    /// Key file: PEM, JWK, JWKS, a JWT_KEYS array, an OpenSSH public key line or a base64 DER
    /// public key (detected by content). Never read as a shared secret: use --secret-file.
    #[arg(long, value_name = "FILE", group = "key_source")]
    pub key: Option<std::path::PathBuf>,
}

/// `--secret-encoding`.
#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum SecretEncodingArg {
    /// UTF-8 bytes of the text (Supabase's JWT_SECRET).
    #[default]
    Text,
    /// Standard base64.
    Base64,
    /// base64url.
    Base64url,
    /// Hexadecimal.
    Hex,
}

/// Parses this process's arguments. `-vV` (or `-Vv`, `-V -v`, `--version --verbose`, in any
/// order) is read as `version --verbose`, as rustc and cargo read it.
pub fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1..).is_some_and(asks_for_verbose_version) {
        return Cli::parse_from(["supajwt", "version", "--verbose"]);
    }
    Cli::parse_from(args)
}

/// Whether the arguments (after the program name) are only `-V`/`--version` and
/// `-v`/`--verbose` flags, both present.
fn asks_for_verbose_version(args: &[std::ffi::OsString]) -> bool {
    let (mut version, mut verbose) = (false, false);
    for arg in args {
        match arg.to_str() {
            Some("--version") => version = true,
            Some("--verbose") => verbose = true,
            Some(flags)
                if flags.len() > 1 && flags.starts_with('-') && !flags.starts_with("--") =>
            {
                for flag in flags.chars().skip(1) {
                    match flag {
                        'V' => version = true,
                        'v' => verbose = true,
                        _ => return false,
                    }
                }
            }
            _ => return false,
        }
    }
    version && verbose
}

/// Runs a parsed command and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Decode(args) => decode::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Keygen(args) => keygen::run(&args),
        Command::Mint(args) => mint::run(&args),
        Command::Doctor(args) => doctor::run(&args),
        Command::Rotate(args) => doctor::run_rotate(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Har(args) => har::run(&args),
        Command::Key(action) => key::run(&action),
        Command::Sql(args) => sql::run(&args),
        Command::Db(args) => db::run(&args),
        Command::Selftest(args) => selftest::run(&args),
        Command::Version(args) => selftest::run_version(&args),
        Command::Completions(args) => manpages::run_completions(&args),
        Command::Manpages(args) => manpages::run_manpages(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            out::note(&format!("error: {}", e.message));
            ExitCode::from(2)
        }
    }
}
