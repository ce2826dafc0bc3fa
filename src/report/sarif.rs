//! SARIF 2.1.0 as GitHub code scanning accepts it.

use super::{Location, Occurrences, locate_in_repository, locate_position};
use crate::base::finding::{Category, Severity};
use crate::base::rule_id::RuleId;
use crate::engine::RunOutput;
use crate::extract::suppressions::SuppressionKind;
use crate::rules;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub code scanning rejects a whole upload with more results than this in a run.
pub const MAX_RESULTS: usize = 25_000;

/// GitHub rejects a result with more locations than this. Its documentation does not say
/// whether related locations count: they are cut to it too (a result has one location).
pub const MAX_LOCATIONS_PER_RESULT: usize = 1_000;

/// GitHub's other limits cannot be reached: one run per file (20 allowed), at most every
/// rule in a run (25,000 allowed), two tags per rule (20 allowed).
const _: () = assert!(RuleId::ALL.len() <= 25_000);

/// The repository root, as GitHub code scanning names it: artifact URIs relative to it are
/// found in the checkout whatever directory iamlint ran in.
const SRCROOT: &str = "%SRCROOT%";

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
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
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

/// What GitHub's limits made this file leave out.
#[derive(Default)]
struct Cuts {
    results: usize,
    related_locations: usize,
    /// The results written that lost related locations.
    results_with_related_cut: usize,
}

/// A result before the cut to [`MAX_RESULTS`] and before its rule's index is known.
struct Pending {
    /// In output order (path, position).
    index: usize,
    severity: Severity,
    rule: RuleId,
    related_left_out: usize,
    result: SarifResult,
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
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    /// [`SRCROOT`] when `uri` is relative to the repository root.
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
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

/// A file as an artifact: relative to [`SRCROOT`] when in the repository, else as the run
/// named it (a file outside the repository, standard input).
fn artifact(run: &RunOutput, path: &Path) -> ArtifactLocation {
    match run.roots.repository_relative(path) {
        Some(relative) => ArtifactLocation {
            uri: uri(&relative),
            uri_base_id: Some(SRCROOT),
        },
        None => ArtifactLocation {
            uri: uri(&super::display_path(path)),
            uri_base_id: None,
        },
    }
}

/// The repository root as an absolute `file:` URI ending with `/`, as SARIF requires of a
/// base URI.
fn root_uri(root: &Path) -> String {
    let path = root.to_string_lossy().replace('\\', "/");
    let path = path.trim_end_matches('/');
    // `C:/repo` on Windows is `file:///C:/repo/`.
    let slash = if path.starts_with('/') { "" } else { "/" };
    format!("file://{slash}{}/", uri(path))
}

fn physical(run: &RunOutput, location: &Location, path: &Path) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: artifact(run, path),
        region: region(location),
    }
}

fn descriptor(id: RuleId) -> ReportingDescriptor {
    let meta = rules::rule(id).meta();
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
}

pub(super) fn write(
    run: &RunOutput,
    show_suppressed: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
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
    let mut occurrences = Occurrences::default();
    let mut results: Vec<Pending> = all
        .into_iter()
        .enumerate()
        .map(|(index, (finding, suppression))| {
            let location = locate_in_repository(run, finding.primary);
            let file = run.sources.get(finding.primary.file);
            let mut text = finding.message.clone();
            if let Some(help) = &finding.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let related = &finding.related[..finding.related.len().min(MAX_LOCATIONS_PER_RESULT)];
            let result = SarifResult {
                rule_id: finding.rule.as_str(),
                // Set once the rules that fired are known.
                rule_index: 0,
                level: level(finding.severity),
                message: Text { text },
                partial_fingerprints: Fingerprints {
                    iamlint: occurrences.fingerprint(finding, &location),
                },
                suppressions: suppression.into_iter().collect(),
                locations: vec![SarifLocation {
                    id: None,
                    physical_location: physical(run, &location, file.path()),
                    message: None,
                }],
                related_locations: related
                    .iter()
                    .enumerate()
                    .map(|(index, label)| SarifLocation {
                        id: Some(index + 1),
                        physical_location: physical(
                            run,
                            &locate_position(&run.sources, label.span),
                            run.sources.get(label.span.file).path(),
                        ),
                        message: Some(Text {
                            text: label.message.clone(),
                        }),
                    })
                    .collect(),
            };
            Pending {
                index,
                severity: finding.severity,
                rule: finding.rule,
                related_left_out: finding.related.len() - related.len(),
                result,
            }
        })
        .collect();
    let mut cuts = Cuts {
        results: results.len().saturating_sub(MAX_RESULTS),
        ..Cuts::default()
    };
    if cuts.results > 0 {
        // The results GitHub will show: not suppressed before suppressed, then the most
        // severe, then in the usual order (path, position); written in the usual order.
        results.sort_by_key(|pending| {
            (
                !pending.result.suppressions.is_empty(),
                std::cmp::Reverse(pending.severity),
                pending.index,
            )
        });
        results.truncate(MAX_RESULTS);
        results.sort_by_key(|pending| pending.index);
    }
    for pending in results
        .iter()
        .filter(|pending| pending.related_left_out > 0)
    {
        cuts.related_locations += pending.related_left_out;
        cuts.results_with_related_cut += 1;
    }
    // Only the rules that fired, with their documentation: every rule's would be most of
    // the file (216 KB for 3 results), and GitHub shows the rules of the alerts only.
    let mut fired: Vec<RuleId> = results.iter().map(|pending| pending.rule).collect();
    fired.sort_by_key(|rule| rule.index());
    fired.dedup();
    let results = results
        .into_iter()
        .map(|pending| {
            let mut result = pending.result;
            result.rule_index = fired
                .binary_search_by_key(&pending.rule.index(), |rule| rule.index())
                .expect("the rule of every result is among those that fired");
            result
        })
        .collect();
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
                    artifact_location: artifact(run, Path::new(&error.path)),
                },
            }],
        })
        .collect();
    for note in cut_notes(&cuts) {
        eprintln!("iamlint: SARIF: {note}");
        notifications.push(Notification {
            level: "warning",
            message: Text { text: note },
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
                    rules: fired.into_iter().map(descriptor).collect(),
                },
            },
            original_uri_base_ids: run
                .roots
                .repository()
                .map(|root| {
                    let location = ArtifactLocation {
                        uri: root_uri(root),
                        uri_base_id: None,
                    };
                    (SRCROOT, location)
                })
                .into_iter()
                .collect(),
            results,
            invocations: vec![Invocation {
                execution_successful: run.errors.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            properties: (cuts.results > 0).then_some(RunProperties {
                results_left_out: cuts.results,
            }),
        }],
    };
    super::write_json(&log, out)
}

/// What was cut to GitHub's limits, one sentence each: in the file's notifications and on
/// standard error, so the cut is seen where the file is read and where iamlint ran.
fn cut_notes(cuts: &Cuts) -> Vec<String> {
    let mut notes = Vec::new();
    if cuts.results > 0 {
        notes.push(format!(
            "{} of {} results are not in this file: GitHub code scanning accepts at most \
             {MAX_RESULTS} per run, so the least severe were left out (--format json or \
             compact lists them all)",
            cuts.results,
            cuts.results + MAX_RESULTS
        ));
    }
    if cuts.related_locations > 0 {
        notes.push(format!(
            "{} related locations are not in this file: GitHub code scanning accepts at most \
             {MAX_LOCATIONS_PER_RESULT} locations per result, so a result with more keeps its \
             first {MAX_LOCATIONS_PER_RESULT} ({} did; --format json lists them all)",
            cuts.related_locations, cuts.results_with_related_cut
        ));
    }
    notes
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
