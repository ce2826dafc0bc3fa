//! Snapshot tests of whole repositories under `testdata/repositories/`, checked from their
//! root as CI does: child modules reached on their own and through the modules that call
//! them, suppressions inside child modules, templates found while walking. Each snapshot
//! (`testdata/repositories/snapshots/<repository>.snap`) holds every finding with its source
//! text and related locations.

use crate::support::{assert_no_stale_snapshots, assert_snapshot_beside, check, render};
use iamlint::base::finding::fingerprint;
use iamlint::report::locate;
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

/// A child module's finding that its callers give too is the module's own: it keeps the
/// fingerprint of the module checked alone, so a baseline written either way accepts it.
#[test]
fn a_child_module_finding_keeps_the_fingerprint_of_the_module_alone() {
    let repository = crate::support::root().join("testdata/repositories/module_callers");
    let fingerprints = |path: std::path::PathBuf| -> Vec<String> {
        let run = check(&[path], &["public-resource-policy"]);
        run.findings
            .iter()
            .map(|f| fingerprint(f, &locate(&run.sources, f.primary)))
            .collect()
    };
    let alone = fingerprints(repository.join("modules/bucket_policy"));
    assert_eq!(alone.len(), 1);
    assert_eq!(fingerprints(repository.join("examples/public")), alone);
    assert_eq!(fingerprints(repository), alone);
}
