//! Reporters: the only code that prints. Byte offsets become lines and columns here.

mod compact;
mod github;
mod human;
mod json;
mod sarif;

pub use crate::base::finding::fingerprint;
use crate::base::finding::{Finding, Severity};
pub use crate::base::source::{Location, display_path, locate, locate_position};
pub use crate::base::text::printable;
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
/// of the human format. Path and message are `printable`: one finding, one line.
pub fn compact_line(finding: &Finding, location: &Location) -> String {
    format!(
        "{}:{}:{}: {}[{}] {}",
        printable(&location.path),
        location.start.line,
        location.start.column,
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
