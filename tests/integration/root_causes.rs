//! One finding per root cause: with the default rule set, no two findings of different
//! rules share a span anywhere in `testdata/` (fixtures, examples, templates, modules). A
//! rule that sees what a more specific one reports leaves it to that one, which names it.

use crate::support;
use iamlint::config::Config;
use iamlint::engine::{self, CheckOptions};
use iamlint::report::locate;
use std::collections::BTreeMap;

#[test]
fn no_two_findings_of_the_default_set_share_a_span() {
    let run = engine::run(&CheckOptions {
        paths: vec![support::root().join("testdata")],
        config: std::sync::Arc::new(Config::none()),
        // A suppression must not hide a second finding on the same span.
        no_suppressions: true,
        ..CheckOptions::default()
    });
    assert!(run.findings.len() > 100, "testdata gave too few findings");
    let mut by_span: BTreeMap<_, Vec<&str>> = BTreeMap::new();
    for finding in &run.findings {
        let at = locate(&run.sources, finding.primary);
        by_span
            .entry((at.path, at.start.line, at.start.column, finding.primary.end))
            .or_default()
            .push(finding.rule.as_str());
    }
    let shared: Vec<String> = by_span
        .into_iter()
        .filter(|(_, rules)| rules.len() > 1)
        .map(|((path, line, column, _), rules)| {
            format!("{path}:{line}:{column}: {}", rules.join(" + "))
        })
        .collect();
    assert!(
        shared.is_empty(),
        "findings of the default set share a span:\n{}",
        shared.join("\n")
    );
}
