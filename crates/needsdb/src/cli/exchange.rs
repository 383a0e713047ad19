//! Import, export and the name resolver on the command line.

use super::args::{ExportWhat, FormatArg, KindArg, ResolveWhat};
use super::{Format, Rejected, UsageError, output, store};
use indicatif::{ProgressBar, ProgressStyle};
use needsdb_exchange::resolve::{MatchKind, Resolver};
use needsdb_exchange::{Data, Kind, Options, Progress, Report, Selection};
use needsdb_store::{ContributionQuery, NeedQuery};
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub async fn resolve(db: &str, fmt: Format, what: ResolveWhat, name: &str) -> anyhow::Result<()> {
    let resolver = match what {
        ResolveWhat::Country => {
            let reference = needsdb_domain::reference::embedded().map_err(|e| anyhow::anyhow!("{e}"))?;
            Resolver::countries(reference)
        }
        ResolveWhat::Item => Resolver::items(&store(db).await?.items().await?),
    };
    let r = resolver.resolve(name);
    let key = match what {
        ResolveWhat::Country => "iso3",
        ResolveWhat::Item => "code",
    };
    // Every outcome is an answer, not an error: scripts read `match`.
    let v = r.to_json(key);
    match fmt {
        Format::Json => output::print_value(fmt, &v, &[]),
        Format::Csv => {
            let rows: Vec<_> = r
                .candidates
                .iter()
                .map(|c| json!({"input": r.input, "match": r.kind.as_str(), key: c.code, "name": c.name, "score": c.score}))
                .collect();
            output::print_rows(fmt, &rows, &[], None)
        }
        Format::Table => {
            let mut out = std::io::stdout().lock();
            match (r.kind, &r.code) {
                (MatchKind::Exact, Some(code)) => writeln!(out, "{code}  exact")?,
                (MatchKind::Suggestion, Some(code)) => {
                    writeln!(out, "{code}  suggestion (confirm before use)")?;
                    for c in &r.candidates {
                        writeln!(out, "  {}  {}  ({:.2})", c.code, c.name, c.score)?;
                    }
                }
                _ => writeln!(out, "no match for '{name}'")?,
            }
            Ok(())
        }
    }
}

/// A bar on a terminal; a line per 100,000 rows otherwise (logs, CI).
struct CliProgress {
    bar: Option<ProgressBar>,
    reported: AtomicU64,
}

impl CliProgress {
    fn new() -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} rows read ({per_sec}, {elapsed})") {
                b.set_style(style);
            }
            b.enable_steady_tick(std::time::Duration::from_millis(200));
            b
        });
        Self {
            bar,
            reported: AtomicU64::new(0),
        }
    }
}

impl Progress for CliProgress {
    fn rows(&self, rows: u64) {
        match &self.bar {
            Some(b) => b.set_position(rows),
            None => {
                let step = rows / 100_000;
                if step > self.reported.swap(step, Ordering::Relaxed) {
                    eprintln!("{rows} rows read");
                }
            }
        }
    }

    fn done(&self, rows: u64) {
        match &self.bar {
            Some(b) => b.finish_with_message(format!("{rows} rows read")),
            None => eprintln!("{rows} rows read"),
        }
    }
}

fn detect_format(path: &Path) -> anyhow::Result<needsdb_exchange::Format> {
    let mut head = [0u8; 512];
    let mut f = std::fs::File::open(path).map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
    let n = std::io::Read::read(&mut f, &mut head)?;
    Ok(needsdb_exchange::Format::sniff(&head[..n]))
}

/// What `needsdb import` was asked to do.
pub struct ImportRequest<'a> {
    pub file: &'a Path,
    pub dry_run: bool,
    pub accept_suggestions: bool,
    pub kind: Option<KindArg>,
    pub decimal: Option<needsdb_domain::decimal::Style>,
}

pub async fn import(db: &str, fmt: Format, req: ImportRequest<'_>, as_user: Option<&str>) -> anyhow::Result<()> {
    let ImportRequest {
        file,
        dry_run,
        accept_suggestions,
        kind,
        decimal,
    } = req;
    let format = detect_format(file)?;
    let s = store(db).await?;
    let who = super::acting(s.as_ref(), as_user).await?;
    let opts = Options {
        dry_run,
        accept_suggestions,
        confirmed: Vec::new(),
        kind: kind.map(|k| match k {
            KindArg::Needs => Kind::Needs,
            KindArg::Contributions => Kind::Contributions,
        }),
        label: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        // The command line acts with the machine owner's authority, unless
        // it acts as an account: then every row meets that account's rules.
        guard: who
            .user
            .clone()
            .map(|u| Arc::new(crate::services::access::ImportGuard(u)) as Arc<dyn needsdb_exchange::RowGuard>),
        decimal,
        on_phase: None,
    };
    // The same job as an upload's: recorded, with its progress and report.
    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let user_id = who.user.as_ref().map(|u| u.id);
    let id = crate::services::imports::create(&*s, &who.actor, user_id, format, &opts, bytes).await?;
    let job = crate::services::imports::Job {
        id,
        format,
        data: Data::Path(file.to_owned()),
        options: opts,
        actor: who.actor.clone(),
    };
    let report = crate::services::imports::run(s.clone(), job, Arc::new(CliProgress::new())).await?;
    print_report(fmt, &report)?;
    if report.ok() { Ok(()) } else { Err(Rejected.into()) }
}

fn print_report(fmt: Format, r: &Report) -> anyhow::Result<()> {
    if fmt == Format::Json {
        return output::print_value(fmt, &serde_json::to_value(r)?, &[]);
    }
    if fmt == Format::Csv {
        let rows: Vec<_> = r.problems.iter().map(serde_json::to_value).collect::<Result<_, _>>()?;
        return output::print_rows(fmt, &rows, &[], None);
    }
    let mut out = std::io::stdout().lock();
    let kind = match r.kind {
        Some(Kind::Contributions) => "contributions",
        _ => "needs",
    };
    for w in &r.warnings {
        let at = w.row.map(|r| format!("row {r}: ")).unwrap_or_default();
        writeln!(out, "warning: {at}{}", w.message)?;
    }
    for a in &r.accepted {
        writeln!(
            out,
            "row {}, column {}: took '{}' as {} ({}), a suggestion",
            a.row, a.column, a.written, a.code, a.name
        )?;
    }
    if r.accepted_count > r.accepted.len() as u64 {
        writeln!(
            out,
            "... and {} more suggestions taken",
            r.accepted_count - r.accepted.len() as u64
        )?;
    }
    for p in &r.problems {
        let col = p.column.as_deref().map(|c| format!(", column {c}")).unwrap_or_default();
        writeln!(out, "row {}{col}: {} (fix: {})", p.row, p.message, p.fix)?;
    }
    if r.problem_count > r.problems.len() as u64 {
        writeln!(
            out,
            "... and {} more problems",
            r.problem_count - r.problems.len() as u64
        )?;
    }
    let verdict = if r.problem_count > 0 {
        format!("{} problems: nothing was written", r.problem_count)
    } else if r.dry_run {
        "dry run: nothing was written".to_owned()
    } else {
        "written".to_owned()
    };
    writeln!(
        out,
        "{} {kind} rows from {} ({}): {} new, {} updated, {} unchanged, {} repeated; {verdict}",
        r.rows, r.file, r.format, r.created, r.updated, r.unchanged, r.duplicates
    )?;
    Ok(())
}

pub async fn export(
    db: &str,
    format: FormatArg,
    what: ExportWhat,
    output: &Path,
    country: Option<String>,
) -> anyhow::Result<()> {
    let s = store(db).await?;
    if what == ExportWhat::Template {
        let Some(iso3) = country.map(|c| c.trim().to_uppercase()) else {
            return Err(UsageError("the template is for one country: add --country ISO3".into()).into());
        };
        let reference = needsdb_domain::reference::embedded().map_err(|e| anyhow::anyhow!("{e}"))?;
        let Some(c) = reference.country(&iso3) else {
            return Err(UsageError(format!("{iso3} is not a known ISO3 country code")).into());
        };
        let items = s.items().await?;
        let bytes = needsdb_exchange::xlsx::write_template(&iso3, &c.names.en, &items)?;
        write_atomically(output, &bytes)?;
        eprintln!("wrote the template for {} to {}", c.names.en, output.display());
        return Ok(());
    }
    let format = match format {
        FormatArg::Hxl | FormatArg::Csv => needsdb_exchange::Format::Hxl,
        FormatArg::Xlsx => needsdb_exchange::Format::Xlsx,
        FormatArg::Json => needsdb_exchange::Format::Json,
        FormatArg::Iati => needsdb_exchange::Format::Iati,
        FormatArg::Table => {
            let ext = output.extension().and_then(|e| e.to_str()).unwrap_or_default();
            needsdb_exchange::Format::parse(ext).ok_or_else(|| {
                UsageError(
                    "add --format hxl, xlsx, json or iati (or name the output .csv, .xlsx, .json or .xml)".into(),
                )
            })?
        }
    };
    let selection = match what {
        ExportWhat::Needs => Selection::Needs(NeedQuery {
            country: country.clone(),
            ..Default::default()
        }),
        _ => Selection::Contributions(ContributionQuery {
            country,
            ..Default::default()
        }),
    };
    let mut tmp = temp_beside(output)?;
    let n = {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        let n = needsdb_exchange::export(&*s, &selection, format, &mut w).await?;
        w.flush()?;
        n
    };
    persist(tmp, output)?;
    eprintln!("wrote {n} records to {}", output.display());
    Ok(())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut tmp = temp_beside(path)?;
    tmp.write_all(bytes)?;
    persist(tmp, path)
}

/// Files are written beside their target and renamed into place by
/// `persist`, so a failed export never leaves half a file.
fn temp_beside(path: &Path) -> anyhow::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok(tempfile::NamedTempFile::new_in(dir)?)
}

/// Renames the finished file into place, readable like any file the user writes
/// (a temporary file starts private).
fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path)?;
    Ok(())
}
