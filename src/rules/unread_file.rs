//! `unread-file`: a file the checked code refers to was not read, so what it holds was not
//! checked.

use super::{Context, Rule, declare_rule};
use crate::base::finding::Findings;

declare_rule! {
    /// ## What it does
    /// Reports a file that the checked code refers to but that iamlint did not read: a
    /// Terraform `file()` or `templatefile()` argument, a local module's `source`, or a
    /// symlink found while walking. A file is read only when it resolves, after symlinks,
    /// inside the repository root (the nearest directory above the checked path that holds
    /// `.git`, else the checked path, or `--root DIR`) but not in a `.git` directory, is a
    /// regular file (not a FIFO, device or directory), is within the size limit and is UTF-8
    /// text. The finding names the file
    /// as the code writes it and never shows its content. A path with parts only known at
    /// deploy time (`var.x`) is not reported, and neither is a file that does not exist (a
    /// build step may write it before `terraform plan`).
    ///
    /// ## Why is this bad?
    /// The policy in that file is deployed but was not checked: a pull request could hide a
    /// broad policy behind a path outside the repository, a symlink or a FIFO. Reading such
    /// a file would also let a pull request make a CI gate read (and show) files of the
    /// machine it runs on, or hang it on a FIFO.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "p" {
    ///   policy = file("/etc/iam/policy.json")
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```hcl
    /// resource "aws_iam_policy" "p" {
    ///   policy = file("${path.module}/policy.json")
    /// }
    /// ```
    ///
    /// ## References
    /// - [README: What is read](https://github.com/iamlint/iamlint#what-is-read)
    /// - [Terraform: file()](https://developer.hashicorp.com/terraform/language/functions/file)
    pub struct UnreadFile {
        category: Correctness,
        severity: Warning,
        confidence: High,
        summary: "A file the code refers to was not read, so the policy it holds is not checked",
    }
}

impl Rule for UnreadFile {
    fn check(&self, _cx: &Context<'_>, _out: &mut Findings) {}
}
