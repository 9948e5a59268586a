//! Everything the command line prints goes through [`Out`]: human lines are escaped whole
//! (no control character, bidi override or line break from input reaches the terminal), JSON
//! and data (keys, tokens, `.env` text) are written exactly, and a closed pipe
//! (`supajwt ... | head -1`) ends the output quietly instead of panicking.

use crate::safe_text::escape::{escape_for_terminal, json_escape_invisible, pretty_json};
use serde_json::Value;
use std::io::{ErrorKind, IsTerminal, Write};

/// A line-oriented writer over standard output (or any writer, in tests).
pub struct Out<W: Write> {
    sink: W,
    /// Output goes to a terminal: data is escaped too.
    terminal: bool,
    /// The reader went away (or writing failed): later writes are dropped.
    closed: bool,
}

impl Out<std::io::StdoutLock<'static>> {
    /// Standard output: the only place the command line opens it (clippy's
    /// `disallowed-methods` rejects `std::io::stdout` and `println!` everywhere else).
    #[allow(clippy::disallowed_methods)]
    pub fn stdout() -> Self {
        let stdout = std::io::stdout();
        let terminal = stdout.is_terminal();
        Out::new(stdout.lock(), terminal)
    }
}

impl<W: Write> Out<W> {
    /// A writer over `sink`; `terminal` says whether data must be escaped too.
    pub fn new(sink: W, terminal: bool) -> Self {
        Out {
            sink,
            terminal,
            closed: false,
        }
    }

    /// One line of human output. The whole text is escaped, so it stays one line whatever
    /// input it embeds.
    pub fn line(&mut self, text: impl AsRef<str>) {
        let escaped = escape_for_terminal(text.as_ref());
        self.write(escaped.as_bytes());
        self.write(b"\n");
    }

    /// An empty line.
    pub fn blank(&mut self) {
        self.write(b"\n");
    }

    /// Indented JSON inside human output (a token's header or payload), with C1 and bidi
    /// characters escaped as `\u0085`.
    pub fn json_block(&mut self, value: &Value) {
        for line in pretty_json(value).lines() {
            self.line(line);
        }
    }

    /// `--json` output: serde's exact JSON. On a terminal, the characters serde leaves raw (C1,
    /// bidi) are written as JSON escapes, which keeps the same JSON value.
    pub fn json(&mut self, text: &str) {
        if self.terminal {
            let escaped = json_escape_invisible(text);
            self.write(escaped.as_bytes());
        } else {
            self.write(text.as_bytes());
        }
        self.write(b"\n");
    }

    /// Data meant for files and pipes (a key, a token, `.env` lines): exact when piped, each
    /// line escaped when shown on a terminal.
    pub fn data(&mut self, text: &str) {
        if self.terminal {
            for (i, part) in text.split('\n').enumerate() {
                if i > 0 {
                    self.write(b"\n");
                }
                let escaped = escape_for_terminal(part);
                self.write(escaped.as_bytes());
            }
        } else {
            self.write(text.as_bytes());
        }
    }

    /// A byte writer for streamed JSON (`har --redact`): exact when piped; on a terminal, the
    /// characters serde leaves raw (C1, bidi) become JSON escapes, as in [`Out::json`]. A
    /// character split across two writes is held until it is whole.
    pub fn json_stream(&mut self) -> JsonStream<'_, W> {
        JsonStream {
            out: self,
            pending: Vec::new(),
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.closed {
            return;
        }
        if let Err(e) = self.sink.write_all(bytes) {
            self.closed = true;
            if e.kind() != ErrorKind::BrokenPipe {
                note(&format!("cannot write the output: {e}"));
            }
        }
    }
}

/// The streamed-JSON writer of [`Out::json_stream`]. Writes after a closed pipe are dropped,
/// like every other write of [`Out`].
pub struct JsonStream<'a, W: Write> {
    out: &'a mut Out<W>,
    /// The start of a UTF-8 character whose last bytes have not come yet.
    pending: Vec<u8>,
}

impl<W: Write> Write for JsonStream<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.out.terminal {
            self.out.write(buf);
            return Ok(buf.len());
        }
        self.pending.extend_from_slice(buf);
        let whole = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            // An incomplete character at the end waits; invalid bytes (never from serde) are
            // passed on lossily.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.pending.len(),
        };
        let rest = self.pending.split_off(whole);
        let text = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending = rest;
        let escaped = json_escape_invisible(&text);
        self.out.write(escaped.as_bytes());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let text = String::from_utf8_lossy(&self.pending).into_owned();
            self.pending.clear();
            self.out.write(json_escape_invisible(&text).as_bytes());
        }
        Ok(())
    }
}

impl<W: Write> Drop for JsonStream<'_, W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

impl<W: Write> Drop for Out<W> {
    fn drop(&mut self) {
        if !self.closed {
            let _ = self.sink.flush();
        }
    }
}

/// A line on standard error (`note: ...`, `error: ...`), escaped like human output; a closed
/// standard error is ignored.
pub fn note(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{}", escape_for_terminal(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that has gone away.
    struct ClosedPipe(usize);

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            self.0 += 1;
            Err(std::io::Error::from(ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::Error::from(ErrorKind::BrokenPipe))
        }
    }

    #[test]
    fn broken_pipe_stops_output_quietly() {
        let mut out = Out::new(ClosedPipe(0), false);
        out.line("first");
        out.line("second");
        out.data("data");
        assert!(out.closed);
        assert_eq!(
            out.sink.0, 1,
            "one failed write, then nothing more is tried"
        );
    }

    #[test]
    fn escape_human_lines_stay_one_line() {
        let mut out = Out::new(Vec::new(), false);
        out.line("kid: x\nvalid: true \u{1b}[31m\u{202e}");
        out.json_block(&serde_json::json!({"kid": "a\u{85}"}));
        out.data("exact\u{1b}\n");
        let text = String::from_utf8(std::mem::take(&mut out.sink)).unwrap_or_default();
        assert!(text.starts_with("kid: x\\u{a}valid: true \\u{1b}[31m\\u{202e}\n"));
        assert!(text.contains("\"kid\": \"a\\u0085\""));
        assert!(text.ends_with("exact\u{1b}\n"), "piped data is exact");
        let mut tty = Out::new(Vec::new(), true);
        tty.data("exact\u{1b}\n");
        assert_eq!(tty.sink, b"exact\\u{1b}\n");
    }

    #[test]
    fn json_stream_escapes_on_a_terminal_even_split_characters() {
        let json = "{\"a\":\"x\u{202e}\u{9b}y\"}";
        let mut tty = Out::new(Vec::new(), true);
        {
            let mut w = tty.json_stream();
            for b in json.as_bytes() {
                w.write_all(&[*b]).unwrap_or_default();
            }
        }
        let text = String::from_utf8(std::mem::take(&mut tty.sink)).unwrap_or_default();
        assert_eq!(text, "{\"a\":\"x\\u202e\\u009by\"}");
        let mut pipe = Out::new(Vec::new(), false);
        pipe.json_stream()
            .write_all(json.as_bytes())
            .unwrap_or_default();
        assert_eq!(pipe.sink, json.as_bytes(), "piped JSON is exact");
    }
}
