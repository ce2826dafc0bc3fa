//! Raw JSON policy documents, recognised by content: a bare policy, `{"PolicyDocument": ...}`,
//! and `aws iam get-policy-version` output, whose `Document` may itself be a JSON string.

use super::json::{self, JsonError, JsonStrings};
use super::{Extraction, Hole, OffsetMap};
use crate::base::finding::Problem;
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, SourceFile, Span};
use crate::base::value::{TemplatePart, Unknown, Value, ValueKind};
use crate::extract::document::{Origin, PolicyDocument, PolicyKind};
use crate::input::Intent;
use std::path::Path;

pub fn extract(file: FileId, source: &SourceFile, intent: Intent) -> Extraction {
    let mut extraction = Extraction::default();
    let text = source.text();
    let template = is_terraform_template(source.path());
    let parsed = if template {
        parse_terraform_template(file, text)
    } else {
        json::parse_file(file, text)
    };
    let root = match parsed {
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
        // A template with directives may be JSON only once rendered (a `%{ for }` that
        // writes a comma after each item): what it renders is not known here.
        Err(_) if template && text.contains("%{") => return extraction,
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
            conditional: Vec::new(),
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

/// `policy.tpl`, `policy.json.tpl`: a template Terraform fills with `templatefile()`.
fn is_terraform_template(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("tpl"))
}

/// A JSON policy template found on its own: what the caller fills in is not known here, so
/// every `${...}` is a hole (an unknown value, or an unknown piece of a string) and never its
/// text. A `%{ if }`/`%{ for }` directive between values is blanked out, which keeps both
/// branches (a template that is not JSON then is not read); inside a string it is a hole.
fn parse_terraform_template(file: FileId, text: &str) -> Result<Option<Value>, JsonError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let bytes = &text.as_bytes()[bom..];
    let mut body = bytes.to_vec();
    let mut holes = Vec::new();
    let mut strings = JsonStrings::default();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let opens = matches!(byte, b'$' | b'%') && bytes.get(index + 1) == Some(&b'{');
        // `$${` and `%%{` are the literal text `${` and `%{`.
        let escapes = matches!(byte, b'$' | b'%')
            && bytes.get(index + 1) == Some(&byte)
            && bytes.get(index + 2) == Some(&b'{');
        if escapes {
            index += 3;
            continue;
        }
        if opens {
            let end = template_sequence_end(bytes, index + 2);
            if byte == b'$' || strings.inside {
                holes.push(Hole {
                    range: index..end,
                    unknown: Unknown {
                        expression: template_expression(&text[bom..][index..end]),
                        reference: None,
                    },
                });
            } else {
                // Blanked byte for byte: offsets and lines stay, and a character inside
                // (between the ASCII `%{` and `}`) is blanked whole.
                for byte in &mut body[index..end] {
                    if *byte != b'\n' {
                        *byte = b' ';
                    }
                }
            }
            index = end;
            continue;
        }
        strings.step(byte);
        index += 1;
    }
    let body = String::from_utf8(body)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let mut parsed = json::parse_embedded(file, &body, &OffsetMap::Shift(bom), &holes)?;
    if let Some(root) = &mut parsed
        && (text.contains("$${") || text.contains("%%{"))
    {
        unescape_template_text(root);
    }
    Ok(parsed)
}

/// `$${aws:username}` in a template is the text `${aws:username}` once rendered (a policy
/// variable); spans still point at what is written.
fn unescape_template_text(root: &mut Value) {
    let unescape = |text: &mut String| {
        if text.contains("$${") || text.contains("%%{") {
            *text = text.replace("$${", "${").replace("%%{", "%{");
        }
    };
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match &mut value.kind {
            ValueKind::String(text) => unescape(text),
            ValueKind::Template(parts) => {
                for part in parts {
                    if let TemplatePart::Literal(text) = part {
                        unescape(text);
                    }
                }
            }
            ValueKind::Array(items) => stack.extend(items.iter_mut()),
            ValueKind::Object(members) => {
                for member in members {
                    unescape(&mut member.key);
                    stack.push(&mut member.value);
                }
            }
            _ => {}
        }
    }
}

/// `var.x` of `${ var.x }` (`${~ x ~}` strips whitespace around it).
fn template_expression(sequence: &str) -> String {
    let inner = sequence.get(2..).unwrap_or_default();
    let inner = inner.strip_suffix('}').unwrap_or(inner);
    inner.trim().trim_matches('~').trim().to_string()
}

/// The end (after its `}`) of a `${...}` or `%{...}` whose expression starts at `start`:
/// braces nest, and quoted strings inside the expression are skipped. An unclosed sequence
/// runs to the end of the text.
fn template_sequence_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 1;
    let mut quoted = false;
    let mut index = start;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' if quoted => index += 1,
            b'"' => quoted = !quoted,
            b'{' if !quoted => depth += 1,
            b'}' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return index + 1;
                }
            }
            _ => {}
        }
        index += 1;
    }
    bytes.len()
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
pub(crate) fn parse_string_document(
    file: FileId,
    text: &str,
    span: Span,
) -> Result<Option<Value>, JsonError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        parse_terraform_template(FileId(0), text).unwrap().unwrap()
    }

    #[test]
    fn placeholders_are_unknowns_and_escapes_are_text() {
        let text = r#"{"Resource": "arn:aws:s3:::${ var.b }/home/$${aws:username}/*", "Action": ${jsonencode({a = "}"})}, "Sid": "%%{x}"}"#;
        let value = parse(text);
        let resource = value.get("Resource").unwrap();
        assert_eq!(
            resource.template_parts(),
            vec![Some("arn:aws:s3:::"), None, Some("/home/${aws:username}/*")]
        );
        assert_eq!(
            &text[resource.span.range()],
            r#""arn:aws:s3:::${ var.b }/home/$${aws:username}/*""#
        );
        assert!(
            matches!(&value.get("Action").unwrap().kind, ValueKind::Unknown(u) if u.expression == r#"jsonencode({a = "}"})"#)
        );
        assert_eq!(value.get("Sid").unwrap().as_str(), Some("%{x}"));
    }

    #[test]
    fn directives_between_values_are_left_out() {
        let text = "{\"Action\": [\"s3:GetObject\"%{ if write },\n \"s3:PutObject\"%{ endif }]}";
        let actions = parse(text);
        let actions = actions.get("Action").unwrap().as_array().unwrap();
        assert_eq!(actions.len(), 2);
        assert_eq!(&text[actions[1].span.range()], "\"s3:PutObject\"");
    }
}
