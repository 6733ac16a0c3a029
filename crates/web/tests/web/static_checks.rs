//! Checks on the source itself.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
            out.push(path);
        }
    }
}

/// Routes are added only through the route table, where each declares its
/// access: a `.route(` anywhere else would bypass the deny-by-default guard.
#[test]
fn routes_are_added_only_through_the_table() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "rs")) {
        let text = std::fs::read_to_string(file).unwrap();
        let is_table = file.ends_with("routes.rs");
        for needle in [".route(", ".nest(", ".merge(", ".route_service(", ".nest_service("] {
            let count = text.matches(needle).count();
            let allowed = usize::from(is_table && needle == ".route(");
            assert!(
                count <= allowed,
                "{} uses {needle} outside the route table",
                file.display()
            );
        }
    }
}

/// Every translation key used in a template or handler exists in French and English.
#[test]
fn every_message_key_is_translated() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let locale = |lang: &str| -> String {
        let mut all = String::new();
        for entry in std::fs::read_dir(root.join("locales").join(lang)).unwrap() {
            all.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
            all.push('\n');
        }
        all
    };
    let fr = locale("fr");
    let en = locale("en");
    let mut files = vec![];
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("templates"), &mut files);
    let mut missing = vec![];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for call in [".t(\"", ".t1(\"", ".tn(\""] {
            for piece in text.split(call).skip(1) {
                let key = piece.split('"').next().unwrap();
                let defined = |ftl: &str| ftl.lines().any(|l| l.starts_with(&format!("{key} =")));
                if !defined(&fr) || !defined(&en) {
                    missing.push(format!("{key} ({})", file.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "untranslated keys: {missing:?}");
}
