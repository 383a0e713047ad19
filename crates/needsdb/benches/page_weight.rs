//! How many bytes each page costs on the wire, gzipped as the server sends
//! it: a focal point may be on a 2G or satellite link. Prints every page's
//! transfer size against its budget: 30 KB for a page to someone signed in
//! (the stylesheet is cached by then), 100 KB for a first visit with the
//! stylesheet. Runs the release server on the demo scenario.
//!
//! Run it again with `cargo bench -p needsdb --bench page_weight`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_needsdb");
const SIGNED_IN_BUDGET: usize = 30 * 1024;
const FIRST_VISIT_BUDGET: usize = 100 * 1024;

fn cli(url: &str, args: &[&str]) -> String {
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

fn one_time(url: &str, email: &str, role: &str, bound: &[&str]) -> String {
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

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    /// The gzipped bytes of a GET, as sent.
    async fn weight(&self, path: &str) -> (u16, usize) {
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

    async fn csrf(&self, path: &str) -> String {
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

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Signs in and changes the one-time password.
    async fn sign_in(&self, email: &str, password: &str) {
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

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("weight.sqlite").display());
    cli(&url, &["demo", "--database", &url]);
    let focal = one_time(&url, "focal@ministry.test", "focal_point", &["--country", "KEN"]);
    let partner = one_time(&url, "partner@donor.test", "partner", &["--org", "IND"]);
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("NEEDSDB_DATABASE_URL", &url)
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
    let new_client = || Client {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .unwrap(),
        base: base.clone(),
    };

    println!(
        "{:<44} {:>6} {:>10} {:>10}",
        "page (gzip, as sent)", "status", "bytes", "budget"
    );
    let mut over = 0;
    let mut line = |what: &str, status: u16, bytes: usize, budget: usize| {
        let mark = if bytes > budget {
            over += 1;
            "  OVER"
        } else {
            ""
        };
        println!("{what:<44} {status:>6} {bytes:>10} {budget:>10}{mark}");
    };

    // A first visit: the page and its stylesheet, nothing cached.
    let anon = new_client();
    for lang in ["en", "ar", "zh"] {
        let (s, page) = anon.weight(&format!("/{lang}/")).await;
        let css = {
            let text = anon
                .http
                .get(format!("{}/{lang}/", anon.base))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let at = text.find("/static/app.").unwrap();
            let href = &text[at..at + text[at..].find('"').unwrap()];
            anon.weight(href).await.1
        };
        line(
            &format!("first visit /{lang}/ (page + stylesheet)"),
            s,
            page + css,
            FIRST_VISIT_BUDGET,
        );
    }
    for path in [
        "/en/sign-in",
        "/en/countries/KEN",
        "/fr/countries/AFG",
        "/en/countries",
        "/ar/countries?region=002",
    ] {
        let (s, b) = anon.weight(path).await;
        line(path, s, b, SIGNED_IN_BUDGET);
    }

    let fp = new_client();
    fp.sign_in("focal@ministry.test", &focal).await;
    // One of the focal point's own needs (the demo numbers them across states).
    let own: serde_json::Value = fp
        .http
        .get(format!("{}/api/v1/needs?country=KEN&limit=1", fp.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let own_need = format!("/en/needs/{}", own["items"][0]["id"]);
    for path in [
        "/en/",
        "/en/needs",
        "/en/needs?country=KEN",
        "/en/needs/new",
        own_need.as_str(),
        "/en/countries/KEN",
        "/en/imports",
        "/en/imports/new",
        "/en/inbox",
        "/ar/needs",
        "/ru/needs?status=validated",
    ] {
        let (s, b) = fp.weight(path).await;
        line(&format!("focal point {path}"), s, b, SIGNED_IN_BUDGET);
    }
    let p = new_client();
    p.sign_in("partner@donor.test", &partner).await;
    for path in [
        "/en/needs?status=validated",
        "/en/needs/2",
        "/en/needs/2/pledge",
        "/en/contributions/1",
        "/en/contributions",
        "/en/contributions?country=KEN&stage=pledged",
        "/en/offers?item=FOOD-RICE&quantity=500",
        "/en/catalogue/FOOD-RICE",
    ] {
        let (s, b) = p.weight(path).await;
        line(&format!("partner {path}"), s, b, SIGNED_IN_BUDGET);
    }
    println!("{over} page(s) over budget");
    let _ = child.kill();
    let _ = child.wait();
}
