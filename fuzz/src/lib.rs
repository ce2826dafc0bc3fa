//! What every fuzz target does after its extractor: run every rule on every document, and
//! turn every span of every finding into a printable location, as the reporters do.

use iamlint::engine::check_document;
use iamlint::extract::Extraction;
use iamlint::report::locate;
use iamlint::rules::RULES;
use iamlint::source::SourceMap;

pub fn check_extraction(sources: &SourceMap, extraction: Extraction) {
    let settings = Default::default();
    let mut findings = extraction.diagnostics;
    for document in &extraction.documents {
        check_document(document, RULES, &settings, &mut findings);
    }
    for finding in &findings {
        locate(sources, finding.primary);
        for related in &finding.related {
            locate(sources, related.span);
        }
    }
}
