//! A small YAML tree builder over saphyr-parser events that keeps byte spans and tags.
//!
//! It also keeps scalar styles and duplicate keys, and bounds nesting depth and alias
//! expansion.
//!
//! saphyr's own `MarkedYaml` loses the span of a tagged scalar and rejects duplicate keys,
//! both of which a linter needs; its events carry everything, so the tree is built here.

use crate::base::source::{FileId, Span};
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use std::collections::HashMap;

/// One YAML node. Spans are byte offsets of the file and include the node's tag and anchor.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub span: Span,
    /// The tag as written after resolution of its handle: `!Ref`, `tag:yaml.org,2002:str`.
    pub tag: Option<String>,
    /// Whether a tag or an anchor precedes the node's content in the source.
    pub has_properties: bool,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Scalar {
        value: String,
        style: Style,
    },
    Sequence(Vec<Node>),
    /// Entries in source order, duplicates kept; merge keys (`<<`) already applied.
    Mapping(Vec<(Node, Node)>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// Byte offset in the file.
    pub offset: usize,
    pub message: String,
}

/// Bounds that keep a hostile file from costing unbounded stack, memory or time.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Nesting of sequences and mappings, including through aliases.
    pub max_depth: usize,
    /// Nodes that alias expansion may add in total (a "billion laughs" file stops here).
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_alias_nodes: 100_000,
        }
    }
}

/// Converts saphyr's character indices to byte offsets.
struct Offsets {
    /// `None` for ASCII text, where both are the same.
    table: Option<Vec<u32>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(index, _)| index as u32)
                .chain(std::iter::once(text.len() as u32))
                .collect()
        });
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(table) => table
                .get(char_index)
                .map_or(self.len, |&offset| offset as usize),
        }
    }
}

enum Frame {
    Sequence {
        start: usize,
        tag: Option<String>,
        has_properties: bool,
        anchor: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: usize,
        tag: Option<String>,
        has_properties: bool,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

struct Anchored {
    node: Node,
    nodes: usize,
    depth: usize,
}

/// Parses every document of the stream.
pub fn parse(file: FileId, text: &str, limits: Limits) -> Result<Vec<Node>, Error> {
    let offsets = Offsets::new(text);
    let mut builder = Builder {
        file,
        text,
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        documents: Vec::new(),
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|error| Error {
            offset: offsets.byte(error.marker().index()),
            message: error.info().to_string(),
        })?;
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index()).max(start);
        builder.event(event, start, end)?;
    }
    Ok(builder.documents)
}

struct Builder<'t> {
    file: FileId,
    text: &'t str,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    alias_nodes: usize,
    documents: Vec<Node>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, start: usize, end: usize) -> Result<(), Error> {
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                let has_properties = anchor != 0 || tag.is_some();
                let node = Node {
                    span: Span::new(self.file, start, end),
                    tag: tag.map(|tag| tag_name(&tag)),
                    has_properties,
                    kind: Kind::Scalar {
                        value: value.into_owned(),
                        style: style_of(style),
                    },
                };
                self.remember(anchor, &node, 1, 0);
                self.push(node, start)
            }
            Event::SequenceStart(anchor, tag) => {
                self.check_depth(start)?;
                self.stack.push(Frame::Sequence {
                    start,
                    has_properties: anchor != 0 || tag.is_some(),
                    tag: tag.map(|tag| tag_name(&tag)),
                    anchor,
                    items: Vec::new(),
                });
                Ok(())
            }
            Event::MappingStart(anchor, tag) => {
                self.check_depth(start)?;
                self.stack.push(Frame::Mapping {
                    start,
                    has_properties: anchor != 0 || tag.is_some(),
                    tag: tag.map(|tag| tag_name(&tag)),
                    anchor,
                    entries: Vec::new(),
                    key: None,
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (node, anchor) = self.finish(frame, start, end);
                if anchor != 0 {
                    let nodes = count_nodes(&node);
                    let depth = depth_of(&node);
                    self.remember(anchor, &node, nodes, depth);
                }
                self.push(node, start)
            }
            Event::Alias(id) => {
                let Some(anchored) = self.anchors.get(&id) else {
                    return Err(Error {
                        offset: start,
                        message: "alias to an unknown anchor".into(),
                    });
                };
                self.alias_nodes = self.alias_nodes.saturating_add(anchored.nodes);
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(Error {
                        offset: start,
                        message: format!(
                            "aliases expand to more than {} nodes; refusing to expand further",
                            self.limits.max_alias_nodes
                        ),
                    });
                }
                if self.stack.len() + anchored.depth > self.limits.max_depth {
                    return Err(self.too_deep(start));
                }
                let node = anchored.node.clone();
                self.push(node, start)
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
        }
    }

    fn check_depth(&self, offset: usize) -> Result<(), Error> {
        if self.stack.len() >= self.limits.max_depth {
            Err(self.too_deep(offset))
        } else {
            Ok(())
        }
    }

    fn too_deep(&self, offset: usize) -> Error {
        Error {
            offset,
            message: format!("nesting deeper than {} levels", self.limits.max_depth),
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node, nodes: usize, depth: usize) {
        if anchor != 0 {
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    nodes,
                    depth,
                },
            );
        }
    }

    fn push(&mut self, node: Node, _offset: usize) -> Result<(), Error> {
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
        Ok(())
    }

    /// Builds the node of a closed collection. A block collection's end event sits at the next
    /// token, past blank lines and comments, so its span ends with its last child instead.
    fn finish(&self, frame: Frame, end_start: usize, end_end: usize) -> (Node, usize) {
        let flow_end = (end_end > end_start).then_some(end_end);
        match frame {
            Frame::Sequence {
                start,
                tag,
                has_properties,
                anchor,
                items,
            } => {
                let end = flow_end
                    .or_else(|| items.last().map(|n| n.span.end as usize))
                    .unwrap_or_else(|| self.trimmed_end(start, end_start));
                let node = Node {
                    span: Span::new(self.file, start, end),
                    tag,
                    has_properties,
                    kind: Kind::Sequence(items),
                };
                (node, anchor)
            }
            Frame::Mapping {
                start,
                tag,
                has_properties,
                anchor,
                mut entries,
                key,
            } => {
                if let Some(key) = key {
                    // A key without a value (only possible in odd flow syntax): keep it as null.
                    let span = Span::new(self.file, key.span.end as usize, key.span.end as usize);
                    entries.push((
                        key,
                        Node {
                            span,
                            tag: None,
                            has_properties: false,
                            kind: Kind::Scalar {
                                value: String::new(),
                                style: Style::Plain,
                            },
                        },
                    ));
                }
                let end = flow_end
                    .or_else(|| entries.last().map(|(_, v)| v.span.end as usize))
                    .unwrap_or_else(|| self.trimmed_end(start, end_start));
                let node = Node {
                    span: Span::new(self.file, start, end),
                    tag,
                    has_properties,
                    kind: Kind::Mapping(apply_merge_keys(entries)),
                };
                (node, anchor)
            }
        }
    }

    /// The end of an empty block collection: its start, without the whitespace saphyr
    /// attached to a tagged start event.
    fn trimmed_end(&self, start: usize, limit: usize) -> usize {
        let limit = limit.max(start).min(self.text.len());
        let slice = self.text.get(start..limit).unwrap_or("");
        start + slice.trim_end().len()
    }
}

fn style_of(style: ScalarStyle) -> Style {
    match style {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        ScalarStyle::Literal => Style::Literal,
        ScalarStyle::Folded => Style::Folded,
    }
}

fn tag_name(tag: &Tag) -> String {
    format!("{}{}", tag.handle, tag.suffix)
}

fn count_nodes(node: &Node) -> usize {
    1 + match &node.kind {
        Kind::Scalar { .. } => 0,
        Kind::Sequence(items) => items.iter().map(count_nodes).sum(),
        Kind::Mapping(entries) => entries
            .iter()
            .map(|(k, v)| count_nodes(k) + count_nodes(v))
            .sum(),
    }
}

fn depth_of(node: &Node) -> usize {
    match &node.kind {
        Kind::Scalar { .. } => 0,
        Kind::Sequence(items) => 1 + items.iter().map(depth_of).max().unwrap_or(0),
        Kind::Mapping(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| depth_of(k).max(depth_of(v)))
                .max()
                .unwrap_or(0)
        }
    }
}

/// YAML 1.1 merge keys (`<<: *defaults`), which SAM CLI and cfn-lint accept: the merged
/// mappings' entries come after the explicit ones, and never override them.
fn apply_merge_keys(entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    let is_merge = |key: &Node| {
        matches!(&key.kind, Kind::Scalar { value, style: Style::Plain } if value == "<<")
            && key.tag.is_none()
    };
    if !entries.iter().any(|(key, _)| is_merge(key)) {
        return entries;
    }
    let mut explicit = Vec::new();
    let mut merged = Vec::new();
    for (key, value) in entries {
        if !is_merge(&key) {
            explicit.push((key, value));
            continue;
        }
        let sources = match value.kind {
            Kind::Mapping(_) => vec![value],
            Kind::Sequence(items) => items,
            // Not a mapping: keep it as an ordinary entry, so it stays visible.
            kind => {
                explicit.push((key, Node { kind, ..value }));
                continue;
            }
        };
        for source in sources {
            if let Kind::Mapping(source_entries) = source.kind {
                merged.extend(source_entries);
            }
        }
    }
    let mut result = explicit;
    for (key, value) in merged {
        let taken = result
            .iter()
            .any(|(k, _)| scalar_text(k).is_some() && scalar_text(k) == scalar_text(&key));
        if !taken {
            result.push((key, value));
        }
    }
    result
}

/// The text of a scalar node.
pub fn scalar_text(node: &Node) -> Option<&str> {
    match &node.kind {
        Kind::Scalar { value, .. } => Some(value),
        _ => None,
    }
}

/// For every byte of a scalar's value, the file offset it was written at (plus one entry for
/// the end), so that JSON held in a YAML string can be reported where it is written.
///
/// The value is aligned with the source: every non-space character must be found in order,
/// through `''` in single-quoted and escapes in double-quoted scalars; spaces and line breaks
/// that folding or indentation changed map to the nearest source position. `None` when the
/// alignment fails (an unusual escape or indentation form), and callers fall back to a
/// coarser position.
pub fn scalar_offsets(
    text: &str,
    span: Span,
    value: &str,
    style: Style,
    has_properties: bool,
) -> Option<Vec<u32>> {
    let start = span.start as usize;
    let end = (span.end as usize).min(text.len());
    let source = text.get(start..end)?;
    let mut cursor = content_start(source, style, has_properties);
    let mut table = Vec::with_capacity(value.len() + 1);
    let bytes = source.as_bytes();
    for ch in value.chars() {
        let at = loop {
            let rest = source.get(cursor..)?;
            let raw = rest.chars().next()?;
            if style == Style::DoubleQuoted && raw == '\\' {
                let (decoded, length) = decode_escape(rest)?;
                match decoded {
                    Some(decoded) if decoded == ch => {
                        let at = cursor;
                        cursor += length;
                        break at;
                    }
                    // An escaped line break: nothing decoded, skip it.
                    None => {
                        cursor += length;
                        continue;
                    }
                    Some(_) if ch.is_whitespace() => break cursor,
                    Some(_) => return None,
                }
            }
            if raw == ch {
                let at = cursor;
                cursor += raw.len_utf8();
                if style == Style::SingleQuoted && raw == '\'' && bytes.get(cursor) == Some(&b'\'')
                {
                    cursor += 1;
                }
                break at;
            }
            if ch.is_whitespace() {
                if raw.is_whitespace() {
                    let at = cursor;
                    cursor += raw.len_utf8();
                    break at;
                }
                // Folding made a space where the source has none left: map it here.
                break cursor;
            }
            if raw.is_whitespace() {
                cursor += raw.len_utf8();
                continue;
            }
            return None;
        };
        let offset = u32::try_from(start + at).ok()?;
        table.extend(std::iter::repeat_n(offset, ch.len_utf8()));
    }
    table.push(u32::try_from(start + cursor).ok()?);
    Some(table)
}

/// Where a scalar's content starts within its source: past its tag and anchor, its opening
/// quote, or its block header line.
fn content_start(source: &str, style: Style, has_properties: bool) -> usize {
    let mut index = 0;
    let bytes = source.as_bytes();
    let block = matches!(style, Style::Literal | Style::Folded);
    if has_properties {
        // Tags and anchors are single tokens separated by whitespace.
        while index < bytes.len() && matches!(bytes[index], b'!' | b'&') {
            while index < bytes.len() && !bytes[index].is_ascii_whitespace() {
                index += 1;
            }
            while index < bytes.len() && matches!(bytes[index], b' ' | b'\t' | b'\r' | b'\n') {
                index += 1;
            }
        }
        if block {
            // saphyr starts a block scalar with properties at the properties; its content
            // begins on the line after the `|` or `>` header.
            return source[index..]
                .find('\n')
                .map_or(source.len(), |newline| index + newline + 1);
        }
    }
    match style {
        Style::SingleQuoted | Style::DoubleQuoted => index + 1,
        _ => index,
    }
}

/// Decodes one double-quoted escape at the start of `rest`: the character (`None` for an
/// escaped line break, which produces nothing) and the escape's length in bytes.
fn decode_escape(rest: &str) -> Option<(Option<char>, usize)> {
    let mut chars = rest.chars();
    chars.next()?;
    let escape = chars.next()?;
    let simple = |c: char| Some((Some(c), 1 + escape.len_utf8()));
    match escape {
        '0' => simple('\0'),
        'a' => simple('\u{7}'),
        'b' => simple('\u{8}'),
        't' | '\t' => simple('\t'),
        'n' => simple('\n'),
        'v' => simple('\u{b}'),
        'f' => simple('\u{c}'),
        'r' => simple('\r'),
        'e' => simple('\u{1b}'),
        ' ' => simple(' '),
        '"' => simple('"'),
        '/' => simple('/'),
        '\\' => simple('\\'),
        'N' => simple('\u{85}'),
        '_' => simple('\u{a0}'),
        'L' => simple('\u{2028}'),
        'P' => simple('\u{2029}'),
        'x' | 'u' | 'U' => {
            let digits = match escape {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex = rest.get(2..2 + digits)?;
            let code = u32::from_str_radix(hex, 16).ok()?;
            Some((Some(char::from_u32(code)?), 2 + digits))
        }
        '\n' => Some((None, 2)),
        '\r' => Some((None, if rest[2..].starts_with('\n') { 3 } else { 2 })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: FileId = FileId(0);

    fn root(text: &str) -> Node {
        parse(FILE, text, Limits::default())
            .unwrap()
            .into_iter()
            .next()
            .unwrap()
    }

    fn entry<'n>(node: &'n Node, key: &str) -> &'n Node {
        match &node.kind {
            Kind::Mapping(entries) => {
                &entries
                    .iter()
                    .find(|(k, _)| scalar_text(k) == Some(key))
                    .unwrap()
                    .1
            }
            _ => panic!("not a mapping"),
        }
    }

    fn text_of<'t>(text: &'t str, node: &Node) -> &'t str {
        &text[node.span.range()]
    }

    #[test]
    fn spans_are_bytes_and_include_tags() {
        let text = "é: 1\nb: !Sub \"x${A}\"\nc: !GetAtt [R, Arn]\nd: !If\n  - C\n  - x\n\ne: 2\n";
        let node = root(text);
        assert_eq!(text_of(text, entry(&node, "b")), "!Sub \"x${A}\"");
        assert_eq!(entry(&node, "b").tag.as_deref(), Some("!Sub"));
        assert_eq!(text_of(text, entry(&node, "c")), "!GetAtt [R, Arn]");
        assert_eq!(text_of(text, entry(&node, "d")), "!If\n  - C\n  - x");
        assert_eq!(text_of(text, &node), &text[..text.len() - 1]);
    }

    #[test]
    fn duplicate_keys_are_kept() {
        let node = root("a: 1\na: 2\n");
        let Kind::Mapping(entries) = &node.kind else {
            panic!()
        };
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn aliases_expand_and_merge_keys_merge() {
        let node = root("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n");
        let merged = entry(&node, "use");
        assert_eq!(scalar_text(entry(merged, "x")), Some("1"));
        assert_eq!(scalar_text(entry(merged, "y")), Some("3"));
    }

    #[test]
    fn alias_bombs_stop_at_the_limit() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let mut previous = 'a';
        for name in 'b'..='j' {
            let aliases = vec![format!("*{previous}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{aliases}]\n"));
            previous = name;
        }
        let error = parse(FILE, &text, Limits::default()).unwrap_err();
        assert!(error.message.contains("aliases expand"), "{error:?}");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let flow = "[".repeat(100_000);
        assert!(parse(FILE, &flow, Limits::default()).is_err());
        let block: String = (0..1000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect();
        let error = parse(FILE, &block, Limits::default()).unwrap_err();
        assert!(error.message.contains("nesting"), "{error:?}");
    }

    fn assert_aligned(text: &str, key: &str) {
        let node = root(text);
        let value = entry(&node, key);
        let Kind::Scalar {
            value: decoded,
            style,
        } = &value.kind
        else {
            panic!()
        };
        let table = scalar_offsets(text, value.span, decoded, *style, value.has_properties)
            .unwrap_or_else(|| panic!("{key} not aligned"));
        assert_eq!(table.len(), decoded.len() + 1);
        for (index, ch) in decoded.char_indices() {
            if ch.is_whitespace() {
                continue;
            }
            let at = table[index] as usize;
            let source = &text[at..];
            let direct = source.starts_with(ch);
            let escaped = source.starts_with('\\') || source.starts_with("''");
            assert!(direct || escaped, "{key}: {ch:?} mapped to {source:?}");
        }
    }

    #[test]
    fn scalar_offsets_follow_every_style() {
        let text = concat!(
            "plain: arn:aws:s3:::x/* and\n  more text\n",
            "single: '{\"a\": ''b''}'\n",
            "double: \"{\\\"a\\\": \\u00e9\\n \\\n  x}\"\n",
            "literal: !Sub |\n  {\n    \"a\": \"${X}\"\n  }\n",
            "folded: >-\n  {\"a\":\n  1}\n",
            "multi: '{\"a\":\n\n   1}'\n",
            "unicode: 'é{\"ü\": 1}'\n",
        );
        for key in [
            "plain", "single", "double", "literal", "folded", "multi", "unicode",
        ] {
            assert_aligned(text, key);
        }
    }
}
