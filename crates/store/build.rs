//! `sqlx::migrate!` embeds the files of `migrations/` when the crate compiles, but Cargo does
//! not know that a new file there changes the crate: without this, an incremental build after
//! adding a migration carries the old list, and its tests run without the migration.

// A build script speaks to cargo through its standard output.
#![allow(clippy::print_stdout)]

fn main() {
    println!("cargo::rerun-if-changed=migrations");
}
