//! A reported error that the loaded files do not explain. When the user typed the message they
//! see, but the files agree with each other (no error finding) and no service refuses the token,
//! the answer is not "no problem": the running stack is not what these files describe, or the
//! failing request is not what was checked. This names the likely causes and how to check each.

use super::explain::Explanation;
use super::finding::{Finding, Severity};
use super::verdict::ServiceVerdict;
use serde::Serialize;

/// Why a reported error is not explained by the loaded files, shown before anything else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unexplained {
    /// The verdict in one sentence.
    pub headline: String,
    /// The likely causes, each with how to check it (empty when the message is about the
    /// request itself: the explanation's check says what to do).
    pub causes: Vec<Cause>,
}

/// One likely cause of an unexplained error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// What may be going on.
    pub cause: &'static str,
    /// How to check it.
    pub check: &'static str,
}

/// The causes when the running services do not use the loaded files.
const CAUSES: [Cause; 5] = [
    Cause {
        cause: "The containers were not recreated after the files changed: a container keeps the environment it was created with, and restart does not change it.",
        check: "docker compose up -d --force-recreate (not docker compose restart), then try again.",
    },
    Cause {
        cause: "Docker compose computes other values than these files hold (another variable set in the shell, an override file, a default that wins).",
        check: "Run docker compose config in the stack's directory and compare JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY, JWT_KEYS and JWT_JWKS with the loaded files.",
    },
    Cause {
        cause: "Kong reads a rendered copy of kong.yml made when its container started, which may hold old keys.",
        check: "Recreate the kong container so it renders kong.yml again, or load the rendered copy: docker compose exec kong sh -c 'cat \"$KONG_DECLARATIVE_CONFIG\"'.",
    },
    Cause {
        cause: "The failing request carries a token from another project, an old session or another key than the one checked here.",
        check: "Copy the exact Authorization and apikey headers from the failing request (the browser's network tab, or curl -v) and check that token here.",
    },
    Cause {
        cause: "The stack was started with another .env (docker compose --env-file, or another directory).",
        check: "Find how the stack was started (the command, a systemd unit or a script) and load the .env it names.",
    },
];

/// The reconciliation for a report, or `None` when there is nothing to reconcile: no message
/// was given, or a finding or a refusing service already explains it.
pub fn reconcile(
    read: &[String],
    findings: &[Finding],
    services: &[ServiceVerdict],
    explanation: Option<&Explanation>,
) -> Option<Unexplained> {
    let explanation = explanation?;
    // A refusal explains the message when it comes from the component that said it (any
    // refusal, for a message supajwt does not know): supabase-js refusing an API key does not
    // explain PostgREST's message.
    let said_it = |s: &ServiceVerdict| {
        explanation.component == "unknown" || explanation.component.contains(s.service)
    };
    let explained = findings.iter().any(|f| f.severity >= Severity::Error)
        || services
            .iter()
            .any(|s| s.accepted == Some(false) && said_it(s));
    if explained {
        return None;
    }
    if read.is_empty() {
        return Some(Unexplained {
            headline: "No configuration file was loaded, so nothing here can explain this message: load the .env, docker-compose.yml and kong.yml the stack runs with.".into(),
            causes: Vec::new(),
        });
    }
    let verifies = services
        .iter()
        .any(|s| s.accepted == Some(true) && said_it(s));
    if explanation.about_the_request {
        let token = if verifies {
            " and this token verifies against them"
        } else {
            ""
        };
        return Some(Unexplained {
            headline: format!(
                "Your files agree with each other{token}: this message is about what the request sent, not about the configuration."
            ),
            causes: Vec::new(),
        });
    }
    let headline = if verifies {
        "Your files agree with each other and this token verifies against them, so the running services are not using these files."
    } else if !services.is_empty() {
        "Your files agree with each other, so they do not explain this message, and the token could not be checked against them: the running services are probably not using these files."
    } else {
        "Your files agree with each other, so they do not explain this message: the running services are not using these files, or the failing request's token is not one they accept (check that token here too)."
    };
    Some(Unexplained {
        headline: headline.into(),
        causes: CAUSES.to_vec(),
    })
}
