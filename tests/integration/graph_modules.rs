//! The access graph of a Terraform module tree (`testdata/graph/modules/<case>/`: a root
//! module calling a local child in `modules/`): a chain that crosses the module call is found
//! from the caller (`fail_*`), its near misses stay quiet (`pass_*`), and a chain entirely
//! inside the child is reported once, by the child's own check (`once_*`).

use crate::support;
use std::path::PathBuf;

const DIR: &str = "testdata/graph/modules";

/// The messages of `rule`'s findings when the case's directory (the child's too) is checked.
fn messages(case: &str, rule: &str) -> Vec<String> {
    support::check(&[PathBuf::from(DIR).join(case)], &[])
        .findings
        .into_iter()
        .filter(|finding| finding.rule.as_str() == rule)
        .map(|finding| finding.message.to_string())
        .collect()
}

fn cases(prefix: &str) -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(support::root().join(DIR))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(prefix))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no {prefix}* case");
    cases
}

#[test]
fn a_chain_across_a_module_call_is_found_from_the_caller() {
    for case in cases("fail_") {
        let found = messages(&case, "privilege-escalation");
        assert!(
            found.len() == 1
                && found[0].starts_with("user `ci` can become admin")
                && found[0].contains("role `admin` in module `roles`"),
            "{case}: {found:?}"
        );
    }
}

#[test]
fn near_misses_across_a_module_call_stay_quiet() {
    for case in cases("pass_") {
        let found = messages(&case, "privilege-escalation");
        assert!(found.is_empty(), "{case}: {found:?}");
    }
}

#[test]
fn a_chain_inside_the_child_is_reported_once_under_the_childs_names() {
    let found = messages("once_chain_inside_child", "privilege-escalation");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("user `deployer` can become admin: iam:PassRole on role `admin` +")
    );
}

#[test]
fn a_childs_managed_policy_is_reported_once() {
    // Written in the child: the child's finding. Passed in by the caller: the caller's.
    for (case, expected) in [
        (
            "fail_passrole_module_output",
            "role `admin` has AWS managed policy",
        ),
        (
            "fail_attachment_aws_managed_from_caller",
            "role `admin` in module `roles` has AWS managed policy",
        ),
    ] {
        let found = messages(case, "broad-managed-policy");
        assert!(
            found.len() == 1 && found[0].starts_with(expected),
            "{case}: {found:?}"
        );
    }
}

#[test]
fn paths_names_what_a_child_declares_under_its_call() {
    let output = support::iamlint()
        .args(["paths", &format!("{DIR}/fail_passrole_module_output")])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(
            "user `ci`\n  reaches role `admin` in module `roles` (is an administrator (AWS managed \
             policy `AdministratorAccess`))"
        ),
        "{stdout}"
    );
}
