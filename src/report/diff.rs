//! The report of `iamlint diff`: what the head revision changes, per principal, in every
//! format `check` has and as a Markdown pull-request comment. Changes are not findings of a
//! rule (no fixture or policy alone makes one), so they have a report of their own, which
//! reuses the CI formats' escaping and names each kind of change like a rule id
//! (`new-access`, `new-escalation-path`...).

use super::github::{escape_data, escape_property};
use super::junit::{escape, escape_attribute};
use super::{printable, write_json};
use crate::base::finding::hash_parts;
use crate::diff::{Change, Diff, Kind};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

/// The version of the JSON shape, raised when a field changes meaning or goes away.
const JSON_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Changes grouped by principal, with the chain of each new escalation path.
    Human,
    /// `path:line:col: severity[kind] message`, one per line.
    Compact,
    /// Versioned JSON (see README).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// JUnit XML: one test case per principal.
    Junit,
    /// A pull-request comment: a table per principal, a Mermaid chart per new chain.
    Markdown,
}

pub fn write(format: DiffFormat, diff: &Diff, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        DiffFormat::Human => out.write_all(human(diff).as_bytes()),
        DiffFormat::Compact => out.write_all(compact(diff).as_bytes()),
        DiffFormat::Json => write_json(&json_of(diff), out),
        DiffFormat::Sarif => write_json(&sarif(diff), out),
        DiffFormat::Github => out.write_all(github(diff).as_bytes()),
        DiffFormat::Gitlab => write_json(&gitlab(diff), out),
        DiffFormat::Junit => out.write_all(junit(diff).as_bytes()),
        DiffFormat::Markdown => out.write_all(markdown(diff).as_bytes()),
    }
}

fn severity(kind: Kind) -> &'static str {
    if kind.adds_access() {
        "warning"
    } else {
        "info"
    }
}

/// The changes of each subject, in order.
fn by_subject(diff: &Diff) -> BTreeMap<&str, Vec<&Change>> {
    let mut out: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in &diff.changes {
        out.entry(change.subject.as_str()).or_default().push(change);
    }
    out
}

fn place(change: &Change) -> String {
    change.at.as_ref().map_or_else(
        || "-".to_string(),
        |at| format!("{}:{}:{}", printable(&at.path), at.line, at.column),
    )
}

fn summary(diff: &Diff) -> String {
    let added = diff.changes.iter().filter(|c| c.kind.adds_access()).count();
    let removed = diff.changes.len() - added;
    format!(
        "{added} change(s) adding access, {removed} removing it ({} → {})",
        short(&diff.base),
        short(&diff.head)
    )
}

/// A commit id cut to 12 hex digits, as git abbreviates; a file name (two plans compared) as
/// it is.
pub fn short(revision: &str) -> &str {
    if revision.len() == 40 && revision.bytes().all(|b| b.is_ascii_hexdigit()) {
        &revision[..12]
    } else {
        revision
    }
}

fn human(diff: &Diff) -> String {
    let mut out = String::new();
    for (subject, changes) in by_subject(diff) {
        let _ = writeln!(out, "{}", printable(subject));
        for change in changes {
            let _ = writeln!(
                out,
                "  {}[{}] {}\n    at {}",
                severity(change.kind),
                change.kind.as_str(),
                printable(&change.message),
                place(change)
            );
            for (step, hop) in change.chain.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "    {}. {} → {}: {} ({})",
                    step + 1,
                    printable(&hop.from),
                    printable(&hop.to),
                    printable(&hop.text),
                    hop.path
                );
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(diff));
    for error in &diff.errors {
        let _ = writeln!(out, "error: {}", printable(error));
    }
    out
}

fn compact(diff: &Diff) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        let _ = writeln!(
            out,
            "{}: {}[{}] {}",
            place(change),
            severity(change.kind),
            change.kind.as_str(),
            printable(&change.message)
        );
    }
    out
}

fn change_json(change: &Change) -> Value {
    json!({
        "kind": change.kind.as_str(),
        "severity": severity(change.kind),
        "subject": change.subject,
        "message": change.message,
        "location": change.at.as_ref().map(|at| json!({
            "path": at.path,
            "line": at.line,
            "column": at.column,
            "end_line": at.end_line,
            "end_column": at.end_column,
        })),
        "actions": change.actions,
        "resource": change.resource,
        "chain": change.chain.iter().map(|hop| json!({
            "from": hop.from,
            "to": hop.to,
            "path": hop.path,
            "text": hop.text,
        })).collect::<Vec<_>>(),
    })
}

fn json_of(diff: &Diff) -> Value {
    json!({
        "version": JSON_VERSION,
        "base": diff.base,
        "head": diff.head,
        "adds_access": diff.adds_access(),
        "changes": diff.changes.iter().map(change_json).collect::<Vec<_>>(),
        "errors": diff.errors,
    })
}

/// A stable id for a change: its kind, subject and message (not its line, which moves).
fn fingerprint(change: &Change) -> String {
    hash_parts(&[change.kind.as_str(), &change.subject, &change.message])
}

fn sarif(diff: &Diff) -> Value {
    let rules: Vec<Value> = Kind::ALL
        .iter()
        .map(|kind| {
            json!({
                "id": kind.as_str(),
                "shortDescription": { "text": kind.description() },
                "defaultConfiguration": { "level": severity_level(*kind) },
            })
        })
        .collect();
    let results: Vec<Value> = diff
        .changes
        .iter()
        .map(|change| {
            let index = Kind::ALL
                .iter()
                .position(|k| *k == change.kind)
                .unwrap_or(0);
            let mut result = json!({
                "ruleId": change.kind.as_str(),
                "ruleIndex": index,
                "level": severity_level(change.kind),
                "message": { "text": change.message },
                "partialFingerprints": { "iamlintDiff/v1": fingerprint(change) },
            });
            if let Some(at) = &change.at {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": at.path, "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": at.line,
                            "startColumn": at.column,
                            "endLine": at.end_line,
                            "endColumn": at.end_column,
                        }
                    }
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "iamlint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/iamlint/iamlint",
                "rules": rules,
            }},
            "automationDetails": { "id": "iamlint-diff/" },
            "results": results,
        }]
    })
}

fn severity_level(kind: Kind) -> &'static str {
    if kind.adds_access() {
        "warning"
    } else {
        "note"
    }
}

fn github(diff: &Diff) -> String {
    let mut out = String::new();
    for change in &diff.changes {
        let command = if change.kind.adds_access() {
            "warning"
        } else {
            "notice"
        };
        let title = escape_property(&format!("iamlint diff {}", change.kind.as_str()));
        let message = escape_data(&printable(&change.message));
        let _ = match &change.at {
            Some(at) => writeln!(
                out,
                "::{command} file={},line={},endLine={},col={},endColumn={},title={title}::{message}",
                escape_property(&printable(&at.path)),
                at.line,
                at.end_line,
                at.column,
                at.end_column,
            ),
            None => writeln!(out, "::{command} title={title}::{message}"),
        };
    }
    out
}

fn gitlab(diff: &Diff) -> Value {
    let issues: Vec<Value> = diff
        .changes
        .iter()
        .filter_map(|change| {
            // Code Quality needs a place; a removal with none is only information.
            let at = change.at.as_ref()?;
            Some(json!({
                "type": "issue",
                "check_name": change.kind.as_str(),
                "description": change.message,
                "categories": ["Security"],
                "fingerprint": fingerprint(change),
                "severity": if change.kind.adds_access() { "major" } else { "info" },
                "location": { "path": at.path, "lines": { "begin": at.line, "end": at.end_line } },
            }))
        })
        .collect();
    Value::Array(issues)
}

fn junit(diff: &Diff) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let subjects = by_subject(diff);
    let failures = subjects
        .values()
        .filter(|changes| changes.iter().any(|c| c.kind.adds_access()))
        .count();
    let _ = writeln!(
        out,
        "<testsuites name=\"iamlint diff\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n  <testsuite name=\"iamlint diff\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        subjects.len(),
        subjects.len()
    );
    for (subject, changes) in subjects {
        let _ = writeln!(
            out,
            "    <testcase classname=\"iamlint.diff\" name=\"{}\">",
            escape_attribute(subject)
        );
        let added: Vec<&&Change> = changes.iter().filter(|c| c.kind.adds_access()).collect();
        if !added.is_empty() {
            let text: Vec<String> = added
                .iter()
                .map(|c| {
                    format!(
                        "{} {}[{}] {}",
                        place(c),
                        "warning",
                        c.kind.as_str(),
                        c.message
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                escape_attribute(&format!("{} change(s) adding access", added.len())),
                added[0].kind.as_str(),
                escape(&text.join("\n"))
            );
        }
        let removed: Vec<String> = changes
            .iter()
            .filter(|c| !c.kind.adds_access())
            .map(|c| c.message.clone())
            .collect();
        if !removed.is_empty() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                escape(&removed.join("\n"))
            );
        }
        let _ = writeln!(out, "    </testcase>");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Text for a Markdown table cell: one line, no `|`, nothing HTML.
fn cell(text: &str) -> String {
    printable(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\n', " ")
}

/// Text for a Mermaid label: no quotes or brackets that end it.
fn mermaid_label(text: &str) -> String {
    printable(text)
        .chars()
        .map(|c| match c {
            '"' | '`' | '[' | ']' | '{' | '}' | '<' | '>' | '|' => '\'',
            '\n' => ' ',
            other => other,
        })
        .collect()
}

fn markdown(diff: &Diff) -> String {
    let mut out = String::from("## iamlint diff\n\n");
    let _ = writeln!(out, "{}\n", cell(&summary(diff)));
    if diff.changes.is_empty() {
        out.push_str("No access added or removed.\n");
    }
    for (subject, changes) in by_subject(diff) {
        let _ = writeln!(out, "### {}\n", cell(subject));
        out.push_str("| | Change | Actions | On | Where |\n|---|---|---|---|---|\n");
        for change in &changes {
            let mark = if change.kind.adds_access() {
                "➕"
            } else {
                "➖"
            };
            let actions = match change.actions.len() {
                0 => String::new(),
                n if n > 10 => format!(
                    "{} and {} more",
                    change.actions[..10]
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    n - 10
                ),
                _ => change
                    .actions
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let _ = writeln!(
                out,
                "| {mark} | {} | {} | {} | {} |",
                change.kind.as_str(),
                cell(&actions),
                change
                    .resource
                    .as_deref()
                    .map(|r| format!("`{}`", cell(r).replace('`', "'")))
                    .unwrap_or_default(),
                cell(&place(change))
            );
        }
        out.push('\n');
        for change in changes.iter().filter(|c| !c.chain.is_empty()) {
            let verb = if change.kind.adds_access() {
                "New escalation path"
            } else {
                "Escalation path removed"
            };
            let _ = writeln!(out, "{verb}:\n\n```mermaid\nflowchart LR");
            let mut nodes: Vec<&str> = Vec::new();
            let id = |name: &str, nodes: &[&str]| nodes.iter().position(|n| *n == name);
            for hop in &change.chain {
                for name in [hop.from.as_str(), hop.to.as_str()] {
                    if !nodes.contains(&name) {
                        let _ = writeln!(out, "  n{}[\"{}\"]", nodes.len(), mermaid_label(name));
                        nodes.push(name);
                    }
                }
                let (from, to) = (
                    id(&hop.from, &nodes).unwrap_or_default(),
                    id(&hop.to, &nodes).unwrap_or_default(),
                );
                let _ = writeln!(
                    out,
                    "  n{from} -->|\"{}: {}\"| n{to}",
                    mermaid_label(&hop.path),
                    mermaid_label(&hop.text)
                );
            }
            out.push_str("```\n\n");
        }
    }
    for error in &diff.errors {
        let _ = writeln!(out, "> error: {}", cell(error));
    }
    out
}
