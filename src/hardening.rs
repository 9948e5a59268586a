//! Keeping secrets out of crash dumps: both programs turn core dumps off as they start
//! (`RLIMIT_CORE` 0, soft and hard) and, on Linux, mark themselves non-dumpable
//! (`PR_SET_DUMPABLE` 0), which also keeps same-user `ptrace` and `/proc/PID/mem` readers out.
//! Imports nothing from the rest of the crate.

/// Turns core dumps off for this process (and the children it starts). A crash of `keygen`,
/// `rotate` or the window then leaves no file holding private keys.
#[cfg(unix)]
pub fn forbid_core_dumps() -> std::io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    )?;
    #[cfg(target_os = "linux")]
    rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)?;
    Ok(())
}

/// Nothing to do where there are no core files of this kind.
#[cfg(not(unix))]
pub fn forbid_core_dumps() -> std::io::Result<()> {
    Ok(())
}

/// [`forbid_core_dumps`], saying on stderr when it could not (the program goes on).
pub fn forbid_core_dumps_or_warn() {
    if let Err(e) = forbid_core_dumps() {
        eprintln!(
            "warning: could not turn core dumps off ({e}): a crash may write secrets to a core file"
        );
    }
}

#[cfg(all(test, unix))]
mod tests {
    #[test]
    fn the_core_limit_is_zero_afterwards() {
        assert!(super::forbid_core_dumps().is_ok());
        let limit = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!((limit.current, limit.maximum), (Some(0), Some(0)));
    }
}
