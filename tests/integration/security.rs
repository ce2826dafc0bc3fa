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

/// One snapshot per code base (a directory: Terraform modules span files), in
/// `testdata/security/snapshots/<code base>.snap`.
#[test]
fn code_bases() {
    let root = support::root().join("testdata/security");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir() && !path.ends_with("snapshots"))
        .collect();
    dirs.sort();
    for dir in &dirs {
        let run = support::check(std::slice::from_ref(dir), SECURITY_RULES);
        support::assert_snapshot_beside!(dir, &support::render(&run));
    }
    support::assert_no_stale_snapshots(&root, &dirs);
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
