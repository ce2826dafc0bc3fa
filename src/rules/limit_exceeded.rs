//! `limit-exceeded`: part of a file was not checked because a resource limit was reached.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;
use crate::policy::MAX_STATEMENTS;

declare_rule! {
    /// ## What it does
    /// Reports a file of which only a part, or nothing, was checked, or a run of which only a
    /// part of the findings is reported, because it reached one of the limits that keep a
    /// run fast and its memory bounded:
    /// - a file found by walking that is larger than `--max-file-size` (default 16 MiB): the
    ///   finding is at the file, which is not read;
    /// - a policy document with more than 10,000 statements (no policy AWS accepts comes
    ///   close: the largest may be 32 KB): the first 10,000 are checked, and the finding
    ///   points at the first one that was not;
    /// - more policy documents than `[limits] max-documents-per-file` (default 50,000): the
    ///   documents before the limit are checked as usual; the finding points at the first
    ///   one that was not;
    /// - a CloudFormation `Fn::ForEach` that expands to more than 200,000 nodes or nests
    ///   more than 8 loops deep: the finding points at the loop;
    /// - a Terraform reference not followed because references nest more than 16 deep or one
    ///   document follows more than 20,000 of them: the value stays unknown, never `*`, and
    ///   the finding is at the reference;
    /// - more findings in one file than `max-findings-kept-per-file` (default 10,000), or in
    ///   the whole run than `max-findings-kept-per-run` (default 100,000): the most severe
    ///   are kept (then the first in the file), and the finding, at the top of the file,
    ///   says how many were left out.
    ///
    /// ## Why is this bad?
    /// A policy that was not checked, or a finding that was not reported, can hide anything.
    /// No hand-written file comes near these limits; a generated one may, and then it is
    /// better split, or the limit raised in `iamlint.toml`. A file with 10,000 findings is
    /// more often a hostile one, made to exhaust the memory of a CI runner.
    ///
    /// ## Example
    /// A generated Terraform file with 60,000 `aws_iam_policy` resources.
    ///
    /// ## Use instead
    /// ```toml
    /// # iamlint.toml
    /// [limits]
    /// max-documents-per-file = 100000
    /// max-findings-kept-per-file = 50000
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
    /// The other limits are reached before a document is parsed, and reported where.
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        if let Some((left_out, first)) = cx.policy.statements_left_out {
            out.push(
                Self::META
                    .finding(
                        first,
                        format!(
                            "this policy holds {} statements, more than the {MAX_STATEMENTS} \
                             iamlint checks; the {left_out} from here on are not checked",
                            MAX_STATEMENTS + left_out
                        ),
                    )
                    .with_help(
                        "no policy AWS accepts is this large (32 KB at most): split it, or \
                         generate fewer statements",
                    ),
            );
        }
    }
}
