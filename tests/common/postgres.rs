//! A throwaway PostgreSQL 15 cluster for the Row Level Security tests (issue 21 §3): `initdb`
//! in a temp directory (as the `postgres` user when the tests run as root), listening on a unix
//! socket in that directory and on a free 127.0.0.1 port, built as Supabase's database is (its
//! API roles, the `auth` helpers as upstream defines them, tables with RLS policies), stopped
//! and removed on drop.
//!
//! Without the binaries ([`Cluster::start`] returns `None`) a test is skipped, saying so; under
//! CI (`CI` or `SUPAJWT_REQUIRE_POSTGRES` set) it fails instead, as the PyJWT interop test does.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where Debian's PostgreSQL 15 lives (`SUPAJWT_PG_BIN` overrides).
pub fn bin_dir() -> PathBuf {
    std::env::var_os("SUPAJWT_PG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql/15/bin"))
}

/// The password of `postgres` and `authenticator` over TCP (the unix socket trusts).
pub const PASSWORD: &str = "test-only-pw-'\\x";

/// A user id with rows in `todos` (3 of them, one done).
pub const USER_A: &str = "5b1c0000-0000-4000-8000-00000000000a";
/// A user id with rows in `todos` (9 of them).
pub const USER_B: &str = "5b1c0000-0000-4000-8000-00000000000b";

/// Supabase's roles and `auth` helpers (as in `supabase/auth`'s migration 20220224000811 and
/// the image's roles), and three tables under RLS: `todos` (owner policy plus a RESTRICTIVE
/// one), `projects` (a policy on `auth.jwt() -> 'app_metadata'`), `notes` (RLS, no policy).
pub const SCHEMA: &str = r#"
create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
create role authenticator login noinherit;
grant anon, authenticated, service_role to authenticator;
create schema auth;
create function auth.uid() returns uuid language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid $$;
create function auth.role() returns text language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text $$;
create function auth.email() returns text language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'))::text $$;
create function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), ''))::jsonb $$;
grant usage on schema auth to anon, authenticated, service_role;
grant execute on all functions in schema auth to anon, authenticated, service_role;

create table public.todos (id serial primary key, user_id uuid not null, title text not null,
  archived boolean not null default false);
alter table public.todos enable row level security;
create policy "own todos" on public.todos for select to authenticated
  using (auth.uid() = user_id);
create policy "not archived" on public.todos as restrictive for select to authenticated
  using (not archived);
create policy "insert own" on public.todos for insert to authenticated
  with check (auth.uid() = user_id);

create table public.projects (id serial primary key, org text not null, name text not null);
alter table public.projects enable row level security;
create policy "org members" on public.projects for select to authenticated
  using (org = auth.jwt() -> 'app_metadata' ->> 'org');

create table public.notes (id serial primary key, body text not null);
alter table public.notes enable row level security;

grant usage on schema public to anon, authenticated, service_role;
grant select, insert, update, delete on all tables in schema public to anon, authenticated, service_role;
grant usage on all sequences in schema public to anon, authenticated, service_role;

insert into public.todos (user_id, title, archived) values
  ('5b1c0000-0000-4000-8000-00000000000a', 'a1', false),
  ('5b1c0000-0000-4000-8000-00000000000a', 'a2', false),
  ('5b1c0000-0000-4000-8000-00000000000a', 'a3', true);
insert into public.todos (user_id, title)
  select '5b1c0000-0000-4000-8000-00000000000b', 'b' || n from generate_series(1, 9) n;
insert into public.projects (org, name) values ('acme', 'p1'), ('acme', 'p2'),
  ('other', 'p3'), ('other', 'p4'), ('other', 'p5');
insert into public.notes (body) values ('n1'), ('n2'), ('n3'), ('n4');
"#;

/// A running throwaway cluster; stopped and removed on drop.
pub struct Cluster {
    dir: tempfile::TempDir,
    /// The TCP port on 127.0.0.1.
    pub port: u16,
    as_postgres: bool,
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn required() -> bool {
    std::env::var_os("CI").is_some() || std::env::var_os("SUPAJWT_REQUIRE_POSTGRES").is_some()
}

impl Cluster {
    /// Starts a cluster with [`SCHEMA`] loaded, or `None` (after saying why) when PostgreSQL 15
    /// is not installed here. Panics under CI when it is missing, and whenever it is installed
    /// but does not start.
    pub fn start() -> Option<Cluster> {
        let bin = bin_dir();
        for tool in ["initdb", "pg_ctl", "psql"] {
            if !bin.join(tool).exists() {
                assert!(
                    !required(),
                    "PostgreSQL 15 is required under CI: {} is missing (apt-get install postgresql-15, or set SUPAJWT_PG_BIN)",
                    bin.join(tool).display()
                );
                eprintln!(
                    "skipping the PostgreSQL tests: {} not found (apt-get install postgresql-15, or set SUPAJWT_PG_BIN)",
                    bin.join(tool).display()
                );
                return None;
            }
        }
        let as_postgres = running_as_root();
        let dir = tempfile::Builder::new()
            .prefix("supajwt-pg-")
            .tempdir()
            .unwrap();
        if as_postgres {
            run_ok(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(dir.path()),
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster {
            dir,
            port,
            as_postgres,
        };
        let data = cluster.data_dir();
        let pwfile = cluster.dir.path().join("pw");
        std::fs::write(&pwfile, PASSWORD).unwrap();
        if as_postgres {
            run_ok(Command::new("chown").arg("postgres").arg(&pwfile));
        }
        run_ok(
            cluster
                .as_owner(&bin.join("initdb"))
                .arg("-D")
                .arg(&data)
                .args([
                    "-U",
                    "postgres",
                    "--no-sync",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ])
                .arg(format!("--pwfile={}", pwfile.display())),
        );
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={} -c fsync=off",
            cluster.dir.path().display()
        );
        run_ok(
            cluster
                .as_owner(&bin.join("pg_ctl"))
                .arg("-D")
                .arg(&data)
                .args(["-w", "-t", "60", "-l"])
                .arg(cluster.dir.path().join("log"))
                .args(["-o", &options, "start"]),
        );
        let sql = format!(
            "{SCHEMA}\nalter role authenticator password {};",
            quote(PASSWORD)
        );
        cluster.psql("postgres", &sql);
        Some(cluster)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The unix socket directory (psql's `-h`).
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    /// `postgres://USER:PASSWORD@127.0.0.1:PORT/postgres`.
    pub fn url(&self, user: &str) -> String {
        format!(
            "postgres://{user}:{}@127.0.0.1:{}/postgres",
            url_escape(PASSWORD),
            self.port
        )
    }

    fn as_owner(&self, program: &Path) -> Command {
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        }
    }

    /// psql over the unix socket as `user`, reading `input` as its script: (exit code, stdout,
    /// stderr). `-X -q -A -t`, `ON_ERROR_STOP`; `vars` become `-v name=value`.
    pub fn psql_with(
        &self,
        user: &str,
        input: &str,
        vars: &[(&str, &str)],
    ) -> (i32, String, String) {
        let mut cmd = Command::new(bin_dir().join("psql"));
        cmd.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(self.socket_dir())
            .args(["-p", &self.port.to_string(), "-U", user, "-d", "postgres"])
            .env("PGCONNECT_TIMEOUT", "10")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in vars {
            cmd.arg("-v").arg(format!("{name}={value}"));
        }
        let mut child = cmd.spawn().unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(input.as_bytes()).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// psql as `user`, which must succeed; its standard output.
    pub fn psql(&self, user: &str, input: &str) -> String {
        let (code, stdout, stderr) = self.psql_with(user, input, &[]);
        assert_eq!(code, 0, "psql failed: {stderr}\n{input}");
        stdout
    }

    /// Turns TLS on (a self-signed certificate for `localhost` made by the `openssl` command,
    /// which PostgreSQL's package depends on); `false`, saying so, when `openssl` is missing.
    pub fn enable_tls(&self) -> bool {
        let (cert, key) = (
            self.dir.path().join("server.crt"),
            self.dir.path().join("server.key"),
        );
        let made = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
            ])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .output();
        if !made.as_ref().is_ok_and(|o| o.status.success()) {
            assert!(
                !required(),
                "openssl is required under CI for the TLS test: {made:?}"
            );
            eprintln!("skipping the TLS check: the openssl command is missing or failed");
            return false;
        }
        if self.as_postgres {
            run_ok(Command::new("chown").arg("postgres").arg(&cert).arg(&key));
        }
        run_ok(Command::new("chmod").arg("600").arg(&key));
        self.psql(
            "postgres",
            &format!(
                "alter system set ssl_cert_file = {}; alter system set ssl_key_file = {}; alter system set ssl = on;\nselect pg_reload_conf();",
                quote(&cert.display().to_string()),
                quote(&key.display().to_string())
            ),
        );
        std::thread::sleep(std::time::Duration::from_millis(500));
        true
    }

    /// A checksum of every user table's rows (`md5` of each table's sorted rows), to prove a run
    /// changed nothing.
    pub fn checksums(&self) -> String {
        self.psql(
            "postgres",
            "select format('select %L, md5(coalesce(string_agg(x::text, %L order by x::text), %L)) from %s x', \
               c.oid::regclass, ',', '', c.oid::regclass) \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where c.relkind = 'r' and n.nspname in ('public', 'auth') order by 1 \\gexec",
        )
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .as_owner(&bin_dir().join("pg_ctl"))
            .arg("-D")
            .arg(self.data_dir())
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `text` as a SQL literal, the test's own quoting (independent of supajwt's).
pub fn quote(text: &str) -> String {
    format!("E'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
