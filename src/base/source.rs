//! Source files, byte spans into them, and the conversion of offsets to line and column.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

/// Index of a file in the run's [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one source file. Every node of every policy carries one, so findings can
/// point at the smallest wrong node wherever it came from (a heredoc, a YAML string, another
/// file read through `file()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: clamp_offset(start),
            end: clamp_offset(end.max(start)),
        }
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both; `other` must be in the same file.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

fn clamp_offset(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// 1-based line and column; the column counts Unicode scalar values, which is what editors and
/// SARIF's `unicodeCodePoints` column kind expect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Bytes per block of [`SourceFile`]'s character index: a column costs at most this many
/// bytes of counting, and the index one `u32` per block.
const CHAR_INDEX_BLOCK: usize = 1024;

/// The text of one file as iamlint read it, with a lazily built line-start table and, for
/// text that is not all ASCII, a lazily built count of characters before each block.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
    line_starts: OnceLock<Vec<u32>>,
    /// `None` for ASCII text, where a column is a byte difference; else the number of
    /// characters before each `CHAR_INDEX_BLOCK`-byte block, so that a column on a long line
    /// (a minified policy, an 8 MB heredoc) costs one block of counting, not the whole line.
    chars_before_block: OnceLock<Option<Vec<u32>>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        SourceFile {
            path,
            text,
            line_starts: OnceLock::new(),
            chars_before_block: OnceLock::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(
                    memchr::memchr_iter(b'\n', self.text.as_bytes())
                        .map(|index| clamp_offset(index + 1)),
                )
                .collect()
        })
    }

    /// Line and column of a byte offset; offsets inside a multi-byte character or past the end
    /// are clamped rather than trusted.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let starts = self.line_starts();
        let line_index = match starts.binary_search(&clamp_offset(offset)) {
            Ok(index) => index,
            Err(index) => index - 1,
        };
        let line_start = starts[line_index] as usize;
        let mut column = self.chars_before(offset) - self.chars_before(line_start) + 1;
        // Editors do not show a byte order mark, so it takes no column.
        if line_index == 0 && offset > 0 && self.text.starts_with('\u{feff}') {
            column -= 1;
        }
        LineCol {
            line: line_index + 1,
            column,
        }
    }

    /// Characters before a byte offset on a character boundary, in O(`CHAR_INDEX_BLOCK`).
    fn chars_before(&self, offset: usize) -> usize {
        let index = self.chars_before_block.get_or_init(|| {
            if self.text.is_ascii() {
                return None;
            }
            let mut before = 0u32;
            let blocks = self.text.as_bytes().chunks(CHAR_INDEX_BLOCK).map(|block| {
                let at_start = before;
                before += count_chars(block) as u32;
                at_start
            });
            Some(blocks.collect())
        });
        match index {
            None => offset,
            Some(blocks) => {
                let block = offset / CHAR_INDEX_BLOCK;
                let block_start = block * CHAR_INDEX_BLOCK;
                blocks.get(block).map_or(0, |&n| n as usize)
                    + count_chars(&self.text.as_bytes()[block_start..offset])
            }
        }
    }

    /// Byte range of the given 1-based line, without its line terminator.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let starts = self.line_starts();
        let start = starts
            .get(line.saturating_sub(1))
            .map_or(self.text.len(), |&s| s as usize);
        let end = starts.get(line).map_or(self.text.len(), |&s| s as usize);
        let text = &self.text[start..end];
        let trimmed = text.trim_end_matches(['\n', '\r']);
        start..start + trimmed.len()
    }

    pub fn floor_char_boundary(&self, mut offset: usize) -> usize {
        offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    pub fn snippet(&self, span: Span) -> &str {
        let start = self.floor_char_boundary(span.start as usize);
        let end = self.floor_char_boundary(span.end as usize).max(start);
        &self.text[start..end]
    }
}

/// Characters in UTF-8 bytes that may start or end inside a character: every byte but a
/// continuation byte starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&byte| byte & 0xC0 != 0x80).count()
}

/// Every file read during one run. Extractors add files they follow (`file("policy.json")`),
/// so the map is shared and append-only; ids carry no meaning beyond this run.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: RwLock<Vec<Arc<SourceFile>>>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&self, path: PathBuf, text: String) -> (FileId, Arc<SourceFile>) {
        let file = Arc::new(SourceFile::new(path, text));
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        let id = FileId(u32::try_from(files.len()).unwrap_or(u32::MAX));
        files.push(Arc::clone(&file));
        (id, file)
    }

    pub fn get(&self, id: FileId) -> Arc<SourceFile> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        Arc::clone(&files[id.0 as usize])
    }

    /// Replaces a file's text with nothing, keeping its path: for files no finding or
    /// document points into, so that a run over a large tree does not hold every file it
    /// read. Offsets into a released file are clamped like any other out-of-range offset.
    pub fn release(&self, id: FileId) {
        let mut files = self.files.write().unwrap_or_else(|e| e.into_inner());
        if let Some(file) = files.get_mut(id.0 as usize) {
            *file = Arc::new(SourceFile::new(file.path().to_path_buf(), String::new()));
        }
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        files
            .iter()
            .position(|file| file.path() == path)
            .map(|index| FileId(index as u32))
    }
}

/// A location ready to print: path, 1-based start and end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub start: LineCol,
    pub end: LineCol,
    /// The exact source text of the span, for fingerprints.
    pub snippet: String,
}

pub fn locate(sources: &SourceMap, span: Span) -> Location {
    Location {
        snippet: sources.get(span.file).snippet(span).to_string(),
        ..locate_position(sources, span)
    }
}

/// [`locate`] without the span's text (`snippet` is empty): what prints a position needs,
/// without copying the text of a span that may cover a 10 MB document for every finding.
/// Not for fingerprints.
pub fn locate_position(sources: &SourceMap, span: Span) -> Location {
    let file = sources.get(span.file);
    Location {
        path: display_path(file.path()),
        start: file.line_col(span.start as usize),
        end: file.line_col(span.end as usize),
        snippet: String::new(),
    }
}

/// Paths as the user gave them, with `/` separators so output is the same on every OS.
pub fn display_path(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    match text.strip_prefix("./") {
        // A name such as `::error::x.json` would start a line of the compact format that a
        // CI runner reads as a workflow command: such a path keeps its `./`.
        _ if text.starts_with(':') => format!("./{text}"),
        Some(stripped) if stripped.starts_with(':') => text,
        Some(stripped) => stripped.to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_never_starts_a_line_with_a_colon() {
        assert_eq!(display_path(Path::new("./a/b.json")), "a/b.json");
        assert_eq!(
            display_path(Path::new("::error::x.json")),
            "./::error::x.json"
        );
        assert_eq!(
            display_path(Path::new("./::error::x.json")),
            "./::error::x.json"
        );
    }

    #[test]
    fn line_col_counts_characters_and_handles_crlf() {
        let file = SourceFile::new("x".into(), "ab\r\nçd\n\nz".into());
        assert_eq!(file.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(file.line_col(4), LineCol { line: 2, column: 1 });
        // 'd' follows the two-byte 'ç'
        assert_eq!(file.line_col(6), LineCol { line: 2, column: 2 });
        assert_eq!(file.line_col(8), LineCol { line: 3, column: 1 });
        assert_eq!(file.line_col(100), LineCol { line: 4, column: 2 });
        // inside a multi-byte character: clamped to its start
        assert_eq!(file.line_col(5), LineCol { line: 2, column: 1 });
        assert_eq!(&file.text()[file.line_range(1)], "ab");
    }

    #[test]
    fn columns_on_a_long_line_count_characters_across_index_blocks() {
        let line = "é".repeat(3 * CHAR_INDEX_BLOCK) + "x";
        let file = SourceFile::new("x".into(), format!("ab\n{line}"));
        let x = file.text().len() - 1;
        assert_eq!(
            file.line_col(x),
            LineCol {
                line: 2,
                column: 3 * CHAR_INDEX_BLOCK + 1
            }
        );
        assert_eq!(file.line_col(3 + 2 * 1001).column, 1002);
        let bom = SourceFile::new("x".into(), "\u{feff}é{}".into());
        assert_eq!(bom.line_col(bom.text().len()).column, 4);
    }
}
