//! The command line under test: the `supajwt` binary cargo built for this test run, and one
//! runner that collects its exit code and output.

use std::path::PathBuf;

/// The `supajwt` binary as a command, for the tests that change its environment, set a
/// timeout or look at its raw output; [`run`] covers the rest.
pub fn command() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("supajwt").unwrap()
}

/// Where the `supajwt` binary is, for tests that start it with `std::process` (a closed pipe)
/// or copy it.
pub fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("supajwt")
}

/// What one run printed and how it ended.
#[derive(Debug)]
pub struct Output {
    /// The exit code; -1 when a signal ended the process.
    pub code: i32,
    /// Standard output, invalid UTF-8 replaced.
    pub stdout: String,
    /// Standard error, invalid UTF-8 replaced.
    pub stderr: String,
}

impl Output {
    /// `(code, stdout, stderr)`, for tests that name the three.
    pub fn into_parts(self) -> (i32, String, String) {
        (self.code, self.stdout, self.stderr)
    }
}

/// Runs `supajwt` with `args` and, when given, `stdin` as its standard input (otherwise an
/// empty, closed one), and waits for it to end.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = command();
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    let out = cmd.output().expect("run");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
