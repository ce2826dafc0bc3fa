//! Snapshot tests of the Terraform extractor over `testdata/terraform/`: each directory is a
//! module, and every document it writes is shown with its origin, kind, attachments, notes,
//! the source text of every leaf (so an off-by-one span shows) and the findings of all rules.

use crate::support::documents::render;
use std::path::Path;

#[test]
fn modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform");
    let mut modules: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    modules.sort();
    assert!(modules.len() >= 8);
    for module in modules {
        let name = module.file_name().unwrap().to_string_lossy().into_owned();
        let input = format!("testdata/terraform/{name}");
        insta::with_settings!({snapshot_suffix => name, input_file => input, omit_expression => true}, {
            insta::assert_snapshot!("modules", render(&module));
        });
    }
}
