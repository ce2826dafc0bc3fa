//! Findings: what a rule (or the parser) reports, pointing at the smallest wrong node.

use crate::base::rule_id::RuleId;
use crate::base::source::{Location, Span};
use serde::Serialize;
use std::sync::Arc;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// How sure the rule is that the finding is real.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    pub fn parse(text: &str) -> Option<Confidence> {
        [Confidence::Low, Confidence::Medium, Confidence::High]
            .into_iter()
            .find(|confidence| confidence.as_str() == text)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Correctness,
    Security,
    Suggestion,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Suggestion => "suggestion",
        }
    }
}

/// A secondary location that explains a finding (the other half of a pair, the first
/// occurrence of a duplicate).
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub confidence: Confidence,
    pub category: Category,
    pub message: String,
    pub help: Option<String>,
    pub primary: Span,
    pub related: Vec<Label>,
    /// `Origin::label()` of the document the finding is in, shared by all its findings.
    pub origin: Option<Arc<str>>,
}

impl Finding {
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// A finding less (or more) severe than its rule's default, for a milder form of it.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_confidence(mut self, confidence: Confidence) -> Self {
        self.confidence = confidence;
        self
    }
}

/// What a layer below the rules (reading, extraction, suppression comments) found wrong, for
/// a rule that reports it: the rules layer turns it into a `Finding` with the rule's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub rule: RuleId,
    pub message: String,
    pub help: Option<String>,
    pub primary: Span,
    pub related: Vec<Label>,
}

impl Problem {
    pub fn new(rule: RuleId, primary: Span, message: impl Into<String>) -> Problem {
        Problem {
            rule,
            message: message.into(),
            help: None,
            primary,
            related: Vec::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            message: message.into(),
        });
        self
    }
}

/// A fingerprint of a finding that survives edits elsewhere in the file: the rule, where
/// the policy came from, and the text of the node, but no line numbers. FNV-1a, because the
/// value must be the same on every platform and in every release.
pub fn fingerprint(finding: &Finding, location: &Location) -> String {
    let origin = finding.origin.as_deref().unwrap_or("");
    hash_parts(&[
        finding.rule.as_str(),
        &location.path,
        origin,
        &finding.message,
        &location.snippet,
    ])
}

/// FNV-1a of the parts, each followed by a NUL, as 16 hex digits: [`fingerprint`]'s hash,
/// also for what a report fingerprints that is not a finding (a file it could not read).
pub fn hash_parts(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Characters of a finding's message or help kept: far more than any rule writes, unless it
/// quotes user text unclipped.
const MAX_MESSAGE_CHARS: usize = 1000;

/// Did-you-mean searches one input may spend: each scores hundreds of names (about 200 µs),
/// so a file of 370,000 unknown actions took 80 s; real files have a handful of unknown
/// names, and past this their findings only say what is unknown.
pub const SUGGESTIONS_PER_INPUT: usize = 1000;

/// The findings of one input (or of a whole run) as they are reported, at most `limit` of
/// them kept, so that a hostile file (16 MB of `{}` statements) costs bounded memory while it
/// is checked, not only when printed. Past the limit the most severe are kept, then the
/// earliest in the file, then the first reported; the rest are only counted. The choice
/// depends on what was pushed and in which order, never on timing, so it is the same at any
/// thread count.
#[derive(Debug)]
pub struct Findings {
    kept: Vec<Finding>,
    limit: usize,
    left_out: usize,
    /// The `[rules]` severity of each rule that has one (by `RuleId::index`), applied on
    /// push so that the cut ranks findings by the severity they are reported with.
    severities: Arc<[Option<Severity>]>,
    /// Set while the rules check one document: the origin its findings get.
    document_origin: Option<Arc<str>>,
    /// Did-you-mean searches left (see [`SUGGESTIONS_PER_INPUT`]).
    suggestions_left: usize,
}

impl Findings {
    pub fn new(limit: usize, severities: Arc<[Option<Severity>]>) -> Findings {
        Findings {
            kept: Vec::new(),
            limit,
            left_out: 0,
            severities,
            document_origin: None,
            suggestions_left: SUGGESTIONS_PER_INPUT,
        }
    }

    /// No limit and no severity overrides: for tests and tools that want every finding.
    pub fn unbounded() -> Findings {
        Findings::new(usize::MAX, Arc::from([]))
    }

    pub fn push(&mut self, mut finding: Finding) {
        // A message quotes user text; a rule that does not clip it must not make a 1 MB line.
        for text in std::iter::once(&mut finding.message).chain(finding.help.as_mut()) {
            if text.len() > MAX_MESSAGE_CHARS {
                *text = crate::base::text::clip_to(text, MAX_MESSAGE_CHARS).into_owned();
            }
        }
        if let Some(&Some(severity)) = self.severities.get(finding.rule.index()) {
            finding.severity = severity;
        }
        if finding.origin.is_none() {
            finding.origin.clone_from(&self.document_origin);
        }
        self.kept.push(finding);
        // Cutting when twice the limit is held makes each push cost O(log n) on average.
        if self.kept.len() >= self.limit.saturating_mul(2).max(1024) {
            self.cut();
        }
    }

    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) {
        for finding in findings {
            self.push(finding);
        }
    }

    /// Whether a rule may search for a did-you-mean for its next finding, which uses one of
    /// the input's [`SUGGESTIONS_PER_INPUT`]: counted here, with the input's findings, so
    /// the same findings get suggestions at any thread count.
    pub fn may_suggest(&mut self) -> bool {
        let allowed = self.suggestions_left > 0;
        self.suggestions_left = self.suggestions_left.saturating_sub(1);
        allowed
    }

    /// Did-you-mean searches left to this collector.
    pub fn suggestions_left(&self) -> usize {
        self.suggestions_left
    }

    /// Gives this collector `count` did-you-mean searches.
    pub fn set_suggestions_left(&mut self, count: usize) {
        self.suggestions_left = count;
    }

    /// Findings pushed from now on, until `None`, come from the document of this origin.
    pub fn set_document_origin(&mut self, origin: Option<Arc<str>>) {
        self.document_origin = origin;
    }

    /// An empty collector with this one's limit, severity overrides, document origin and
    /// did-you-mean searches: its findings can be appended here later as if pushed here.
    pub fn sibling(&self) -> Findings {
        Findings {
            kept: Vec::new(),
            limit: self.limit,
            left_out: 0,
            severities: Arc::clone(&self.severities),
            document_origin: self.document_origin.clone(),
            suggestions_left: self.suggestions_left,
        }
    }

    /// Moves every finding of `other` in, after those already here, with its count of
    /// findings left out.
    pub fn append(&mut self, other: Findings) {
        self.left_out += other.left_out;
        self.extend(other.kept);
    }

    /// The most findings kept.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Counts findings left out before they reached this collector.
    pub fn left_out(&mut self, count: usize) {
        self.left_out += count;
    }

    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Finding> {
        self.kept.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Finding> {
        self.kept.iter_mut()
    }

    /// Keeps only the findings `keep` accepts; those dropped are not counted as left out.
    pub fn retain(&mut self, keep: impl FnMut(&Finding) -> bool) {
        self.kept.retain(keep);
    }

    /// The findings kept (at most the limit, most severe first) and how many were left out.
    pub fn finish(mut self) -> (Vec<Finding>, usize) {
        self.cut();
        (self.kept, self.left_out)
    }

    fn cut(&mut self) {
        if self.kept.len() <= self.limit {
            return;
        }
        // Stable: among equals, the first pushed stays.
        self.kept.sort_by_key(|finding| {
            (
                std::cmp::Reverse(finding.severity),
                finding.primary.start,
                finding.rule.index(),
            )
        });
        self.left_out += self.kept.len() - self.limit;
        self.kept.truncate(self.limit);
    }
}

impl Default for Findings {
    fn default() -> Self {
        Findings::unbounded()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;

    /// Up to `max-findings-kept-per-run` of these are held at once, twice that while cutting.
    #[test]
    fn a_finding_is_small() {
        assert_eq!(std::mem::size_of::<Finding>(), 104);
    }

    fn finding(severity: Severity, start: usize) -> Finding {
        Finding {
            rule: RuleId::UnknownAction,
            severity,
            confidence: Confidence::High,
            category: Category::Correctness,
            message: "m".repeat(2000),
            help: None,
            primary: Span::new(FileId(0), start, start + 1),
            related: Vec::new(),
            origin: None,
        }
    }

    #[test]
    fn the_cut_keeps_the_most_severe_then_the_first_and_counts_the_rest() {
        let mut findings = Findings::new(3, Arc::from([]));
        for start in 0..2000 {
            findings.push(finding(Severity::Info, start));
        }
        findings.push(finding(Severity::Error, 5000));
        findings.push(finding(Severity::Warning, 4000));
        let (kept, left_out) = findings.finish();
        let kept: Vec<(Severity, u32)> =
            kept.iter().map(|f| (f.severity, f.primary.start)).collect();
        assert_eq!(
            kept,
            [
                (Severity::Error, 5000),
                (Severity::Warning, 4000),
                (Severity::Info, 0)
            ]
        );
        assert_eq!(left_out, 1999);
    }

    #[test]
    fn long_messages_are_cut() {
        let mut findings = Findings::unbounded();
        findings.push(finding(Severity::Info, 0));
        let (kept, _) = findings.finish();
        assert_eq!(kept[0].message.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(kept[0].message.ends_with('…'));
    }
}
