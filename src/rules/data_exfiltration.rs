//! `data-exfiltration`: an action that reads stored data or secrets is allowed on every resource.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::sensitive::Kind;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement that grants an action reading stored data or secrets
    /// (`s3:GetObject`, `secretsmanager:GetSecretValue`, `ssm:GetParameter*`, `kms:Decrypt`,
    /// `dynamodb:Scan`...) on every resource. The list lives in
    /// `rules/data/sensitive_actions.json`; statements whose conditions limit them are left alone.
    ///
    /// Entries that already say "everything" are left to the rule that reports them: `*` to
    /// `admin-access`, `s3:*` to `wildcard-action`, `NotAction` to `allow-with-not-action`.
    ///
    /// ## Why is this bad?
    /// Every bucket, secret and parameter of the account, now and in the future, becomes
    /// readable through this principal. A compromised workload then leaks far more than the
    /// data it works with.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
    ///    "Resource": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/db-*"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - [Cloudsplaining: data exfiltration](https://github.com/salesforce/cloudsplaining)
    pub struct DataExfiltration {
        category: Security,
        severity: Warning,
        confidence: High,
        group: LeastPrivilege,
        summary: "An action that reads stored data or secrets is allowed on every resource",
    }
}

impl Rule for DataExfiltration {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for entry in cx.broad_entries(Kind::DataExfiltration) {
            out.push(
                Self::META
                    .finding(entry.action_span, entry.message("reading data or secrets"))
                    .with_related(entry.resource_span, "on every resource")
                    .with_help("name the buckets, secrets, parameters or keys the workload reads")
                    .with_confidence(entry.confidence),
            );
        }
    }
}
