//! How long the dashboard takes at the server with 60,000 needs and 20,000
//! contributions (three links each), on SQLite and on PostgreSQL: the
//! release server is started on a filled database and each view is fetched
//! from the same machine, so the time is the server's (plus a loopback
//! round trip). Aggregates are kept per data version, so each view is
//! timed twice over: right after a write (3 times: the aggregates are
//! computed) and with the data unchanged (7 times: they are read back).
//! Prints the median and the slowest of each, and the gzipped bytes;
//! asserts nothing about time.
//!
//! Run: `cargo bench -p needsdb --bench dashboard`. PostgreSQL is taken
//! from NEEDSDB_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres);
//! a database is created for the run and dropped after it.
//! NEEDSDB_BENCH_ONLY=sqlite (or postgres) runs one store; NEEDSDB_BENCH_KEEP=PATH
//! keeps the filled SQLite file at PATH, to profile the queries behind a view;
//! with NEEDSDB_BENCH_FILL_ONLY=1 it only fills (and keeps the PostgreSQL
//! database, named by NEEDSDB_BENCH_PG_DB).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{cli, client, one_time, serve};
use sqlx::Connection;
use std::time::{Duration, Instant};

const NEEDS: i64 = 60_000;
const CONTRIBUTIONS: i64 = 20_000;
const LINKS_EACH: i64 = 3;
/// Gifts from a state to WHO, half earmarked for NAM members (as in 2020):
/// WHO's 20,000 contributions are then their onward flows, the earmark
/// report's worst case. Every tenth of WHO's is earmarked for low income.
const AGENCY_GIFTS: i64 = 5;

/// The fill, in SQL both stores read: `{needs}` and the like are the sizes.
/// Contribution `i` goes to the country of its first need and carries that
/// need's item, so equity and the earmarks have states to count.
fn fill(postgres: bool) -> Vec<String> {
    // A date built from text: PostgreSQL wants it cast; SQLite keeps dates as text.
    let date = |text: &str| {
        if postgres {
            format!("CAST({text} AS DATE)")
        } else {
            text.to_owned()
        }
    };
    let series = |n: i64| {
        format!(
            "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {}) ",
            n - 1
        )
    };
    vec![
        "CREATE TEMP TABLE bc AS SELECT iso3, ROW_NUMBER() OVER (ORDER BY iso3) - 1 AS k FROM countries WHERE nam_status = 'member'".into(),
        "CREATE TEMP TABLE bi AS SELECT code, ROW_NUMBER() OVER (ORDER BY code) - 1 AS k FROM items WHERE unit_kind <> 'money'".into(),
        format!(
            "{}INSERT INTO needs (id, version, country, item, quantity, priority, needed_by, justification, reported_via, status, created_at, created_by, updated_at, updated_by)
             SELECT i + 1, 1, bc.iso3, bi.code, 100 + (i * 7919) % 10000,
                    CASE i % 4 WHEN 0 THEN 'critical' WHEN 1 THEN 'high' WHEN 2 THEN 'medium' ELSE 'low' END,
                    {}, '', 'import', CASE WHEN i % 10 = 0 THEN 'submitted' ELSE 'validated' END,
                    '2026-01-01T00:00:00Z', 'bench', '2026-01-01T00:00:00Z', 'bench'
             FROM s JOIN bc ON bc.k = i % (SELECT COUNT(*) FROM bc) JOIN bi ON bi.k = i % (SELECT COUNT(*) FROM bi)",
            series(NEEDS),
            date("'2027-0' || (1 + i % 9) || '-15'")
        ),
        format!(
            "{}INSERT INTO contributions (id, version, donor, recipient, kind, item, quantity, covered, stage, stage_date, description, created_at, created_by, updated_at, updated_by)
             SELECT i + 1, 1, 'WHO', n.country, 'in_kind', n.item, 90, 90,
                    CASE i % 5 WHEN 0 THEN 'announced' WHEN 1 THEN 'pledged' WHEN 2 THEN 'committed' WHEN 3 THEN 'shipped' ELSE 'delivered' END,
                    {}, '', '2026-01-01T00:00:00Z', 'bench', '2026-01-01T00:00:00Z', 'bench'
             FROM s JOIN needs n ON n.id = i * {LINKS_EACH} + 1",
            series(CONTRIBUTIONS),
            date("'2026-0' || (1 + i % 9) || '-01'")
        ),
        format!(
            "{}INSERT INTO contributions (id, version, donor, recipient, kind, item, quantity, covered, stage, stage_date, description, created_at, created_by, updated_at, updated_by)
             SELECT {CONTRIBUTIONS} + i + 1, 1, 'IND', 'WHO', 'in_kind', (SELECT code FROM bi WHERE k = 0), 1000, 0, 'committed',
                    {}, '', '2025-12-01T00:00:00Z', 'bench', '2025-12-01T00:00:00Z', 'bench'
             FROM s",
            series(AGENCY_GIFTS),
            date("'2025-12-01'")
        ),
        format!(
            "INSERT INTO contribution_earmarks (contribution_id, seq, target, share_bp)
             SELECT id, 0, 'nam-members', 5000 FROM contributions WHERE id > {CONTRIBUTIONS}"
        ),
        "INSERT INTO contribution_earmarks (contribution_id, seq, target, share_bp)
         SELECT id, 0, 'income:low', 5000 FROM contributions WHERE id % 10 = 0 AND donor = 'WHO'"
            .into(),
        format!(
            "{}INSERT INTO contribution_links (contribution_id, need_id, quantity, covered)
             SELECT i / {LINKS_EACH} + 1, i + 1, 30, 30 FROM s",
            series(CONTRIBUTIONS * LINKS_EACH)
        ),
        "UPDATE needs SET cov_announced = s.announced, cov_pledged = s.pledged, cov_funded = s.funded, cov_delivered = s.delivered
         FROM (SELECT l.need_id,
                CAST(SUM(CASE WHEN k.stage = 'announced' THEN l.covered ELSE 0 END) AS BIGINT) AS announced,
                CAST(SUM(CASE WHEN k.stage = 'pledged' THEN l.covered ELSE 0 END) AS BIGINT) AS pledged,
                CAST(SUM(CASE WHEN k.stage IN ('committed', 'shipped', 'disbursed', 'delivered') THEN l.covered ELSE 0 END) AS BIGINT) AS funded,
                CAST(SUM(CASE WHEN k.stage = 'delivered' THEN l.covered ELSE 0 END) AS BIGINT) AS delivered
         FROM contribution_links l JOIN contributions k ON k.id = l.contribution_id GROUP BY l.need_id) AS s
         WHERE needs.id = s.need_id".into(),
    ]
}

async fn filled(url: &str) {
    cli(url, &["migrate"]);
    let start = Instant::now();
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.expect("connect");
        for sql in fill(false) {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut c)
                .await
                .expect("fill");
        }
        sqlx::query("ANALYZE").execute(&mut c).await.expect("analyze");
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.expect("connect");
        for sql in fill(true) {
            // PostgreSQL has generate_series; the recursive form works there too.
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut c)
                .await
                .expect("fill");
        }
        for (table, n) in [("needs", NEEDS), ("contributions", CONTRIBUTIONS + AGENCY_GIFTS)] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), {n})"
            )))
            .execute(&mut c)
            .await
            .expect("seq");
        }
        sqlx::query("VACUUM ANALYZE").execute(&mut c).await.expect("vacuum");
    }
    println!(
        "  {NEEDS} needs, {CONTRIBUTIONS} contributions (and {AGENCY_GIFTS} earmarked gifts to WHO), {} links filled in {:.1} s",
        CONTRIBUTIONS * LINKS_EACH,
        start.elapsed().as_secs_f64()
    );
}

async fn run(name: &str, url: &str) {
    println!("{name}:");
    filled(url).await;
    if fill_only() {
        println!("  filled, kept at {url}");
        return;
    }
    let password = one_time(url, "analyst@who.test", "viewer", &[]);
    let (mut child, base) = serve(url);
    let anon = client(&base);
    let signed = client(&base);
    signed.sign_in("analyst@who.test", &password).await;
    // Aggregates are kept per data version: the first view after a write
    // computes them ("after a write"), later ones read them ("unchanged").
    // A write here is one need added through the CLI, as a focal point would.
    let write = || {
        cli(
            url,
            &[
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
                "2027-12-31",
            ],
        )
    };
    println!(
        "  {:<52} {:>13} {:>10} {:>13} {:>10} {:>8}",
        "view", "after a write", "max ms", "unchanged", "max ms", "gzip B"
    );
    let ms = |t: &[Duration]| {
        (
            t[t.len() / 2].as_secs_f64() * 1000.0,
            t[t.len() - 1].as_secs_f64() * 1000.0,
        )
    };
    for (who, c) in [("anyone", &anon), ("signed in", &signed)] {
        for path in [
            "/en/dashboard",
            "/en/dashboard?item=FOOD-RICE",
            "/en/dashboard?region=002&show=arrived",
            "/ar/dashboard?income_group=low&cluster=health",
        ] {
            let (mut cold, mut kept): (Vec<Duration>, Vec<Duration>) = (Vec::new(), Vec::new());
            let mut bytes = 0;
            for round in 0..10 {
                if round % 4 == 0 {
                    write();
                }
                let start = Instant::now();
                let (status, b) = c.weight(path).await;
                let took = start.elapsed();
                assert_eq!(status, 200, "{path}");
                if round % 4 == 0 {
                    cold.push(took)
                } else {
                    kept.push(took)
                }
                bytes = b;
            }
            cold.sort();
            kept.sort();
            let ((cm, cx), (km, kx)) = (ms(&cold), ms(&kept));
            println!(
                "  {:<52} {:>13.1} {:>10.1} {:>13.1} {:>10.1} {:>8}",
                format!("{who} {path}"),
                cm,
                cx,
                km,
                kx,
                bytes
            );
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// NEEDSDB_BENCH_FILL_ONLY=1: fill, keep the databases and time nothing
/// (`scripts/bench_serving.py` serves them to wrk).
fn fill_only() -> bool {
    std::env::var_os("NEEDSDB_BENCH_FILL_ONLY").is_some()
}

#[tokio::main]
async fn main() {
    let only = std::env::var("NEEDSDB_BENCH_ONLY").unwrap_or_default();
    if only != "postgres" {
        let dir = tempfile::tempdir().unwrap();
        // NEEDSDB_BENCH_KEEP=PATH keeps the filled SQLite file there, to profile.
        let path = std::env::var("NEEDSDB_BENCH_KEEP")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| dir.path().join("dashboard.sqlite"));
        let _ = std::fs::remove_file(&path);
        let url = format!("sqlite://{}", path.display());
        run("SQLite", &url).await;
    }
    if only != "sqlite" {
        let admin = std::env::var("NEEDSDB_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        match sqlx::PgConnection::connect(&admin).await {
            Ok(mut c) => {
                // NEEDSDB_BENCH_PG_DB names the database (it must not exist yet).
                let db = std::env::var("NEEDSDB_BENCH_PG_DB")
                    .unwrap_or_else(|_| format!("needsdb_bench_dashboard_{}", std::process::id()));
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
                    .execute(&mut c)
                    .await
                    .expect("create database");
                let url = match admin.rsplit_once('/') {
                    Some((server, _)) => format!("{server}/{db}"),
                    None => format!("{admin}/{db}"),
                };
                run("PostgreSQL", &url).await;
                if fill_only() {
                    return;
                }
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {db} WITH (FORCE)")))
                    .execute(&mut c)
                    .await;
            }
            Err(e) => println!("PostgreSQL: SKIPPED, not reachable at {admin}: {e}"),
        }
    }
}
