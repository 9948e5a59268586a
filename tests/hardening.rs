//! Both programs start with core dumps off (issue 22 §2): a running `supajwt` and a running
//! `supajwt-window` have a core-file limit of 0, soft and hard, read from `/proc/PID/limits`
//! as `prlimit --pid` reads it.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::binary;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The "Max core file size" line of a running process, once the program has set it (its
/// first statement) or `None` after 20 s.
fn core_limit_once_set(child: &Child) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let path = format!("/proc/{}/limits", child.id());
    while Instant::now() < deadline {
        if let Ok(limits) = std::fs::read_to_string(&path)
            && let Some(line) = limits.lines().find(|l| l.starts_with("Max core file size"))
        {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.get(4) == Some(&"0") && fields.get(5) == Some(&"0") {
                return Some(line.to_string());
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// Starts `program ARGS` with its stdin held open, so it stays running while it is looked at.
fn running(program: &std::path::Path, args: &[&str]) -> Child {
    Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn stop(mut child: Child) {
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"x");
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn assert_no_core_dumps(program: &std::path::Path) {
    // `decode -` waits for its input: the process is alive for as long as the test needs.
    let child = running(program, &["decode", "-"]);
    let seen = core_limit_once_set(&child);
    stop(child);
    assert!(
        seen.is_some(),
        "{}: the core-file limit never became 0",
        program.display()
    );
}

#[test]
fn the_command_line_runs_with_core_dumps_off() {
    assert_no_core_dumps(&binary());
}

#[cfg(feature = "gui")]
#[test]
fn the_window_program_runs_with_core_dumps_off() {
    assert_no_core_dumps(std::path::Path::new(env!("CARGO_BIN_EXE_supajwt-window")));
}

#[test]
fn a_long_rsa_4096_keygen_runs_with_core_dumps_off() {
    let mut child = Command::new(binary())
        .args(["keygen", "--alg", "RS256", "--bits", "4096"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Well into the prime search (which takes seconds), long after start-up set the limit.
    std::thread::sleep(Duration::from_millis(150));
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id()));
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        still_running,
        "the 4096-bit keygen ended before it could be looked at"
    );
    let line = limits
        .unwrap()
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .map(str::to_string)
        .unwrap();
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields.get(4..6), Some(&["0", "0"][..]), "{line}");
}
