//! The command line. Commands are thin: they parse flags into the same input
//! types the API takes, call the store, and print a table, JSON or CSV.

mod accounts;
mod args;
mod contributions;
mod evidence;
mod exchange;
mod needs;
mod output;
mod reference;
mod reports;

pub use args::{Cli, Command, Format};

use crate::bootstrap;
use clap::{CommandFactory, FromArgMatches};
use needsdb_store::StoreError;
use std::process::ExitCode;

/// Exit codes, so scripts can tell what went wrong.
pub mod exit {
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INVALID: u8 = 3;
    pub const NOT_FOUND: u8 = 4;
    pub const CONFLICT: u8 = 5;
    pub const NOT_ALLOWED: u8 = 6;
}

/// Where `needsdb demo` writes unless a database is named: never into the
/// production file by accident.
const BACKUP_COLUMNS: &[&str] = &["file", "bytes", "store", "audit_entries", "records_checked", "check"];

pub const DEMO_DATABASE: &str = "sqlite://needsdb-demo.sqlite";

pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let named = matches.value_source("database") != Some(clap::parser::ValueSource::DefaultValue);
    if matches!(cli.command, Command::Demo) && !named {
        cli.database = DEMO_DATABASE.into();
    }
    init_logging(&cli);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(&e),
    }
}

fn init_logging(cli: &Cli) {
    let default = if matches!(cli.command, Command::Serve { .. }) {
        "info"
    } else {
        "warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("NEEDSDB_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // Colour only for a person at a terminal: a log file, a pipe or a
    // service manager gets plain text (and NO_COLOR is honoured).
    use std::io::IsTerminal;
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    if std::env::var("NEEDSDB_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Prints an error for people, and picks the exit code.
fn report(e: &anyhow::Error) -> ExitCode {
    // A reader that stopped early (`needsdb needs list | head`) is not an error.
    if e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return ExitCode::SUCCESS;
    }
    if let Some(u) = e.downcast_ref::<UsageError>() {
        eprintln!("error: {u}");
        return ExitCode::from(exit::USAGE);
    }
    if let Some(d) = e.downcast_ref::<crate::services::access::Denied>() {
        eprintln!("error: not allowed: {d}");
        return ExitCode::from(exit::NOT_ALLOWED);
    }
    if e.downcast_ref::<Rejected>().is_some() {
        eprintln!("error: {e}");
        return ExitCode::from(exit::INVALID);
    }
    match e.downcast_ref::<StoreError>() {
        Some(StoreError::Invalid(inv)) => {
            eprintln!("error: the input was rejected:");
            for f in &inv.0 {
                eprintln!("  - {}: {}", f.field, f.message);
            }
            ExitCode::from(exit::INVALID)
        }
        Some(StoreError::NotFound { .. }) => {
            eprintln!("error: {e}");
            ExitCode::from(exit::NOT_FOUND)
        }
        Some(StoreError::Conflict(_) | StoreError::VersionMismatch { .. }) => {
            eprintln!("error: {e}");
            ExitCode::from(exit::CONFLICT)
        }
        _ => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit::FAILURE)
        }
    }
}

/// A command line that parses but asks for something impossible.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// An import that found problems: the report is printed, the exit code says so.
#[derive(Debug)]
pub struct Rejected;

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the file has problems; nothing was written")
    }
}

impl std::error::Error for Rejected {}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let fmt = match (cli.format, &cli.command) {
        (args::FormatArg::Table, _) => Format::Table,
        (args::FormatArg::Json, _) => Format::Json,
        (args::FormatArg::Csv, _) => Format::Csv,
        (_, Command::Export { .. }) => Format::Table,
        (other, _) => {
            return Err(UsageError(format!(
                "--format {} applies to `export` only; use table, json or csv",
                format!("{other:?}").to_lowercase()
            ))
            .into());
        }
    };
    match cli.command {
        Command::Resolve { what, name } => exchange::resolve(&cli.database, fmt, what, &name).await,
        Command::Import {
            file,
            dry_run,
            accept_suggestions,
            kind,
            decimal_comma,
            decimal_point,
        } => {
            let style = match (decimal_comma, decimal_point) {
                (true, _) => Some(needsdb_domain::decimal::Style::Comma),
                (_, true) => Some(needsdb_domain::decimal::Style::Point),
                _ => None,
            };
            let req = exchange::ImportRequest {
                file: &file,
                dry_run,
                accept_suggestions,
                kind,
                decimal: style,
            };
            exchange::import(&cli.database, fmt, req, cli.as_user.as_deref()).await
        }
        Command::Export { what, output, country } => {
            exchange::export(&cli.database, cli.format, what, &output, country).await
        }
        Command::Serve { listen } => {
            let b = bootstrap::open(&cli.database).await?;
            crate::http::serve(b.store, &listen).await
        }
        Command::Migrate => {
            let b = bootstrap::open(&cli.database).await?;
            let m = &b.migration;
            output::print_value(
                fmt,
                &serde_json::to_value(m)?,
                &["schema_version", "reference_loaded", "countries", "parties", "items"],
            )
        }
        Command::Demo => {
            let b = bootstrap::open(&cli.database).await?;
            let summary = crate::demo::load(b.store.as_ref()).await?;
            if cli.database == DEMO_DATABASE {
                eprintln!(
                    "The demonstration is in ./needsdb-demo.sqlite; use it with\n  export NEEDSDB_DATABASE_URL={DEMO_DATABASE}"
                );
            }
            output::print_value(
                fmt,
                &serde_json::to_value(&summary)?,
                &["status", "needs", "contributions", "note"],
            )
        }
        Command::Members(c) => reference::members(&cli.database, fmt, c).await,
        Command::Parties(c) => reference::parties(&cli.database, fmt, c).await,
        Command::Items(c) => reference::items(&cli.database, fmt, c).await,
        Command::Needs(c) => needs::run(&cli.database, fmt, c, cli.as_user.as_deref()).await,
        Command::Contributions(c) => contributions::run(&cli.database, fmt, c, cli.as_user.as_deref()).await,
        Command::Evidence(c) => evidence::run(&cli.database, fmt, c, cli.as_user.as_deref()).await,
        Command::Backup { file } => {
            let r = crate::services::backup::backup(&cli.database, &file).await?;
            output::print_value(fmt, &serde_json::to_value(&r)?, BACKUP_COLUMNS)
        }
        Command::Restore { file } => {
            let r = crate::services::backup::restore(&file, &cli.database).await?;
            output::print_value(fmt, &serde_json::to_value(&r)?, BACKUP_COLUMNS)
        }
        Command::Audit(c) => reference::audit(&cli.database, fmt, c).await,
        Command::Users(c) => accounts::users(&cli.database, fmt, c).await,
        Command::Tokens(c) => accounts::tokens(&cli.database, fmt, c).await,
        Command::Allocate(a) => allocate(&cli.database, fmt, *a).await,
        Command::Coverage { by, measure, filters } => {
            reports::coverage(&cli.database, fmt, &by, &measure, filters).await
        }
        Command::Series { item } => reports::series(&cli.database, fmt, &item).await,
        Command::TopUnmet { limit } => reports::top_unmet(&cli.database, fmt, limit).await,
        Command::Equity {
            item,
            group,
            states_only,
        } => reports::equity(&cli.database, fmt, item, group, states_only).await,
        Command::Earmarks => reports::earmarks(&cli.database, fmt).await,
        Command::Match {
            item,
            quantity,
            region,
            nam_only,
            countries,
        } => reports::offer(&cli.database, fmt, &item, &quantity, region, nam_only, countries).await,
        Command::FollowUp { days, donor, recipient } => {
            let filter = crate::services::analysis::FollowUpFilter { donor, recipient };
            reports::follow_up(&cli.database, fmt, days, &filter).await
        }
        Command::Proposals(c) => reports::proposals(&cli.database, fmt, c).await,
        Command::Reconcile { tolerance, days, apply } => {
            reports::reconcile(&cli.database, fmt, tolerance, days, apply).await
        }
    }
}

/// Who a command acts as: the command line's owner (trusted, as an
/// administrator), or with `--as EMAIL` that account, under its rules.
pub struct Acting {
    pub actor: needsdb_store::Actor,
    pub user: Option<needsdb_store::User>,
}

impl Acting {
    /// The caller the access rules judge; none when the command line is trusted.
    pub fn checked(&self) -> bool {
        self.user.is_some()
    }
}

async fn acting(s: &dyn needsdb_store::Store, as_email: Option<&str>) -> anyhow::Result<Acting> {
    let Some(email) = as_email else {
        return Ok(Acting {
            actor: needsdb_store::Actor::cli(),
            user: None,
        });
    };
    match s.user_by_email(email).await? {
        Some((u, _)) if !u.disabled => Ok(Acting {
            actor: needsdb_store::Actor::user(u.id),
            user: Some(u),
        }),
        Some(_) => Err(crate::services::access::Denied::Forbidden(format!("the account {email} is disabled")).into()),
        None => Err(StoreError::not_found("account", email).into()),
    }
}

/// Opens the store for a command: migrated, with the first administrator.
async fn store(database: &str) -> anyhow::Result<std::sync::Arc<dyn needsdb_store::Store>> {
    Ok(bootstrap::open(database).await?.store)
}

async fn allocate(db: &str, fmt: Format, a: args::AllocateArgs) -> anyhow::Result<()> {
    use crate::services::allocate::{AllocationRequest, read_recipients_csv, run};
    let recipients = match &a.recipients {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            read_recipients_csv(&text).map_err(StoreError::Invalid)?
        }
        None => Vec::new(),
    };
    let earmarks = contributions::parse_earmarks(&a.earmarks)?;
    let text = |v: Option<String>| v.map(serde_json::Value::String);
    let req = AllocationRequest {
        item: a.item,
        quantity: serde_json::Value::String(a.quantity),
        policy: a.policy,
        cap: text(a.cap),
        buffer: text(a.buffer),
        within: a.within,
        eligible: a.eligible,
        lot: text(a.lot),
        min_shipment: text(a.min_shipment),
        earmarks,
        recipients,
        file_only: a.file_only,
    };
    let s = store(db).await?;
    if let Some(supplier) = &a.propose_from {
        let p = crate::services::allocate::propose(s.as_ref(), &needsdb_store::Actor::cli(), &req, supplier).await?;
        eprintln!(
            "Saved as proposal {}; review it, then: needsdb proposals commit {}",
            p.id, p.id
        );
        return output::print_value(
            fmt,
            &serde_json::to_value(&p)?,
            &["id", "item", "supplier", "status", "created_at"],
        );
    }
    let out = run(s.as_ref(), &req).await?;
    let lines: Vec<serde_json::Value> = out.lines.iter().map(serde_json::to_value).collect::<Result<_, _>>()?;
    match fmt {
        Format::Json => output::print_value(fmt, &serde_json::to_value(&out)?, &[]),
        Format::Csv => output::print_rows(fmt, &lines, &[], None),
        Format::Table => {
            output::print_rows(
                fmt,
                &lines,
                &[
                    "iso3",
                    "name",
                    "quantity",
                    "ratio_before_pct",
                    "ratio_after_pct",
                    "reason",
                ],
                None,
            )?;
            println!(
                "\n{} {}: {} allocated of {} available; {} held back as buffer; {} left over.",
                out.policy, out.item, out.allocated, out.supply, out.buffer, out.unallocated
            );
            for c in &out.checks {
                println!(
                    "{} {}: {}",
                    if c.passed { "passed" } else { "FAILED" },
                    c.check,
                    c.detail
                );
            }
            Ok(())
        }
    }
}
