//! The layers ARCHITECTURE.md draws, checked: every `crate::…` and `super::…`
//! path in `src/` may reach only its own layer or one below, so no area can
//! quietly import the router or an area above it and rebuild the import
//! circle. A file sits in the layer of its longest matching module path, so a
//! small file inside an area (the signed-in user, the cart count) can serve
//! the web context below the area's pages.

use std::path::{Path, PathBuf};

/// Module path prefix → layer. Lower layers never import higher ones.
const LAYERS: &[(&str, u8, &str)] = &[
    // 0: foundation. No pages, no application state.
    ("error", 0, "foundation"),
    ("text", 0, "foundation"),
    ("cache", 0, "foundation"),
    ("secrets", 0, "foundation"),
    ("schema", 0, "foundation"),
    ("db", 0, "foundation"),
    ("i18n", 0, "foundation"),
    ("invoices::jose", 0, "foundation"),
    // 1: the web context every page stands on.
    ("config", 1, "web context"),
    ("app", 1, "web context"),
    ("tenant", 1, "web context"),
    ("web", 1, "web context"),
    ("rbac", 1, "web context"),
    ("accounts::current_user", 1, "web context"),
    ("cart::session", 1, "web context"),
    ("catalog::cache", 1, "web context"),
    // The catalogue's queries, which that cache runs; they import only the foundation.
    ("catalog::models", 1, "web context"),
    ("media::store", 1, "web context"),
    ("jobs::queue", 1, "web context"),
    // 2: storefront areas.
    ("catalog", 2, "storefront"),
    ("accounts", 2, "storefront"),
    ("cart", 2, "storefront"),
    ("media", 2, "storefront"),
    ("payments::wallet", 2, "storefront"),
    // 3: commerce.
    ("orders", 3, "commerce"),
    ("payments", 3, "commerce"),
    ("invoices", 3, "commerce"),
    // 4: back-office.
    ("seller", 4, "back-office"),
    ("admin", 4, "back-office"),
    // 5: what joins the areas together.
    ("router", 5, "router"),
    ("jobs", 5, "router"),
    // 6: starting and running the program.
    ("server", 6, "boot"),
    ("ops", 6, "boot"),
    ("seed", 6, "boot"),
    ("demo_data", 6, "boot"),
    ("lib", 6, "boot"),
    ("main", 6, "boot"),
];

fn layer_of(module: &str) -> Option<(&'static str, u8, &'static str)> {
    LAYERS
        .iter()
        .filter(|(prefix, _, _)| module == *prefix || module.starts_with(&format!("{prefix}::")))
        .max_by_key(|(prefix, _, _)| prefix.len())
        .copied()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/accounts/current_user.rs` → `accounts::current_user`; `src/web/mod.rs` → `web`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The module paths a line names: `crate::a::b` and `super::c` (resolved).
fn paths_in(line: &str, module: &str, is_mod_rs: bool) -> Vec<String> {
    let ident = |s: &str| -> Vec<String> {
        s.split("::")
            .map_while(|seg| {
                let seg: String =
                    seg.chars().take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_').collect();
                (!seg.is_empty() && seg.chars().next().is_some_and(|c| !c.is_ascii_digit())).then_some(seg)
            })
            .collect()
    };
    let mut found = Vec::new();
    for (i, _) in line.match_indices("crate::") {
        let before = line[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `$crate::`
        }
        let segs = ident(&line[i + "crate::".len()..]);
        if !segs.is_empty() {
            found.push(segs.join("::"));
        }
    }
    for (i, _) in line.match_indices("super::") {
        if line[..i].ends_with("super::") || line[..i].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // counted from the first `super::` of a chain
        }
        let mut rest = &line[i..];
        let mut base: Vec<&str> = module.split("::").collect();
        if !is_mod_rs {
            base.pop(); // a file's `super` is its folder's module
        }
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            rest = r;
            ups += 1;
        }
        for _ in 1..ups {
            base.pop();
        }
        let segs = ident(rest);
        if !base.is_empty() && !segs.is_empty() {
            found.push(format!("{}::{}", base.join("::"), segs.join("::")));
        }
    }
    found
}

#[test]
fn no_file_imports_from_a_layer_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let shown = file.strip_prefix(src.parent().unwrap()).unwrap().display().to_string();
        let Some((_, own, own_name)) = layer_of(&module) else {
            wrong.push(format!("{shown}: module `{module}` is in no layer; add it to LAYERS and ARCHITECTURE.md"));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests at the end of a file may reach anywhere.
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
        let is_mod_rs = file.file_name().is_some_and(|n| n == "mod.rs");
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for target in paths_in(line, &module, is_mod_rs) {
                let Some((_, layer, name)) = layer_of(&target) else { continue };
                if layer > own {
                    wrong.push(format!(
                        "{shown}:{}: `{target}` ({name}, layer {layer}) is above this file ({own_name}, layer {own})",
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers:\n{}", wrong.join("\n"));
}

#[test]
fn every_layer_entry_names_a_module_that_exists() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (prefix, _, _) in LAYERS {
        let path = prefix.replace("::", "/");
        let exists = src.join(format!("{path}.rs")).exists() || src.join(&path).join("mod.rs").exists();
        assert!(exists, "LAYERS names `{prefix}`, which is no module in src/");
    }
}

#[test]
fn the_checker_sees_crate_and_super_paths() {
    assert_eq!(paths_in("use crate::orders::models::place;", "web", true), ["orders::models::place"]);
    assert_eq!(paths_in("use super::models::{self, X};", "accounts::handlers", false), ["accounts::models"]);
    assert_eq!(paths_in("use super::super::taxid;", "invoices::moodian::x", false), ["invoices::taxid"]);
    assert_eq!(layer_of("accounts::current_user").map(|l| l.1), Some(1));
    assert_eq!(layer_of("accounts::handlers").map(|l| l.1), Some(2));
    assert_eq!(layer_of("web::context").map(|l| l.1), Some(1));
}
