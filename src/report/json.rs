//! The versioned JSON report (schema documented in README.md, "JSON output").

use super::{Counts, fingerprint, locate, locate_position};
use crate::base::finding::Finding;
use crate::engine::RunOutput;
use crate::input::{RunError, Skipped};
use serde::Serialize;

/// Bumped on any change that could break a consumer; additions keep the version.
pub(super) const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    tool: Tool,
    files_scanned: usize,
    documents_analyzed: usize,
    summary: Summary,
    findings: Findings<'a>,
    /// Only with `--show-suppressed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<Findings<'a>>,
    errors: &'a [RunError],
    skipped: &'a [Skipped],
}

/// Findings converted one at a time while they are written: a run with hundreds of
/// thousands of findings must not hold a second copy of them.
struct Findings<'a> {
    run: &'a RunOutput,
    suppressed: bool,
}

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let run = self.run;
        if self.suppressed {
            serializer.collect_seq(run.suppressed.iter().map(|suppressed| {
                let mut finding = json_finding(run, &suppressed.finding);
                finding.suppression = Some(JsonSuppression {
                    kind: suppressed.kind.as_str(),
                    reason: &suppressed.reason,
                });
                finding
            }))
        } else {
            serializer.collect_seq(
                run.findings
                    .iter()
                    .map(|finding| json_finding(run, finding)),
            )
        }
    }
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    error: usize,
    warning: usize,
    info: usize,
    suppressed: usize,
    baselined: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'a str,
    confidence: &'a str,
    category: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    origin: String,
    fingerprint: String,
    related: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<JsonSuppression<'a>>,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    kind: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

pub(super) fn write(
    run: &RunOutput,
    show_suppressed: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let counts = Counts::of(&run.findings);
    let report = Report {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "iamlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        files_scanned: run.files_scanned,
        documents_analyzed: run.documents_analyzed,
        summary: Summary {
            error: counts.error,
            warning: counts.warning,
            info: counts.info,
            suppressed: run.suppressed.len(),
            baselined: run.baselined,
        },
        findings: Findings {
            run,
            suppressed: false,
        },
        suppressed: show_suppressed.then_some(Findings {
            run,
            suppressed: true,
        }),
        errors: &run.errors,
        skipped: &run.skipped,
    };
    super::write_json(&report, out)
}

fn json_finding<'a>(run: &'a RunOutput, finding: &'a Finding) -> JsonFinding<'a> {
    let location = locate(&run.sources, finding.primary);
    JsonFinding {
        rule: finding.rule.as_str(),
        severity: finding.severity.as_str(),
        confidence: finding.confidence.as_str(),
        category: finding.category.as_str(),
        message: &finding.message,
        help: finding.help.as_deref(),
        origin: finding
            .origin
            .as_deref()
            .map_or_else(|| location.path.clone(), str::to_string),
        fingerprint: fingerprint(finding, &location),
        line: location.start.line,
        column: location.start.column,
        end_line: location.end.line,
        end_column: location.end.column,
        related: finding
            .related
            .iter()
            .map(|label| {
                let related = locate_position(&run.sources, label.span);
                JsonLabel {
                    message: &label.message,
                    path: related.path,
                    line: related.start.line,
                    column: related.start.column,
                    end_line: related.end.line,
                    end_column: related.end.column,
                }
            })
            .collect(),
        path: location.path,
        suppression: None,
    }
}
