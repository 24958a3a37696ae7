//! Copies htmx (pinned in package.json, installed by npm) into OUT_DIR so the
//! binary embeds it. Runs `npm ci` once if node_modules is missing.

use std::path::Path;
use std::process::Command;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let pkg = Path::new(&root).join("node_modules/htmx.org");
    println!("cargo:rerun-if-changed=package-lock.json");
    // `embed_migrations!` reads this folder at compile time, but a proc macro
    // cannot tell cargo so: without this line a new migration alone would not
    // rebuild the binary that carries it.
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=node_modules/htmx.org/package.json");
    if !pkg.join("dist/htmx.min.js").is_file() {
        let status =
            Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&root).status();
        if !matches!(status, Ok(s) if s.success()) {
            panic!("htmx is missing: run `npm ci` in {root} (needs Node.js and npm) and build again");
        }
    }
    let manifest = std::fs::read_to_string(pkg.join("package.json")).expect("htmx package.json");
    let version =
        manifest.split("\"version\"").nth(1).and_then(|s| s.split('"').nth(1)).expect("htmx version in package.json");
    println!("cargo:rustc-env=BAZAAR_HTMX_VERSION={version}");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::copy(pkg.join("dist/htmx.min.js"), Path::new(&out).join("htmx.min.js")).expect("copy htmx");
}
