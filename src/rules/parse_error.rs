//! `parse-error`: a file that should hold a policy cannot be read as one.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;

declare_rule! {
    /// ## What it does
    /// Reports a file that iamlint was asked to check, or that looks like a policy, but that
    /// cannot be parsed: invalid JSON, YAML or HCL, invalid UTF-8, nesting deeper than any
    /// policy needs, or no policy at all in a file named on the command line.
    ///
    /// ## Why is this bad?
    /// AWS rejects the document (or the whole template) at deploy time, and nothing else in
    /// the file can be checked until it parses.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",}]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]}
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy grammar](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html)
    pub struct ParseError {
        category: Correctness,
        severity: Error,
        confidence: High,
        summary: "The file cannot be parsed as a policy, template or Terraform module",
    }
}

impl Rule for ParseError {
    fn check(&self, _cx: &Context<'_>, _out: &mut Findings) {}
}
