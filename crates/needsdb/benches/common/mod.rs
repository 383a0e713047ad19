//! What the benches share: the release binary's command line, accounts,
//! a server started on a free port, and a browser-like client.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_needsdb");

pub fn cli(url: &str, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("NEEDSDB_DATABASE_URL", url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

pub fn one_time(url: &str, email: &str, role: &str, bound: &[&str]) -> String {
    let mut args = vec!["users", "add", email, "--role", role];
    args.extend(bound);
    let out = cli(url, &args);
    out.lines()
        .find(|l| l.starts_with("One-time password for"))
        .and_then(|l| l.rsplit(": ").next())
        .unwrap()
        .trim()
        .to_owned()
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
}

impl Client {
    /// The gzipped bytes of a GET, as sent.
    pub async fn weight(&self, path: &str) -> (u16, usize) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.bytes().await.unwrap().len())
    }

    pub async fn csrf(&self, path: &str) -> String {
        let text = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let at = text.find("name=\"csrf\" value=\"").unwrap() + 19;
        text[at..at + 64].to_owned()
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Signs in and changes the one-time password.
    pub async fn sign_in(&self, email: &str, password: &str) {
        let csrf = self.csrf("/en/sign-in").await;
        self.post(
            "/en/sign-in",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await;
        let csrf = self.csrf("/en/password").await;
        let r = self
            .post(
                "/en/password",
                &[
                    ("csrf", &csrf),
                    ("current_password", password),
                    ("new_password", "a long enough new password"),
                ],
            )
            .await;
        assert!(r.status().is_success(), "password change: {}", r.status());
    }
}

/// Starts `needsdb serve` on a free port; returns the process and its address.
pub fn serve(url: &str) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("NEEDSDB_DATABASE_URL", url)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("needsdb is listening on ").map(|a| a.trim().to_owned()))
        .unwrap();
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

pub fn client(base: &str) -> Client {
    Client {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .unwrap(),
        base: base.to_owned(),
    }
}
