//! The streaming reader of a HAR: a small JSON tokenizer over one fixed read buffer finds
//! `log.entries` and copies each entry's bytes into one reused buffer, string by string with
//! `memchr` (never unescaped here: serde reads the copy). A string longer than
//! [`MAX_PASTE_BYTES`] as written is not copied but replaced by [`SKIPPED`], so a huge response
//! body or header costs neither memory nor a copy; everything outside `log.entries` is checked
//! and skipped. Memory holds one entry of bounded strings, never the file as a tree.

use crate::inspect::MAX_PASTE_BYTES;
use std::io::Read;

/// What stands in an entry for a string too large to read: an object no browser writes in a
/// string's place (its one key is U+0000).
pub(super) const SKIPPED: &str = r#"{"\u0000":0}"#;
/// What stands for an object key too large to read: an unknown member, ignored.
const SKIPPED_KEY: &[u8] = br#""\u0000""#;
/// The deepest nesting read (serde_json's own limit).
const MAX_DEPTH: usize = 128;
/// The longest number or literal read (no browser writes a longer one).
const MAX_LITERAL: usize = 1024;
/// The read buffer.
const READ_SIZE: usize = 256 * 1024;

/// What is done with each entry's bytes (one JSON value); an `Err` stops the reading.
pub(super) type EachEntry<'a> = &'a mut dyn FnMut(&[u8]) -> Result<(), String>;

/// What is done with one member of an object: the tokenizer and the member's key; it
/// consumes the value.
type Member<'a, T> = dyn FnMut(&mut T, &[u8]) -> Result<(), String> + 'a;

/// Reads `reader`'s HAR, calling `each` with the bytes of every entry of `log.entries`, in
/// order. Returns whether `log.entries` was there.
pub(super) fn read_entries<R: Read>(reader: R, each: EachEntry<'_>) -> Result<bool, String> {
    let mut t = Tokens {
        reader,
        buf: vec![0; READ_SIZE].into_boxed_slice(),
        pos: 0,
        end: 0,
        consumed: 0,
        stack: Vec::new(),
    };
    t.root(each)
        .map_err(|e| format!("not a readable HAR file: {e}"))
}

/// The tokenizer: `buf[pos..end]` is read and not yet consumed; `consumed` bytes came before
/// `buf[0]`.
struct Tokens<R> {
    reader: R,
    buf: Box<[u8]>,
    pos: usize,
    end: usize,
    consumed: u64,
    /// The open containers of the value being read (`{` or `[`).
    stack: Vec<u8>,
}

/// Copies bytes to the sink, when there is one.
fn put(sink: &mut Option<&mut Vec<u8>>, bytes: &[u8]) {
    if let Some(s) = sink.as_deref_mut() {
        s.extend_from_slice(bytes);
    }
}

fn closer(open: u8) -> u8 {
    if open == b'{' { b'}' } else { b']' }
}

impl<R: Read> Tokens<R> {
    /// Refills the empty buffer; `false` at the end of the input.
    fn fill(&mut self) -> Result<bool, String> {
        self.consumed += self.end as u64;
        self.pos = 0;
        self.end = 0;
        loop {
            match self.reader.read(&mut self.buf) {
                Ok(n) => {
                    self.end = n;
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("cannot read: {e}")),
            }
        }
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.consumed + self.pos as u64)
    }

    /// [`Self::error`] for a token that is not `what` was expected, or for the end of the file.
    fn unexpected(&self, found: Option<u8>, what: &str) -> String {
        match found {
            None => self.error(&format!("the file ends early ({what})")),
            Some(_) => self.error(what),
        }
    }

    /// The next byte that is not whitespace, not consumed; `None` at the end.
    fn peek(&mut self) -> Result<Option<u8>, String> {
        loop {
            if self.pos == self.end && !self.fill()? {
                return Ok(None);
            }
            match self.buf[self.pos] {
                b' ' | b'\n' | b'\r' | b'\t' => self.pos += 1,
                b => return Ok(Some(b)),
            }
        }
    }

    /// Consumes `b` (after whitespace), or fails with `what`.
    fn expect(&mut self, b: u8, what: &str) -> Result<(), String> {
        let found = self.peek()?;
        if found != Some(b) {
            return Err(self.unexpected(found, what));
        }
        self.pos += 1;
        Ok(())
    }

    /// The root object: finds `log`; whether `log.entries` was seen.
    fn root(&mut self, each: EachEntry<'_>) -> Result<bool, String> {
        self.expect(b'{', "expected a HAR object {\"log\": …}")?;
        let mut seen = false;
        self.members(&mut |t, key| {
            if key == b"log" {
                seen |= t.log(&mut *each)?;
                Ok(())
            } else {
                t.value(None)
            }
        })?;
        Ok(seen)
    }

    /// The `log` object: streams `entries`, skips the rest.
    fn log(&mut self, each: EachEntry<'_>) -> Result<bool, String> {
        self.expect(b'{', "expected the HAR log object")?;
        let mut seen = false;
        self.members(&mut |t, key| {
            if key == b"entries" {
                seen = true;
                t.entries(&mut *each)
            } else {
                t.value(None)
            }
        })?;
        Ok(seen)
    }

    /// `log.entries`: each element copied into one reused buffer and handed to `each`.
    fn entries(&mut self, each: EachEntry<'_>) -> Result<(), String> {
        self.expect(b'[', "expected the log.entries array")?;
        if self.peek()? == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        let mut entry = Vec::new();
        for n in 1usize.. {
            entry.clear();
            self.peek()?;
            let at = self.consumed + self.pos as u64;
            self.value(Some(&mut entry))?;
            each(&entry).map_err(|e| format!("entry {n} (at byte {at}): {e}"))?;
            match self.peek()? {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                found => return Err(self.unexpected(found, "expected ',' or ']' after an entry")),
            }
        }
        Ok(())
    }

    /// The members of an object whose `{` is consumed: each key (unescaped when it has escapes;
    /// a key over 1 KiB is none of ours) handed to `f`, which consumes the value.
    fn members(&mut self, f: &mut Member<'_, Self>) -> Result<(), String> {
        if self.peek()? == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        let mut raw = Vec::new();
        loop {
            raw.clear();
            self.expect(b'"', "expected a key")?;
            self.string(&mut Some(&mut raw), true)?;
            self.expect(b':', "expected ':'")?;
            let key: Vec<u8> = if raw.contains(&b'\\') && raw.len() <= 1024 {
                serde_json::from_slice::<String>(&raw)
                    .map_err(|e| self.error(&format!("bad key: {e}")))?
                    .into_bytes()
            } else {
                raw[1..raw.len() - 1].to_vec()
            };
            f(self, &key)?;
            match self.peek()? {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                found => return Err(self.unexpected(found, "expected ',' or '}'")),
            }
        }
    }

    /// A string whose opening quote is consumed, copied with its quotes into `sink` as written
    /// unless it is longer than [`MAX_PASTE_BYTES`]: then [`SKIPPED`] ([`SKIPPED_KEY`] for a
    /// key) is copied instead and the rest is only scanned. What is not copied is checked here
    /// (no control character, valid escapes); serde checks the copy.
    fn string(&mut self, sink: &mut Option<&mut Vec<u8>>, key: bool) -> Result<(), String> {
        let start = sink.as_deref().map_or(0, Vec::len);
        put(sink, b"\"");
        let mut len = 0usize;
        let mut skipping = false;
        loop {
            if self.pos == self.end && !self.fill()? {
                return Err(self.error("unterminated string"));
            }
            let chunk = &self.buf[self.pos..self.end];
            let (taken, found) = match memchr::memchr2(b'"', b'\\', chunk) {
                Some(i) => (i + 1, Some(chunk[i])),
                None => (chunk.len(), None),
            };
            let mut out = if skipping { None } else { sink.as_deref_mut() };
            if out.is_none() && chunk[..taken].iter().any(|b| *b < 0x20) {
                return Err(self.error("control character in a string"));
            }
            put(&mut out, &chunk[..taken]);
            self.pos += taken;
            len += taken;
            if found == Some(b'\\') {
                // The escape, so an escaped quote does not end the string.
                let e = self.escaped_byte(&mut out)?;
                len += 1;
                let valid = matches!(
                    e,
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' | b'u'
                );
                if out.is_none() && !valid {
                    return Err(self.error("invalid escape in a string"));
                }
                if e == b'u' {
                    for _ in 0..4 {
                        let h = self.escaped_byte(&mut out)?;
                        len += 1;
                        if out.is_none() && !h.is_ascii_hexdigit() {
                            return Err(self.error("invalid \\u escape in a string"));
                        }
                    }
                }
            }
            let done = found == Some(b'"');
            // The closing quote is not the string's.
            if !skipping && len - usize::from(done) > MAX_PASTE_BYTES {
                skipping = true;
                if let Some(s) = sink.as_deref_mut() {
                    s.truncate(start);
                    s.extend_from_slice(if key { SKIPPED_KEY } else { SKIPPED.as_bytes() });
                }
            }
            if done {
                return Ok(());
            }
        }
    }

    /// The byte after a backslash (or of a `\\u` escape), copied to `out`.
    fn escaped_byte(&mut self, out: &mut Option<&mut Vec<u8>>) -> Result<u8, String> {
        if self.pos == self.end && !self.fill()? {
            return Err(self.error("unterminated string"));
        }
        let b = self.buf[self.pos];
        put(out, &[b]);
        self.pos += 1;
        Ok(b)
    }

    /// One JSON value, copied (without whitespace) into `sink` when there is one.
    fn value(&mut self, mut sink: Option<&mut Vec<u8>>) -> Result<(), String> {
        self.stack.clear();
        loop {
            // A value is expected.
            match self.peek()? {
                Some(b @ (b'{' | b'[')) => {
                    if self.stack.len() >= MAX_DEPTH {
                        return Err(self.error("nested too deeply"));
                    }
                    self.pos += 1;
                    put(&mut sink, &[b]);
                    if self.peek()? == Some(closer(b)) {
                        self.pos += 1;
                        put(&mut sink, &[closer(b)]);
                    } else {
                        self.stack.push(b);
                        if b == b'{' {
                            self.key(&mut sink)?;
                        }
                        continue;
                    }
                }
                Some(b'"') => {
                    self.pos += 1;
                    self.string(&mut sink, false)?;
                }
                Some(_) => self.literal(&mut sink)?,
                None => return Err(self.unexpected(None, "expected a value")),
            }
            // After a value: a comma, or the end of the containers it closes.
            loop {
                let Some(&open) = self.stack.last() else {
                    return Ok(());
                };
                match self.peek()? {
                    Some(b',') => {
                        self.pos += 1;
                        put(&mut sink, b",");
                        if open == b'{' {
                            self.key(&mut sink)?;
                        }
                        break;
                    }
                    Some(c) if c == closer(open) => {
                        self.pos += 1;
                        put(&mut sink, &[c]);
                        self.stack.pop();
                    }
                    found => {
                        return Err(
                            self.unexpected(found, "expected ',' or the end of an object or array")
                        );
                    }
                }
            }
        }
    }

    /// A key and its colon, inside an object.
    fn key(&mut self, sink: &mut Option<&mut Vec<u8>>) -> Result<(), String> {
        self.expect(b'"', "expected a key")?;
        self.string(sink, true)?;
        self.expect(b':', "expected ':'")?;
        put(sink, b":");
        Ok(())
    }

    /// `true`, `false`, `null` or a number.
    fn literal(&mut self, sink: &mut Option<&mut Vec<u8>>) -> Result<(), String> {
        let mut word = [0u8; MAX_LITERAL];
        let mut n = 0;
        loop {
            if self.pos == self.end && !self.fill()? {
                break;
            }
            let b = self.buf[self.pos];
            if !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) {
                break;
            }
            if n == MAX_LITERAL {
                return Err(self.error("a number or literal over 1 KiB"));
            }
            word[n] = b;
            n += 1;
            self.pos += 1;
        }
        let word = &word[..n];
        if !(matches!(word, b"true" | b"false" | b"null") || is_number(word)) {
            return Err(self.error("expected a value"));
        }
        put(sink, word);
        Ok(())
    }
}

/// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_number(w: &[u8]) -> bool {
    let digits = |w: &[u8], i: &mut usize| {
        let from = *i;
        while *i < w.len() && w[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > from
    };
    let mut i = usize::from(w.first() == Some(&b'-'));
    if w.get(i) == Some(&b'0') {
        i += 1;
    } else if !digits(w, &mut i) {
        return false;
    }
    if w.get(i) == Some(&b'.') {
        i += 1;
        if !digits(w, &mut i) {
            return false;
        }
    }
    if matches!(w.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(w.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(w, &mut i) {
            return false;
        }
    }
    i == w.len()
}
