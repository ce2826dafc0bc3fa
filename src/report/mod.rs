//! Reporters: the only code that prints. Byte offsets become lines and columns here.

mod compact;
mod github;
mod human;
mod json;
mod sarif;

pub use crate::base::finding::fingerprint;
use crate::base::finding::{Finding, Severity};
pub use crate::base::source::{Location, display_path, locate};
use crate::engine::RunOutput;

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
