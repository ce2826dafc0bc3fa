//! Raw JSON policy documents, recognised by content: a bare policy, `{"PolicyDocument": ...}`,
//! and `aws iam get-policy-version` output, whose `Document` may itself be a JSON string.

use super::json::{self, JsonError};
use super::{Extraction, OffsetMap};
use crate::base::finding::Problem;
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, SourceFile, Span};
use crate::base::value::{Value, ValueKind};
use crate::extract::document::{Origin, PolicyDocument, PolicyKind};
use crate::input::Intent;

pub fn extract(file: FileId, source: &SourceFile, intent: Intent) -> Extraction {
    let mut extraction = Extraction::default();
    let text = source.text();
    let root = match json::parse_file(file, text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            if intent == Intent::Explicit {
                extraction.diagnostics.push(Problem::new(
                    RuleId::ParseError,
                    Span::new(file, 0, 0),
                    "the file is empty; expected a JSON policy document",
                ));
            }
            return extraction;
        }
        Err(error) => {
            if intent == Intent::Explicit || looks_like_policy(text) {
                extraction
                    .diagnostics
                    .push(json_syntax_error(file, text, &error));
            }
            return extraction;
        }
    };
    let root_start = root.span.start as usize;
    match find_policy(file, text, root) {
        Ok(Some(value)) => extraction.documents.push(PolicyDocument {
            origin: Origin::file(file),
            kind: PolicyKind::Unknown,
            value,
            attachments: Vec::new(),
            managed: Vec::new(),
        }),
        Ok(None) if intent == Intent::Explicit => {
            extraction.diagnostics.push(Problem::new(
                RuleId::ParseError,
                Span::new(file, root_start, root_start + 1),
                "no IAM policy found: expected an object with `Statement`, `PolicyDocument` or `PolicyVersion.Document`",
            ));
        }
        Ok(None) => {}
        Err(error) => extraction
            .diagnostics
            .push(json_syntax_error(file, text, &error)),
    }
    extraction
}

/// A cheap guess, for JSON that does not parse, whether it was meant to be a policy.
fn looks_like_policy(text: &str) -> bool {
    text.contains("\"Statement\"") || text.contains("\"PolicyDocument\"")
}

fn json_syntax_error(file: FileId, text: &str, error: &JsonError) -> crate::base::finding::Problem {
    super::syntax_error(
        file,
        text,
        error.offset,
        format!("invalid JSON: {}", error.message),
    )
}

/// The policy value inside a root, following the wrappers AWS tools write. The root is
/// taken, not copied: a generated policy's tree can be most of a run's memory.
fn find_policy(file: FileId, text: &str, root: Value) -> Result<Option<Value>, JsonError> {
    if root.as_object().is_none() {
        return Ok(None);
    }
    if root.get("Statement").is_some() {
        return Ok(Some(root));
    }
    let wrapped = root
        .get("PolicyDocument")
        .or_else(|| root.get("PolicyVersion").and_then(|v| v.get("Document")))
        .or_else(|| root.get("Policy").and_then(|v| v.get("PolicyDocument")));
    match wrapped {
        Some(Value {
            kind: ValueKind::String(_),
            span,
        }) => parse_string_document(file, text, *span),
        Some(value) if value.as_object().is_some() => Ok(Some(value.clone())),
        _ => Ok(None),
    }
}

/// A document given as a JSON string, parsed with its spans mapped through the escapes.
fn parse_string_document(file: FileId, text: &str, span: Span) -> Result<Option<Value>, JsonError> {
    let literal = &text[span.range()];
    let Some((decoded, table)) = json::decode_string_literal(literal, span.start as usize) else {
        return Ok(None);
    };
    if !decoded.trim_start().starts_with('{') {
        // URL-encoded documents come from the raw IAM API; the CLI decodes them for us.
        return Ok(None);
    }
    json::parse_embedded(file, &decoded, &OffsetMap::Table(table), &[])
}
