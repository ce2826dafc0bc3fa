//! `limit-exceeded`: part of a file was not checked because a resource limit was reached.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;

declare_rule! {
    /// ## What it does
    /// Reports a file of which only a part was checked because it reached one of the limits
    /// that keep a run fast and its memory bounded: more policy documents than
    /// `[limits] max-documents-per-file` (default 50,000), or a CloudFormation
    /// `Fn::ForEach` that expands to more than 200,000 nodes. The documents before the limit
    /// are checked as usual; the finding points at the first one that was not.
    ///
    /// ## Why is this bad?
    /// A policy that was not checked can hide anything. No hand-written file comes near these
    /// limits; a generated one may, and then it is better split, or the limit raised in
    /// `iamlint.toml`.
    ///
    /// ## Example
    /// A generated Terraform file with 60,000 `aws_iam_policy` resources.
    ///
    /// ## Use instead
    /// ```toml
    /// # iamlint.toml
    /// [limits]
    /// max-documents-per-file = 100000
    /// ```
    ///
    /// ## References
    /// - [README: Limits](https://github.com/iamlint/iamlint#limits)
    pub struct LimitExceeded {
        category: Correctness,
        severity: Warning,
        confidence: High,
        summary: "Part of a file was not checked because a resource limit was reached",
    }
}

impl Rule for LimitExceeded {
    fn check(&self, _cx: &Context<'_>, _out: &mut Findings) {}
}
