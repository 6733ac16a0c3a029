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

/// A capability is obtained one way (ADR 0056): only `access/authorized.rs`
/// asks the domain's `authorize`, so no page maps a refusal its own way or
/// probes a permission by hand.
#[test]
fn capabilities_are_obtained_only_through_the_access_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("access/authorized.rs"))
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            text.contains("authorize::<") || text.contains("authorize_privileged::<")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "asking authorize outside the access module: {offenders:?}"
    );
}

/// The handler modules of each area: those its route table names
/// (`cases::show`, `openid::flow::start`), as paths under `src/`
/// without `.rs` (`casework/cases`, `access/openid/flow`).
fn handler_modules(src: &Path) -> Vec<String> {
    let mut handlers = vec![];
    for entry in std::fs::read_dir(src).unwrap() {
        let area = entry.unwrap().path();
        let Ok(table) = std::fs::read_to_string(area.join("routes.rs")) else {
            continue;
        };
        let name = area.file_name().unwrap().to_str().unwrap().to_owned();
        for word in table.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')) {
            // `use super::openid::flow;` names the module from the table's own folder.
            let parts: Vec<&str> = word
                .split("::")
                .filter(|p| !p.is_empty())
                .skip_while(|p| *p == "super" || *p == "self")
                .collect();
            // The longest prefix of the path that names a file of the area.
            for end in (1..=parts.len()).rev() {
                let module = parts[..end].join("/");
                if module != "routes" && area.join(format!("{module}.rs")).is_file() {
                    let path = format!("{name}/{module}");
                    if !handlers.contains(&path) {
                        handlers.push(path);
                    }
                    break;
                }
            }
        }
    }
    handlers
}

/// The modules a source file names, as paths under `src/`: `crate::a::b`,
/// `super::b` (from the file's own folder), `super::super::b`, and the
/// names inside one level of braces (`use super::{a, b}`).
fn named_modules(file: &str, text: &str) -> Vec<String> {
    let folder: Vec<&str> = file.rsplit_once('/').map_or(vec![], |(f, _)| f.split('/').collect());
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut named = vec![];
    for root in ["crate::", "super::"] {
        for (at, _) in text.match_indices(root) {
            if at > 0 && (is_word(text.as_bytes()[at - 1]) || text[..at].ends_with("::")) {
                continue;
            }
            let mut base: Vec<&str> = if root == "crate::" { vec![] } else { folder.clone() };
            let mut path = &text[at + root.len()..];
            while let Some(p) = path.strip_prefix("super::") {
                base.pop();
                path = p;
            }
            let end = path
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(path.len());
            let head = path[..end].trim_end_matches(':');
            let paths: Vec<String> = if path[end..].starts_with('{') {
                let inner = path[end + 1..].split('}').next().unwrap_or_default();
                inner
                    .split(',')
                    .map(|name| format!("{head}::{}", name.trim()))
                    .collect()
            } else {
                vec![head.to_owned()]
            };
            for p in paths {
                let mut parts: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
                for part in p.split("::").filter(|p| !p.is_empty()) {
                    parts.push(part.to_owned());
                    named.push(parts.join("/"));
                }
            }
        }
    }
    named
}

/// No handler module imports another (issue 12): what two pages share lives
/// in the area's view modules or the crate's kernel, so a handler can change
/// without reaching into another's internals.
#[test]
fn no_handler_module_imports_another() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let handlers = handler_modules(&src);
    assert!(
        handlers.contains(&"casework/cases".to_owned()) && handlers.contains(&"access/openid/flow".to_owned()),
        "the route tables name the handler modules: {handlers:?}"
    );
    let mut offenders = vec![];
    for handler in &handlers {
        let text = std::fs::read_to_string(src.join(format!("{handler}.rs"))).unwrap();
        for named in named_modules(handler, &text) {
            if named != *handler && handlers.contains(&named) && !offenders.contains(&(handler.clone(), named.clone()))
            {
                offenders.push((handler.clone(), named));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "handler modules importing another: {offenders:#?}"
    );
}

#[test]
fn the_import_guard_reads_paths_the_ways_rust_writes_them() {
    let text =
        "use super::view::x;\nuse crate::intake::{referrals, triage::f};\nlet y = super::super::z::w(); notsuper::q";
    let named = named_modules("access/openid/flow", text);
    for expected in ["access/openid/view", "intake/referrals", "intake/triage", "access/z"] {
        assert!(named.contains(&expected.to_owned()), "{expected} in {named:?}");
    }
    assert!(!named.iter().any(|n| n.ends_with("/q")), "{named:?}");
}
