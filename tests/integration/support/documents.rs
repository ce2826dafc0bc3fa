//! Every document the engine finds under a path, with its origin, kind, attachments and
//! notes, the normalised policy, the source text of every leaf value (so an off-by-one span
//! shows), and the findings of all rules: what extractor snapshot tests review.

use iamlint::base::source::{FileId, SourceMap, Span};
use iamlint::base::value::{Value, ValueKind};
use iamlint::engine::{self, CheckOptions};
use std::fmt::Write;
use std::path::Path;

pub fn snippet(sources: &SourceMap, span: Span) -> String {
    let file = sources.get(span.file);
    let text: String = file
        .snippet(span)
        .chars()
        .map(|c| match c {
            '\n' => '⏎',
            '\r' => '␍',
            c => c,
        })
        .collect();
    if text.chars().count() > 72 {
        let cut: String = text.chars().take(69).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn at_line(sources: &SourceMap, span: Span) -> String {
    let position = sources.get(span.file).line_col(span.start as usize);
    format!("{}:{}", position.line, position.column)
}

/// `line:col`, prefixed with the file name when the span is in another file than `home`
/// (a policy read by Terraform's `file()`, a data source in a sibling file).
fn at(sources: &SourceMap, home: FileId, span: Span) -> String {
    if span.file == home {
        return at_line(sources, span);
    }
    let file = sources.get(span.file);
    let name = file
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}:{}", at_line(sources, span))
}

pub fn leaves(value: &Value, path: String, out: &mut Vec<(String, Span)>) {
    match &value.kind {
        ValueKind::Object(members) => {
            for member in members {
                let child = if path.is_empty() {
                    member.key.clone()
                } else {
                    format!("{path}.{}", member.key)
                };
                leaves(&member.value, child, out);
            }
        }
        ValueKind::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                leaves(item, format!("{path}[{index}]"), out);
            }
        }
        _ => out.push((path, value.span)),
    }
}

/// Everything iamlint reads from one file, as reviewable text.
pub fn render(path: &Path) -> String {
    let options = CheckOptions {
        paths: vec![path.to_path_buf()],
        keep_documents: true,
        jobs: Some(1),
        rules: super::every_rule(),
        ..CheckOptions::default()
    };
    let run = engine::run(&options);
    let sources = &run.sources;
    let several = path.is_dir();
    let mut out = String::new();
    for error in &run.errors {
        writeln!(out, "error: {}", error.message).unwrap();
    }
    for document in &run.documents {
        let home = document.value.span.file;
        writeln!(
            out,
            "== {} ({}) at {}",
            document.origin.label().unwrap_or_default(),
            match &document.kind {
                iamlint::extract::document::PolicyKind::Resource { resource_type } => {
                    format!("resource {resource_type}")
                }
                kind => kind.name().to_string(),
            },
            at_line(sources, document.value.span)
        )
        .unwrap();
        for attachment in &document.attachments {
            let written = attachment
                .span
                .map(|span| {
                    format!(
                        " <- {} `{}`",
                        at(sources, home, span),
                        snippet(sources, span)
                    )
                })
                .unwrap_or_default();
            writeln!(
                out,
                "   attached to {:?} {}{written}",
                attachment.principal_kind, attachment.principal
            )
            .unwrap();
        }
        for note in &document.origin.notes {
            writeln!(out, "   note: {note}").unwrap();
        }
        writeln!(out, "   {}", document.value.to_json()).unwrap();
        let mut spans = Vec::new();
        leaves(&document.value, String::new(), &mut spans);
        for (path, span) in spans {
            writeln!(
                out,
                "   {path:<40} {:>7}  `{}`",
                at(sources, home, span),
                snippet(sources, span)
            )
            .unwrap();
        }
        out.push('\n');
    }
    writeln!(out, "-- findings").unwrap();
    for finding in &run.findings {
        writeln!(
            out,
            "{} {}[{}] {}\n      `{}`",
            locate(sources, finding.primary, several),
            finding.severity.as_str(),
            finding.rule,
            finding.message,
            snippet(sources, finding.primary)
        )
        .unwrap();
        for label in &finding.related {
            writeln!(
                out,
                "      related {} {}: `{}`",
                locate(sources, label.span, several),
                label.message,
                snippet(sources, label.span)
            )
            .unwrap();
        }
    }
    out
}

/// `line:col` of a finding, prefixed with the file name when a run covers several files.
fn locate(sources: &SourceMap, span: Span, several: bool) -> String {
    let file = sources.get(span.file);
    let position = file.line_col(span.start as usize);
    if !several {
        return format!("{}:{}", position.line, position.column);
    }
    let name = file
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}:{}:{}", position.line, position.column)
}
