//! Terminal diagnostics: miette's graphical report over a small excerpt of each file (the
//! lines a finding points at, cut if long), so rendering stays linear in the number of
//! findings and bounded per finding. Everything from the repository passes `printable`.

use super::{Counts, compact_line, display_path, locate_position};
use crate::base::finding::{Confidence, Finding, Label, Severity};
use crate::base::source::{SourceFile, SourceMap, Span};
use crate::base::text::{printable, printable_same_length};
use crate::engine::RunOutput;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

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
                    let location = locate_position(&run.sources, finding.primary);
                    rendered = compact_line(finding, &location) + "\n";
                }
                out.write_all(rendered.as_bytes())?;
                writeln!(out)?;
            }
            if let Some(hidden) = file_findings.len().checked_sub(limit).filter(|&n| n > 0) {
                let path = display_path(run.sources.get(file_findings[0].primary.file).path());
                let path = printable(&path);
                writeln!(
                    out,
                    "… {hidden} more finding{} in {path} not shown (--max-findings-per-file; \
                     --format compact lists every finding)\n",
                    if hidden == 1 { "" } else { "s" }
                )?;
            }
        }
        for error in &run.errors {
            writeln!(
                out,
                "error: {}: {}",
                printable(&error.path),
                printable(&error.message)
            )?;
        }
        if options.show_suppressed {
            for suppressed in &run.suppressed {
                let location = locate_position(&run.sources, suppressed.finding.primary);
                writeln!(
                    out,
                    "suppressed ({}): {}\n  reason: {}",
                    suppressed.kind.as_str(),
                    compact_line(&suppressed.finding, &location),
                    printable(&suppressed.reason)
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

/// Lines longer than this many bytes are shown as a window of about this size around the
/// spans on them, with `…` for what is left out: a minified policy or a 10 MB heredoc on
/// one line must not print the whole line for each of its findings.
const MAX_SHOWN_LINE_BYTES: usize = 240;
/// Bytes shown before a span's start when its line is cut.
const SHOWN_BEFORE_SPAN_BYTES: usize = 80;
/// Lines of one span shown at most; a longer span is shown from its start.
const MAX_SHOWN_SPAN_LINES: usize = 50;
const ELLIPSIS: &str = "…";

/// What miette shows of one file for one finding: the lines its spans are on and one line of
/// context around them, each cut to a window if long, with unsafe characters replaced by
/// characters of the same length (`printable_same_length`). Offsets in it are its own; the
/// labels are remapped into it with [`Excerpt::map`]. Lines keep their real numbers, so
/// the gutter is right and miette joins only contexts whose real lines touch.
struct Excerpt {
    name: String,
    /// The header of a snippet that shows a label at this offset of `text`: the label's own
    /// `path:line:column`. miette heads each snippet with the name `read_span` gives for its
    /// primary label, else its first; `name` is the fallback.
    names: Vec<(usize, String)>,
    text: String,
    lines: Vec<ShownLine>,
    /// A span past the end of the file (one whose text was released): miette fails, and
    /// the finding falls back to its compact line.
    out_of_bounds: bool,
}

struct ShownLine {
    /// 0-based line number in the file.
    line: usize,
    /// Byte range of the line in `Excerpt::text`, ellipses included, newline excluded.
    start: usize,
    end: usize,
    /// Byte range of the file shown, and where it starts in `Excerpt::text`.
    source_start: usize,
    source_end: usize,
    shown_start: usize,
}

impl Excerpt {
    /// The excerpt of `file` that shows `spans` (all in this file); the remapped spans are
    /// in the same order.
    fn new(file: &SourceFile, name: String, spans: &[Span]) -> (Excerpt, Vec<SourceSpan>) {
        let text = file.text();
        let starts = file.line_starts();
        let line_of = |offset: usize| match starts.binary_search(&(offset as u32)) {
            Ok(index) => index,
            Err(index) => index - 1,
        };
        let last_line = starts.len() - 1;
        let out_of_bounds = spans.iter().any(|span| span.end as usize > text.len());
        // Each span as a byte range on character boundaries, cut to its first lines, with
        // the first and last line it is on.
        let ranges: Vec<(usize, usize, usize, usize)> = spans
            .iter()
            .map(|span| {
                let start = file.floor_char_boundary(span.start as usize);
                let mut end = file.floor_char_boundary(span.end as usize).max(start);
                let first = line_of(start);
                let mut last = if end > start { line_of(end - 1) } else { first };
                if last - first >= MAX_SHOWN_SPAN_LINES {
                    last = first + MAX_SHOWN_SPAN_LINES - 1;
                    end = file.line_range(last + 1).end;
                }
                (start, end, first, last)
            })
            .collect();
        let mut shown: Vec<usize> = ranges
            .iter()
            .flat_map(|&(_, _, first, last)| first.saturating_sub(1)..=(last + 1).min(last_line))
            .collect();
        shown.sort_unstable();
        shown.dedup();
        let mut excerpt = Excerpt {
            name,
            names: Vec::new(),
            text: String::new(),
            lines: Vec::with_capacity(shown.len()),
            out_of_bounds,
        };
        for line in shown {
            let range = file.line_range(line + 1);
            // A cut line is shown from a little before the primary span (the first of
            // `spans`) if it starts on the line, else before the first span that does.
            let starts_here =
                |&&(start, ..): &&(usize, usize, usize, usize)| range.contains(&start);
            let anchor = ranges
                .iter()
                .take(1)
                .find(starts_here)
                .or_else(|| ranges.iter().filter(starts_here).min())
                .map_or(range.start, |&(start, ..)| start);
            let (source_start, source_end) = if range.len() <= MAX_SHOWN_LINE_BYTES {
                (range.start, range.end)
            } else {
                let start = file.floor_char_boundary(
                    anchor
                        .saturating_sub(SHOWN_BEFORE_SPAN_BYTES)
                        .max(range.start),
                );
                let end = file.floor_char_boundary((start + MAX_SHOWN_LINE_BYTES).min(range.end));
                (start, end)
            };
            if !excerpt.lines.is_empty() {
                excerpt.text.push('\n');
            }
            let start = excerpt.text.len();
            if source_start > range.start {
                excerpt.text.push_str(ELLIPSIS);
            }
            let shown_start = excerpt.text.len();
            excerpt
                .text
                .push_str(&printable_same_length(&text[source_start..source_end]));
            if source_end < range.end {
                excerpt.text.push_str(ELLIPSIS);
            }
            excerpt.lines.push(ShownLine {
                line,
                start,
                end: excerpt.text.len(),
                source_start,
                source_end,
                shown_start,
            });
        }
        if !excerpt.lines.is_empty() {
            excerpt.text.push('\n');
        }
        let mapped = ranges
            .iter()
            .map(|&(start, end, first, last)| {
                let shown_start = excerpt.map(start, first);
                let shown_end = excerpt.map(end, last).max(shown_start);
                SourceSpan::from((shown_start, shown_end - shown_start))
            })
            .collect();
        (excerpt, mapped)
    }

    /// Where `offset` of the file, on 0-based `line`, is in the excerpt; offsets cut from the
    /// line fall on its ellipses.
    fn map(&self, offset: usize, line: usize) -> usize {
        let Ok(index) = self.lines.binary_search_by_key(&line, |shown| shown.line) else {
            return self.text.len();
        };
        let shown = &self.lines[index];
        if offset < shown.source_start {
            shown.start
        } else if offset > shown.source_end {
            shown.end
        } else {
            shown.shown_start + (offset - shown.source_start)
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if self.out_of_bounds || self.lines.is_empty() {
            return Err(MietteError::OutOfBounds);
        }
        let index_of = |offset: usize| {
            self.lines
                .partition_point(|shown| shown.start <= offset)
                .saturating_sub(1)
        };
        let mut first = index_of(span.offset());
        let mut last = index_of(
            (span.offset() + span.len())
                .saturating_sub(1)
                .max(span.offset()),
        );
        // Context lines, as far as the shown lines run without a gap.
        for _ in 0..context_lines_before {
            if first > 0 && self.lines[first - 1].line + 1 == self.lines[first].line {
                first -= 1;
            }
        }
        for _ in 0..context_lines_after {
            if last + 1 < self.lines.len() && self.lines[last].line + 1 == self.lines[last + 1].line
            {
                last += 1;
            }
        }
        let data_start = self.lines[first].start;
        let data_end = (self.lines[last].end + 1).min(self.text.len());
        let name = self
            .names
            .iter()
            .find(|(offset, _)| *offset == span.offset())
            .map_or(&self.name, |(_, name)| name);
        Ok(Box::new(MietteSpanContents::new_named(
            name.clone(),
            &self.text.as_bytes()[data_start..data_end],
            (data_start, data_end - data_start).into(),
            self.lines[first].line,
            0,
            last - first + 1,
        )))
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    /// The message and help as they print (`printable`).
    message: String,
    help: Option<String>,
    source: Excerpt,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(sources: &SourceMap, finding: &'a Finding) -> Self {
        let file = sources.get(finding.primary.file);
        let location = locate_position(sources, finding.primary);
        let name = printable(&format!(
            "{}:{}:{}",
            location.path, location.start.line, location.start.column
        ))
        .into_owned();
        let same_file: Vec<&Label> = finding
            .related
            .iter()
            .filter(|label| label.span.file == finding.primary.file)
            .collect();
        let spans: Vec<Span> = std::iter::once(finding.primary)
            .chain(same_file.iter().map(|label| label.span))
            .collect();
        let (mut source, mapped) = Excerpt::new(&file, name.clone(), &spans);
        // Each snippet is headed with where its own label is: a related place far from the
        // primary one gets a snippet of its own, which must not send the reader to the
        // primary line.
        source.names.push((mapped[0].offset(), name));
        for (label, span) in same_file.iter().zip(&mapped[1..]) {
            let at = locate_position(sources, label.span);
            let name = printable(&format!(
                "{}:{}:{}",
                at.path, at.start.line, at.start.column
            ))
            .into_owned();
            source.names.push((span.offset(), name));
        }
        let mut labels = vec![LabeledSpan::new_primary_with_span(None, mapped[0])];
        for (label, &span) in same_file.iter().zip(&mapped[1..]) {
            labels.push(LabeledSpan::new_with_span(
                Some(printable(&label.message).into_owned()),
                span,
            ));
        }
        let mut related = Vec::new();
        for label in &finding.related {
            if label.span.file != finding.primary.file {
                let other = locate_position(sources, label.span);
                let name = printable(&format!(
                    "{}:{}:{}",
                    other.path, other.start.line, other.start.column
                ))
                .into_owned();
                let (source, mapped) =
                    Excerpt::new(&sources.get(label.span.file), name, &[label.span]);
                related.push(RelatedDiagnostic {
                    message: printable(&label.message).into_owned(),
                    source,
                    label: LabeledSpan::new_primary_with_span(None, mapped[0]),
                });
            }
        }
        FindingDiagnostic {
            finding,
            message: printable(&finding.message).into_owned(),
            help: finding
                .help
                .as_deref()
                .map(|help| printable(help).into_owned()),
            source,
            labels,
            related,
        }
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        // High confidence goes without saying; a lower one is part of what the user weighs
        // (and below `--min-confidence` it does not fail the run).
        let confidence = match self.finding.confidence {
            Confidence::High => String::new(),
            other => format!(" ({} confidence)", other.as_str()),
        };
        Some(Box::new(format!(
            "{}[{}]{confidence}",
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
        self.help
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
    source: Excerpt,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;

    #[test]
    fn a_long_line_is_cut_around_the_primary_span_with_controls_replaced() {
        let text = format!(
            "{}\"t\u{1b}rget\"{}",
            "a".repeat(10_000),
            "b".repeat(10_000)
        );
        let file = SourceFile::new("x".into(), text.clone());
        let at = text.find("\"t").unwrap();
        // The primary far into the line, a related label near its start.
        let spans = [Span::new(FileId(0), at, at + 8), Span::new(FileId(0), 5, 6)];
        let (excerpt, mapped) = Excerpt::new(&file, "x".into(), &spans);
        let primary = &excerpt.text[mapped[0].offset()..mapped[0].offset() + mapped[0].len()];
        assert_eq!(primary, "\"t?rget\"");
        assert!(excerpt.text.len() < MAX_SHOWN_LINE_BYTES + 10);
        assert!(excerpt.text.starts_with(ELLIPSIS) && excerpt.text.ends_with("…\n"));
        // The related label is cut away: it falls on the opening ellipsis.
        assert_eq!(mapped[1].offset(), 0);
    }
}
