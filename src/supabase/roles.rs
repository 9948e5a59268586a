//! What Supabase's tokens mean: roles, issuers, and the public demo values that must never
//! protect a real deployment (see `shared/docs/supabase-formats.md`).

/// The self-hosted `.env.example` demo `JWT_SECRET` (public).
pub const DOCKER_DEMO_SECRET: &str = "your-super-secret-jwt-token-with-at-least-32-characters-long";
/// The Supabase CLI's local default secret (public).
pub const CLI_DEMO_SECRET: &str = "super-secret-jwt-token-with-at-least-32-characters-long";
/// The self-hosted `.env.example` demo `ANON_KEY` (public; expires 2027-01-09).
pub const DOCKER_DEMO_ANON_KEY: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyAgCiAgICAicm9sZSI6ICJhbm9uIiwKICAgICJpc3MiOiAic3VwYWJhc2UtZGVtbyIsCiAgICAiaWF0IjogMTY0MTc2OTIwMCwKICAgICJleHAiOiAxNzk5NTM1NjAwCn0.dc_X5iR_VP_qT0zsiyj_I_OZ2T9FtRU2BBNWN8Bu4GE";
/// The self-hosted `.env.example` demo `SERVICE_ROLE_KEY` (public; expires 2027-01-09).
pub const DOCKER_DEMO_SERVICE_KEY: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyAgCiAgICAicm9sZSI6ICJzZXJ2aWNlX3JvbGUiLAogICAgImlzcyI6ICJzdXBhYmFzZS1kZW1vIiwKICAgICJpYXQiOiAxNjQxNzY5MjAwLAogICAgImV4cCI6IDE3OTk1MzU2MDAKfQ.DaYlNEoUrrEn2Ig7tqibS-PHK5vgusbcbo7X36XVt4Q";
/// The Supabase CLI's local demo anon key (public).
pub const CLI_DEMO_ANON_KEY: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";
/// The Supabase CLI's local demo service_role key (public).
pub const CLI_DEMO_SERVICE_KEY: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU";
/// The kid of the Supabase CLI's compiled-in ES256 signing key (public).
pub const CLI_DEMO_SIGNING_KID: &str = "b81269f1-21d8-4f2e-b719-c2240a840d90";

/// Names the well-known public demo value `text` is, if it is one.
pub fn demo_value(text: &str) -> Option<&'static str> {
    match text.trim() {
        DOCKER_DEMO_SECRET => {
            Some("the public demo JWT_SECRET from Supabase's self-hosted .env.example")
        }
        CLI_DEMO_SECRET => Some("the Supabase CLI's public default JWT secret"),
        DOCKER_DEMO_ANON_KEY => {
            Some("the public demo ANON_KEY from Supabase's self-hosted .env.example")
        }
        DOCKER_DEMO_SERVICE_KEY => {
            Some("the public demo SERVICE_ROLE_KEY from Supabase's self-hosted .env.example")
        }
        CLI_DEMO_ANON_KEY => Some("the Supabase CLI's public demo anon key"),
        CLI_DEMO_SERVICE_KEY => Some("the Supabase CLI's public demo service_role key"),
        _ => None,
    }
}

/// What a key is when it is an HMAC secret of upstream's public demo values ("the public demo
/// JWT_SECRET from …"): anyone can forge tokens with it.
pub fn demo_secret_key(key: &crate::jose::keys::Key) -> Option<&'static str> {
    match &key.material {
        crate::jose::keys::KeyMaterial::Hmac { secret, .. } => std::str::from_utf8(secret.expose())
            .ok()
            .and_then(demo_value),
        _ => None,
    }
}

/// The Supabase roles a token can carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Public client key; Row Level Security applies.
    Anon,
    /// Server key; bypasses Row Level Security.
    ServiceRole,
    /// A signed-in user.
    Authenticated,
    /// Any other Postgres role.
    Other(String),
}

impl Role {
    /// Reads a `role` claim.
    pub fn parse(role: &str) -> Role {
        match role {
            "anon" => Role::Anon,
            "service_role" => Role::ServiceRole,
            "authenticated" => Role::Authenticated,
            other => Role::Other(other.to_string()),
        }
    }

    /// The claim value.
    pub fn name(&self) -> &str {
        match self {
            Role::Anon => "anon",
            Role::ServiceRole => "service_role",
            Role::Authenticated => "authenticated",
            Role::Other(s) => s,
        }
    }

    /// What the role means, in plain words.
    pub fn explain(&self) -> String {
        match self {
            Role::Anon => "anon: the public client key; Row Level Security policies apply. Safe in a browser or app.".into(),
            Role::ServiceRole => "service_role: bypasses Row Level Security — full access to every table. Keep it server-side; never ship it to a browser or app.".into(),
            Role::Authenticated => "authenticated: a signed-in user's access token; Row Level Security applies as that user (sub).".into(),
            Role::Other(r) => format!("custom Postgres role \"{r}\": PostgREST will SET ROLE to it; the role must exist and be granted to the authenticator."),
        }
    }
}

/// Who issued a token, from its `iss`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// `supabase`: self-hosted or legacy project keys.
    SelfHosted,
    /// `supabase-demo`: public demo keys.
    Demo,
    /// `https://<ref>.supabase.co/auth/v1`: a hosted project's Auth server.
    Hosted {
        /// The project ref.
        project_ref: String,
    },
    /// Anything else.
    Other(String),
}

impl Issuer {
    /// Classifies an `iss` value.
    pub fn parse(iss: &str) -> Issuer {
        match iss {
            "supabase" => Issuer::SelfHosted,
            "supabase-demo" => Issuer::Demo,
            _ => match iss
                .strip_prefix("https://")
                .and_then(|r| r.strip_suffix(".supabase.co/auth/v1"))
            {
                Some(r) if !r.is_empty() && r.chars().all(|c| c.is_ascii_alphanumeric()) => {
                    Issuer::Hosted {
                        project_ref: r.to_string(),
                    }
                }
                _ => Issuer::Other(iss.to_string()),
            },
        }
    }

    /// What the issuer means.
    pub fn explain(&self) -> String {
        match self {
            Issuer::SelfHosted => "supabase: a self-hosted or legacy project key".into(),
            Issuer::Demo => "supabase-demo: a PUBLIC DEMO key — anyone can forge tokens for a deployment using it".into(),
            Issuer::Hosted { project_ref } => format!("hosted Supabase Auth of project {project_ref}"),
            Issuer::Other(s) => format!("issued by \"{s}\" (not a Supabase issuer)"),
        }
    }
}
