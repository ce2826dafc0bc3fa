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

#[test]
fn code_bases() {
    std::env::set_current_dir(support::root()).unwrap();
    insta::glob!("../testdata/security", "*", |path| {
        let relative = support::relative(path);
        let run = support::check(&[relative], SECURITY_RULES);
        insta::assert_snapshot!(support::render(&run));
    });
}
