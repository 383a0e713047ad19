//! The command line: commands, exit codes, output formats, the demo.

use crate::harness::{self, postgres, serve, sqlite};
use serde_json::Value;

fn data_rows(name: &str) -> Vec<csv::StringRecord> {
    let path = format!("{}/../../data/{name}", env!("CARGO_MANIFEST_DIR"));
    csv::Reader::from_path(&path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn first_start_creates_an_administrator_and_shows_the_password_once() {
    let db = sqlite();
    let first = db.run(&["migrate"]);
    assert!(first.status.success());
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(
        err.contains("admin@localhost") && err.contains("One-time password"),
        "{err}"
    );
    let again = db.run(&["migrate"]);
    assert!(!String::from_utf8_lossy(&again.stderr).contains("One-time password"));
}

#[test]
fn the_administrator_can_be_chosen_and_weak_passwords_are_refused() {
    let db = sqlite();
    let weak = db
        .cmd(&["migrate"])
        .env("NEEDSDB_ADMIN_PASSWORD", "short")
        .output()
        .unwrap();
    assert_eq!(weak.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&weak.stderr).contains("NEEDSDB_ADMIN_PASSWORD"));
    let o = db
        .cmd(&["migrate"])
        .env("NEEDSDB_ADMIN_PASSWORD", "a long enough password")
        .env("NEEDSDB_ADMIN_EMAIL", "ops@moh.example")
        .output()
        .unwrap();
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("ops@moh.example") && !err.contains("a long enough password"),
        "{err}"
    );
}

#[test]
fn members_list_counts_from_the_data_file() {
    let db = sqlite();
    let expected_members = data_rows("nam_membership.csv")
        .iter()
        .filter(|r| &r[2] == "member")
        .count();
    let expected_observers = data_rows("nam_membership.csv")
        .iter()
        .filter(|r| &r[2] == "observer")
        .count();
    assert_eq!(
        db.json(&["members", "list"]).as_array().unwrap().len(),
        expected_members
    );
    assert_eq!(
        db.json(&["members", "list", "--status", "observer"])
            .as_array()
            .unwrap()
            .len(),
        expected_observers
    );
    let csv_text = db.ok(&["members", "list", "--format", "csv"]);
    assert_eq!(
        csv::Reader::from_reader(csv_text.as_bytes()).records().count(),
        expected_members
    );
    let table = db.ok(&["members", "list"]);
    assert!(table.starts_with("ISO3") && table.contains("KEN") && table.contains("Kenya"));
}

#[test]
fn bad_input_is_rejected_with_the_field_named_and_nothing_written() {
    let db = sqlite();
    let cases: [(&[&str], &str); 5] = [
        (
            &["--country", "KEN", "--item", "NO-SUCH-ITEM", "--quantity", "5"],
            "item",
        ),
        (
            &["--country", "KEN", "--item", "PPE-GOWN", "--quantity", "-5"],
            "quantity",
        ),
        (
            &["--country", "XYZ", "--item", "PPE-GOWN", "--quantity", "5"],
            "country",
        ),
        (
            &[
                "--country",
                "KEN",
                "--item",
                "CASH-CONTRIBUTION",
                "--amount",
                "100",
                "--currency",
                "ABC",
            ],
            "currency",
        ),
        (
            &[
                "--country",
                "KEN",
                "--item",
                "PPE-GOWN",
                "--quantity",
                "5",
                "--needed-by",
                "tomorrow",
            ],
            "needed_by",
        ),
    ];
    for (fields, field) in cases {
        let mut args = vec!["needs", "add", "--priority", "high"];
        if !fields.contains(&"--needed-by") {
            args.extend(["--needed-by", "2026-12-31"]);
        }
        args.extend(fields);
        let o = db.run(&args);
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("- {field}:")), "{args:?}: {err}");
    }
    assert_eq!(db.json(&["needs", "list"])["total"], 0);
    let o = db.run(&["needs", "show", "42"]);
    assert_eq!(o.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&o.stderr).contains("there is no need 42"));
}

#[test]
fn a_need_is_reported_pledged_against_and_delivered_from_the_cli() {
    let db = sqlite();
    let n = db.json(&[
        "needs",
        "add",
        "--country",
        "KEN",
        "--item",
        "BIO-O2-CONCENTRATOR",
        "--quantity",
        "200",
        "--priority",
        "critical",
        "--needed-by",
        "2026-12-31",
        "--place",
        "Turkana",
        "--justification",
        "ICU occupancy",
        "--submit",
    ]);
    let id = n["id"].as_i64().unwrap().to_string();
    assert_eq!(n["status"], "submitted");
    db.ok(&["needs", "status", &id, "validated"]);
    let link = format!("{id}=150");
    let c = db.json(&[
        "contributions",
        "add",
        "--donor",
        "IND",
        "--recipient",
        "KEN",
        "--channel",
        "WHO",
        "--item",
        "BIO-O2-CONCENTRATOR",
        "--quantity",
        "150",
        "--link",
        &link,
    ]);
    let cid = c["id"].as_i64().unwrap().to_string();
    assert_eq!(c["stage"], "pledged");
    let over = db.run(&[
        "contributions",
        "add",
        "--donor",
        "IND",
        "--recipient",
        "KEN",
        "--item",
        "BIO-O2-CONCENTRATOR",
        "--quantity",
        "10",
        "--link",
        &format!("{id}=11"),
    ]);
    assert_eq!(over.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&over.stderr).contains("links:"));
    db.ok(&["contributions", "advance", &cid, "--to", "committed"]);
    let back = db.run(&["contributions", "advance", &cid, "--to", "pledged"]);
    assert_eq!(back.status.code(), Some(3));
    db.ok(&["contributions", "advance", &cid, "--to", "shipped"]);
    db.ok(&[
        "contributions",
        "advance",
        &cid,
        "--to",
        "delivered",
        "--note",
        "received at Lodwar hospital",
    ]);
    let shown = db.json(&["needs", "show", &id]);
    assert_eq!(shown["status"], "partly_met");
    assert_eq!(shown["coverage"]["delivered"], 150);
    assert_eq!(shown["coverage"]["unmet"], 50);
    assert_eq!(shown["history"].as_array().unwrap().len(), 3);
    let csv_text = db.ok(&["needs", "list", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let col = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_owned();
    assert_eq!(
        (col("coverage.committed"), col("place")),
        ("150".into(), "Turkana".into())
    );
    let table = db.ok(&["contributions", "show", &cid]);
    assert!(
        table.contains("stages:") && table.contains("received at Lodwar hospital"),
        "{table}"
    );
    let audit = db.ok(&["audit", "verify"]);
    assert!(audit.contains("true"), "{audit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_names_the_tampered_entry_and_fails() {
    let db = sqlite();
    db.ok(&[
        "needs",
        "add",
        "--country",
        "KEN",
        "--item",
        "PPE-GOWN",
        "--quantity",
        "5",
        "--priority",
        "low",
        "--needed-by",
        "2026-12-31",
    ]);
    db.ok(&["audit", "verify"]);
    db.exec("UPDATE audit_log SET after = replace(after, 'KEN', 'UGA') WHERE seq = 3")
        .await;
    let o = db.run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("entry 3"), "{err}");
}

fn check_demo(db: &harness::Db) {
    let summary = db.json(&["demo"]);
    assert_eq!(summary["status"], "loaded");
    let needs = db.json(&["needs", "list", "--limit", "1000"]);
    let items = needs["items"].as_array().unwrap();
    assert!(items.len() > 100, "a realistic number of needs");
    assert!(items.iter().all(|n| {
        n["justification"]
            .as_str()
            .unwrap()
            .starts_with("[SYNTHETIC DEMO DATA]")
    }));
    let statuses: std::collections::BTreeSet<&str> = items.iter().map(|n| n["status"].as_str().unwrap()).collect();
    for s in ["draft", "submitted", "validated", "partly_met", "withdrawn"] {
        assert!(statuses.contains(s), "demo lacks {s}: {statuses:?}");
    }
    let members: std::collections::BTreeSet<String> = db
        .json(&["members", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["iso3"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        items.iter().all(|n| members.contains(n["country"].as_str().unwrap())),
        "needs come from NAM members"
    );
    let contributions = db.json(&["contributions", "list", "--limit", "1000"]);
    let cs = contributions["items"].as_array().unwrap();
    let stages: std::collections::BTreeSet<&str> = cs.iter().map(|c| c["stage"].as_str().unwrap()).collect();
    for s in ["announced", "pledged", "committed", "shipped", "delivered", "disbursed"] {
        assert!(stages.contains(s), "demo lacks {s}: {stages:?}");
    }
    let donors: std::collections::BTreeSet<&str> = cs.iter().map(|c| c["donor"].as_str().unwrap()).collect();
    for d in ["WHO", "IND", "USA"] {
        assert!(donors.contains(d), "donor {d} missing: {donors:?}");
    }
    assert!(
        cs.iter()
            .all(|c| c["description"].as_str().unwrap().starts_with("[SYNTHETIC DEMO DATA]"))
    );
    let earmarked: Vec<&Value> = cs
        .iter()
        .filter(|c| !c["earmarks"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(earmarked.len(), 1);
    assert_eq!(
        (earmarked[0]["recipient"].as_str(), earmarked[0]["usd_value"].as_i64()),
        (Some("WHO"), Some(10_000_000))
    );
    assert_eq!(earmarked[0]["earmarks"][0]["target"], "nam-members");
    assert_eq!(earmarked[0]["earmarks"][0]["share_percent"], 50);
    assert!(
        cs.iter().any(|c| c["kind"] == "in_kind" && c["stage"] == "delivered"),
        "partial deliveries"
    );
    assert_eq!(db.json(&["demo"])["status"], "already loaded");
    assert_eq!(
        db.json(&["needs", "list", "--limit", "1"])["total"],
        needs["total"],
        "a second demo adds nothing"
    );
    db.ok(&["audit", "verify"]);
}

#[test]
fn demo_loads_a_labelled_synthetic_scenario_once_on_sqlite() {
    check_demo(&sqlite());
}

#[test]
fn demo_loads_a_labelled_synthetic_scenario_once_on_postgres() {
    if let Some(db) = postgres("demo_loads_a_labelled_synthetic_scenario_once_on_postgres") {
        check_demo(&db);
    }
}

async fn check_health(db: &harness::Db) {
    let server = serve(db, &[]);
    let r = reqwest::get(format!("{}/healthz", server.base)).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let missing = reqwest::get(format!("{}/no-such-page", server.base)).await.unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_healthz_over_http_on_sqlite() {
    check_health(&sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_healthz_over_http_on_postgres() {
    if let Some(db) = postgres("serve_answers_healthz_over_http_on_postgres") {
        check_health(&db).await;
    }
}

#[test]
fn a_busy_address_is_a_clear_error() {
    let db = sqlite();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let o = db.run(&["serve", "--listen", &addr]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("cannot listen on {addr}")));
}

#[test]
fn the_catalogue_and_parties_can_be_extended() {
    let db = sqlite();
    db.ok(&[
        "items",
        "add",
        "--code",
        "SHL-KITCHEN-SET",
        "--name",
        "Kitchen set",
        "--cluster",
        "shelter",
        "--category",
        "non_food_items",
        "--unit",
        "set",
        "--dac-sector",
        "72010",
    ]);
    assert!(
        db.ok(&["items", "list", "--cluster", "shelter"])
            .contains("SHL-KITCHEN-SET")
    );
    let dup = db.run(&[
        "items",
        "add",
        "--code",
        "SHL-KITCHEN-SET",
        "--name",
        "x",
        "--cluster",
        "shelter",
        "--category",
        "x",
        "--unit",
        "set",
        "--dac-sector",
        "72010",
    ]);
    assert_eq!(dup.status.code(), Some(5));
    db.ok(&[
        "parties",
        "add",
        "--code",
        "KRCS",
        "--name",
        "Kenya Red Cross Society",
        "--org-type",
        "red_cross",
    ]);
    let parties = db.json(&["parties", "list"]);
    assert!(parties.as_array().unwrap().iter().any(|p| p["code"] == "KRCS"));
    let clash = db.run(&["parties", "add", "--code", "KEN", "--name", "Not Kenya"]);
    assert_eq!(clash.status.code(), Some(5));
}

/// The README's tour: the demo goes into its own file, and every example
/// file it imports exists and does what the tour says.
#[test]
fn the_readme_tour_works_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(harness::BIN)
            .args(args)
            .current_dir(dir.path())
            .env_remove("NEEDSDB_DATABASE_URL")
            .env_remove("NEEDSDB_ADMIN_PASSWORD")
            .output()
            .unwrap()
    };
    let demo = run(&["demo"]);
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    assert!(dir.path().join("needsdb-demo.sqlite").exists());
    assert!(
        !dir.path().join("needsdb.sqlite").exists(),
        "the demo landed in the production file"
    );
    assert!(String::from_utf8_lossy(&demo.stderr).contains("NEEDSDB_DATABASE_URL=sqlite://needsdb-demo.sqlite"));

    let root = format!("{}/../..", env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let imports: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("needsdb import examples/"))
        .collect();
    assert!(imports.len() >= 3, "{imports:?}");
    for line in imports {
        let words: Vec<String> = line
            .split('#')
            .next()
            .unwrap()
            .split_whitespace()
            .skip(1)
            .map(|w| {
                if w.starts_with("examples/") {
                    format!("{root}/{w}")
                } else {
                    w.to_owned()
                }
            })
            .collect();
        let file = std::path::Path::new(&words[1]);
        assert!(file.exists(), "{line}: {} is missing", file.display());
        let mut args = vec!["--database", "sqlite://tour.sqlite"];
        args.extend(words.iter().map(String::as_str));
        let o = run(&args);
        let err = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        // Only the first look at the HDX file, before accepting "Keyna", has a problem.
        if line.contains("--dry-run") {
            assert_eq!(o.status.code(), Some(3), "{line}: {err}");
            assert!(err.contains("'Keyna'") && err.contains("KEN"), "{line}: {err}");
        } else {
            assert!(o.status.success(), "{line}: {err}");
        }
    }
    // Plain logs when not at a terminal.
    assert!(!String::from_utf8_lossy(&demo.stderr).contains('\u{1b}'));
}

/// `needsdb ... | head` ends quietly, with success.
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let db = sqlite();
    db.ok(&["migrate"]);
    for args in [
        &["items", "list"][..],
        &["members", "list"][..],
        &["equity", "--item", "FOOD-RICE"][..],
        &["contributions", "list"][..],
    ] {
        let mut child = db
            .cmd(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader is gone before anything is printed: every write meets
        // a closed pipe, as after `head` has read its lines.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            o.status.success() && !err.contains("Broken pipe") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

/// Two servers starting together on an empty PostgreSQL database both come
/// up, and only one administrator is created.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_starting_together_both_come_up() {
    // A fresh, empty database each round: the race is in the first start.
    for round in 0..3 {
        let Some(db) = postgres(&format!("two_servers_starting_together_{round}")) else {
            return;
        };
        let servers: Vec<_> = std::thread::scope(|s| {
            let a = s.spawn(|| serve(&db, &[]));
            let b = s.spawn(|| serve(&db, &[]));
            vec![a.join().unwrap(), b.join().unwrap()]
        });
        for server in &servers {
            let r = reqwest::get(format!("{}/healthz", server.base)).await.unwrap();
            assert_eq!(r.status().as_u16(), 200, "round {round}");
        }
        let users = db.json(&["users", "list"]);
        assert_eq!(users.as_array().unwrap().len(), 1, "round {round}: {users}");
    }
}
