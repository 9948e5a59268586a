//! supajwt: no arguments opens the desktop app, a subcommand runs headless.
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(feature = "gui")]
    if std::env::args_os().len() <= 1 {
        return supajwt::app::run_app();
    }
    supajwt::cli::run(supajwt::cli::parse())
}
