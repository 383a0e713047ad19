// sqlx's migrate! embeds the migration files at compile time; on stable Rust
// it cannot tell cargo to watch the folders, so a new migration would be
// left out of an incremental build without this (sqlx's documented fix).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
