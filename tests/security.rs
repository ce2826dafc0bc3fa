//! The security rules over the code bases in `testdata/security/`, per document and per
//! principal: every finding snapshotted with its underlined text and related labels.

mod support;

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
];

/// One snapshot per code base (a directory: Terraform modules span files).
#[test]
fn code_bases() {
    std::env::set_current_dir(support::root()).unwrap();
    let mut dirs: Vec<_> = std::fs::read_dir("testdata/security")
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
