//! The command line. Commands are thin: they parse flags into the same input
//! types the API takes, call the store, and print a table, JSON or CSV.

mod accounts;
mod args;
mod contributions;
mod needs;
mod output;
mod reference;

pub use args::{Cli, Command, Format};

use crate::bootstrap;
use clap::Parser;
use needsdb_store::StoreError;
use std::process::ExitCode;

/// Exit codes, so scripts can tell what went wrong.
pub mod exit {
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INVALID: u8 = 3;
    pub const NOT_FOUND: u8 = 4;
    pub const CONFLICT: u8 = 5;
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
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
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
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

async fn run(cli: Cli) -> anyhow::Result<()> {
    let fmt = cli.format;
    match cli.command {
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
            output::print_value(
                fmt,
                &serde_json::to_value(&summary)?,
                &["status", "needs", "contributions", "note"],
            )
        }
        Command::Members(c) => reference::members(&cli.database, fmt, c).await,
        Command::Parties(c) => reference::parties(&cli.database, fmt, c).await,
        Command::Items(c) => reference::items(&cli.database, fmt, c).await,
        Command::Needs(c) => needs::run(&cli.database, fmt, c).await,
        Command::Contributions(c) => contributions::run(&cli.database, fmt, c).await,
        Command::Audit(c) => reference::audit(&cli.database, fmt, c).await,
        Command::Users(c) => accounts::users(&cli.database, fmt, c).await,
        Command::Tokens(c) => accounts::tokens(&cli.database, fmt, c).await,
    }
}

/// Opens the store for a command: migrated, with the first administrator.
async fn store(database: &str) -> anyhow::Result<std::sync::Arc<dyn needsdb_store::Store>> {
    Ok(bootstrap::open(database).await?.store)
}
