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

/// A small world with known answers for every analysis.
fn scenario(db: &Db) {
    let add_need = |c: &str, q: &str, p: &str| {
        let n = db.json(&[
            "needs",
            "add",
            "--country",
            c,
            "--item",
            "BIO-O2-CONCENTRATOR",
            "--quantity",
            q,
            "--priority",
            p,
            "--needed-by",
            "2026-12-31",
            "--submit",
        ]);
        let id = n["id"].as_i64().unwrap().to_string();
        db.ok(&["needs", "status", &id, "validated"]);
        id
    };
    let ken = add_need("KEN", "100", "critical");
    let uga = add_need("UGA", "50", "high");
    let fra = add_need("FRA", "10", "medium");
    let give = |donor: &str, to: &str, q: &str, need: &str, stage: &str, date: &str| {
        let link = format!("{need}={q}");
        let mut args = vec![
            "contributions",
            "add",
            "--donor",
            donor,
            "--recipient",
            to,
            "--item",
            "BIO-O2-CONCENTRATOR",
            "--quantity",
            q,
            "--link",
            &link,
            "--stage",
            stage,
            "--date",
            date,
        ];
        if stage == "announced" {
            args.extend(["--source-url", "https://example.org/statement"]);
        }
        db.json(&args)["id"].as_i64().unwrap().to_string()
    };
    let k = give("IND", "KEN", "60", &ken, "committed", "2026-02-01");
    db.ok(&[
        "contributions",
        "advance",
        &k,
        "--to",
        "delivered",
        "--date",
        "2026-03-15",
    ]);
    let f = give("CHN", "FRA", "10", &fra, "committed", "2026-02-01");
    db.ok(&[
        "contributions",
        "advance",
        &f,
        "--to",
        "delivered",
        "--date",
        "2026-03-20",
    ]);
    give("USA", "UGA", "20", &uga, "announced", "2026-01-05");
    db.ok(&[
        "contributions",
        "add",
        "--donor",
        "AZE",
        "--recipient",
        "WHO",
        "--amount",
        "10000000",
        "--currency",
        "USD",
        "--sector",
        "12250",
        "--stage",
        "committed",
        "--date",
        "2026-01-10",
        "--earmark",
        "nam-members=50%",
    ]);
    db.ok(&[
        "contributions",
        "add",
        "--donor",
        "WHO",
        "--recipient",
        "KEN",
        "--amount",
        "3000000",
        "--currency",
        "USD",
        "--sector",
        "12250",
        "--stage",
        "disbursed",
        "--date",
        "2026-02-10",
    ]);
    db.ok(&[
        "contributions",
        "add",
        "--donor",
        "WHO",
        "--recipient",
        "FRA",
        "--amount",
        "1000000",
        "--currency",
        "USD",
        "--sector",
        "12250",
        "--stage",
        "disbursed",
        "--date",
        "2026-02-10",
    ]);
}

async fn analyses(db: &Db) {
    scenario(db);
    // Equity of concentrator deliveries: Kenya (lower-middle) 60, France (high) 10.
    let e = db.json(&["equity", "--item", "BIO-O2-CONCENTRATOR"]);
    assert_eq!(e["delivered"], 70);
    let high = e["by_income_group"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "high")
        .unwrap()
        .clone();
    assert_eq!(high["delivered_share_pct"], 14.3);
    assert!(
        e["summary"]
            .as_str()
            .unwrap()
            .starts_with("High-income states received 14.3% of"),
        "{}",
        e["summary"]
    );
    assert!(
        e["gini"].as_f64().unwrap() > 0.9,
        "almost everything went to two states: {}",
        e["gini"]
    );
    let cash = db.json(&["equity"]);
    assert_eq!(cash["delivered"], 4_000_000, "US dollars of cash disbursed, not cents");
    assert_eq!(cash["unit"], "US dollars of cash");
    // The earmark: $5M for NAM members; $3M reached Kenya, France is not a member.
    let r = db.json(&["earmarks"]);
    assert_eq!(
        (
            r[0]["earmarked"].as_f64(),
            r[0]["reached"].as_f64(),
            r[0]["flagged"].as_bool()
        ),
        (Some(5_000_000.0), Some(3_000_000.0), Some(true))
    );
    // An offer of 80 concentrators to NAM members: Kenya's critical gap first;
    // of Uganda's 50, the USA has announced 20, so 30 are left to offer.
    let m = db.json(&[
        "match",
        "--item",
        "BIO-O2-CONCENTRATOR",
        "--quantity",
        "80",
        "--nam-only",
    ]);
    let give: Vec<(String, f64)> = m
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["country"].as_str().unwrap().to_owned(), l["give"].as_f64().unwrap()))
        .collect();
    assert_eq!(give, vec![("KEN".to_owned(), 40.0), ("UGA".to_owned(), 30.0)]);
    // The announcement of January is still not committed.
    let f = db.json(&["follow-up", "--days", "30"]);
    assert_eq!(
        (
            f.as_array().unwrap().len(),
            f[0]["donor"].as_str(),
            f[0]["stage"].as_str()
        ),
        (1, Some("USA"), Some("announced"))
    );
    // Month by month.
    let s = db.json(&["series", "--item", "BIO-O2-CONCENTRATOR"]);
    let month = |m: &str| s.as_array().unwrap().iter().find(|r| r["month"] == m).cloned().unwrap();
    assert_eq!(
        (
            month("2026-02")["committed"].as_i64(),
            month("2026-03")["delivered"].as_i64(),
            month("2026-01")["announced"].as_i64()
        ),
        (Some(70), Some(70), Some(20))
    );
    assert_eq!(month("2026-12")["needed"], 160);
    // The least covered critical needs, and coverage by region.
    let top = db.json(&["top-unmet", "--limit", "5"]);
    assert_eq!(top[0]["country"], "KEN");
    let cov = db.json(&["coverage", "--by", "region"]);
    let africa = cov
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"] == "Africa")
        .unwrap()
        .clone();
    assert_eq!(
        (
            africa["needed"].as_i64(),
            africa["committed"].as_i64(),
            africa["unmet"].as_i64()
        ),
        (Some(150), Some(60), Some(90))
    );
    // The same through the API: aggregates are public, the rest needs a token.
    let admin = db.admin_token();
    let server = serve(db, &[]);
    let api = Api::new(&server);
    assert_eq!(
        api.get("/api/v1/equity?item=BIO-O2-CONCENTRATOR", &Auth::None)
            .await
            .json()["delivered"],
        70
    );
    assert_eq!(
        api.get("/api/v1/coverage/monthly?item=BIO-O2-CONCENTRATOR", &Auth::None)
            .await
            .status,
        200
    );
    api.get("/api/v1/earmarks/report", &Auth::None).await.problem(401);
    assert_eq!(
        api.get("/api/v1/earmarks/report", &admin).await.json()[0]["reached"],
        3_000_000.0
    );
    let m = api
        .get(
            "/api/v1/match?item=BIO-O2-CONCENTRATOR&quantity=80&nam_status=member",
            &admin,
        )
        .await
        .json();
    assert_eq!(m[0]["give"], 40.0);
    assert_eq!(
        api.get("/api/v1/follow-up?days=30", &admin)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        api.get("/api/v1/coverage/top-unmet?limit=1", &admin)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    api.get("/api/v1/match?item=BIO-O2-CONCENTRATOR&quantity=-5", &admin)
        .await
        .problem(422);
    api.get("/api/v1/equity?group=planet:mars", &Auth::None)
        .await
        .problem(422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analyses_give_known_answers_on_sqlite() {
    analyses(&sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analyses_give_known_answers_on_postgres() {
    if let Some(db) = postgres("analyses_give_known_answers_on_postgres") {
        analyses(&db).await;
    }
}

async fn proposals(db: &Db) {
    for (c, q, p) in [
        ("KEN", "300", "critical"),
        ("KEN", "100", "low"),
        ("UGA", "100", "high"),
    ] {
        let n = db.json(&[
            "needs",
            "add",
            "--country",
            c,
            "--item",
            "BIO-O2-CONCENTRATOR",
            "--quantity",
            q,
            "--priority",
            p,
            "--needed-by",
            "2026-12-31",
            "--submit",
        ]);
        db.ok(&["needs", "status", &n["id"].as_i64().unwrap().to_string(), "validated"]);
    }
    let p = db.json(&[
        "allocate",
        "--item",
        "BIO-O2-CONCENTRATOR",
        "--quantity",
        "350",
        "--policy",
        "need-proportional",
        "--lot",
        "10",
        "--propose-from",
        "WHO",
    ]);
    let id = p["id"].as_i64().unwrap().to_string();
    assert_eq!(p["status"], "proposed");
    assert!(
        db.json(&["contributions", "list"])["total"] == 0,
        "a proposal writes no contribution"
    );
    let done = db.json(&["proposals", "commit", &id]);
    assert_eq!(
        (done["status"].as_str(), done["contributions"].as_array().unwrap().len()),
        (Some("committed"), 2)
    );
    let cs = db.json(&["contributions", "list"]);
    let ken = cs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["recipient"] == "KEN")
        .unwrap()
        .clone();
    assert_eq!(
        (ken["donor"].as_str(), ken["stage"].as_str(), ken["quantity"].as_i64()),
        (Some("WHO"), Some("committed"), Some(280))
    );
    // Kenya's 280: its critical need (300) first, nothing left for the low one.
    assert_eq!(ken["links"].as_array().unwrap().len(), 1);
    assert_eq!(db.json(&["needs", "show", "1"])["coverage"]["committed"], 280);
    let again = db.run(&["proposals", "commit", &id]);
    assert_eq!(again.status.code(), Some(5), "a proposal is committed once");
    // Through the API, with a withdrawal.
    let admin = db.admin_token();
    let server = serve(db, &[]);
    let api = Api::new(&server);
    let body =
        json!({"supplier": "UNICEF", "request": {"item": "BIO-O2-CONCENTRATOR", "quantity": 50, "policy": "max-min"}});
    let r = api.send("POST", "/api/v1/allocations", &admin, Some(&body), &[]).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let pid = r.json()["id"].as_i64().unwrap();
    let w = api
        .send(
            "POST",
            &format!("/api/v1/allocations/{pid}/withdraw"),
            &admin,
            None,
            &[],
        )
        .await;
    assert_eq!(w.json()["status"], "withdrawn");
    api.send("POST", &format!("/api/v1/allocations/{pid}/commit"), &admin, None, &[])
        .await
        .problem(409);
    assert_eq!(
        api.get("/api/v1/allocations", &admin)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    db.ok(&["audit", "verify"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_becomes_commitments_in_one_action_on_sqlite() {
    proposals(&sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_becomes_commitments_in_one_action_on_postgres() {
    if let Some(db) = postgres("a_proposal_becomes_commitments_in_one_action_on_postgres") {
        proposals(&db).await;
    }
}

async fn saved_search(db: &Db) {
    let admin = db.admin_token();
    let partner = db.account("desk@mea.gov.in", "partner", &["--org", "IND"]);
    let server = serve(db, &[]);
    let api = Api::new(&server);
    let body =
        json!({"name": "Oxygen for NAM members", "query": {"item": "BIO-O2-CONCENTRATOR", "nam_status": "member"}});
    let r = api.send("POST", "/api/v1/searches", &partner, Some(&body), &[]).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let feed = r.json()["feed"].as_str().unwrap().to_owned();
    let read = |text: &str| text.parse::<atom_syndication::Feed>().unwrap();
    let f = api.get(&feed, &Auth::None).await;
    assert_eq!(f.headers["content-type"], "application/atom+xml; charset=utf-8");
    assert_eq!(read(&f.text).entries().len(), 0);
    let add = |c: &str| {
        let body = json!({"country": c, "item": "BIO-O2-CONCENTRATOR", "quantity": 20, "priority": "high", "needed_by": "2026-12-31"});
        let api = &api;
        let admin = admin.clone();
        async move {
            let n = api
                .send("POST", "/api/v1/needs?submit=true", &admin, Some(&body), &[])
                .await
                .json();
            let id = n["id"].as_i64().unwrap();
            (id, n["version"].as_i64().unwrap())
        }
    };
    let validate = |id: i64, v: i64| {
        let api = &api;
        let admin = admin.clone();
        async move {
            let r = api
                .send(
                    "POST",
                    &format!("/api/v1/needs/{id}/status"),
                    &admin,
                    Some(&json!({"to": "validated"})),
                    &[("if-match", &format!("\"{v}\""))],
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
    };
    let (ken, kv) = add("KEN").await;
    let (fra, fv) = add("FRA").await;
    add("UGA").await; // submitted, never validated
    validate(ken, kv).await;
    validate(fra, fv).await;
    let entries: Vec<String> = read(&api.get(&feed, &Auth::None).await.text)
        .entries()
        .iter()
        .map(|e| e.id().to_owned())
        .collect();
    assert_eq!(
        entries,
        vec![format!("tag:needsdb,2026:need:{ken}")],
        "France is not a member; Uganda's need is not validated"
    );
    assert_eq!(
        api.get("/api/v1/searches", &partner)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    api.get("/api/v1/feeds/not-a-token", &Auth::None).await.problem(404);
    let bad = json!({"name": "x", "query": {"who_region": "MARS"}});
    api.send("POST", "/api/v1/searches", &partner, Some(&bad), &[])
        .await
        .problem(422);
    let id = api.get("/api/v1/searches", &partner).await.json()[0]["id"]
        .as_i64()
        .unwrap();
    api.send("DELETE", &format!("/api/v1/searches/{id}"), &admin, None, &[])
        .await
        .problem(404);
    assert_eq!(
        api.send("DELETE", &format!("/api/v1/searches/{id}"), &partner, None, &[])
            .await
            .status,
        204
    );
    api.get(&feed, &Auth::None).await.problem(404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_search_is_followed_as_an_atom_feed_on_sqlite() {
    saved_search(&sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_search_is_followed_as_an_atom_feed_on_postgres() {
    if let Some(db) = postgres("a_saved_search_is_followed_as_an_atom_feed_on_postgres") {
        saved_search(&db).await;
    }
}
