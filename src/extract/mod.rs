//! Extractors: find every policy document a file holds and lower it to the spanned value tree.

pub mod cloudformation;
pub mod document;
pub mod json;
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
use crate::extract::document::{Attachment, PolicyDocument, PolicyKind, PrincipalKind};
pub use crate::input::Intent;
use std::collections::HashMap;
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
}

/// CloudFormation first: it claims YAML and `.template` files, and `.json` files whose content
/// is a template; other JSON is a raw policy.
pub fn extract_file(file: FileId, source: &SourceFile, intent: Intent) -> Extraction {
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

/// Principals that receive every identity policy of another one: the instance profiles of a
/// role, the users of a group. Both extractors record them while reading and apply them to
/// each identity document once every resource is known.
#[derive(Debug, Default)]
pub struct Heirs {
    by_principal: HashMap<(PrincipalKind, String), Vec<Attachment>>,
}

impl Heirs {
    pub fn add(&mut self, kind: PrincipalKind, principal: String, heir: Attachment) {
        self.by_principal
            .entry((kind, principal))
            .or_default()
            .push(heir);
    }

    /// Adds to `attachments` the heirs of every principal in it.
    pub fn extend(&self, attachments: &mut Vec<Attachment>) {
        let heirs: Vec<Attachment> = attachments
            .iter()
            .filter_map(|a| {
                self.by_principal
                    .get(&(a.principal_kind, a.principal.clone()))
            })
            .flatten()
            .cloned()
            .collect();
        for heir in heirs {
            if !attachments.contains(&heir) {
                attachments.push(heir);
            }
        }
    }
}

/// Facts recorded about principals (an AWS managed policy attached by ARN, a boundary outside
/// the code, who uses an instance profile), indexed by principal so that every document the
/// principal receives carries them.
pub struct PrincipalNotes<'n> {
    by_principal: HashMap<&'n str, Vec<&'n String>>,
}

impl<'n> PrincipalNotes<'n> {
    /// `notes` holds (principal, note) pairs in the order they were found.
    pub fn index(notes: &'n [(String, String)]) -> Self {
        let mut by_principal: HashMap<&str, Vec<&String>> = HashMap::new();
        for (principal, note) in notes {
            by_principal.entry(principal).or_default().push(note);
        }
        PrincipalNotes { by_principal }
    }

    /// Adds to `notes` what is recorded about `principals`, each note once.
    pub fn copy_to(&self, principals: &[String], notes: &mut Vec<String>) {
        for principal in principals {
            for note in self
                .by_principal
                .get(principal.as_str())
                .into_iter()
                .flatten()
            {
                if !notes.contains(note) {
                    notes.push((*note).clone());
                }
            }
        }
    }
}

/// Applies the links that point at one policy: the principals it is attached to, and those
/// whose permissions boundary it is. A policy used only as a boundary becomes a
/// `permissions-boundary` document; one that also grants notes the boundary use.
pub fn apply_links<'l>(
    kind: &mut PolicyKind,
    attachments: &mut Vec<Attachment>,
    notes: &mut Vec<String>,
    links: impl IntoIterator<Item = (&'l Attachment, bool)>,
) {
    let mut boundary_of = Vec::new();
    let mut attached = false;
    for (attachment, boundary) in links {
        if boundary {
            boundary_of.push(attachment.clone());
        } else if !attachments.contains(attachment) {
            attached = true;
            attachments.push(attachment.clone());
        }
    }
    if boundary_of.is_empty() {
        return;
    }
    if *kind == PolicyKind::Identity && !attached && attachments.is_empty() {
        *kind = PolicyKind::PermissionsBoundary;
        attachments.extend(boundary_of);
    } else {
        for attachment in boundary_of {
            notes.push(format!(
                "also the permissions boundary of `{}`",
                attachment.principal
            ));
        }
    }
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
