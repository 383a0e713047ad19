//! Backups a ministry can take and check without IT staff: one command
//! makes a consistent copy while the server keeps writing, and checks it;
//! another restores it into an empty database, never over data.
//!
//! SQLite is copied by SQLite itself (`VACUUM INTO`, one read transaction);
//! PostgreSQL by `pg_dump` in its custom format, restored by `pg_restore`
//! (Debian's postgresql-client package).

use anyhow::{Context, anyhow, bail};
use needsdb_store::backup;
use serde::Serialize;
use std::path::Path;
use std::process::Command;

/// What a backup or a restore did, and the check made of the result.
#[derive(Debug, Serialize)]
pub struct BackupReport {
    pub file: String,
    pub bytes: u64,
    pub store: &'static str,
    /// Audit log entries in the copy, all checked.
    pub audit_entries: Option<i64>,
    pub records_checked: Option<i64>,
    pub check: String,
}

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PG_DUMP_MAGIC: &[u8] = b"PGDMP";

fn is_sqlite(url: &str) -> bool {
    backup::sqlite_file(url).is_some()
}

fn starts_with(path: &Path, magic: &[u8]) -> anyhow::Result<bool> {
    use std::io::Read;
    let mut head = vec![0u8; magic.len()];
    let mut f = std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(f.read_exact(&mut head).is_ok() && head == magic)
}

/// Runs one of PostgreSQL's own tools, saying what to install when missing.
fn pg_tool(name: &str, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new(name).args(args).output().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            anyhow!(
                "{name} is not installed: install PostgreSQL's client tools (Debian: apt-get install postgresql-client)"
            )
        } else {
            anyhow!("cannot run {name}: {e}")
        }
    })?;
    if !out.status.success() {
        bail!("{name} failed: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Checks a database's audit chain and its records against the chain.
async fn audit(url: &str) -> anyhow::Result<(i64, i64)> {
    let store = needsdb_store::open(url).await?;
    let r = store.audit_verify().await?;
    if let Some((entry, why)) = r.first_bad {
        bail!("the copy's audit log is broken at entry {entry}: {why}");
    }
    if let Some(m) = r.records.first() {
        bail!(
            "the copy's {} {} differs from its audit log ({} records differ)",
            m.entity,
            m.id,
            r.records.len()
        );
    }
    Ok((r.entries, r.records_checked))
}

/// Takes a consistent copy of the database into `dest`, which must not
/// exist yet (a backup never replaces another), then checks the copy.
pub async fn backup(url: &str, dest: &Path) -> anyhow::Result<BackupReport> {
    if dest.exists() {
        bail!(
            "{} exists already: a backup never replaces a file; name a new one",
            dest.display()
        );
    }
    let file = dest.display().to_string();
    if is_sqlite(url) {
        backup::sqlite_copy(url, dest).await?;
        let (entries, records) = audit(&format!("sqlite://{file}?mode=ro")).await?;
        Ok(BackupReport {
            bytes: std::fs::metadata(dest)?.len(),
            file,
            store: "sqlite",
            audit_entries: Some(entries),
            records_checked: Some(records),
            check: "the copy opens, and its audit log and records verify".into(),
        })
    } else {
        pg_tool(
            "pg_dump",
            &["--format=custom", "--no-owner", "--file", &file, "--dbname", url],
        )?;
        let listing = pg_tool("pg_restore", &["--list", &file])?;
        let tables = listing.lines().filter(|l| l.contains(" TABLE DATA ")).count();
        Ok(BackupReport {
            bytes: std::fs::metadata(dest)?.len(),
            file,
            store: "postgres",
            audit_entries: None,
            records_checked: None,
            check: format!("pg_restore reads the archive: {tables} tables of data"),
        })
    }
}

/// Restores a backup into an empty database, then checks what it restored.
pub async fn restore(src: &Path, url: &str) -> anyhow::Result<BackupReport> {
    if !backup::is_empty(url).await? {
        bail!(
            "{} is not empty: a restore goes into a new, empty database, never over data",
            needsdb_store::redact(url)
        );
    }
    let file = src.display().to_string();
    if is_sqlite(url) {
        if !starts_with(src, SQLITE_MAGIC)? {
            bail!("{file} is not an SQLite backup (needsdb backup on an SQLite database makes one)");
        }
        let target = backup::sqlite_file(url).unwrap_or(url);
        // Copied to a new name first, so a failed copy leaves no half file
        // where the database belongs.
        let partial = format!("{target}.restoring");
        std::fs::copy(src, &partial).with_context(|| format!("cannot copy {file} to {partial}"))?;
        std::fs::rename(&partial, target).with_context(|| format!("cannot move {partial} to {target}"))?;
    } else {
        if !starts_with(src, PG_DUMP_MAGIC)? {
            bail!("{file} is not a PostgreSQL backup (needsdb backup on a PostgreSQL database makes one)");
        }
        pg_tool(
            "pg_restore",
            &[
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                url,
                &file,
            ],
        )?;
    }
    let (entries, records) = audit(url).await?;
    Ok(BackupReport {
        bytes: std::fs::metadata(src)?.len(),
        file,
        store: if is_sqlite(url) { "sqlite" } else { "postgres" },
        audit_entries: Some(entries),
        records_checked: Some(records),
        check: "restored; its audit log and records verify".into(),
    })
}
