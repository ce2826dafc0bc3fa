//! What the fuzz targets share: after an extractor, run every rule on every document and
//! turn every span of every finding into a printable location, as the reporters do; after a
//! whole run, write it in every output format.

use iamlint::base::finding::Findings;
use iamlint::base::source::{FileId, SourceFile, SourceMap, locate};
use iamlint::engine::RunOutput;
use iamlint::extract::Extraction;
use iamlint::report::{Format, HumanOptions, write};
use iamlint::rules::{self, Rule, check_document};
use std::sync::Arc;

pub fn check_extraction(sources: &SourceMap, extraction: Extraction) {
    let settings = Default::default();
    let every_rule: Vec<&dyn Rule> = rules::all().collect();
    let mut findings = Findings::unbounded();
    findings.extend(extraction.diagnostics.into_iter().map(rules::finding_of));
    for document in &extraction.documents {
        check_document(document, &every_rule, &settings, &mut findings, false);
    }
    for finding in findings.iter() {
        locate(sources, finding.primary);
        for related in &finding.related {
            locate(sources, related.span);
        }
    }
}

/// Runs `extract` on `data` as the text of a file named `name` (valid UTF-8 only: the
/// engine decodes bytes before any extractor sees them), then checks what it found.
pub fn check_text(
    name: &str,
    data: &[u8],
    extract: impl FnOnce(FileId, &Arc<SourceFile>) -> Option<Extraction>,
) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources = SourceMap::new();
    let (file, source) = sources.add(name.into(), text.to_string());
    if let Some(extraction) = extract(file, &source) {
        check_extraction(&sources, extraction);
    }
}

/// Every output format, each as `iamlint check --format` writes it (suppressed findings
/// shown, so their reasons are printed too).
pub fn every_report(run: &RunOutput) -> Vec<(Format, Vec<u8>)> {
    let human = HumanOptions {
        show_suppressed: true,
        ..HumanOptions::default()
    };
    [
        Format::Human,
        Format::Compact,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Gitlab,
        Format::Junit,
    ]
    .into_iter()
    .map(|format| {
        let mut output = Vec::new();
        write(format, run, &human, &mut output).unwrap();
        (format, output)
    })
    .collect()
}
