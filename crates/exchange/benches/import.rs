//! Imports 1M generated need rows (HXL CSV) into SQLite and PostgreSQL and
//! prints rows per second and peak memory; imports the same file into a
//! plain table with the `sqlite3` tool's `.import` as the floor, and measures
//! the ceiling: `sqlite3` itself moving the rows into the needsdb schema.
//! Each import runs in its own process so its peak memory is its own.
//!
//! NEEDSDB_BENCH_ROWS changes the row count; NEEDSDB_BENCH_ONLY=sqlite (or
//! postgres) runs one store.
//!
//! Then contributions: NEEDSDB_BENCH_CONTRIBUTIONS (6,000 by default) need
//! rows are imported, then as many contribution rows linked to them, and
//! both rates are printed with their ratio (the target: at least a quarter).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use needsdb_exchange::{Data, Format, Options, Silent};
use needsdb_store::Actor;
use sqlx::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

fn generate(path: &Path, rows: usize) {
    let reference = needsdb_domain::reference::embedded().unwrap();
    let countries: Vec<&str> = reference
        .countries
        .iter()
        .filter(|c| c.nam_status == needsdb_domain::reference::NamStatus::Member)
        .map(|c| c.iso3.as_str())
        .collect();
    let items: Vec<&str> = reference
        .items
        .iter()
        .filter(|i| i.unit_kind != needsdb_domain::reference::UnitKind::Money)
        .map(|i| i.code.as_str())
        .collect();
    let priorities = ["critical", "high", "medium", "low"];
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        w,
        "External id,Country code,Item code,Quantity needed,Priority,Needed by,Justification,Status"
    )
    .unwrap();
    writeln!(
        w,
        "#meta+id,#country+code,#item+code,#need+num,#severity,#date+needed,#description,#status"
    )
    .unwrap();
    for i in 0..rows {
        writeln!(
            w,
            "bench-{i},{},{},{},{},2027-{:02}-{:02},Generated need {i} for the import benchmark,submitted",
            countries[i % countries.len()],
            items[(i / countries.len()) % items.len()],
            1 + (i * 7919) % 100_000,
            priorities[i % 4],
            1 + i % 12,
            1 + i % 28,
        )
        .unwrap();
    }
    w.flush().unwrap();
}

/// Peak resident memory of this process, from /proc (Linux).
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// `n` validated needs, and `n` contributions from India each linked to one.
fn generate_pair(needs: &Path, contributions: &Path, n: usize) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(needs).unwrap());
    writeln!(
        w,
        "#meta+id,#country+code,#item+code,#need+num,#severity,#date+needed,#status"
    )
    .unwrap();
    for i in 0..n {
        writeln!(
            w,
            "n-{i},KEN,SHL-FAMILY-TENT,{},high,2027-06-30,validated",
            100 + i % 50
        )
        .unwrap();
    }
    w.flush().unwrap();
    let mut w = std::io::BufWriter::new(std::fs::File::create(contributions).unwrap());
    writeln!(
        w,
        "#meta+id,#org+funding+code,#org+recipient+code,#item+code,#value+quantity,#status,#meta+needs"
    )
    .unwrap();
    for i in 0..n {
        writeln!(
            w,
            "c-{i},IND,KEN,SHL-FAMILY-TENT,{q},pledged,KEN/n-{i}={q}",
            q = 10 + i % 40
        )
        .unwrap();
    }
    w.flush().unwrap();
}

/// One import of `file` as the benchmark's actor: the report, and the
/// seconds it took (the lookups loaded before the clock starts).
async fn import_one(store: &dyn needsdb_store::Store, file: &Path) -> (needsdb_exchange::Report, f64) {
    let lookups = Arc::new(needsdb_exchange::lookups(store).await.unwrap());
    let start = Instant::now();
    let report = needsdb_exchange::import(
        store,
        &Actor("bench".into()),
        lookups,
        Format::Hxl,
        Data::Path(file.to_owned()),
        &Options {
            decimal: None,
            on_phase: None,
            dry_run: false,
            accept_suggestions: false,
            confirmed: Vec::new(),
            kind: None,
            label: "bench.csv".into(),
            guard: None,
        },
        Arc::new(Silent),
    )
    .await
    .unwrap();
    let secs = start.elapsed().as_secs_f64();
    assert!(report.ok() && report.committed, "{:?}", report.problems.first());
    (report, secs)
}

/// Needs, then contributions linked to them, into one fresh database.
async fn contributions_child(url: &str, dir: &Path, n: usize) {
    let store = needsdb_store::open(url).await.unwrap();
    store.migrate().await.unwrap();
    let (needs, contributions) = (dir.join("pair-needs.csv"), dir.join("pair-contributions.csv"));
    generate_pair(&needs, &contributions, n);
    let (a, ta) = import_one(&*store, &needs).await;
    let (b, tb) = import_one(&*store, &contributions).await;
    let (a, b) = (a.created, b.created);
    println!(
        "CONTRIB {a} {:.0} {b} {:.0} {:.2}",
        a as f64 / ta,
        b as f64 / tb,
        (b as f64 / tb) / (a as f64 / ta)
    );
}

/// The child: one import into one database, printing one result line.
async fn child(url: &str, file: &Path) {
    let store = needsdb_store::open(url).await.unwrap();
    store.migrate().await.unwrap();
    let (report, secs) = import_one(&*store, file).await;
    println!(
        "RESULT {} {:.3} {:.1} {}",
        report.created,
        secs,
        peak_rss_mb(),
        report.rows
    );
}

fn run_child(label: &str, url: &str, file: &Path, rows: usize) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--child", url, file.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let Some(line) = text.lines().find(|l| l.starts_with("RESULT ")) else {
        println!("{label}: FAILED\n{}\n{}", text, String::from_utf8_lossy(&out.stderr));
        return;
    };
    let f: Vec<&str> = line.split_whitespace().collect();
    let secs: f64 = f[2].parse().unwrap();
    println!(
        "{label:<28} {:>9} rows in {secs:>6.2} s = {:>9.0} rows/s, peak RSS {:>6.1} MB",
        f[1],
        rows as f64 / secs,
        f[3].parse::<f64>().unwrap()
    );
}

fn sqlite3_floor(dir: &Path, file: &Path, rows: usize) {
    let db = dir.join("floor.sqlite");
    let _ = std::fs::remove_file(&db);
    let script = format!(
        "CREATE TABLE needs (external_id TEXT, country TEXT, item TEXT, quantity TEXT, priority TEXT, needed_by TEXT, justification TEXT, status TEXT);\n.mode csv\n.import --skip 2 {} needs\n",
        file.display()
    );
    let start = Instant::now();
    let out = sqlite3(&db, &script);
    let secs = start.elapsed().as_secs_f64();
    match out {
        Some(_) => println!(
            "{:<28} {rows:>9} rows in {secs:>6.2} s = {:>9.0} rows/s (no validation, no indexes)",
            "floor: sqlite3 .import",
            rows as f64 / secs
        ),
        None => println!("floor: SKIPPED, sqlite3 not found or failed"),
    }
}

/// The everyday tool a data officer would otherwise reach for: Simon
/// Willison's `sqlite-utils insert --csv` into a plain table (types guessed
/// as text, no validation, no indexes; the HXL hashtag row goes in as a row).
/// `scripts/bench` installs it with pip into target/bench-venv.
fn sqlite_utils_peer(dir: &Path, file: &Path, rows: usize) {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-venv/bin/sqlite-utils");
    let tool = std::env::var("NEEDSDB_SQLITE_UTILS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            if venv.exists() {
                venv
            } else {
                PathBuf::from("sqlite-utils")
            }
        });
    let db = dir.join("peer.sqlite");
    let _ = std::fs::remove_file(&db);
    let start = Instant::now();
    // GNU time reports the tool's peak resident memory (its %M, in KB).
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(&tool)
        .args(["insert"])
        .arg(&db)
        .args(["needs"])
        .arg(file)
        .args(["--csv"])
        .output();
    let secs = start.elapsed().as_secs_f64();
    match out {
        Ok(o) if o.status.success() => {
            let err = String::from_utf8_lossy(&o.stderr);
            let kb: f64 = err.lines().last().and_then(|l| l.trim().parse().ok()).unwrap_or(0.0);
            println!(
                "{:<28} {rows:>9} rows in {secs:>6.2} s = {:>9.0} rows/s, peak RSS {:>6.1} MB (plain table, no validation)",
                "peer: sqlite-utils insert",
                rows as f64 / secs,
                kb / 1024.0
            );
        }
        _ => println!("peer: sqlite-utils SKIPPED, not found at {} or failed", tool.display()),
    }
}

/// SQLite's own speed on the needsdb schema: the CSV is loaded into a temp
/// table, then one `INSERT ... SELECT` moves it into `needs` in a database
/// `needsdb migrate` made, with the store's import pragmas. No Rust, no
/// parsing or validation is timed: this is the most any import could do.
async fn sqlite3_ceiling(dir: &Path, file: &Path, rows: usize, label: &str, drop_indexes: bool) {
    let db = dir.join("ceiling.sqlite");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let store = needsdb_store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    drop(store);
    let prelude = if drop_indexes {
        let drops = sqlite3(
            &db,
            "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'needs' AND sql IS NOT NULL;",
        )
        .unwrap_or_default();
        format!("PRAGMA foreign_keys = OFF;\n{drops}")
    } else {
        "PRAGMA foreign_keys = ON;\n".to_owned()
    };
    let script = format!(
        "PRAGMA journal_mode = WAL;\nPRAGMA synchronous = NORMAL;\nPRAGMA cache_size = -65536;\nPRAGMA temp_store = MEMORY;\n{prelude}\
         CREATE TEMP TABLE src (external_id, country, item, quantity, priority, needed_by, justification, status);\n\
         .mode csv\n.import --skip 2 {} src\n.mode list\n.timer on\n\
         BEGIN;\n\
         INSERT INTO needs (version, country, item, quantity, priority, needed_by, justification, reported_via, external_id, status, created_at, created_by, updated_at, updated_by)\n\
           SELECT 1, country, item, CAST(quantity AS INTEGER), priority, needed_by, justification, 'ministry', external_id, status,\n\
             '2026-11-23T10:00:00.000000Z', 'bench', '2026-11-23T10:00:00.000000Z', 'bench' FROM src;\n\
         COMMIT;\n",
        file.display()
    );
    match sqlite3(&db, &script) {
        Some(out) => {
            // `.timer on` prints one "Run Time: real S ..." line per statement after it.
            let secs: f64 = out
                .lines()
                .filter_map(|l| l.strip_prefix("Run Time: real "))
                .filter_map(|l| l.split_whitespace().next()?.parse::<f64>().ok())
                .sum();
            println!(
                "{label:<28} {rows:>9} rows in {secs:>6.2} s = {:>9.0} rows/s (sqlite3 INSERT ... SELECT, no validation)",
                rows as f64 / secs
            );
        }
        None => println!("{label}: SKIPPED, sqlite3 not found or failed"),
    }
}

/// Runs a script through the `sqlite3` tool; its standard output, or None.
fn sqlite3(db: &Path, script: &str) -> Option<String> {
    let out = Command::new("sqlite3")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            if let Some(mut stdin) = child.stdin.take() {
                // The store's pool may still be closing its connections.
                stdin.write_all(b".timeout 30000\n")?;
                stdin.write_all(script.as_bytes())?;
            }
            child.wait_with_output()
        })
        .ok()?;
    if !out.status.success() || !out.stderr.is_empty() {
        println!("sqlite3: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        child(&args[2], Path::new(&args[3])).await;
        return;
    }
    if args.get(1).map(String::as_str) == Some("--contributions") {
        contributions_child(&args[2], Path::new(&args[3]), args[4].parse().unwrap()).await;
        return;
    }
    let rows: usize = std::env::var("NEEDSDB_BENCH_ROWS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1_000_000);
    let dir: PathBuf = std::env::temp_dir().join(format!("needsdb-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("needs.csv");
    let t = Instant::now();
    generate(&file, rows);
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated {rows} need rows ({:.0} MB of HXL CSV) in {:.1} s",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let only = std::env::var("NEEDSDB_BENCH_ONLY").unwrap_or_default();
    sqlite3_floor(&dir, &file, rows);
    sqlite_utils_peer(&dir, &file, rows);
    if only != "postgres" {
        sqlite3_ceiling(&dir, &file, rows, "ceiling: needsdb schema", false).await;
        sqlite3_ceiling(&dir, &file, rows, "ceiling: no indexes, no FKs", true).await;
    }
    if only != "postgres" {
        let url = format!("sqlite://{}", dir.join("bench.sqlite").display());
        run_child("needsdb import, SQLite", &url, &file, rows);
    }
    if only != "sqlite" {
        on_fresh_postgres("needsdb_import_bench", |url| {
            run_child("needsdb import, PostgreSQL", url, &file, rows)
        })
        .await;
    }
    contributions_bench(&dir, &only).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `f` with the URL of a new PostgreSQL database, dropped afterwards;
/// says SKIPPED when no server answers.
async fn on_fresh_postgres(prefix: &str, f: impl FnOnce(&str)) {
    let admin = std::env::var("NEEDSDB_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("{prefix}_{}", std::process::id());
    let mut c = match sqlx::PgConnection::connect(&admin).await {
        Ok(c) => c,
        Err(e) => {
            println!("PostgreSQL: SKIPPED, not reachable at {admin}: {e}");
            return;
        }
    };
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut c)
        .await
        .unwrap();
    let url = format!("{}/{name}", admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b));
    f(&url);
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE \"{name}\" WITH (FORCE)")))
        .execute(&mut c)
        .await
        .unwrap();
}

/// Contribution rows against need rows, on each store, each in a process
/// of its own and a fresh database.
async fn contributions_bench(dir: &Path, only: &str) {
    let n: usize = std::env::var("NEEDSDB_BENCH_CONTRIBUTIONS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(6_000);
    if n == 0 {
        return;
    }
    let run = |label: &str, url: &str| {
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["--contributions", url, dir.to_str().unwrap(), &n.to_string()])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        match text.lines().find(|l| l.starts_with("CONTRIB ")) {
            Some(line) => {
                let f: Vec<&str> = line.split_whitespace().collect();
                println!(
                    "{label:<28} {} needs at {:>7} rows/s, then {} contributions at {:>7} rows/s: {}x the needs rate",
                    f[1], f[2], f[3], f[4], f[5]
                );
            }
            None => println!("{label}: FAILED\n{text}\n{}", String::from_utf8_lossy(&out.stderr)),
        }
    };
    if only != "postgres" {
        let path = dir.join("contributions.sqlite");
        run("contributions, SQLite", &format!("sqlite://{}", path.display()));
    }
    if only != "sqlite" {
        on_fresh_postgres("needsdb_contrib_bench", |url| run("contributions, PostgreSQL", url)).await;
    }
}
