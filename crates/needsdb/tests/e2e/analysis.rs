//! Allocation end to end: the CLI with a what-if file, and the API.

use crate::harness::{Api, Auth, Db, postgres, serve, sqlite};
use serde_json::{Value, json};

fn covax_what_if(db: &Db) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("recipients.csv");
    std::fs::write(&file, "iso3,population,need,capacity\nKEN,50000000,100000000,\nUGA,40000000,100000000,\nSOM,10000000,100000000,500000\n").unwrap();
    let path = file.to_str().unwrap();
    // Plenty of doses: everyone reaches the 20% cap, except Somalia's capacity.
    let out = db.json(&[
        "allocate",
        "--item",
        "VAX-COVID19-DOSE",
        "--quantity",
        "100000000",
        "--policy",
        "population-cap",
        "--cap",
        "0.20",
        "--buffer",
        "0.05",
        "--recipients",
        path,
    ]);
    let q = |o: &Value, iso: &str| {
        o["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["iso3"] == iso)
            .unwrap()["quantity"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(
        (q(&out, "KEN"), q(&out, "UGA"), q(&out, "SOM")),
        (10_000_000, 8_000_000, 500_000)
    );
    assert_eq!(out["buffer"], 5_000_000);
    assert!(out["checks"].as_array().unwrap().iter().all(|c| c["passed"] == true));
    // Scarce doses: the same share of population for all, in whole lots.
    let out = db.json(&[
        "allocate",
        "--item",
        "VAX-COVID19-DOSE",
        "--quantity",
        "10000000",
        "--policy",
        "population-cap",
        "--recipients",
        path,
        "--lot",
        "1000",
    ]);
    let (k, u) = (q(&out, "KEN") as f64 / 5e7, q(&out, "UGA") as f64 / 4e7);
    assert!((k - u).abs() < 1000.0 / 4e7, "{k} {u}");
    assert_eq!(q(&out, "SOM"), 500_000, "held by its capacity");
    let reason = out["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["iso3"] == "SOM")
        .unwrap()["reason"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(reason.contains("absorption capacity"), "{reason}");
    // The default table shows the checks; CSV is one row per recipient.
    let table = db.ok(&[
        "allocate",
        "--item",
        "VAX-COVID19-DOSE",
        "--quantity",
        "1000",
        "--policy",
        "max-min",
        "--recipients",
        path,
    ]);
    assert!(table.contains("passed supply"), "{table}");
    let csv = db.ok(&[
        "allocate",
        "--item",
        "VAX-COVID19-DOSE",
        "--quantity",
        "1000",
        "--policy",
        "max-min",
        "--recipients",
        path,
        "--format",
        "csv",
    ]);
    assert_eq!(csv.lines().count(), 4);
    // Bad input names the field, or the row and column.
    std::fs::write(&file, "iso3,population\nKEN,lots\n").unwrap();
    let o = db.run(&[
        "allocate",
        "--item",
        "VAX-COVID19-DOSE",
        "--quantity",
        "10",
        "--policy",
        "max-min",
        "--recipients",
        path,
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("row 2, column population"));
    let o = db.run(&[
        "allocate",
        "--item",
        "VAX-COVID19-DOSE",
        "--quantity",
        "10",
        "--policy",
        "lottery",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("- policy:"));
}

#[test]
fn allocate_shares_doses_covax_style_from_a_what_if_file() {
    covax_what_if(&sqlite());
}

async fn api(db: &Db) {
    let admin = db.admin_token();
    let viewer = db.account("analyst@who.int", "viewer", &[]);
    // Real needs: two member states ask for concentrators.
    for (c, q) in [("KEN", 300), ("UGA", 100)] {
        db.ok(&[
            "needs",
            "add",
            "--country",
            c,
            "--item",
            "BIO-O2-CONCENTRATOR",
            "--quantity",
            &q.to_string(),
            "--priority",
            "critical",
            "--needed-by",
            "2026-12-31",
            "--submit",
        ]);
    }
    for id in ["1", "2"] {
        db.ok(&["needs", "status", id, "validated"]);
    }
    let server = serve(db, &[]);
    let api = Api::new(&server);
    let body = json!({"item": "BIO-O2-CONCENTRATOR", "quantity": 200, "policy": "need-proportional", "eligible": "nam-members", "lot": 10});
    let r = api
        .send("POST", "/api/v1/allocations/preview", &admin, Some(&body), &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let out = r.json();
    let q = |iso: &str| {
        out["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["iso3"] == iso)
            .unwrap()["quantity"]
            .as_i64()
            .unwrap()
    };
    assert_eq!((q("KEN"), q("UGA")), (150, 50), "the same half of each unmet need");
    api.send("POST", "/api/v1/allocations/preview", &viewer, Some(&body), &[])
        .await
        .problem(403);
    api.send("POST", "/api/v1/allocations/preview", &Auth::None, Some(&body), &[])
        .await
        .problem(401);
    let bad = json!({"item": "BIO-O2-CONCENTRATOR", "quantity": -1, "policy": "population-cap", "cap": 2});
    let p = api
        .send("POST", "/api/v1/allocations/preview", &admin, Some(&bad), &[])
        .await
        .problem(422);
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["quantity", "cap"], "{p}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_allocation_api_runs_on_real_needs_on_sqlite() {
    api(&sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_allocation_api_runs_on_real_needs_on_postgres() {
    if let Some(db) = postgres("the_allocation_api_runs_on_real_needs_on_postgres") {
        api(&db).await;
    }
}
