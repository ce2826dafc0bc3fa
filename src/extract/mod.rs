//! Extractors: find every policy document a file holds and lower it to the spanned value tree.

pub mod carrier;
pub mod cloudformation;
pub mod document;
pub mod inventory;
pub mod json;
pub mod link;
pub mod managed;
pub mod mapped;
pub mod raw_policy;
pub mod suppressions;
pub mod terraform;
pub mod yaml;

use crate::base::finding::Problem;
use crate::base::rule_id::RuleId;
use crate::base::source::SourceFile;
use crate::base::source::{FileId, Span};
use crate::base::value::Unknown;
use crate::extract::document::PolicyDocument;
pub use crate::input::Intent;
use std::ops::Range;

/// What one extractor found in one file (or module): documents, and diagnostics for what it
/// could not read.
#[derive(Debug, Default)]
pub struct Extraction {
    pub documents: Vec<PolicyDocument>,
    pub diagnostics: Vec<Problem>,
    /// Suppressions written in the format's own structure (CloudFormation `Metadata`);
    /// comments are scanned by the engine for every format.
    pub suppressions: Vec<suppressions::Suppression>,
    /// Principals, policies and the resources that run as roles, for the access graph.
    pub inventory: inventory::Inventory,
    /// A Terraform plan's parts, with where in the configuration their findings go.
    pub planned: Vec<terraform::plan::Planned>,
    /// A Terraform plan's policies whose static findings the plan's replace.
    pub covered: Vec<terraform::plan::Covered>,
}

/// A Terraform plan or state first (JSON with `format_version` and plan keys; `read` reads
/// the configuration its findings map to), then CloudFormation: it claims YAML and
/// `.template` files, and `.json` files whose content is a template; other JSON is a raw
/// policy.
pub fn extract_file(
    file: FileId,
    source: &SourceFile,
    intent: Intent,
    read: &dyn terraform::ReadFiles,
) -> Extraction {
    if let Some(extraction) = terraform::plan::extract(file, source, read) {
        return extraction;
    }
    if let Some(extraction) = cloudformation::extract(file, source, intent) {
        return extraction;
    }
    raw_policy::extract(file, source, intent)
}

/// How offsets in a text handed to a parser map back to the file it was written in. Text
/// that is a verbatim slice of the file (a heredoc, a raw file after its BOM) only shifts;
/// text decoded from an escaped string needs a table.
#[derive(Clone, Debug)]
pub enum OffsetMap {
    Shift(usize),
    /// `table[i]` is the file offset of byte `i` of the decoded text; it has one more entry
    /// than the text has bytes, for the end position.
    Table(Vec<u32>),
}

impl OffsetMap {
    pub fn map(&self, offset: usize) -> usize {
        match self {
            OffsetMap::Shift(base) => base + offset,
            OffsetMap::Table(table) => match table.get(offset) {
                Some(&mapped) => mapped as usize,
                None => table.last().map_or(offset, |&last| last as usize),
            },
        }
    }
}

/// A part of a text that is only known at deploy time (`${var.x}` inside a heredoc, a `!Sub`
/// variable), as a byte range of the text handed to the parser.
#[derive(Clone, Debug)]
pub struct Hole {
    pub range: Range<usize>,
    pub unknown: Unknown,
}

/// A `parse-error` at a byte offset of `text`: it underlines the offending character, but
/// never a line break, which would read as a span into the next line.
pub fn syntax_error(
    file: FileId,
    text: &str,
    offset: usize,
    message: impl Into<String>,
) -> Problem {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let end = text[offset..]
        .chars()
        .next()
        .filter(|c| !matches!(c, '\n' | '\r'))
        .map_or(offset, |c| offset + c.len_utf8());
    Problem::new(RuleId::ParseError, Span::new(file, offset, end), message)
}
