//! The files of one Terraform module, HCL or JSON syntax, read into one block model.
//!
//! Attribute values stay as written (an `hcl-edit` expression, or a JSON value whose strings
//! are templates) and are lowered only when a policy needs them.

use crate::base::source::{FileId, SourceFile, Span};
use crate::base::value::{Value, ValueKind};
use crate::extract::OffsetMap;
use hcl_edit::expr::Expression;
use hcl_edit::prelude::Span as _;
use hcl_edit::structure::{Body, Structure};
use std::ops::Range;

/// The text an HCL expression was parsed from, and how its offsets map to the file: a `.tf`
/// file is its own text; a template inside a `.tf.json` string was decoded first.
#[derive(Debug)]
pub(super) struct Src<'a> {
    pub file: FileId,
    /// The whole file, for diagnostics.
    pub file_text: &'a str,
    /// The text the parser saw.
    pub text: &'a str,
    pub map: OffsetMap,
}

impl<'a> Src<'a> {
    /// A whole file, after its byte order mark.
    pub(super) fn of_file(file: FileId, source: &'a SourceFile) -> Self {
        let len = source.text().len() - bom_len(source.text());
        Self::piece_of_file(file, source, 0..len)
    }

    /// The part `range` of a file's text after its byte order mark, with its own offsets.
    pub(super) fn piece_of_file(file: FileId, source: &'a SourceFile, range: Range<usize>) -> Self {
        let file_text = source.text();
        let start = bom_len(file_text) + range.start;
        Src {
            file,
            file_text,
            text: &file_text[start..start + range.len()],
            map: OffsetMap::Shift(start),
        }
    }

    /// The file span of a parser range, or `fallback` when the parser kept none.
    pub(super) fn span(&self, range: Option<Range<usize>>, fallback: Span) -> Span {
        match range {
            Some(range) => Span::new(
                self.file,
                self.map.map(range.start),
                self.map.map(range.end),
            ),
            None => fallback,
        }
    }

    /// The expression as written, for unknown values.
    pub(super) fn snippet(&self, range: Option<Range<usize>>) -> String {
        range
            .and_then(|range| self.text.get(range))
            .map(|text| text.trim().to_string())
            .unwrap_or_default()
    }
}

/// The length of the text's UTF-8 byte order mark, if it starts with one.
fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// An attribute value as written.
#[derive(Clone, Copy, Debug)]
pub(super) enum Expr<'a> {
    Hcl(&'a Expression, &'a Src<'a>),
    /// A value of a `.tf.json` file: strings are templates.
    Json(&'a Value, &'a Src<'a>),
}

impl Expr<'_> {
    /// Where the expression is written.
    pub(super) fn span(&self, fallback: Span) -> Span {
        match self {
            Expr::Hcl(e, src) => src.span(e.span(), fallback),
            Expr::Json(value, _) => value.span,
        }
    }
}

#[derive(Debug)]
pub(super) struct Attr<'a> {
    pub name: &'a str,
    pub name_span: Span,
    pub value: Expr<'a>,
}

#[derive(Debug)]
pub(super) struct Block<'a> {
    pub ident: &'a str,
    pub labels: Vec<&'a str>,
    pub file: FileId,
    /// The block's type and labels, where a finding about the block as a whole points.
    pub header: Span,
    pub attrs: Vec<Attr<'a>>,
    pub blocks: Vec<Block<'a>>,
}

impl<'a> Block<'a> {
    pub(super) fn attr(&self, name: &str) -> Option<&Attr<'a>> {
        self.attrs.iter().find(|attr| attr.name == name)
    }

    /// Nested blocks of this type, with the `content` of `dynamic "name"` blocks among them,
    /// each with its `dynamic` block (whose `for_each` says how often it is written).
    pub(super) fn nested<'s>(
        &'s self,
        ident: &'s str,
    ) -> impl Iterator<Item = (&'s Block<'a>, Option<&'s Block<'a>>)> {
        self.blocks.iter().filter_map(move |block| {
            if block.ident == ident {
                Some((block, None))
            } else if block.ident == "dynamic" && block.labels.first() == Some(&ident) {
                block
                    .blocks
                    .iter()
                    .find(|b| b.ident == "content")
                    .map(|content| (content, Some(block)))
            } else {
                None
            }
        })
    }
}

/// Blocks whose JSON form is an object (or a list of objects) rather than an attribute. Only
/// the blocks policies are read from matter.
const JSON_BLOCKS: &[&str] = &[
    "statement",
    "principals",
    "not_principals",
    "condition",
    "inline_policy",
    "dynamic",
    "content",
    "iam_instance_profile",
];

/// The top-level blocks of an HCL body.
pub(super) fn from_hcl<'a>(body: &'a Body, src: &'a Src<'a>) -> Vec<Block<'a>> {
    let fallback = Span::new(src.file, 0, 0);
    body.iter()
        .filter_map(|structure| match structure {
            Structure::Block(block) => Some(hcl_block(block, src, fallback)),
            Structure::Attribute(_) => None,
        })
        .collect()
}

fn hcl_block<'a>(
    block: &'a hcl_edit::structure::Block,
    src: &'a Src<'a>,
    fallback: Span,
) -> Block<'a> {
    let ident_span = src.span(block.ident.span(), fallback);
    let header = block
        .labels
        .last()
        .map(|label| ident_span.to(src.span(label_span(label), ident_span)))
        .unwrap_or(ident_span);
    let mut attrs = Vec::new();
    let mut blocks = Vec::new();
    for structure in block.body.iter() {
        match structure {
            Structure::Attribute(attr) => attrs.push(Attr {
                name: attr.key.as_str(),
                name_span: src.span(attr.key.span(), header),
                value: Expr::Hcl(&attr.value, src),
            }),
            Structure::Block(child) => blocks.push(hcl_block(child, src, header)),
        }
    }
    Block {
        ident: block.ident.as_str(),
        labels: block.labels.iter().map(|label| label.as_str()).collect(),
        file: src.file,
        header,
        attrs,
        blocks,
    }
}

fn label_span(label: &hcl_edit::structure::BlockLabel) -> Option<Range<usize>> {
    match label {
        hcl_edit::structure::BlockLabel::Ident(ident) => ident.span(),
        hcl_edit::structure::BlockLabel::String(string) => string.span(),
    }
}

/// The top-level blocks of a `.tf.json` file: `{"resource": {"type": {"name": {...}}}}`,
/// `{"data": ...}`, `{"locals": {...}}`.
pub(super) fn from_json<'a>(root: &'a Value, src: &'a Src<'a>) -> Vec<Block<'a>> {
    let mut out = Vec::new();
    for member in root.as_object().unwrap_or_default() {
        let depth = match member.key.as_str() {
            "resource" | "data" => 2,
            "module" => 1,
            "locals" => 0,
            _ => continue,
        };
        collect_json_blocks(
            &member.key,
            &member.value,
            depth,
            Vec::new(),
            member.key_span,
            src,
            &mut out,
        );
    }
    out
}

fn collect_json_blocks<'a>(
    ident: &'a str,
    value: &'a Value,
    depth: usize,
    labels: Vec<&'a str>,
    header: Span,
    src: &'a Src<'a>,
    out: &mut Vec<Block<'a>>,
) {
    if depth == 0 {
        for body in value.one_or_many() {
            if body.as_object().is_some() {
                out.push(json_block(ident, labels.clone(), header, body, src));
            }
        }
        return;
    }
    for member in value.as_object().unwrap_or_default() {
        let mut labels = labels.clone();
        labels.push(&member.key);
        collect_json_blocks(
            ident,
            &member.value,
            depth - 1,
            labels,
            member.key_span,
            src,
            out,
        );
    }
}

fn json_block<'a>(
    ident: &'a str,
    labels: Vec<&'a str>,
    header: Span,
    body: &'a Value,
    src: &'a Src<'a>,
) -> Block<'a> {
    let mut attrs = Vec::new();
    let mut blocks = Vec::new();
    for member in body.as_object().unwrap_or_default() {
        let is_block = JSON_BLOCKS.contains(&member.key.as_str())
            && member
                .value
                .one_or_many()
                .iter()
                .all(|v| matches!(v.kind, ValueKind::Object(_)));
        if !is_block {
            attrs.push(Attr {
                name: &member.key,
                name_span: member.key_span,
                value: Expr::Json(&member.value, src),
            });
        } else if member.key == "dynamic" {
            // `"dynamic": {"statement": {"for_each": ..., "content": {...}}}`
            collect_json_blocks(
                "dynamic",
                &member.value,
                1,
                Vec::new(),
                member.key_span,
                src,
                &mut blocks,
            );
        } else {
            for item in member.value.one_or_many() {
                blocks.push(json_block(
                    &member.key,
                    Vec::new(),
                    member.key_span,
                    item,
                    src,
                ));
            }
        }
    }
    Block {
        ident,
        labels,
        file: src.file,
        header,
        attrs,
        blocks,
    }
}
