//! `supajwt completions SHELL` and the hidden `supajwt manpages DIR`, which the packaging script
//! (`.ci/package`) runs to ship completions and man pages in the .deb and the tarball.

use super::out::Out;
use super::{Cli, UsageError};
use clap::{Args, CommandFactory};
use clap_complete::Shell;
use std::path::PathBuf;
use std::process::ExitCode;

// `completions` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the completion script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

// `manpages` arguments (described on the enum variant: clap would show a doc comment here instead).
#[derive(Debug, Args)]
pub struct ManpagesArgs {
    /// The directory to write supajwt.1 and supajwt-SUBCOMMAND.1 into (created if missing).
    pub dir: PathBuf,
}

/// Prints the completion script for a shell. clap_complete panics when its writer fails (a
/// closed pipe), so the script is generated into memory and written through [`Out`].
pub fn run_completions(args: &CompletionsArgs) -> Result<ExitCode, UsageError> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "supajwt", &mut script);
    Out::stdout().data(&String::from_utf8_lossy(&script));
    Ok(ExitCode::SUCCESS)
}

/// Writes one man page for the command and one per visible subcommand.
pub fn run_manpages(args: &ManpagesArgs) -> Result<ExitCode, UsageError> {
    std::fs::create_dir_all(&args.dir)
        .map_err(|e| UsageError::new(format!("cannot create {}: {e}", args.dir.display())))?;
    clap_mangen::generate_to(Cli::command(), &args.dir).map_err(|e| {
        UsageError::new(format!(
            "cannot write man pages to {}: {e}",
            args.dir.display()
        ))
    })?;
    Ok(ExitCode::SUCCESS)
}
