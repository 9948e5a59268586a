//! A Doctor finding: what is wrong, where, why it causes a 401, and how to fix it.

use super::finding_code::FindingCode;
use super::remedy::Remedy;
use serde::Serialize;

/// How bad a finding is. `Error` and `Critical` make `supajwt doctor` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Good to know.
    Info,
    /// Not broken yet.
    Warning,
    /// Requests fail.
    Error,
    /// A security problem (public demo secrets, private keys published).
    Critical,
}

impl Severity {
    /// Upper-case label.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "INFO",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
            Severity::Critical => "CRITICAL",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Severity.
    pub severity: Severity,
    /// Stable identifier (`kong_key_mismatch`, ...).
    pub code: FindingCode,
    /// One line.
    pub title: String,
    /// Variables involved.
    pub variables: Vec<String>,
    /// What is wrong and the consequence.
    pub detail: String,
    /// How to fix it, in words.
    pub fix: String,
    /// What carries the fix out (a command, a button), when one action does.
    #[serde(skip)]
    pub remedy: Option<Remedy>,
}

impl Finding {
    /// Builds a finding.
    pub fn new(severity: Severity, code: FindingCode, title: impl Into<String>) -> Finding {
        Finding {
            severity,
            code,
            title: title.into(),
            variables: vec![],
            detail: String::new(),
            fix: String::new(),
            remedy: None,
        }
    }

    /// Sets the variables.
    pub fn vars(mut self, vars: &[&str]) -> Finding {
        self.variables = vars.iter().map(|v| v.to_string()).collect();
        self
    }

    /// Sets the detail.
    pub fn detail(mut self, detail: impl Into<String>) -> Finding {
        self.detail = detail.into();
        self
    }

    /// Sets the action that carries the fix out.
    pub fn remedy(mut self, remedy: Remedy) -> Finding {
        self.remedy = Some(remedy);
        self
    }

    /// Sets the fix.
    pub fn fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = fix.into();
        self
    }
}
