//! Snapshot tests of whole repositories under `testdata/repositories/`, checked from their
//! root as CI does: child modules reached on their own and through the modules that call
//! them, suppressions inside child modules, templates found while walking. Each snapshot
//! (`testdata/repositories/snapshots/<repository>.snap`) holds every finding with its source
//! text and related locations.

use crate::support::{assert_no_stale_snapshots, assert_snapshot_beside, check, render};
use std::path::Path;

#[test]
fn repositories_checked_from_their_root() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/repositories");
    let mut repositories: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() && !path.ends_with("snapshots"))
        .collect();
    repositories.sort();
    for repository in &repositories {
        let run = check(std::slice::from_ref(repository), &[]);
        let rendered = render(&run);
        assert!(!rendered.contains(".."), "a path with `..`:\n{rendered}");
        assert_snapshot_beside!(repository, &rendered);
    }
    assert_no_stale_snapshots(&root, &repositories);
}
