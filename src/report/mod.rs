//! Reporters: the only code that prints. Byte offsets become lines and columns here.

mod compact;
pub mod diff;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;

pub use crate::base::finding::fingerprint;
use crate::base::finding::{Finding, Severity};
use crate::base::source::Span;
pub use crate::base::source::{Location, display_path, locate, locate_position};
pub use crate::base::text::printable;
use crate::engine::RunOutput;
use std::collections::HashMap;
use std::path::Path;

pub use human::{HumanOptions, summary as summary_line};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Rich diagnostics with source snippets.
    Human,
    /// `path:line:col: severity[rule-id] message`, one per line.
    Compact,
    /// Versioned JSON (see README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality JSON, for `artifacts:reports:codequality`.
    Gitlab,
    /// JUnit XML, for Jenkins, Azure DevOps, CircleCI and GitLab test reports.
    Junit,
}

/// `path:line:col: severity[rule-id] message`: the compact format's line, also the fallback
/// of the human format. Path and message are `printable`: one finding, one line.
pub fn compact_line(finding: &Finding, location: &Location) -> String {
    let mut line = String::new();
    let _ = write_compact_line(
        &mut line,
        finding,
        &printable(&location.path),
        location.start,
    );
    line
}

/// [`compact_line`] written to `out`, the path already `printable`.
fn write_compact_line(
    out: &mut impl std::fmt::Write,
    finding: &Finding,
    path: &str,
    start: crate::base::source::LineCol,
) -> std::fmt::Result {
    write!(
        out,
        "{path}:{}:{}: {}[{}] {}",
        start.line,
        start.column,
        finding.severity.as_str(),
        finding.rule,
        printable(&finding.message)
    )
}

/// Pretty JSON as serde writes it, except that the characters JSON allows raw but
/// `printable` would escape (DEL, C1 controls, bidirectional overrides, line separators) are
/// written `\uXXXX`: the same value to a parser, and nothing a terminal or log viewer showing
/// the file obeys. They can only be inside strings (JSON's own syntax is ASCII), and serde
/// already escapes the C0 controls.
fn write_json(value: &impl serde::Serialize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let raw = |c: char| c != '\n' && crate::base::text::is_unsafe_char(c);
    let text = serde_json::to_string_pretty(value)?;
    if !text.chars().any(raw) {
        return writeln!(out, "{text}");
    }
    let mut escaped = String::with_capacity(text.len() + 64);
    for c in text.chars() {
        if raw(c) {
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    writeln!(out, "{escaped}")
}

/// A path as the CI formats write it: relative to the repository root (`--root`, else the
/// git top level of the first checked path) whatever the working directory, so that the CI
/// finds the file in its checkout; as the run shows it when outside the repository.
fn repository_path(run: &RunOutput, path: &Path) -> String {
    run.roots
        .repository_relative(path)
        .unwrap_or_else(|| display_path(path))
}

/// [`locate`] with the path relative to the repository root ([`repository_path`]): what the
/// CI formats print and fingerprint, so a fingerprint does not change with the directory
/// iamlint ran in (from the root, it is the baseline's fingerprint).
fn locate_in_repository(run: &RunOutput, span: Span) -> Location {
    Location {
        path: repository_path(run, run.sources.get(span.file).path()),
        ..locate(&run.sources, span)
    }
}

/// Fingerprints unique per finding: the baseline's fingerprint (`fingerprint`) and `:n`, the
/// occurrence among the findings with that fingerprint in output order, so the same text
/// reported twice in a file (one action written in two statements) is two issues, not one
/// that the CI merges. SARIF's `partialFingerprints` and GitLab's `fingerprint`.
#[derive(Default)]
struct Occurrences(HashMap<String, usize>);

impl Occurrences {
    fn fingerprint(&mut self, finding: &Finding, location: &Location) -> String {
        let fingerprint = fingerprint(finding, location);
        let occurrence = self.0.entry(fingerprint.clone()).or_default();
        *occurrence += 1;
        format!("{fingerprint}:{occurrence}")
    }
}

/// Counts of findings by severity, for the summary line and exit codes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Self {
        let mut counts = Counts::default();
        for finding in findings {
            match finding.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Info => counts.info += 1,
            }
        }
        counts
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.info
    }
}

/// Writes the run in the chosen format.
pub fn write(
    format: Format,
    run: &RunOutput,
    human: &HumanOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::write(run, human, out),
        Format::Compact => compact::write(run, human.show_suppressed, out),
        Format::Json => json::write(run, human.show_suppressed, out),
        Format::Sarif => sarif::write(run, human.show_suppressed, out),
        Format::Github => github::write(run, out),
        Format::Gitlab => gitlab::write(run, out),
        Format::Junit => junit::write(run, human.show_suppressed, out),
    }
}
