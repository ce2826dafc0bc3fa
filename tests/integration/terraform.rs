//! Snapshot tests of the Terraform extractor over `testdata/terraform/`: each directory is a
//! module, and every document it writes is shown with its origin, kind, attachments, notes,
//! the source text of every leaf (so an off-by-one span shows) and the findings of all rules,
//! in `testdata/terraform/snapshots/<module>.snap`.

use crate::support::documents::render;
use std::path::Path;

#[test]
fn modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform");
    let mut modules: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        // `values/` holds modules of its own (`terraform_values.rs`).
        .filter(|path| path.is_dir() && !path.ends_with("snapshots") && !path.ends_with("values"))
        .collect();
    modules.sort();
    assert!(modules.len() >= 8);
    for module in &modules {
        crate::support::assert_snapshot_beside!(module, &render(module));
    }
    crate::support::assert_no_stale_snapshots(&root, &modules);
}
