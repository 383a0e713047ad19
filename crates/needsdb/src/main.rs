//! The needsdb binary: one program that is both the command line and the server.

use std::process::ExitCode;

fn main() -> ExitCode {
    needsdb::cli::main()
}
