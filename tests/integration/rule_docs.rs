//! The rule reference in the top-level `rules/` directory is generated from the rules' doc
//! comments; this test fails when it is stale. `IAMLINT_UPDATE_DOCS=1 cargo test` rewrites it.

use iamlint::rules::{self, RULES};
use std::path::Path;

#[test]
fn rule_reference_is_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let update = std::env::var_os("IAMLINT_UPDATE_DOCS").is_some();
    let mut expected = vec![("README.md".to_string(), rules::reference_index())];
    for rule in RULES {
        let meta = rule.meta();
        expected.push((format!("{}.md", meta.id), rules::reference_page(meta)));
    }
    let mut stale = Vec::new();
    for (name, content) in &expected {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(name.clone());
            }
        }
    }
    // Pages of rules that no longer exist are stale too (data files like *.toml are kept).
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().into_string().unwrap_or_default();
        if name.ends_with(".md") && !expected.iter().any(|(known, _)| *known == name) {
            if update {
                std::fs::remove_file(entry.path()).unwrap();
            } else {
                stale.push(name);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "rules/ is stale ({}); run `IAMLINT_UPDATE_DOCS=1 cargo test --test rule_docs`",
        stale.join(", ")
    );
}
