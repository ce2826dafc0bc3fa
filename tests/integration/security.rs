//! The security rules over the code bases in `testdata/security/`, per document and per
//! principal: every finding snapshotted with its underlined text and related labels.

use crate::support;

const SECURITY_RULES: &[&str] = &[
    "passrole-unscoped",
    "wildcard-action",
    "permissions-management",
    "credentials-exposure",
    "resource-exposure",
    "data-exfiltration",
    "write-without-constraints",
    "privilege-escalation",
    "tag-condition-bypass",
    "trust-any-principal",
    "trust-oidc-unscoped",
    "trust-cross-account-without-external-id",
    "trust-account-root",
    "public-resource-policy",
    "resource-policy-wildcard-action",
    "confused-deputy",
];

/// One snapshot per code base (a directory: Terraform modules span files).
#[test]
fn code_bases() {
    let mut dirs: Vec<_> = std::fs::read_dir(support::root().join("testdata/security"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let run = support::check(&[dir], SECURITY_RULES);
        insta::assert_snapshot!(name, support::render(&run));
    }
}

/// CloudFormation logical ids belong to their template: two stacks' `BuildRole` are two roles.
#[test]
fn logical_ids_do_not_join_across_templates() {
    let run = support::check(
        &["testdata/security/separate-templates".into()],
        &["privilege-escalation"],
    );
    assert!(run.findings.is_empty(), "{}", support::render(&run));
    let merged = support::check(
        &["testdata/security/cloudformation/platform.yaml".into()],
        &["privilege-escalation"],
    );
    assert!(
        support::render(&merged).contains("across the policies of role `CiRole`"),
        "the same paths within one template are one role"
    );
}
