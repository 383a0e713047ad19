//! The API against its own OpenAPI document, by Schemathesis (a tool we did
//! not write, installed with pip into target/test-venv by scripts/test): as
//! an administrator and anonymously, for a bounded time each. It must find
//! no server error and no answer the document does not describe; the
//! settings and the few deliberate exceptions are in tests/schemathesis.toml.

use crate::harness::{Auth, serve, sqlite};
use std::path::PathBuf;
use std::process::Command;

/// Operations that would end the test's own access: revoking its token,
/// signing out, changing or resetting its password, disabling its account.
/// The authorization matrix and the session tests cover them.
const SELF_ENDING: &str = r"^/api/v1/(tokens/\{id\}|session|session/password|users/\{id\}/password|users/\{id\})$";

fn schemathesis() -> Option<PathBuf> {
    let path = std::env::var_os("NEEDSDB_SCHEMATHESIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-venv/bin/schemathesis"));
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "Schemathesis is required under CI=true: {} is missing (scripts/test installs it)",
            path.display()
        );
    }
    eprintln!(
        "\n*** SKIPPED the Schemathesis contract test: {} is missing (run scripts/test, which installs it) ***\n",
        path.display()
    );
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_and_no_undocumented_answer() {
    let Some(st) = schemathesis() else { return };
    let db = sqlite();
    let Auth::Token(token) = db.admin_token() else {
        unreachable!()
    };
    // Real records to find, so operations answer more than 404.
    db.ok(&["demo"]);
    let server = serve(&db, &[]);
    let seconds = std::env::var("NEEDSDB_SCHEMATHESIS_SECONDS").unwrap_or_else(|_| "60".into());
    let config = format!("{}/tests/schemathesis.toml", env!("CARGO_MANIFEST_DIR"));
    for (who, auth) in [("an administrator", Some(token)), ("anonymous", None)] {
        let mut cmd = Command::new(&st);
        cmd.args(["--config-file", &config, "run"])
            .arg(format!("{}/api/v1/openapi.json", server.base))
            .args(["--max-time", &seconds, "--phases", "examples,coverage,fuzzing"])
            // One worker: CPython 3.11's parser is not safe to share
            // between threads, which Hypothesis does when describing cases.
            .args(["--workers", "1", "--no-color"]);
        if let Some(t) = &auth {
            cmd.args([
                "-H",
                &format!("Authorization: Bearer {t}"),
                "--exclude-path-regex",
                SELF_ENDING,
            ]);
        }
        let out = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .unwrap()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let summary = text.rfind("SUMMARY").map_or(&text[..], |i| &text[i..]);
        eprintln!("Schemathesis as {who}:\n{summary}");
        assert!(
            out.status.success(),
            "Schemathesis as {who} found problems:\n{}\n{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
