//! `duplicate-sid`: two statements of one policy with the same `Sid`.

use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;

declare_rule! {
    /// ## What it does
    /// Reports a statement whose `Sid` another statement of the same policy already uses.
    ///
    /// ## Why is this bad?
    /// IAM requires statement ids to be unique within a policy and rejects the document.
    /// Where a service accepts it, the id no longer tells which statement a log line,
    /// an Access Analyzer finding or a Terraform `override_policy_documents` merge means.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},
    ///   {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::a"}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Sid": "ReadObjects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"},
    ///   {"Sid": "ListBucket", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::a"}]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Sid](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html)
    pub struct DuplicateSid {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "Two statements of one policy share a `Sid`",
    }
}

impl Rule for DuplicateSid {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let sids = cx
            .policy
            .statements
            .iter()
            .filter_map(|statement| statement.sid)
            .filter_map(|sid| Some((sid.as_str()?, sid)))
            // An empty `Sid` is no id at all: Terraform's `aws_iam_policy_document` long
            // rendered `"Sid": ""` for every statement without one, and IAM accepts that.
            .filter(|(text, _)| !text.is_empty());
        let mut first_use = FxHashMap::default();
        for (text, sid) in sids {
            let first = match first_use.entry(text) {
                Entry::Vacant(entry) => {
                    entry.insert(sid);
                    continue;
                }
                Entry::Occupied(entry) => *entry.get(),
            };
            out.push(
                Self::META
                    .finding(sid.span, format!("statement id `{text}` is already used"))
                    .with_related(first.span, "first used here")
                    .with_help("give every statement of a policy its own `Sid`"),
            );
        }
    }
}
