//! SARIF 2.1.0 as GitHub code scanning accepts it.

use super::{Location, fingerprint, locate, locate_position};
use crate::base::finding::{Category, Severity};
use crate::engine::RunOutput;
use crate::extract::suppressions::SuppressionKind;
use crate::rules;
use serde::Serialize;
use std::collections::HashMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub code scanning rejects a whole upload with more results than this in a run.
pub const MAX_RESULTS: usize = 25_000;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties>,
}

#[derive(Serialize)]
struct RunProperties {
    /// Results not written because of [`MAX_RESULTS`].
    #[serde(rename = "iamlint/resultsLeftOut")]
    results_left_out: usize,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<&'static str>,
    precision: &'static str,
    #[serde(rename = "security-severity", skip_serializing_if = "Option::is_none")]
    security_severity: Option<&'static str>,
    /// The rule's group, as `--select` names it.
    #[serde(rename = "iamlint/group")]
    group: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression>,
}

#[derive(Serialize)]
struct SarifSuppression {
    /// `inSource` for comments and template metadata, `external` for the configuration.
    kind: &'static str,
    justification: String,
}

/// `iamlint/v2` is the baseline's fingerprint (`fingerprint`) and `:n`, the occurrence among
/// the results with that fingerprint in output order: the same text reported twice in a file
/// (one action written in two statements) is two alerts, not one that GitHub merges. v1 was
/// the fingerprint alone.
#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "iamlint/v2")]
    iamlint: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<NotificationLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationLocation {
    physical_location: NotificationPhysical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NotificationPhysical {
    artifact_location: ArtifactLocation,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub ranks security alerts by this score: over 9 critical, 7 to 8.9 high, 4 to 6.9
/// medium, under 4 low.
fn security_severity(category: Category, severity: Severity) -> Option<&'static str> {
    (category == Category::Security).then_some(match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    })
}

fn region(location: &Location) -> Region {
    // SARIF regions may not be empty; an empty span covers the character it stands on.
    let end_column = if location.end == location.start {
        location.start.column + 1
    } else {
        location.end.column
    };
    Region {
        start_line: location.start.line,
        start_column: location.start.column,
        end_line: location.end.line,
        end_column,
    }
}

/// A relative URI reference: `/` separators, and what RFC 3986 does not allow escaped.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn physical(location: &Location) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri(&location.path),
        },
        region: region(location),
    }
}

pub(super) fn write(
    run: &RunOutput,
    show_suppressed: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let rules = rules::all()
        .map(|rule| {
            let meta = rule.meta();
            let docs = meta.docs_markdown();
            ReportingDescriptor {
                id: meta.id.as_str(),
                name: camel_case(meta.id.as_str()),
                short_description: Text {
                    text: meta.summary.to_string(),
                },
                full_description: Text {
                    text: meta.summary.to_string(),
                },
                help: Help {
                    text: docs.clone(),
                    markdown: docs,
                },
                help_uri: meta.url(),
                default_configuration: Configuration {
                    level: level(meta.severity),
                },
                properties: RuleProperties {
                    tags: vec![meta.category.as_str(), "iam"],
                    precision: match meta.confidence {
                        crate::base::finding::Confidence::High => "high",
                        crate::base::finding::Confidence::Medium => "medium",
                        crate::base::finding::Confidence::Low => "low",
                    },
                    security_severity: security_severity(meta.category, meta.severity),
                    group: meta.group.as_str(),
                },
            }
        })
        .collect();
    let suppressed = run
        .suppressed
        .iter()
        .filter(|_| show_suppressed)
        .map(|suppressed| {
            let kind = match suppressed.kind {
                SuppressionKind::Config => "external",
                SuppressionKind::Comment | SuppressionKind::Metadata => "inSource",
            };
            (
                &suppressed.finding,
                Some(SarifSuppression {
                    kind,
                    justification: suppressed.reason.clone(),
                }),
            )
        });
    let all: Vec<_> = run
        .findings
        .iter()
        .map(|finding| (finding, None))
        .chain(suppressed)
        .collect();
    let mut occurrences: HashMap<String, usize> = HashMap::new();
    let mut results: Vec<(usize, Severity, SarifResult)> = all
        .into_iter()
        .enumerate()
        .map(|(index, (finding, suppression))| {
            let location = locate(&run.sources, finding.primary);
            let mut text = finding.message.clone();
            if let Some(help) = &finding.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let fingerprint = fingerprint(finding, &location);
            let occurrence = occurrences.entry(fingerprint.clone()).or_default();
            *occurrence += 1;
            let result = SarifResult {
                rule_id: finding.rule.as_str(),
                rule_index: finding.rule.index(),
                level: level(finding.severity),
                message: Text { text },
                partial_fingerprints: Fingerprints {
                    iamlint: format!("{fingerprint}:{occurrence}"),
                },
                suppressions: suppression.into_iter().collect(),
                locations: vec![SarifLocation {
                    id: None,
                    physical_location: physical(&location),
                    message: None,
                }],
                related_locations: finding
                    .related
                    .iter()
                    .enumerate()
                    .map(|(index, label)| SarifLocation {
                        id: Some(index + 1),
                        physical_location: physical(&locate_position(&run.sources, label.span)),
                        message: Some(Text {
                            text: label.message.clone(),
                        }),
                    })
                    .collect(),
            };
            (index, finding.severity, result)
        })
        .collect();
    let left_out = results.len().saturating_sub(MAX_RESULTS);
    if left_out > 0 {
        // The results GitHub will show: not suppressed before suppressed, then the most
        // severe, then in the usual order (path, position); written in the usual order.
        results.sort_by_key(|(index, severity, result)| {
            (
                !result.suppressions.is_empty(),
                std::cmp::Reverse(*severity),
                *index,
            )
        });
        results.truncate(MAX_RESULTS);
        results.sort_by_key(|(index, ..)| *index);
        eprintln!(
            "iamlint: SARIF: {left_out} of {} results left out, the least severe: GitHub code \
             scanning accepts at most {MAX_RESULTS} per run",
            left_out + MAX_RESULTS
        );
    }
    let results = results.into_iter().map(|(.., result)| result).collect();
    let mut notifications: Vec<Notification> = run
        .errors
        .iter()
        .map(|error| Notification {
            level: "error",
            message: Text {
                text: error.message.clone(),
            },
            locations: vec![NotificationLocation {
                physical_location: NotificationPhysical {
                    artifact_location: ArtifactLocation {
                        uri: uri(&error.path),
                    },
                },
            }],
        })
        .collect();
    if left_out > 0 {
        notifications.push(Notification {
            level: "warning",
            message: Text {
                text: format!(
                    "{left_out} of {} results are not in this file: GitHub code scanning \
                     accepts at most {MAX_RESULTS} per run, so the least severe were left out \
                     (--format json or compact lists them all)",
                    left_out + MAX_RESULTS
                ),
            },
            locations: Vec::new(),
        });
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "iamlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://github.com/iamlint/iamlint",
                    rules,
                },
            },
            results,
            invocations: vec![Invocation {
                execution_successful: run.errors.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            properties: (left_out > 0).then_some(RunProperties {
                results_left_out: left_out,
            }),
        }],
    };
    super::write_json(&log, out)
}

fn camel_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}
