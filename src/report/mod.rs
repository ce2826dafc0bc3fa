//! Reporters: the only code that prints. Byte offsets become lines and columns here.

mod compact;
mod github;
mod human;
mod json;
mod sarif;

use crate::engine::RunOutput;
use crate::finding::{Finding, Severity};
use crate::source::{LineCol, SourceMap, Span};

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
}

/// A location ready to print: path, 1-based start and end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub start: LineCol,
    pub end: LineCol,
    /// The exact source text of the span, for fingerprints.
    pub snippet: String,
}

pub fn locate(sources: &SourceMap, span: Span) -> Location {
    let file = sources.get(span.file);
    Location {
        path: display_path(file.path()),
        start: file.line_col(span.start as usize),
        end: file.line_col(span.end as usize),
        snippet: file.snippet(span).to_string(),
    }
}

/// Paths as the user gave them, with `/` separators so output is the same on every OS.
pub fn display_path(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// `path:line:col: severity[rule-id] message`: the compact format's line, also the fallback
/// of the human format.
pub fn compact_line(finding: &Finding, location: &Location) -> String {
    format!(
        "{}:{}:{}: {}[{}] {}",
        location.path,
        location.start.line,
        location.start.column,
        finding.severity.as_str(),
        finding.rule,
        finding.message
    )
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
    }
}

/// A fingerprint of a finding that survives edits elsewhere in the file: the rule, where
/// the policy came from, and the text of the node, but no line numbers. FNV-1a, because the
/// value must be the same on every platform and in every release.
pub fn fingerprint(finding: &Finding, location: &Location) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let origin = finding.origin.as_deref().unwrap_or("");
    for part in [
        finding.rule,
        &location.path,
        origin,
        &finding.message,
        &location.snippet,
    ] {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
