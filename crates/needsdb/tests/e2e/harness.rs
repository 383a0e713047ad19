//! Runs the real `needsdb` binary against a fresh database, and serves it on
//! a real port for HTTP tests.

use sqlx::Connection;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

pub const BIN: &str = env!("CARGO_BIN_EXE_needsdb");

pub struct Db {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let mut c = sqlx::PgConnection::connect(&admin).await.ok()?;
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    )))
                    .execute(&mut c)
                    .await
                    .ok()
                })
            })
            .join();
        }
    }
}

pub fn sqlite() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("needsdb.sqlite").display());
    Db {
        url,
        _dir: Some(dir),
        pg: None,
    }
}

/// A fresh PostgreSQL database, or None after a loud notice (a failure under CI=true).
pub fn postgres(test: &str) -> Option<Db> {
    let admin = std::env::var("NEEDSDB_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "needsdb_cli_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let created = std::thread::spawn({
        let (admin, name) = (admin.clone(), name.clone());
        move || -> Result<(), String> {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async {
                let mut c =
                    tokio::time::timeout(std::time::Duration::from_secs(5), sqlx::PgConnection::connect(&admin))
                        .await
                        .map_err(|_| "timed out".to_string())?
                        .map_err(|e| e.to_string())?;
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                    .execute(&mut c)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(())
            })
        }
    })
    .join()
    .unwrap_or_else(|_| Err("panicked".into()));
    if let Err(why) = created {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("PostgreSQL is required under CI=true but is not reachable at {admin}: {why}");
        }
        eprintln!("\n*** SKIPPED {test} on PostgreSQL: not reachable at {admin} ({why}) ***\n");
        return None;
    }
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .unwrap_or(admin.clone());
    Some(Db {
        url: format!("{base}/{name}"),
        _dir: None,
        pg: Some((admin, name)),
    })
}

impl Db {
    /// A database at a URL the test manages itself.
    pub fn at(url: &str) -> Db {
        Db {
            url: url.to_owned(),
            _dir: None,
            pg: None,
        }
    }

    /// The same database reached at another address (through a proxy, or
    /// read-only); the database itself stays owned by `self`.
    pub fn via(&self, url: &str) -> Db {
        Db {
            url: url.to_owned(),
            _dir: None,
            pg: None,
        }
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(["--database", &self.url])
            .args(args)
            .env_remove("NEEDSDB_ADMIN_PASSWORD")
            .env_remove("NEEDSDB_ADMIN_EMAIL")
            .env_remove("NEEDSDB_DATABASE_URL");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run needsdb")
    }

    /// Runs a command that must succeed and returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "needsdb {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).expect("utf-8")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        serde_json::from_str(&self.ok(&a)).expect("json output")
    }

    pub async fn exec(&self, sql: &str) {
        if self.url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&self.url).await.expect("connect");
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .expect("exec");
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url).await.expect("connect");
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .expect("exec");
        }
    }
}

/// A running `needsdb serve`, stopped when dropped.
pub struct Server {
    pub base: String,
    child: Child,
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    /// What the server has logged so far.
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.join("\n")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(db: &Db, extra_env: &[(&str, &str)]) -> Server {
    let mut cmd = db.cmd(&["serve", "--listen", "127.0.0.1:0"]);
    cmd.stderr(Stdio::piped()).stdout(Stdio::null());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn needsdb serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.expect("read stderr");
        if let Some(addr) = line.strip_prefix("needsdb is listening on ") {
            base = Some(addr.trim().to_owned());
            break;
        }
    }
    // Keep draining the server's log so it never blocks on a full pipe, and
    // keep the latest lines for tests about what is logged.
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Ok(mut l) = kept.lock() {
                if l.len() >= 20_000 {
                    l.drain(..10_000);
                }
                l.push(line);
            }
        }
    });
    Server {
        base: base.expect("the server did not report its address"),
        child,
        log,
    }
}

/// How a test request authenticates.
#[derive(Clone, Debug)]
pub enum Auth {
    None,
    Token(String),
    Cookie { session: String, csrf: Option<String> },
}

pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.text).unwrap_or(serde_json::Value::Null)
    }

    /// Asserts an RFC 9457 problem with this status, and returns it.
    pub fn problem(&self, status: u16) -> serde_json::Value {
        assert_eq!(self.status, status, "{}", self.text);
        let ct = self
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(ct, "application/problem+json", "{}", self.text);
        let p = self.json();
        assert_eq!(p["status"], status);
        assert!(
            p["type"].is_string() && p["title"].is_string() && p["detail"].is_string(),
            "{p}"
        );
        p
    }
}

#[derive(Clone)]
pub struct Api {
    pub base: String,
    client: reqwest::Client,
}

impl Api {
    pub fn new(server: &Server) -> Self {
        Self {
            base: server.base.clone(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    /// A client whose requests come from another local address, as a user
    /// elsewhere would.
    pub fn from_address(server: &Server, address: &str) -> Self {
        Self {
            base: server.base.clone(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .local_address(address.parse::<std::net::IpAddr>().ok())
                .build()
                .expect("client"),
        }
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        auth: &Auth,
        body: Option<&serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut rb = self.client.request(m, format!("{}{path}", self.base));
        match auth {
            Auth::None => {}
            Auth::Token(t) => rb = rb.bearer_auth(t),
            Auth::Cookie { session, csrf } => {
                rb = rb.header("cookie", format!("needsdb_session={session}"));
                if let Some(c) = csrf {
                    rb = rb.header("x-csrf-token", c);
                }
            }
        }
        if let Some(b) = body {
            rb = rb.header("content-type", "application/json").body(b.to_string());
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        let r = rb.send().await.expect("request");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap_or_default();
        Resp { status, headers, text }
    }

    pub async fn get(&self, path: &str, auth: &Auth) -> Resp {
        self.send("GET", path, auth, None, &[]).await
    }

    /// Signs in with a password; returns the session cookie and CSRF token.
    pub async fn sign_in(&self, email: &str, password: &str) -> Resp {
        self.send(
            "POST",
            "/api/v1/session",
            &Auth::None,
            Some(&serde_json::json!({"email": email, "password": password})),
            &[],
        )
        .await
    }
}

pub fn session_of(r: &Resp) -> Auth {
    let cookie = r
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("set-cookie");
    let session = cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("cookie value");
    Auth::Cookie {
        session,
        csrf: r.json()["csrf_token"].as_str().map(str::to_owned),
    }
}

impl Db {
    /// Creates an account with the CLI and returns an API token for it.
    pub fn account(&self, email: &str, role: &str, bound: &[&str]) -> Auth {
        let mut args = vec!["users", "add", email, "--role", role];
        args.extend(bound);
        self.ok(&args);
        Auth::Token(self.ok(&["tokens", "create", email]).trim().to_owned())
    }

    pub fn admin_token(&self) -> Auth {
        self.ok(&["migrate"]);
        Auth::Token(self.ok(&["tokens", "create", "admin@localhost"]).trim().to_owned())
    }
}

/// Runs a check on a fresh SQLite database and a fresh PostgreSQL one.
macro_rules! on_both_stores {
    ($check:ident: $sqlite:ident, $postgres:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $sqlite() {
            $check(&$crate::harness::sqlite()).await;
        }
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $postgres() {
            if let Some(db) = $crate::harness::postgres(stringify!($postgres)) {
                $check(&db).await;
            }
        }
    };
}
pub(crate) use on_both_stores;
