//! Every rule against its fixtures in `testdata/rules/<rule-id>/`: `pass*` files must give
//! no finding of that rule, `fail*` files at least one, snapshotted with the underlined text.

use crate::support;

use std::path::{Path, PathBuf};

fn rule_of(path: &Path) -> String {
    path.parent()
        .and_then(|dir| dir.file_name())
        .and_then(|name| name.to_str())
        .expect("fixtures live in testdata/rules/<rule-id>/")
        .to_string()
}

fn run_fixture(path: &Path) -> String {
    let rule = rule_of(path);
    assert!(
        iamlint::rules::find(&rule).is_some(),
        "testdata/rules/{rule} does not name a rule"
    );
    // Run every rule, as a default run does, and keep this one's findings: a suppression is
    // judged unused only when its rule ran, and `wildcard-resource` leaves out what the other
    // security rules report.
    let mut run = support::check(&[path.to_path_buf()], &[]);
    run.findings.retain(|finding| finding.rule == rule);
    support::render(&run)
}

#[test]
fn fail_fixtures_fire() {
    insta::glob!("../../testdata/rules", "*/fail*", |path| {
        let rendered = run_fixture(path);
        assert!(
            rendered.contains(&format!("[{}]", rule_of(path))),
            "{} gave no finding of its rule:\n{rendered}",
            path.display()
        );
        insta::assert_snapshot!(rendered);
    });
}

#[test]
fn pass_fixtures_stay_quiet() {
    insta::glob!("../../testdata/rules", "*/pass*", |path| {
        let rendered = run_fixture(path);
        assert!(
            rendered.is_empty(),
            "{} should give no finding:\n{rendered}",
            path.display()
        );
    });
}

#[test]
fn every_rule_has_fail_and_pass_fixtures() {
    let dir = support::root().join("testdata/rules");
    for id in iamlint::rules::ids() {
        let rule_dir: PathBuf = dir.join(id);
        let names: Vec<String> = std::fs::read_dir(&rule_dir)
            .unwrap_or_else(|_| panic!("testdata/rules/{id}/ is missing"))
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("fail")),
            "testdata/rules/{id}/ has no fail* fixture"
        );
        assert!(
            names.iter().any(|n| n.starts_with("pass")),
            "testdata/rules/{id}/ has no pass* fixture"
        );
    }
}
