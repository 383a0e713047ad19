//! The needsdb binary: one program that is both the command line and the server.

use std::process::ExitCode;

/// mimalloc rather than the system allocator: imports run on threads of
/// their own, and glibc's per-thread arenas kept the memory they freed, so
/// the server's peak under eight concurrent 60 MB uploads was half as high
/// again (BENCHMARKS.md, "Uploads under load").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    needsdb::cli::main()
}
