//! Snapshot tests of the CloudFormation/SAM extractor over `testdata/cloudformation/`.
//!
//! Every document found, with its origin, kind, attachments and notes, the normalised policy,
//! the source text of every leaf value (so an off-by-one span shows), and the findings of all
//! rules.

use crate::support::documents::render;
use std::path::Path;

/// One snapshot per template, beside it in `testdata/cloudformation/snapshots/`.
#[test]
fn templates() {
    let dir = crate::support::root().join("testdata/cloudformation");
    let mut templates: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.is_file()
                && path.extension().is_some_and(|ext| {
                    ["yaml", "yml", "json", "template"]
                        .iter()
                        .any(|e| ext == *e)
                })
        })
        .collect();
    templates.sort();
    assert!(templates.len() >= 11);
    for path in &templates {
        crate::support::assert_snapshot_beside!(path, &render(path));
    }
    crate::support::assert_no_stale_snapshots(&dir, &templates);
}

/// Truncations and single-character insertions of every template never panic the extractor.
#[test]
fn mutated_templates_never_panic() {
    use iamlint::base::source::{FileId, SourceFile};
    use iamlint::extract::{Intent, cloudformation};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cloudformation");
    let mut runs = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue; // snapshots/
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(index, _)| index)
            .step_by((text.len() / 40).max(1))
            .collect();
        for &at in &boundaries {
            let mut variants = vec![text[..at].to_string()];
            for inserted in [
                "{", "[", "'", "\"", "!", "&a ", "*a", "|", "\n", "\\", "${", "- ",
            ] {
                variants.push(format!("{}{inserted}{}", &text[..at], &text[at..]));
            }
            for variant in variants {
                let source = SourceFile::new(path.clone(), variant);
                let _ = cloudformation::extract(FileId(0), &source, Intent::Explicit);
                runs += 1;
            }
        }
    }
    assert!(runs > 1000);
}
