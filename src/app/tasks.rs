//! Work that must not freeze the window (RSA keygen, JWKS fetch, file dialogs) runs on a thread;
//! its result comes back through a channel and wakes the UI with one repaint.

use std::sync::mpsc::{Receiver, Sender, channel};

/// A finished background job.
pub enum TaskResult {
    /// A job a pane started with `Ctx::spawn`: its own result type, for its `on_task`.
    Pane {
        /// The pane that started it.
        pane: super::vocab::Pane,
        /// What the job returned.
        result: Box<dyn std::any::Any + Send>,
    },
    /// A dropped file was read: (file name, text) or why not.
    FileRead(Result<(String, String), String>),
    /// A save job ended (written, failed, or no dialog appeared).
    FileSaved(super::files::SaveOutcome),
    /// The self-test finished.
    SelftestDone(Vec<crate::selftest::Check>),
}

/// The channel background jobs report on.
pub struct Tasks {
    tx: Sender<TaskResult>,
    rx: Receiver<TaskResult>,
}

impl Default for Tasks {
    fn default() -> Self {
        let (tx, rx) = channel();
        Tasks { tx, rx }
    }
}

impl Tasks {
    /// Runs `job` on a new thread; its result arrives through [`Tasks::poll`] and the window
    /// is asked to repaint once.
    pub fn spawn(&self, ctx: &egui::Context, job: impl FnOnce() -> TaskResult + Send + 'static) {
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(job());
            ctx.request_repaint();
        });
    }

    /// Results that arrived since the last call.
    pub fn poll(&self) -> Vec<TaskResult> {
        self.rx.try_iter().collect()
    }

    /// Blocks until one result arrives (tests use this instead of sleeping).
    pub fn wait_one(&self, timeout: std::time::Duration) -> Option<TaskResult> {
        self.rx.recv_timeout(timeout).ok()
    }
}

/// Reads a text file with the key-file size cap.
pub fn read_text_file(path: &std::path::Path) -> Result<(String, String), String> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    if !meta.is_file() {
        // A FIFO, device or directory: reading it could block forever or never end.
        return Err(format!("cannot read {name}: not a regular file"));
    }
    if meta.len() > crate::jose::keys::MAX_KEY_INPUT_BYTES as u64 {
        return Err(format!(
            "{name} is {} KiB; supajwt reads files up to 1 MiB",
            meta.len() / 1024
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{name} is not UTF-8 text"))?;
    Ok((name, text))
}
