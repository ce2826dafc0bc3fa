//! Terminal diagnostics: miette's graphical report with a line-indexed source, so rendering
//! stays linear in the number of findings.

use super::{Counts, compact_line, display_path, locate};
use crate::base::finding::{Finding, Severity};
use crate::base::source::{SourceFile, SourceMap};
use crate::engine::RunOutput;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct HumanOptions {
    pub color: bool,
    /// Only the summary line is printed.
    pub quiet: bool,
    /// Terminal width; defaults to 100 columns when unknown.
    pub width: Option<usize>,
    /// Also list suppressed findings with their reasons (read by every format).
    pub show_suppressed: bool,
    /// Findings shown per file before a "N more" line; 0 shows all.
    pub max_findings_per_file: usize,
}

pub(super) fn write(
    run: &RunOutput,
    options: &HumanOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if !options.quiet {
        let theme = if options.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(options.width.unwrap_or(100))
            .with_links(false)
            .without_primary_span_start()
            .with_context_lines(1);
        let mut rendered = String::new();
        let limit = match options.max_findings_per_file {
            0 => usize::MAX,
            limit => limit,
        };
        // Findings are sorted by path, so one file's findings are consecutive.
        for file_findings in run
            .findings
            .chunk_by(|a, b| a.primary.file == b.primary.file)
        {
            for finding in file_findings.iter().take(limit) {
                rendered.clear();
                let diagnostic = FindingDiagnostic::new(&run.sources, finding);
                if handler.render_report(&mut rendered, &diagnostic).is_err() {
                    // A span miette cannot show still deserves its line.
                    let location = locate(&run.sources, finding.primary);
                    rendered = compact_line(finding, &location) + "\n";
                }
                out.write_all(rendered.as_bytes())?;
                writeln!(out)?;
            }
            if let Some(hidden) = file_findings.len().checked_sub(limit).filter(|&n| n > 0) {
                let path = display_path(run.sources.get(file_findings[0].primary.file).path());
                writeln!(
                    out,
                    "… {hidden} more finding{} in {path} not shown (--max-findings-per-file; \
                     --format compact lists every finding)\n",
                    if hidden == 1 { "" } else { "s" }
                )?;
            }
        }
        for error in &run.errors {
            writeln!(out, "error: {}: {}", error.path, error.message)?;
        }
        if options.show_suppressed {
            for suppressed in &run.suppressed {
                let location = locate(&run.sources, suppressed.finding.primary);
                writeln!(
                    out,
                    "suppressed ({}): {}\n  reason: {}",
                    suppressed.kind.as_str(),
                    compact_line(&suppressed.finding, &location),
                    suppressed.reason
                )?;
            }
            if !run.suppressed.is_empty() {
                writeln!(out)?;
            }
        }
    }
    writeln!(out, "{}", summary(run))
}

pub fn summary(run: &RunOutput) -> String {
    let counts = Counts::of(&run.findings);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if counts.error > 0 {
        parts.push(plural(counts.error, "error"));
    }
    if counts.warning > 0 {
        parts.push(plural(counts.warning, "warning"));
    }
    if counts.info > 0 {
        parts.push(format!("{} info", counts.info));
    }
    let found = if parts.is_empty() {
        "no findings".to_string()
    } else {
        format!("found {}", parts.join(", "))
    };
    let mut line = format!(
        "{found} ({} scanned, {} analyzed",
        plural(run.files_scanned, "file"),
        plural(run.documents_analyzed, "policy document"),
    );
    if !run.suppressed.is_empty() {
        line.push_str(&format!(", {} suppressed", run.suppressed.len()));
    }
    if run.baselined > 0 {
        line.push_str(&format!(", {} in the baseline", run.baselined));
    }
    if !run.errors.is_empty() {
        line.push_str(&format!(
            ", {}",
            plural(run.errors.len(), "unreadable path")
        ));
    }
    line.push(')');
    line
}

/// A file's text addressed through its line-start table instead of a scan from byte 0.
struct IndexedSource {
    file: Arc<SourceFile>,
    name: String,
}

impl SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.file.text();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let starts = self.file.line_starts();
        let line_of = |offset: usize| match starts.binary_search(&(offset as u32)) {
            Ok(index) => index,
            Err(index) => index - 1,
        };
        let first_line = line_of(start).saturating_sub(context_lines_before);
        let last_line =
            (line_of(end.saturating_sub(1).max(start)) + context_lines_after).min(starts.len() - 1);
        let data_start = if context_lines_before == 0 {
            start
        } else {
            starts[first_line] as usize
        };
        let data_end = starts
            .get(last_line + 1)
            .map_or(text.len(), |&next| next as usize);
        let column = if context_lines_before == 0 {
            start - starts[line_of(start)] as usize
        } else {
            0
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &text.as_bytes()[data_start..data_end],
            (data_start, data_end - data_start).into(),
            first_line,
            column,
            last_line - first_line + 1,
        )))
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: IndexedSource,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(sources: &SourceMap, finding: &'a Finding) -> Self {
        let file = sources.get(finding.primary.file);
        let location = locate(sources, finding.primary);
        let name = format!(
            "{}:{}:{}",
            location.path, location.start.line, location.start.column
        );
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            None,
            to_source_span(finding.primary),
        )];
        let mut related = Vec::new();
        for label in &finding.related {
            if label.span.file == finding.primary.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(label.message.clone()),
                    to_source_span(label.span),
                ));
            } else {
                let other = locate(sources, label.span);
                related.push(RelatedDiagnostic {
                    message: label.message.clone(),
                    source: IndexedSource {
                        file: sources.get(label.span.file),
                        name: format!("{}:{}:{}", other.path, other.start.line, other.start.column),
                    },
                    label: LabeledSpan::new_primary_with_span(None, to_source_span(label.span)),
                });
            }
        }
        FindingDiagnostic {
            finding,
            source: IndexedSource { file, name },
            labels,
            related,
        }
    }
}

fn to_source_span(span: crate::base::source::Span) -> SourceSpan {
    (span.start as usize, span.len()).into()
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}[{}]",
            self.finding.severity.as_str(),
            self.finding.rule
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let url = crate::rules::rule(self.finding.rule).meta().url();
        Some(Box::new(url) as Box<dyn fmt::Display>)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// A related location in another file, shown as a nested diagnostic.
struct RelatedDiagnostic {
    message: String,
    source: IndexedSource,
    label: LabeledSpan,
}

impl fmt::Debug for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedDiagnostic {}

impl Diagnostic for RelatedDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}
