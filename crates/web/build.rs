//! The DSFR and htmx files are embedded from the npm packages: without them the
//! embed macro fails with a message about a missing folder. Say what to do instead.

// A build script speaks to cargo through its standard output.
#![allow(clippy::print_stdout)]

use std::path::Path;

const NEEDED: [&str; 2] = [
    "../../web/node_modules/@gouvfr/dsfr/dist/dsfr.min.css",
    "../../web/node_modules/htmx.org/dist/htmx.min.js",
];

fn main() {
    for file in NEEDED {
        println!("cargo::rerun-if-changed={file}");
        if !Path::new(file).exists() {
            println!(
                "cargo::error=the front-end packages are not installed ({file} is missing): run `make assets` (npm ci in web/) first"
            );
        }
    }
}
