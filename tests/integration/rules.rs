//! Every rule against its fixtures in `testdata/rules/<rule-id>/`: `pass*` files must give
//! no finding of that rule, `fail*` files at least one, snapshotted with the underlined text
//! beside the fixture (`testdata/rules/<rule-id>/snapshots/<fixture>.snap`).
//!
//! One test per rule, named after it: `cargo test wildcard_resource` runs the fixtures of
//! `wildcard-resource` (`rules::wildcard_resource`) and the examples of its documentation
//! (`rules::doc_examples::wildcard_resource`, see `rule_docs.rs`).

use crate::support;

use std::path::{Path, PathBuf};

/// The fixtures of `rule` whose file name starts with `prefix`, in order.
fn fixtures(rule: &str, prefix: &str) -> Vec<PathBuf> {
    let dir = support::root().join("testdata/rules").join(rule);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("testdata/rules/{rule}/ is missing"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.is_file()
                && path
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.starts_with(prefix))
        })
        .collect();
    paths.sort();
    paths
}

fn run_fixture(rule: &str, path: &Path) -> String {
    // Run every rule, as a default run does, and keep this one's findings: a suppression is
    // judged unused only when its rule ran, and `wildcard-resource` leaves out what the other
    // security rules report.
    let mut run = support::check(&[path.to_path_buf()], &[]);
    run.findings.retain(|finding| finding.rule.as_str() == rule);
    support::render(&run)
}

/// The `fail*` fixtures of `rule` must fire (and match their snapshots), its `pass*`
/// fixtures must stay quiet.
fn check_fixtures(rule: &str) {
    assert!(
        iamlint::rules::find(rule).is_some(),
        "testdata/rules/{rule} does not name a rule"
    );
    let fail = fixtures(rule, "fail");
    assert!(
        !fail.is_empty(),
        "testdata/rules/{rule}/ has no fail* fixture"
    );
    for path in &fail {
        let rendered = run_fixture(rule, path);
        assert!(
            rendered.contains(&format!("[{rule}]")),
            "{} gave no finding of its rule:\n{rendered}",
            path.display()
        );
        support::assert_snapshot_beside!(path, &rendered);
    }
    let pass = fixtures(rule, "pass");
    assert!(
        !pass.is_empty(),
        "testdata/rules/{rule}/ has no pass* fixture"
    );
    for path in &pass {
        let rendered = run_fixture(rule, path);
        assert!(
            rendered.is_empty(),
            "{} should give no finding:\n{rendered}",
            path.display()
        );
    }
}

/// One test of the fixtures and one of the documentation's examples per rule, named after
/// the rule id in snake case, and `NAMED`, the ids they cover.
macro_rules! rule_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_fixtures(&stringify!($name).replace('_', "-"));
            }
        )*

        mod doc_examples {
            $(
                #[test]
                fn $name() {
                    crate::rule_docs::check_examples(&stringify!($name).replace('_', "-"));
                }
            )*
        }

        const NAMED: &[&str] = &[$(stringify!($name)),*];
    };
}

rule_tests! {
    action_pattern_matches_nothing,
    admin_access,
    allow_with_not_action,
    allow_with_not_principal,
    allow_with_not_resource,
    broad_managed_policy,
    condition_type_mismatch,
    condition_value_type,
    confused_deputy,
    credentials_exposure,
    data_exfiltration,
    duplicate_sid,
    forbidden_action,
    invalid_arn,
    invalid_service_principal,
    invalid_sid,
    invalid_suppression,
    invalid_version,
    limit_exceeded,
    malformed_policy,
    mfa_present_false,
    missing_version,
    multivalued_key_without_set_operator,
    parse_error,
    passrole_unscoped,
    permissions_management,
    policy_too_large,
    policy_variable_needs_version,
    privilege_escalation,
    public_resource_policy,
    redundant_action,
    resource_exposure,
    resource_policy_wildcard_action,
    resource_type_mismatch,
    s3_cross_account_object_access,
    set_operator_on_single_valued_key,
    statement_never_applies,
    tag_condition_bypass,
    trust_account_root,
    trust_any_principal,
    trust_cross_account_without_external_id,
    trust_oidc_unscoped,
    unknown_action,
    unknown_condition_key,
    unknown_condition_operator,
    unknown_policy_element,
    unknown_rule_in_suppression,
    unknown_service,
    unread_file,
    unused_suppression,
    wildcard_action,
    wildcard_resource,
    write_without_constraints,
}

/// A new rule needs its line in `rule_tests!` (and a removed one loses it).
#[test]
fn every_rule_has_a_named_test() {
    let mut named: Vec<String> = NAMED.iter().map(|name| name.replace('_', "-")).collect();
    named.sort();
    let mut ids: Vec<String> = iamlint::base::rule_id::RuleId::names()
        .map(str::to_string)
        .collect();
    ids.sort();
    assert_eq!(
        named, ids,
        "rule_tests! in tests/integration/rules.rs lists other rules than iamlint::base::rule_id::RuleId::names()"
    );
}

#[test]
fn every_rule_has_fail_and_pass_fixtures() {
    let dir = support::root().join("testdata/rules");
    for id in iamlint::base::rule_id::RuleId::names() {
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

/// Every snapshot beside the fixtures belongs to a `fail*` fixture: none is left behind
/// by a renamed or removed fixture.
#[test]
fn no_stale_fixture_snapshots() {
    let dir = support::root().join("testdata/rules");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let snapshots = entry.unwrap().path().join("snapshots");
        let Ok(files) = std::fs::read_dir(&snapshots) else {
            continue;
        };
        for file in files {
            let name = file.unwrap().file_name().into_string().unwrap();
            let fixture = name
                .strip_suffix(".snap")
                .map(|f| snapshots.parent().unwrap().join(f));
            assert!(
                name.starts_with("fail") && fixture.is_some_and(|f| f.is_file()),
                "{}/{name} is not the snapshot of a fail* fixture",
                snapshots.display()
            );
        }
    }
}
