//! GitLab Code Quality: the JSON array of issues that `artifacts:reports:codequality` shows
//! in merge requests, a subset of the Code Climate issue format (which is why `type` and
//! `categories`, which GitLab ignores, are written too).

use super::{Occurrences, locate_in_repository, repository_path};
use crate::base::finding::{Category, Severity, hash_parts};
use crate::engine::RunOutput;
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<Content<'a>>,
    categories: [&'static str; 1],
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

/// The help, in Markdown: Code Climate shows it below the description; GitLab does not.
#[derive(Serialize)]
struct Content<'a> {
    body: &'a str,
}

#[derive(Serialize)]
struct IssueLocation {
    /// Relative to the repository root, as GitLab links it to the merge request's diff.
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// GitLab's five levels for iamlint's three: an error (AWS rejects the policy, or a grant
/// that is a security hole) is `critical`, a warning `major`, a note `info`. `blocker` and
/// `minor` are not used: nothing iamlint reports is worse than an error, and a warning fails
/// the build by default, which `minor` would understate.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

/// Code Climate's fixed category names.
fn category(category: Category) -> &'static str {
    match category {
        Category::Correctness => "Bug Risk",
        Category::Security => "Security",
        Category::Suggestion => "Clarity",
    }
}

/// The report, its issues made one at a time while they are written: a run with hundreds of
/// thousands of findings must not hold a second copy of them.
struct Report<'a>(&'a RunOutput);

impl Serialize for Report<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(issues(self.0))
    }
}

/// Suppressed findings are not written even with `--show-suppressed`: the format has no way
/// to mark an issue as accepted, and GitLab would count them as new problems.
pub(super) fn write(run: &RunOutput, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    super::write_json(&Report(run), out)
}

fn issues(run: &RunOutput) -> impl Iterator<Item = Issue<'_>> {
    let mut occurrences = Occurrences::default();
    let findings = run.findings.iter().map(move |finding| {
        let location = locate_in_repository(run, finding.primary);
        Issue {
            kind: "issue",
            check_name: finding.rule.as_str(),
            description: &finding.message,
            content: finding.help.as_deref().map(|body| Content { body }),
            categories: [category(finding.category)],
            fingerprint: occurrences.fingerprint(finding, &location),
            severity: severity(finding.severity),
            location: IssueLocation {
                lines: Lines {
                    begin: location.start.line,
                    end: location.end.line,
                },
                path: location.path,
            },
        }
    });
    // A file that could not be read is shown too: the run failed on it.
    let errors = run.errors.iter().map(move |error| {
        let path = repository_path(run, Path::new(&error.path));
        Issue {
            kind: "issue",
            check_name: "io-error",
            description: &error.message,
            content: None,
            categories: [category(Category::Correctness)],
            fingerprint: hash_parts(&["io-error", &path, &error.message]),
            severity: severity(Severity::Error),
            location: IssueLocation {
                path,
                lines: Lines { begin: 1, end: 1 },
            },
        }
    });
    findings.chain(errors)
}
