//! Text assembled from pieces of a source file, with the file offset of every byte and the
//! holes only known at deploy time: what embedded JSON needs to be parsed with exact spans.

use super::Hole;
use crate::base::value::{TemplatePart, Unknown, ValueKind};

/// A string assembled from pieces of a file (`!Sub`, `!Join`, HCL templates), with the file offset of every
/// byte and the parts only known at deploy time: what JSON embedded in it needs to be parsed
/// with its spans mapped back, and what a template value is made of.
#[derive(Debug, Default)]
pub struct Mapped {
    pub text: String,
    /// File offset of every byte of `text`.
    pub(crate) offsets: Vec<u32>,
    /// File offset of the end.
    pub(crate) end: u32,
    pub holes: Vec<Hole>,
}

impl Mapped {
    pub(crate) fn push(&mut self, text: &str, offsets: &[u32]) {
        self.push_each(text, offsets.iter().copied());
    }

    /// `text`, its bytes at `offsets`, one each.
    pub(crate) fn push_each(&mut self, text: &str, offsets: impl Iterator<Item = u32>) {
        self.text.push_str(text);
        self.offsets.extend(offsets);
        // Offsets come from the same string, so the lengths agree; guard anyway.
        self.offsets.resize(self.text.len(), self.end);
    }

    pub(crate) fn push_at(&mut self, text: &str, offset: u32) {
        self.text.push_str(text);
        self.offsets.resize(self.text.len(), offset);
    }

    /// A hole written as `placeholder`, its bytes at `offsets`, one each.
    pub(crate) fn push_hole(
        &mut self,
        placeholder: &str,
        offsets: impl Iterator<Item = u32>,
        unknown: Unknown,
    ) {
        let start = self.text.len();
        self.push_each(placeholder, offsets);
        self.holes.push(Hole {
            range: start..self.text.len(),
            unknown,
        });
    }

    /// A hole with no text of its own in the source (a `!Join` part made by a function),
    /// written as `${expression}` and pointing at the part.
    pub(crate) fn push_unknown(&mut self, unknown: Unknown, offset: u32) {
        let placeholder = format!("${{{}}}", unknown.expression);
        let offsets = std::iter::repeat_n(offset, placeholder.len());
        self.push_hole(&placeholder, offsets, unknown);
    }

    pub(crate) fn append(&mut self, other: Mapped) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.offsets.extend(other.offsets);
        self.holes.extend(other.holes.into_iter().map(|hole| Hole {
            range: hole.range.start + base..hole.range.end + base,
            unknown: hole.unknown,
        }));
        self.end = other.end;
    }

    /// The offset map `json::parse_embedded` takes.
    pub fn offset_table(&self) -> Vec<u32> {
        let mut table = self.offsets.clone();
        table.push(self.end);
        table
    }

    /// A plain string, or a template whose holes are the unknown parts.
    pub fn into_kind(self) -> ValueKind {
        if self.holes.is_empty() {
            return ValueKind::String(self.text);
        }
        let mut parts = Vec::new();
        let mut cursor = 0;
        for hole in self.holes {
            if hole.range.start > cursor {
                parts.push(TemplatePart::Literal(
                    self.text[cursor..hole.range.start].to_string(),
                ));
            }
            parts.push(TemplatePart::Hole(hole.unknown));
            cursor = hole.range.end;
        }
        if cursor < self.text.len() {
            parts.push(TemplatePart::Literal(self.text[cursor..].to_string()));
        }
        ValueKind::Template(parts)
    }
}
