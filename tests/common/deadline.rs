//! Bounded waits for tests of hostile input: a run that does not finish in time fails at once.

use std::sync::mpsc;
use std::time::Duration;

/// Runs `f` on a thread and fails when it has not finished after `secs` seconds (the thread
/// is left behind: the test fails at once instead of waiting for a quadratic run).
pub fn within<T: Send + 'static>(
    secs: u64,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(v) => v,
        Err(_) => panic!("{what}: not finished after {secs} s"),
    }
}
