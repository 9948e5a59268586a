//! `.env` files read the way docker compose reads them: `KEY=VALUE`, `export KEY=VALUE`,
//! `#` comments, single quotes (literal), double quotes (escapes), unquoted values with
//! ` #` inline comments. Raw values are kept so stray whitespace, CRs and quotes can be reported.

use crate::core::secret::Redacted;

/// One variable of an `.env` file. `Debug` hides the value.
#[derive(Clone, PartialEq, Eq)]
pub struct EnvVar {
    /// Name.
    pub name: String,
    /// The value as docker compose sees it.
    pub value: String,
    /// The text after `=` exactly as written.
    pub raw: String,
    /// 1-based line number.
    pub line: usize,
}

/// A parsed `.env` file (later assignments win, as in compose). `Debug` hides the values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct EnvFile {
    /// Variables in file order.
    pub vars: Vec<EnvVar>,
    /// Lines that are not assignments: (line, text).
    pub unparsed: Vec<(usize, String)>,
}

impl std::fmt::Debug for EnvVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvVar")
            .field("name", &self.name)
            .field("value", &Redacted(&self.value))
            .field("raw", &Redacted(&self.raw))
            .field("line", &self.line)
            .finish()
    }
}

impl std::fmt::Debug for EnvFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unparsed: Vec<_> = self
            .unparsed
            .iter()
            .map(|(line, text)| (line, Redacted(text)))
            .collect();
        f.debug_struct("EnvFile")
            .field("vars", &self.vars)
            .field("unparsed", &unparsed)
            .finish()
    }
}

impl EnvFile {
    /// The last assignment of `name`.
    pub fn get(&self, name: &str) -> Option<&EnvVar> {
        self.vars.iter().rev().find(|v| v.name == name)
    }

    /// The value of `name`, if set and not empty.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.get(name)
            .map(|v| v.value.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// Parses `.env` text.
pub fn parse_env(text: &str) -> EnvFile {
    let mut file = EnvFile::default();
    for (i, raw_line) in text.split('\n').enumerate() {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let t = t.strip_prefix("export ").map_or(t, str::trim_start);
        let Some((name, rest)) = t.split_once('=') else {
            file.unparsed.push((i + 1, line.to_string()));
            continue;
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        {
            file.unparsed.push((i + 1, line.to_string()));
            continue;
        }
        let raw = raw_line.split_once('=').map_or("", |(_, r)| r).to_string();
        file.vars.push(EnvVar {
            name: name.to_string(),
            value: unquote(rest),
            raw,
            line: i + 1,
        });
    }
    file
}

fn unquote(rest: &str) -> String {
    let v = rest.trim_start();
    if let Some(inner) = v.strip_prefix('\'') {
        return inner.split_once('\'').map_or(inner, |(a, _)| a).to_string();
    }
    if let Some(inner) = v.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some(other) => out.push(other),
                    None => {}
                },
                c => out.push(c),
            }
        }
        return out;
    }
    let cut = v.find(" #").or_else(|| v.find("\t#")).unwrap_or(v.len());
    v[..cut].trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_compose() {
        let f = parse_env(
            "# c\nA=1\nexport B = 'x # y'\nC=\"q\\\"z\" # c\nD=plain # comment\nE=crlf\r\nbroken line\n",
        );
        assert_eq!(f.value("A"), Some("1"));
        assert_eq!(f.value("B"), Some("x # y"));
        assert_eq!(f.value("C"), Some("q\"z"));
        assert_eq!(f.value("D"), Some("plain"));
        assert_eq!(f.value("E"), Some("crlf"));
        assert_eq!(f.get("E").map(|v| v.raw.ends_with('\r')), Some(true));
        assert_eq!(f.unparsed, vec![(7, "broken line".to_string())]);
    }
}
