//! supajwt-window: the desktop window (what `supajwt` with no arguments opens). It carries the
//! command line too, so `supajwt-window decode …` works like `supajwt decode …`. The window is a
//! program of its own so that `supajwt`, the command line scripts call, starts as fast as a
//! command-line-only build (no window code to map and relocate at every start).
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    supajwt::hardening::forbid_core_dumps_or_warn();
    if std::env::args_os().len() <= 1 {
        return supajwt::app::run_app();
    }
    supajwt::cli::run(supajwt::cli::parse())
}
