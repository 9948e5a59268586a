//! "Is this combination going to work?": the pair the gateway and the service see (apikey and
//! Bearer), their roles and projects against the URL, expiry with a refresh token at hand, and
//! keys that must never be in a browser. Only what the paste shows is judged; signatures are
//! not checked here (that needs the project's key: `supajwt verify`).

use super::http::{needs_user, url_project_ref};
use super::{Credential, CredentialKind, Inspection, Slot};
use crate::inspect::memo::Memo;
use crate::jose::token::Jws;
use crate::supabase::doctor::{Finding, FindingCode, Severity};
use crate::supabase::roles::Issuer;
use serde_json::{Map, Value};
use std::rc::Rc;

/// What a credential's claims say (unverified).
#[derive(Debug, Default)]
struct Claims {
    role: Option<String>,
    project_ref: Option<String>,
    exp: Option<i64>,
    has_sub: bool,
}

/// Each distinct token's claims, decoded once: a HAR sends the same few tokens in thousands
/// of requests. Bounded (see [`Memo`]).
pub struct ClaimsMemo(Memo<String, Option<Rc<Claims>>>);

impl Default for ClaimsMemo {
    fn default() -> Self {
        ClaimsMemo(Memo::new(1024, 1 << 20))
    }
}

impl ClaimsMemo {
    fn claims_of(&mut self, c: &Credential) -> Option<Rc<Claims>> {
        if c.kind != CredentialKind::Jwt {
            return None;
        }
        let weight = |cl: &Option<Rc<Claims>>| {
            c.value.len()
                + cl.as_ref().map_or(0, |cl| {
                    cl.role.as_ref().map_or(0, String::len)
                        + cl.project_ref.as_ref().map_or(0, String::len)
                        + 64
                })
        };
        self.0
            .get_or_make(c.value.as_str(), weight, || decode_claims(c).map(Rc::new))
    }

    /// The role a request credential carries: a JWT's `role`, or the role the gateway maps an
    /// `sb_` key to.
    fn role_of(&mut self, c: &Credential) -> Option<String> {
        match c.kind {
            CredentialKind::SbPublishable => Some("anon".into()),
            CredentialKind::SbSecret => Some("service_role".into()),
            _ => self.claims_of(c).and_then(|cl| cl.role.clone()),
        }
    }
}

fn decode_claims(c: &Credential) -> Option<Claims> {
    let map: Map<String, Value> = Jws::parse_unverified(&c.value).ok()?.claims().ok()?;
    let iss_ref = match map.get("iss").and_then(Value::as_str).map(Issuer::parse) {
        Some(Issuer::Hosted { project_ref }) => Some(project_ref),
        _ => None,
    };
    Some(Claims {
        role: map.get("role").and_then(Value::as_str).map(str::to_string),
        project_ref: map
            .get("ref")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or(iss_ref),
        exp: map.get("exp").and_then(Value::as_i64),
        has_sub: map
            .get("sub")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty()),
    })
}

/// The paste's remarks (missing chunks, redirect errors, PKCE codes) followed by the
/// combination findings, at time `now`.
pub fn request_findings(inspection: &Inspection, now: i64) -> Vec<Finding> {
    request_findings_with(inspection, now, &mut ClaimsMemo::default())
}

/// [`request_findings`], with the claims of tokens already seen looked up in `memo`.
pub fn request_findings_with(
    inspection: &Inspection,
    now: i64,
    memo: &mut ClaimsMemo,
) -> Vec<Finding> {
    let mut out = inspection.remarks.clone();
    let creds = &inspection.credentials;
    let apikey = creds.iter().find(|c| c.slot == Slot::Apikey);
    let bearer = creds.iter().find(|c| c.slot == Slot::Bearer);
    let request = inspection.request.as_ref();
    let url = request.and_then(|r| r.url.as_deref());
    let url_ref = url.and_then(url_project_ref);
    let browser = request.is_some_and(|r| r.from_browser());

    let same_key = apikey.zip(bearer).is_some_and(|(a, b)| a.value == b.value);
    for c in [apikey, bearer.filter(|_| !same_key)].into_iter().flatten() {
        if browser && memo.role_of(c).as_deref() == Some("service_role") {
            out.push(Finding::new(Severity::Critical, FindingCode::SecretKeyInBrowser, format!("a service_role key is sent from a browser ({})", c.source))
                .detail("The request carries Origin / Sec-Fetch-* / a browser User-Agent, so this key is in code that ships to users: anyone can read it and bypass Row Level Security on every table.")
                .fix("Rotate the key now (new JWT secret / new sb_secret_ key), use the anon or publishable key in the browser, and keep service_role keys on a server."));
        }
    }
    if let Some(b) = bearer {
        bearer_findings(b, apikey, url, memo, &mut out);
    }
    if let Some(a) = apikey
        && a.kind == CredentialKind::Unknown
    {
        out.push(Finding::new(Severity::Error, FindingCode::ApikeyNotAKey, format!("the apikey header is not a Supabase key ({})", a.source))
                .detail("It is neither a JWT (anon / service_role) nor an sb_publishable_ / sb_secret_ key, so the gateway rejects it (\"Invalid API key\" / \"Unauthorized\").")
                .fix("Send the project's anon or publishable key in apikey."));
    }
    if request.is_some()
        && apikey.is_none()
        && url.is_some_and(|u| super::http::is_supabase_url(u) && !u.contains("/functions/v1"))
    {
        out.push(Finding::new(Severity::Warning, FindingCode::NoApikey, "the request has no apikey")
            .detail("The gateway (Kong / the hosted API gateway) needs the apikey header or ?apikey= on /auth, /rest, /storage and /realtime: without it the answer is 401 \"No API key found in request\".")
            .fix("Send the anon or publishable key in the apikey header (supabase-js does this when created with the key)."));
    }
    project_findings(apikey, bearer, url_ref.as_deref(), memo, &mut out);
    expiry_findings(creds, bearer, now, memo, &mut out);
    out
}

fn bearer_findings(
    b: &Credential,
    apikey: Option<&Credential>,
    url: Option<&str>,
    memo: &mut ClaimsMemo,
    out: &mut Vec<Finding>,
) {
    match b.kind {
        CredentialKind::SbPublishable | CredentialKind::SbSecret => {
            let translated = apikey.is_some_and(|a| a.value == b.value);
            if translated {
                out.push(Finding::new(Severity::Info, FindingCode::SbKeyAsBearer, "an sb_ key is sent as Authorization: Bearer, with the same key in apikey")
                    .detail("The hosted gateway and self-hosted Kong with opaque keys configured replace \"Bearer sb_…\" with the internal JWT of the apikey's role, so this works through them. A service reached without that translation (directly, an older kong.yml, a custom proxy) gets a non-JWT and answers \"invalid number of segments\" / \"Expected 3 parts in JWT\".")
                    .fix("Nothing to do behind the gateway; elsewhere send a JWT (the user's access token) as Bearer and keep sb_ keys in apikey."));
            } else {
                out.push(Finding::new(Severity::Error, FindingCode::SbKeyAsBearer, format!("an {} key is sent as Authorization: Bearer", if b.kind == CredentialKind::SbSecret { "sb_secret_" } else { "sb_publishable_" }))
                    .detail("sb_ keys are not JWTs. The gateway only swaps a Bearer sb_ key for a JWT when the same key is in apikey; here it is not, so GoTrue answers \"token contains an invalid number of segments\", PostgREST \"Expected 3 parts in JWT; got 1\", Storage \"Invalid Compact JWS\".")
                    .fix("Put the sb_ key in the apikey header and send the user's access token (a JWT) as Bearer, or no Authorization header at all."));
            }
        }
        CredentialKind::Unknown | CredentialKind::RefreshToken => {
            out.push(Finding::new(Severity::Error, FindingCode::BearerNotJwt, format!("the Bearer token is not a JWT ({})", b.source))
                .detail("GoTrue, PostgREST and Storage read Authorization: Bearer as a JWT; this value has no three dot-separated parts, so every service rejects it (\"invalid number of segments\").")
                .fix("Send the session's access_token (eyJ…), not the refresh token or another value."));
        }
        CredentialKind::Jwt => {
            let cl = memo.claims_of(b).unwrap_or_default();
            let is_api_key =
                !cl.has_sub && matches!(cl.role.as_deref(), Some("anon") | Some("service_role"));
            if let (true, Some(u)) = (is_api_key, url)
                && needs_user(u)
            {
                out.push(Finding::new(Severity::Error, FindingCode::ApiKeyAsUserBearer, format!("the {} key is the Bearer on an endpoint that needs a signed-in user", cl.role.as_deref().unwrap_or("API")))
                        .detail("This GoTrue endpoint acts as the user in the token's sub; an API key has no sub, so it answers 403/401 \"invalid claim: missing sub claim\".")
                        .fix("Sign the user in and send the session's access_token as Bearer (supabase-js does this after signIn / setSession)."));
            }
        }
        _ => {}
    }
}

fn project_findings(
    apikey: Option<&Credential>,
    bearer: Option<&Credential>,
    url_ref: Option<&str>,
    memo: &mut ClaimsMemo,
    out: &mut Vec<Finding>,
) {
    let mut refs = |c: Option<&Credential>| {
        c.and_then(|c| memo.claims_of(c))
            .and_then(|cl| cl.project_ref.clone())
    };
    let (a_ref, b_ref) = (refs(apikey), refs(bearer));
    if let (Some(u), Some(a)) = (url_ref, a_ref.as_deref())
        && u != a
    {
        out.push(Finding::new(Severity::Error, FindingCode::ApikeyOtherProject, format!("the apikey belongs to project {a}, the URL to {u}"))
                .detail("The gateway of one project does not know another project's keys: 401 \"Invalid API key\".")
                .fix(format!("Use the anon / publishable key of project {u} (Dashboard → Project Settings → API keys).")));
    }
    if let (Some(u), Some(b)) = (url_ref, b_ref.as_deref())
        && u != b
    {
        out.push(Finding::new(Severity::Error, FindingCode::BearerOtherProject, format!("the Bearer token was issued by project {b}, the URL is project {u}"))
                .detail("Each project signs with its own keys, so this project cannot verify the token: 401 (signature / unknown kid).")
                .fix(format!("Sign in against project {u}; a client created with one project's URL and another's key mixes sessions.")));
    }
    if let (None, Some(a), Some(b)) = (url_ref, a_ref.as_deref(), b_ref.as_deref())
        && a != b
    {
        out.push(Finding::new(Severity::Error, FindingCode::ApikeyBearerOtherProjects, format!("the apikey is project {a}'s, the Bearer token project {b}'s"))
                .detail("One of them is from another project, so either the gateway or the service rejects the request.")
                .fix("Use the key and the session of the same project."));
    }
}

fn expiry_findings(
    creds: &[Credential],
    bearer: Option<&Credential>,
    now: i64,
    memo: &mut ClaimsMemo,
    out: &mut Vec<Finding>,
) {
    let has_refresh = creds.iter().any(|c| c.kind == CredentialKind::RefreshToken);
    let user_tokens = creds
        .iter()
        .filter_map(|c| memo.claims_of(c).map(|cl| (c, cl)))
        .filter(|(_, cl)| cl.has_sub);
    let mut seen: Vec<&str> = Vec::new();
    for (c, cl) in user_tokens {
        let Some(exp) = cl.exp.filter(|e| *e <= now) else {
            continue;
        };
        if seen.contains(&c.value.as_str()) {
            continue;
        }
        seen.push(&c.value);
        let ago = crate::jose::time::describe_relative(exp, now);
        let sent = bearer.is_some_and(|b| b.value == c.value);
        if has_refresh {
            out.push(Finding::new(if sent { Severity::Error } else { Severity::Warning }, FindingCode::ExpiredNotRefreshed, format!("the user's access token expired {ago}, and the refresh token is right there ({})", c.source))
                .detail("The client did not refresh: supabase-js refreshes before exp when autoRefreshToken is on and the tab is active; a server (SSR) reads the cookie session and must refresh it in middleware. Services answer \"token is expired\" / \"JWT expired\".")
                .fix("Call supabase.auth.getSession()/getUser() (which refresh) before the request; in SSR refresh in middleware and write the new cookies back; check the machine clock."));
        } else if sent {
            out.push(Finding::new(Severity::Error, FindingCode::BearerExpired, format!("the Bearer token expired {ago}"))
                .detail("GoTrue allows no leeway and PostgREST 30 s: the request is rejected with \"token is expired\" / \"JWT expired\".")
                .fix("Refresh the session (the refresh token is single-use) or sign in again."));
        }
    }
}
