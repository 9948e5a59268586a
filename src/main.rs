//! supajwt: a subcommand runs headless; no arguments opens the desktop window, which is the
//! program `supajwt-window` installed beside this one (so the command line starts fast: it
//! carries none of the window's code).
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    supajwt::hardening::forbid_core_dumps_or_warn();
    #[cfg(feature = "gui")]
    if std::env::args_os().len() <= 1 {
        return open_window();
    }
    supajwt::cli::run(supajwt::cli::parse())
}

/// The window's program: beside this binary (`target/release/`, `/usr/bin/`).
#[cfg(feature = "gui")]
const WINDOW_PROGRAM: &str = "supajwt-window";

/// Replaces this process with `supajwt-window` (on Unix; elsewhere runs it and waits).
#[cfg(feature = "gui")]
fn open_window() -> ExitCode {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(WINDOW_PROGRAM)))
        .filter(|path| path.is_file());
    let Some(program) = beside else {
        eprintln!(
            "error: the window is the program {WINDOW_PROGRAM}, and it is not installed beside this one.\n\
             Build it with `cargo build --release` (it is target/release/{WINDOW_PROGRAM}), or install \
             the .deb / tarball, which carry both. The command-line tools work without it: supajwt --help"
        );
        return ExitCode::from(2);
    };
    let mut command = std::process::Command::new(&program);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        eprintln!("error: cannot start {}: {error}", program.display());
        ExitCode::from(2)
    }
    #[cfg(not(unix))]
    match command.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(2),
        Err(error) => {
            eprintln!("error: cannot start {}: {error}", program.display());
            ExitCode::from(2)
        }
    }
}
