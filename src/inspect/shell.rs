//! Command lines as browsers copy them: "Copy as cURL (bash)" (single quotes, `$'…'` ANSI-C
//! quoting, `\` line continuations) and "Copy as cURL (cmd)" (`^"…^"` with `^` escapes, then
//! the MS C runtime's argument rules), plus `wget --header`. Linear in the input.

use super::RequestInfo;

/// Which shell's quoting a command uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// bash / zsh / sh.
    Posix,
    /// Windows cmd.exe.
    Cmd,
}

impl Quoting {
    /// Guesses the quoting: cmd when caret escapes or `^` line ends appear.
    pub fn detect(text: &str) -> Quoting {
        if text.contains("^\"") || text.lines().any(|l| l.trim_end().ends_with(" ^")) {
            Quoting::Cmd
        } else {
            Quoting::Posix
        }
    }
}

/// Splits a command line into its words.
pub fn split_words(text: &str, quoting: Quoting) -> Vec<String> {
    match quoting {
        Quoting::Posix => split_posix(text),
        Quoting::Cmd => split_crt(&strip_cmd_carets(text)),
    }
}

fn split_posix(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(n) => {
                    cur.push(n);
                    in_word = true;
                }
                None => {}
            },
            '\'' => {
                in_word = true;
                for n in chars.by_ref() {
                    if n == '\'' {
                        break;
                    }
                    cur.push(n);
                }
            }
            '"' => {
                in_word = true;
                while let Some(n) = chars.next() {
                    match n {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some(&e @ ('"' | '\\' | '$' | '`')) => {
                                cur.push(e);
                                chars.next();
                            }
                            Some('\n') => {
                                chars.next();
                            }
                            _ => cur.push('\\'),
                        },
                        _ => cur.push(n),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                in_word = true;
                ansi_c_quoted(&mut chars, &mut cur);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// The body of bash's `$'…'` (after the opening quote), as DevTools writes it: `\\`, `\'`,
/// `\n`, `\r`, `\t`, `\xHH`, `\uHHHH`.
fn ansi_c_quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String) {
    while let Some(c) = chars.next() {
        match c {
            '\'' => return,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some(d @ ('x' | 'u')) => {
                    let len = if d == 'x' { 2 } else { 4 };
                    let hex: String = (0..len).filter_map(|_| chars.next()).collect();
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(ch) => out.push(ch),
                        None => out.push_str(&hex),
                    }
                }
                Some(other) => out.push(other),
                None => return,
            },
            c => out.push(c),
        }
    }
}

/// cmd.exe's pass: `^x` is a literal `x`, `^` before a line break continues the line; inside
/// an unescaped `"…"` the caret is literal.
fn strip_cmd_carets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' if !quoted => match chars.next() {
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some('\n') => {}
                Some(n) => out.push(n),
                None => {}
            },
            '"' => {
                quoted = !quoted;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The MS C runtime's argument splitting: `"` toggles quoting; 2n backslashes before `"` are
/// n backslashes and a quote; 2n+1 are n backslashes and a literal `"`.
fn split_crt(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut backslashes = 0usize;
    for c in text.chars() {
        if c == '\\' {
            backslashes += 1;
            in_word = true;
            continue;
        }
        if c == '"' {
            cur.extend(std::iter::repeat_n('\\', backslashes / 2));
            if backslashes % 2 == 1 {
                cur.push('"');
            } else {
                quoted = !quoted;
            }
            backslashes = 0;
            in_word = true;
            continue;
        }
        cur.extend(std::iter::repeat_n('\\', backslashes));
        backslashes = 0;
        if c.is_whitespace() && !quoted {
            if in_word {
                words.push(std::mem::take(&mut cur));
                in_word = false;
            }
        } else {
            cur.push(c);
            in_word = true;
        }
    }
    cur.extend(std::iter::repeat_n('\\', backslashes));
    if in_word {
        words.push(cur);
    }
    words
}

/// What a `curl` / `wget` command sends: method, URL, headers (with `-b` cookies as a
/// `cookie` header, `-u` as basic auth) and the body.
pub fn command_request(words: &[String]) -> (RequestInfo, Option<String>) {
    let mut req = RequestInfo::default();
    let mut body = None;
    let mut it = words.iter().skip(1);
    while let Some(w) = it.next() {
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (w.as_str(), None),
        };
        let takes_value = matches!(
            flag,
            "-H" | "--header"
                | "-b"
                | "--cookie"
                | "-d"
                | "--data"
                | "--data-raw"
                | "--data-binary"
                | "--data-urlencode"
                | "--json"
                | "-X"
                | "--request"
                | "--method"
                | "--body-data"
                | "--post-data"
                | "--url"
                | "-A"
                | "--user-agent"
                | "-e"
                | "--referer"
                | "-o"
                | "--output"
                | "-O"
                | "-u"
                | "--user"
        );
        if !takes_value {
            if !w.starts_with('-') && req.url.is_none() {
                req.url = Some(w.clone());
            }
            continue;
        }
        let Some(value) = inline.or_else(|| it.next().cloned()) else {
            break;
        };
        match flag {
            "-H" | "--header" => {
                if let Some((name, v)) = value.split_once(':') {
                    req.headers
                        .push((name.trim().to_ascii_lowercase(), v.trim().to_string()));
                }
            }
            "-b" | "--cookie" if value.contains('=') => req.headers.push(("cookie".into(), value)),
            "-X" | "--request" | "--method" => req.method = Some(value.to_ascii_uppercase()),
            "-A" | "--user-agent" => req.headers.push(("user-agent".into(), value)),
            "-e" | "--referer" => req.headers.push(("referer".into(), value)),
            "--url" => req.url = Some(value),
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-urlencode" | "--json"
            | "--body-data" | "--post-data" => body = Some(value),
            _ => {}
        }
    }
    if req.method.is_none() {
        req.method = Some(if body.is_some() { "POST" } else { "GET" }.into());
    }
    (req, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_quoting_as_devtools_writes_it() {
        let cmd = "curl 'https://x.supabase.co/rest/v1/t' \\\n  -H 'apikey: k' \\\n  --data-raw $'{\"a\":\"it\\'s\\\\n\"}'";
        let w = split_words(cmd, Quoting::detect(cmd));
        assert_eq!(w[1], "https://x.supabase.co/rest/v1/t");
        assert_eq!(w[3], "apikey: k");
        assert_eq!(w[5], "{\"a\":\"it's\\n\"}");
    }

    #[test]
    fn cmd_quoting_as_devtools_writes_it() {
        let cmd = "curl ^\"https://x.supabase.co/rest/v1/t?select=^*^\" ^\n  -H ^\"apikey: k^\" ^\n  --data-raw ^\"^{^\\^\"a^\\^\":1^}^\"";
        assert_eq!(Quoting::detect(cmd), Quoting::Cmd);
        let w = split_words(cmd, Quoting::Cmd);
        assert_eq!(w[1], "https://x.supabase.co/rest/v1/t?select=*");
        assert_eq!(w[3], "apikey: k");
        assert_eq!(w[5], "{\"a\":1}");
    }
}
