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
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let origin = finding.origin.as_deref().unwrap_or("");
    for part in [
        finding.rule.as_str(),
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
