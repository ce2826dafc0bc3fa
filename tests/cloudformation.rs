//! Snapshot tests of the CloudFormation/SAM extractor over `testdata/cloudformation/`.
//!
//! Every document found, with its origin, kind, attachments and notes, the normalised policy,
//! the source text of every leaf value (so an off-by-one span shows), and the findings of all
//! rules.

use iamlint::engine::{self, CheckOptions};
use iamlint::source::{SourceMap, Span};
use iamlint::value::{Value, ValueKind};
use std::fmt::Write;
use std::path::Path;

fn snippet(sources: &SourceMap, span: Span) -> String {
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

fn at(sources: &SourceMap, span: Span) -> String {
    let position = sources.get(span.file).line_col(span.start as usize);
    format!("{}:{}", position.line, position.column)
}

fn leaves(value: &Value, path: String, out: &mut Vec<(String, Span)>) {
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
        ..CheckOptions::default()
    };
    let run = engine::run(&options);
    let sources = &run.sources;
    let mut out = String::new();
    for error in &run.errors {
        writeln!(out, "error: {}", error.message).unwrap();
    }
    for document in &run.documents {
        writeln!(
            out,
            "== {} ({}) at {}",
            document.origin.label().unwrap_or_default(),
            match &document.kind {
                iamlint::document::PolicyKind::Resource { resource_type } => {
                    format!("resource {resource_type}")
                }
                kind => kind.name().to_string(),
            },
            at(sources, document.value.span)
        )
        .unwrap();
        for attachment in &document.attachments {
            let written = attachment
                .span
                .map(|span| format!(" <- {} `{}`", at(sources, span), snippet(sources, span)))
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
                at(sources, span),
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
            at(sources, finding.primary),
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
                at(sources, label.span),
                label.message,
                snippet(sources, label.span)
            )
            .unwrap();
        }
    }
    out
}

#[test]
fn templates() {
    insta::glob!(
        "../testdata/cloudformation",
        "*.{yaml,yml,json,template}",
        |path| {
            insta::assert_snapshot!(render(path));
        }
    );
}

/// Truncations and single-character insertions of every template never panic the extractor.
#[test]
fn mutated_templates_never_panic() {
    use iamlint::extract::{cloudformation, raw_policy::Intent};
    use iamlint::source::{FileId, SourceFile};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/cloudformation");
    let mut runs = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(index, _)| index)
            .step_by((text.len() / 40).max(1))
            .collect();
        for &at in &boundaries {
            let mut variants = vec![text[..at].to_string()];
            for inserted in [
                "{", "[", "'", "\"", "!", "&a ", "*a", "|", "\n", "\\", "${", "- ",
            ] {
                variants.push(format!("{}{inserted}{}", &text[..at], &text[at..]));
            }
            for variant in variants {
                let source = SourceFile::new(path.clone(), variant);
                let _ = cloudformation::extract(FileId(0), &source, Intent::Explicit);
                runs += 1;
            }
        }
    }
    assert!(runs > 1000);
}
