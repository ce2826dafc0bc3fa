//! Snapshot tests of Terraform values as Terraform evaluates them, over
//! `testdata/terraform/values/`: each directory is a small module (with its callers) written
//! the way public modules write policies, and its snapshot shows every document with the
//! values evaluated and the findings of all rules.

use crate::support::documents::render;
use std::path::Path;

#[test]
fn evaluated_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/terraform/values");
    let mut modules: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() && !path.ends_with("snapshots"))
        .collect();
    modules.sort();
    assert!(modules.len() >= 7);
    for module in &modules {
        crate::support::assert_snapshot_beside!(module, &render(module));
    }
    crate::support::assert_no_stale_snapshots(&root, &modules);
}
