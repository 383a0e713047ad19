//! The web pages in a real headless Chromium: the API reference must render
//! from assets served by the binary alone, under the server's CSP, with
//! every other host unreachable.

use crate::harness::{serve, sqlite};
use std::process::Command;

fn chromium() -> Option<String> {
    let candidates = [
        std::env::var("NEEDSDB_CHROMIUM").unwrap_or_default(),
        "/usr/bin/chromium".into(),
        "/usr/bin/chromium-browser".into(),
    ];
    candidates
        .into_iter()
        .find(|c| !c.is_empty() && std::path::Path::new(c).exists())
}

/// Renders a page, runs its scripts, and returns the resulting DOM.
fn render(browser: &str, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Only this machine answers: a page that needs a CDN breaks here.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_api_reference_renders_in_headless_chromium_without_a_cdn() {
    let Some(browser) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("Chromium is required under CI=true (scripts/test installs Debian's chromium)");
        }
        eprintln!(
            "\n*** SKIPPED the_api_reference_renders_in_headless_chromium_without_a_cdn: no Chromium (apt-get install chromium) ***\n"
        );
        return;
    };
    let db = sqlite();
    let server = serve(&db, &[]);
    let dom = render(&browser, &format!("{}/api/docs/", server.base));
    // Swagger UI fetched the OpenAPI document and drew the operations.
    assert!(
        dom.contains("needsdb API"),
        "the title did not render:\n{}",
        &dom[..dom.len().min(2000)]
    );
    for op in [
        "/api/v1/needs/{id}/history",
        "/api/v1/contributions/{id}/stage",
        "/api/v1/coverage",
    ] {
        assert!(dom.contains(op), "{op} is not on the rendered page");
    }
}

/// Creates an account with the CLI and returns its one-time password.
fn one_time(db: &crate::harness::Db, email: &str, role: &str, bound: &[&str]) -> String {
    let mut args = vec!["users", "add", email, "--role", role];
    args.extend(bound);
    let run = db.run(&args);
    assert!(
        run.status.success(),
        "users add failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    out.lines()
        .find(|l| l.starts_with("One-time password for"))
        .and_then(|l| l.rsplit(": ").next())
        .map(|p| p.trim().to_owned())
        .unwrap_or_else(|| panic!("no one-time password in:\n{out}"))
}

/// The web app journey in tests/browser/journey.mjs (playwright-core driving
/// Debian's Chromium, axe-core on every page), against a real server.
#[test]
fn every_role_works_in_the_browser_with_and_without_javascript_and_in_arabic() {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let Some(browser) = chromium() else {
        assert!(
            !ci,
            "Chromium is required under CI=true (scripts/test installs Debian's chromium)"
        );
        eprintln!("\n*** SKIPPED the browser journey: no Chromium (apt-get install chromium) ***\n");
        return;
    };
    let project = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/browser");
    if !std::path::Path::new(project)
        .join("node_modules/playwright-core")
        .exists()
    {
        assert!(!ci, "run `npm ci` in tests/browser (scripts/test does)");
        eprintln!("\n*** SKIPPED the browser journey: run `npm ci` in tests/browser ***\n");
        return;
    }
    let db = sqlite();
    db.ok(&["migrate"]);
    let mut accounts = serde_json::json!({});
    for (pass, n, country) in [("js", 1, "KEN"), ("nojs", 2, "UGA")] {
        let focal = format!("focal{n}@ministry.test");
        let sec = format!("secretariat{n}@nam.test");
        let partner = format!("partner{n}@donor.test");
        accounts[pass] = serde_json::json!({
            "focal": {"email": focal, "role": "focal_point", "country": country,
                      "password": one_time(&db, &focal, "focal_point", &["--country", country])},
            "secretariat": {"email": sec, "role": "secretariat",
                            "password": one_time(&db, &sec, "secretariat", &[])},
            "partner": {"email": partner, "role": "partner",
                        "password": one_time(&db, &partner, "partner", &["--org", "IND"])},
        });
    }
    accounts["admin"] = serde_json::json!({
        "email": "admin@nam.test",
        "password": one_time(&db, "admin@nam.test", "admin", &[]),
    });
    accounts["viewer"] = serde_json::json!({
        "email": "viewer@nam.test",
        "password": one_time(&db, "viewer@nam.test", "viewer", &[]),
    });
    // Another state's validated need, which the Kenyan focal point can see but not edit.
    let other = db.json(&[
        "needs",
        "add",
        "--country",
        "TZA",
        "--item",
        "FOOD-RICE",
        "--quantity",
        "10",
        "--priority",
        "low",
        "--needed-by",
        "2027-01-01",
        "--submit",
    ]);
    let other_id = other["id"].as_i64().expect("the other need's id").to_string();
    db.ok(&["needs", "status", &other_id, "validated"]);
    accounts["other_need"] = serde_json::json!(other_id);
    accounts["other_country"] = serde_json::json!("TZA");
    // The focal point downloads the template in the pages and fills it in
    // with openpyxl (tests/browser/fill_template.py), from the Python that
    // scripts/test installs into target/test-venv.
    let python = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/test-venv/bin/python"
    ));
    if !python.exists() {
        assert!(
            !ci,
            "target/test-venv with openpyxl is required under CI=true (scripts/test installs it)"
        );
        eprintln!("\n*** SKIPPED the browser journey: no target/test-venv (run scripts/test) ***\n");
        return;
    }
    let files = tempfile::tempdir().expect("tempdir");
    let server = serve(&db, &[]);
    let shots = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/browser-screenshots");
    // This run's screenshots only.
    let _ = std::fs::remove_dir_all(shots);
    let out = Command::new("node")
        .arg("journey.mjs")
        .current_dir(project)
        .env("BASE", &server.base)
        .env("CHROMIUM", &browser)
        .env("SCREENSHOTS", shots)
        .env("ACCOUNTS", accounts.to_string())
        .env("PYTHON", &python)
        .env("UPLOAD_DIR", files.path())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success(),
        "the browser journey failed:\n{stdout}\n{}\nserver log:\n{}",
        String::from_utf8_lossy(&out.stderr),
        server.log()
    );
    assert!(stdout.contains("ALL PASSED"));
}
