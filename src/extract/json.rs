//! Strict JSON to spanned value tree, also for JSON embedded in strings of other formats.

use super::{Hole, OffsetMap};
use crate::base::source::{FileId, Span};
use crate::base::value::{Member, TemplatePart, Value, ValueKind};
use jsonc_parser::ast;
use jsonc_parser::common::{Range, Ranged};
use rayon::prelude::*;
use std::borrow::Cow;

/// A syntax error, at a byte offset of the file (already mapped back).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub offset: usize,
    pub message: String,
}

/// Strict JSON, as IAM and CloudFormation accept it: no comments, trailing commas or JSON5.
fn strict_options() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Parses a whole file. A UTF-8 byte order mark is skipped (spans stay file offsets).
/// `Ok(None)` for a file with no value at all (empty or only whitespace).
pub fn parse_file(file: FileId, text: &str) -> Result<Option<Value>, JsonError> {
    let (body, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, 3),
        None => (text, 0),
    };
    parse_embedded(file, body, &OffsetMap::Shift(base), &[])
}

/// Parses `text`, which may be a decoded piece of a larger file (see [`OffsetMap`]), with
/// `holes` (sorted, non-overlapping) replaced by placeholders: a hole inside a JSON string
/// turns that string into a [`ValueKind::Template`], a hole standing for a whole value becomes
/// [`ValueKind::Unknown`].
pub fn parse_embedded(
    file: FileId,
    text: &str,
    map: &OffsetMap,
    holes: &[Hole],
) -> Result<Option<Value>, JsonError> {
    let filled;
    let parse_text = if holes.is_empty() {
        text
    } else {
        filled = fill_holes(text, holes);
        filled.as_str()
    };
    let converter = Converter {
        file,
        text,
        map,
        holes,
    };
    if let Some(value) = TokenReader::read(parse_text, &converter) {
        return Ok(value);
    }
    let parsed = jsonc_parser::parse_to_ast(parse_text, &Default::default(), &strict_options())
        .map_err(|error| JsonError {
            offset: map.map(error.range().start),
            message: lowercase_first(&error.kind().to_string()),
        })?;
    Ok(parsed.value.map(|value| converter.convert(&value)))
}

/// A token of standard JSON (RFC 8259), as [`Lexer`] reads it.
#[derive(Debug, PartialEq)]
enum Token<'t> {
    Null,
    Bool(bool),
    /// The number as written.
    Number(&'t str),
    /// The string, decoded.
    String(Cow<'t, str>),
    OpenBracket,
    CloseBracket,
    OpenBrace,
    CloseBrace,
    Comma,
    Colon,
    /// The end of the text.
    End,
}

/// Reads the tokens of standard JSON, byte by byte, with their ranges. It only has to take
/// what it takes exactly as `parse_to_ast` would: anything else (a comment, other whitespace,
/// a raw control character in a string, a lone surrogate, a number such as `01` or `1.`)
/// it gives up on, and the text goes to `parse_to_ast`. Written here because no JSON crate
/// both gives each key's and value's byte range and reads at this speed: jsonc-parser's
/// scanner, which did, decoded the text character by character and took a fifth of a run
/// over raw policies.
struct Lexer<'t> {
    text: &'t str,
    /// Where the next token is looked for.
    at: usize,
    /// Where the last token started.
    start: usize,
}

/// Whether `byte` is whitespace between JSON tokens (RFC 8259 allows these four).
fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// Where the whitespace from `at` ends. Pretty-printed JSON is mostly indentation: a run of
/// up to eight spaces is passed over in one step, read as one word.
fn whitespace_end(bytes: &[u8], mut at: usize) -> usize {
    const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
    loop {
        match bytes.get(at) {
            Some(b' ') => match bytes.get(at..at + 8) {
                Some(&[a, b, c, d, e, f, g, h]) => {
                    // The first byte that is not a space is the lowest non-zero byte.
                    let others = u64::from_le_bytes([a, b, c, d, e, f, g, h]) ^ SPACES;
                    at += (others.trailing_zeros() / 8) as usize;
                }
                _ => at += 1,
            },
            Some(b'\t' | b'\n' | b'\r') => at += 1,
            _ => return at,
        }
    }
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str) -> Self {
        Lexer {
            text,
            at: 0,
            start: 0,
        }
    }

    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    /// The next token; `None` for text this lexer leaves to `parse_to_ast`.
    fn scan(&mut self) -> Option<Token<'t>> {
        let bytes = self.bytes();
        self.at = whitespace_end(bytes, self.at);
        self.start = self.at;
        let Some(&byte) = bytes.get(self.at) else {
            return Some(Token::End);
        };
        let punctuation = match byte {
            b'[' => Some(Token::OpenBracket),
            b']' => Some(Token::CloseBracket),
            b'{' => Some(Token::OpenBrace),
            b'}' => Some(Token::CloseBrace),
            b',' => Some(Token::Comma),
            b':' => Some(Token::Colon),
            _ => None,
        };
        if let Some(token) = punctuation {
            self.at += 1;
            return Some(token);
        }
        match byte {
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.word("true", Token::Bool(true)),
            b'f' => self.word("false", Token::Bool(false)),
            b'n' => self.word("null", Token::Null),
            _ => None,
        }
    }

    /// `true`, `false` or `null`, not followed by more of a word.
    fn word(&mut self, word: &str, token: Token<'t>) -> Option<Token<'t>> {
        let end = self.at + word.len();
        let rest = self.bytes().get(end).copied();
        if !self.text[self.at..].starts_with(word)
            || rest.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80)
        {
            return None;
        }
        self.at = end;
        Some(token)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, not followed by more of a word.
    fn number(&mut self) -> Option<Token<'t>> {
        let bytes = self.bytes();
        let digits = |from: usize| {
            bytes[from..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let mut end = self.at + usize::from(bytes[self.at] == b'-');
        match digits(end) {
            0 => return None,
            // A leading zero is a number of its own.
            n if n > 1 && bytes[end] == b'0' => return None,
            n => end += n,
        }
        if bytes.get(end) == Some(&b'.') {
            match digits(end + 1) {
                0 => return None,
                n => end += 1 + n,
            }
        }
        if let Some(b'e' | b'E') = bytes.get(end) {
            end += 1;
            if let Some(b'+' | b'-') = bytes.get(end) {
                end += 1;
            }
            match digits(end) {
                0 => return None,
                n => end += n,
            }
        }
        if bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'))
        {
            return None;
        }
        let text = &self.text[self.at..end];
        self.at = end;
        Some(Token::Number(text))
    }

    /// A string, borrowed from the text unless it has escapes.
    fn string(&mut self) -> Option<Token<'t>> {
        let inner = self.at + 1;
        let mut end = self.plain_run_end(inner)?;
        if self.bytes()[end] == b'"' {
            self.at = end + 1;
            return Some(Token::String(Cow::Borrowed(&self.text[inner..end])));
        }
        let mut decoded = String::with_capacity(end - inner + 16);
        decoded.push_str(&self.text[inner..end]);
        while self.bytes()[end] == b'\\' {
            let (ch, length) = self.escape(end)?;
            decoded.push(ch);
            let next = self.plain_run_end(end + length)?;
            decoded.push_str(&self.text[end + length..next]);
            end = next;
        }
        self.at = end + 1;
        Some(Token::String(Cow::Owned(decoded)))
    }

    /// Where the characters of a string from `from` stop: at its closing quote or its next
    /// escape (both ASCII, so the run is whole UTF-8); `None` when a raw control character
    /// comes first, or the text ends.
    fn plain_run_end(&self, from: usize) -> Option<usize> {
        let bytes = self.bytes();
        let end = from + memchr::memchr2(b'"', b'\\', bytes.get(from..)?)?;
        // Folded rather than searched, so that the compiler compares many bytes at once.
        let control = bytes[from..end]
            .iter()
            .fold(false, |control, &b| control | (b < 0x20));
        (!control).then_some(end)
    }

    /// The character of the escape at `at` and the escape's length; a `\u` escape of one
    /// half of a surrogate pair only with the other half.
    fn escape(&self, at: usize) -> Option<(char, usize)> {
        let bytes = self.bytes();
        let simple = match *bytes.get(at + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hex = |from: usize| {
                    let digits = self.text.get(from..from + 4)?;
                    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    u32::from_str_radix(digits, 16).ok()
                };
                let unit = hex(at + 2)?;
                if !(0xD800..0xE000).contains(&unit) {
                    return Some((char::from_u32(unit)?, 6));
                }
                if unit >= 0xDC00 || bytes.get(at + 6..at + 8)? != b"\\u" {
                    return None;
                }
                let low = hex(at + 8)?;
                if !(0xDC00..0xE000).contains(&low) {
                    return None;
                }
                let ch = char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?;
                return Some((ch, 12));
            }
            _ => return None,
        };
        Some((simple, 2))
    }
}

/// Reads standard JSON from [`Lexer`]'s tokens straight into the tree, without building
/// jsonc-parser's syntax tree first (which took more than half of the parse). Anything else
/// (what the lexer leaves, a missing or trailing comma, a second value, deep nesting) is left
/// to `parse_to_ast`, which reports it or reads it exactly as before: so the values, spans
/// and error messages are those of the one parser.
struct TokenReader<'t, 'c> {
    lexer: Lexer<'t>,
    converter: &'c Converter<'c>,
    /// Arrays and objects open; past [`TokenReader::MAX_DEPTH`] the reader gives up, well
    /// before `parse_to_ast`'s own limit.
    depth: usize,
    /// Whether a large array may be read by several threads ([`TokenReader::elements`]).
    may_split: bool,
}

impl<'t, 'c> TokenReader<'t, 'c> {
    const MAX_DEPTH: usize = 128;

    /// The document's value (`Some(None)` when it has none), or `None` when it is not plain JSON.
    fn read(text: &'t str, converter: &'c Converter<'c>) -> Option<Option<Value>> {
        let mut reader = TokenReader {
            lexer: Lexer::new(text),
            converter,
            depth: 0,
            // As a large Terraform file's pieces: a run of one thread with this much to
            // read has a pool of one thread, which this keeps to.
            may_split: text.len() >= PARALLEL_ARRAY_BYTES && rayon::current_num_threads() > 1,
        };
        let first = reader.lexer.scan()?;
        if first == Token::End {
            return Some(None);
        }
        let value = reader.value(first)?;
        match reader.lexer.scan()? {
            Token::End => Some(Some(value)),
            _ => None,
        }
    }

    fn range(&self) -> Range {
        Range {
            start: self.lexer.start,
            end: self.lexer.at,
        }
    }

    fn next(&mut self) -> Option<Token<'t>> {
        self.lexer.scan()
    }

    /// The value that starts with `token`, the lexer's last token.
    fn value(&mut self, token: Token<'t>) -> Option<Value> {
        let range = self.range();
        let kind = match token {
            Token::Null => ValueKind::Null,
            Token::Bool(value) => ValueKind::Bool(value),
            Token::Number(text) => self.converter.number(range, text),
            Token::String(text) => self.converter.string(range, &text),
            Token::OpenBracket => return self.array(range.start),
            Token::OpenBrace => return self.object(range.start),
            _ => return None,
        };
        Some(Value::new(self.converter.span(range), kind))
    }

    /// Counts an array or object opened; `None` past [`TokenReader::MAX_DEPTH`].
    fn open(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= Self::MAX_DEPTH).then_some(())
    }

    /// The range of the array or object opened at `start` that the current token closes.
    fn close(&mut self, start: usize) -> Range {
        self.depth -= 1;
        Range {
            start,
            end: self.lexer.at,
        }
    }

    fn array(&mut self, start: usize) -> Option<Value> {
        self.open()?;
        let elements = if self.may_split && self.depth <= 2 {
            match self.elements_in_parallel() {
                Split::Read(elements) => elements,
                Split::Failed => return None,
                Split::Small => self.elements()?,
            }
        } else {
            self.elements()?
        };
        let range = self.close(start);
        Some(Value::new(
            self.converter.span(range),
            ValueKind::Array(elements),
        ))
    }

    /// The elements of the array just opened, up to and with its closing bracket.
    fn elements(&mut self) -> Option<Vec<Value>> {
        let mut elements = Vec::new();
        let mut token = self.next()?;
        if token != Token::CloseBracket {
            loop {
                elements.push(self.value(token)?);
                match self.next()? {
                    Token::Comma => token = self.next()?,
                    Token::CloseBracket => break,
                    _ => return None,
                }
            }
        }
        Some(elements)
    }

    /// [`TokenReader::elements`] of a large array, read in runs on the pool's threads: a
    /// policy of thousands of statements is otherwise read by one thread while the others
    /// wait for its rules. Where the runs start is first guessed from the layout
    /// ([`guessed_run_starts`]), which costs nothing, then found by a walk over the text
    /// ([`element_starts`]), which is a thread's whole pass over it. Each run is read as the
    /// whole array would be; see [`TokenReader::read_runs`] for why the values are the same.
    fn elements_in_parallel(&mut self) -> Split {
        let bytes = self.lexer.bytes();
        let from = self.lexer.at;
        let runs = 4 * rayon::current_num_threads();
        if let Some(starts) = guessed_run_starts(bytes, from, runs)
            && let Some(read) = self.read_runs(&starts)
        {
            return Split::Read(read);
        }
        let Some((starts, _)) = element_starts(bytes, from).filter(|(starts, close)| {
            starts.len() >= PARALLEL_ARRAY_ELEMENTS && close - from >= PARALLEL_ARRAY_BYTES
        }) else {
            return Split::Small;
        };
        let run = starts.len().div_ceil(runs).max(PARALLEL_ARRAY_ELEMENTS / 4);
        let starts: Vec<usize> = starts.into_iter().step_by(run).collect();
        // Runs that do not read the array from where the walk found its elements start meet
        // text that is not plain JSON, which `parse_to_ast` judges, as in a reading in one go.
        match self.read_runs(&starts) {
            Some(read) => Split::Read(read),
            None => Split::Failed,
        }
    }

    /// The elements of the array just opened, read from each of `starts` (the first is just
    /// after the bracket, each other just after a comma) on the pool's threads, up to the next
    /// start or the closing bracket, which the reader is then left after; `None` unless the
    /// runs read the array to its end.
    ///
    /// A run from where an element of this array starts reads this array's elements, so the
    /// commas it stops after are this array's own: the first run starts at the first
    /// element, and each run counts only if the one before it ended exactly where it starts.
    /// The first run to meet the closing bracket ends the array, and any later run (started
    /// past the array by a wrong guess) is dropped.
    fn read_runs(&mut self, starts: &[usize]) -> Option<Vec<Value>> {
        let runs: Vec<Option<(Vec<Value>, Option<usize>)>> = starts
            .par_iter()
            .enumerate()
            .map(|(index, &start)| {
                let end = starts.get(index + 1).copied();
                let mut reader = TokenReader {
                    lexer: Lexer {
                        text: self.lexer.text,
                        at: start,
                        start,
                    },
                    converter: self.converter,
                    depth: self.depth,
                    may_split: false,
                };
                let mut elements = Vec::new();
                loop {
                    let token = reader.next()?;
                    elements.push(reader.value(token)?);
                    match (reader.next()?, end) {
                        (Token::Comma, Some(end)) if reader.lexer.at == end => {
                            return Some((elements, None));
                        }
                        (Token::Comma, Some(end)) if reader.lexer.at > end => return None,
                        (Token::Comma, _) => {}
                        (Token::CloseBracket, _) => {
                            return Some((elements, Some(reader.lexer.start)));
                        }
                        _ => return None,
                    }
                }
            })
            .collect();
        // The first run that does not end where the next starts must meet the bracket.
        let last = runs
            .iter()
            .position(|run| !matches!(run, Some((_, None))))?;
        let Some((_, Some(close))) = runs[last] else {
            return None;
        };
        let read = runs[..=last].iter().flatten().map(|(run, _)| run.len());
        let mut elements = Vec::with_capacity(read.sum());
        for (run, _) in runs.into_iter().take(last + 1).flatten() {
            elements.extend(run);
        }
        self.lexer.start = close;
        self.lexer.at = close + 1;
        Some(elements)
    }

    fn object(&mut self, start: usize) -> Option<Value> {
        self.open()?;
        let mut members = Vec::new();
        let mut token = self.next()?;
        if token != Token::CloseBrace {
            loop {
                let Token::String(key) = token else {
                    return None;
                };
                let key_range = self.range();
                if self.next()? != Token::Colon {
                    return None;
                }
                let first = self.next()?;
                let value = self.value(first)?;
                members.push((key_range, key.into_owned(), value));
                match self.next()? {
                    Token::Comma => token = self.next()?,
                    Token::CloseBrace => break,
                    _ => return None,
                }
            }
        }
        let range = self.close(start);
        let kind = self.converter.object(members);
        Some(Value::new(self.converter.span(range), kind))
    }
}

/// Text from which a reader may split an array over threads, and the length and number of
/// elements an array found by [`element_starts`] needs: below them, handing out the runs
/// costs what it saves.
const PARALLEL_ARRAY_BYTES: usize = 256 * 1024;
const PARALLEL_ARRAY_ELEMENTS: usize = 256;

/// What [`TokenReader::elements_in_parallel`] made of an array.
enum Split {
    Read(Vec<Value>),
    /// Not plain JSON: the text goes to `parse_to_ast`.
    Failed,
    /// Too small to split: read on this thread.
    Small,
}

/// How far past each guessed place [`guessed_run_starts`] looks for the line an element
/// starts: a statement takes a few hundred bytes.
const GUESS_REACH: usize = 64 * 1024;

/// Where `runs` runs of the array whose `[` ends before `from` may start, guessed from the
/// layout of pretty-printed JSON: each element starts a line, indented as the first one and
/// with the same first character, after the comma that ends the one before. A raw newline
/// is never inside a JSON string, so the guesses are read line by line from evenly spaced
/// places. They are only guesses (a line of a nested array may look the same, and the
/// array may end before the text does): [`TokenReader::read_runs`] checks them. `None` when
/// the first element does not start a line, or no other start is found.
fn guessed_run_starts(bytes: &[u8], from: usize, runs: usize) -> Option<Vec<usize>> {
    let first = whitespace_end(bytes, from);
    let line = memchr::memrchr(b'\n', &bytes[from..first])? + from + 1;
    let indent = &bytes[line..first];
    let opener = *bytes.get(first)?;
    let step = (bytes.len() - first) / runs;
    let mut starts = vec![from];
    for place in (1..runs).map(|run| first + run * step) {
        let last = starts[starts.len() - 1];
        let reach = bytes.len().min(place.max(last) + GUESS_REACH);
        let mut at = place.max(last);
        while let Some(newline) = memchr::memchr(b'\n', &bytes[at..reach]) {
            let line = at + newline + 1;
            at = line;
            let starts_an_element = bytes[line..].starts_with(indent)
                && bytes.get(line + indent.len()) == Some(&opener);
            if !starts_an_element {
                continue;
            }
            let Some(before) = bytes[..line].iter().rposition(|&b| !is_whitespace(b)) else {
                break;
            };
            if bytes[before] == b',' && before + 1 > last {
                starts.push(before + 1);
                break;
            }
        }
    }
    (starts.len() > 1).then_some(starts)
}

/// Where each element of the array whose `[` ends before `from` starts (just after the
/// bracket or its comma), and where its closing `]` is: found by one walk over the bytes
/// that only follows strings and nesting. `None` for an empty array or when the text ends
/// first. It does not check the JSON: the readers of the runs do.
fn element_starts(bytes: &[u8], from: usize) -> Option<(Vec<usize>, usize)> {
    let mut starts = vec![from];
    let mut depth = 0usize;
    let mut at = from;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => {
                // To the closing quote, over escapes.
                at += 1;
                loop {
                    at += memchr::memchr2(b'"', b'\\', bytes.get(at..)?)?;
                    if bytes[at] == b'"' {
                        break;
                    }
                    at += 2;
                }
            }
            b'[' | b'{' => depth += 1,
            b']' if depth == 0 => {
                let empty = bytes[from..at].iter().all(|&b| is_whitespace(b));
                return (!empty).then_some((starts, at));
            }
            b']' | b'}' => depth = depth.checked_sub(1)?,
            b',' if depth == 0 => starts.push(at + 1),
            _ => {}
        }
        at += 1;
    }
    None
}

/// Messages are lower case like every other diagnostic of iamlint.
fn lowercase_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether a byte-by-byte scan of JSON text is inside a string, so that a `${...}` hole is
/// known to be part of a string or a whole value.
#[derive(Default)]
pub(super) struct JsonStrings {
    pub(super) inside: bool,
    escaped: bool,
}

impl JsonStrings {
    /// Takes the next byte of the text.
    pub(super) fn step(&mut self, byte: u8) {
        if self.escaped {
            self.escaped = false;
        } else if self.inside && byte == b'\\' {
            self.escaped = true;
        } else if byte == b'"' {
            self.inside = !self.inside;
        }
    }
}

/// Replaces each hole with filler of the same length that keeps the JSON valid: inside a
/// string, plain characters; elsewhere a number that the converter turns back into a hole.
fn fill_holes(text: &str, holes: &[Hole]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut strings = JsonStrings::default();
    let mut next_hole = 0;
    let mut index = 0;
    while index < bytes.len() {
        if let Some(hole) = holes.get(next_hole)
            && hole.range.start == index
        {
            let end = hole.range.end.min(bytes.len());
            for (offset, byte) in bytes[index..end].iter_mut().enumerate() {
                *byte = if strings.inside {
                    b'_'
                } else if offset == 0 {
                    b'1'
                } else {
                    b'0'
                };
            }
            next_hole += 1;
            index = end.max(index + 1);
            continue;
        }
        strings.step(bytes[index]);
        index += 1;
    }
    // Holes only replace ASCII-delimited `${...}` ranges with ASCII, but a hole may end inside
    // a multi-byte character of a malformed input: fall back to lossy text then.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

struct Converter<'a> {
    file: FileId,
    text: &'a str,
    map: &'a OffsetMap,
    holes: &'a [Hole],
}

impl Converter<'_> {
    fn span(&self, range: jsonc_parser::common::Range) -> Span {
        Span::new(
            self.file,
            self.map.map(range.start),
            self.map.map(range.end),
        )
    }

    fn holes_in(&self, start: usize, end: usize) -> &[Hole] {
        let first = self.holes.partition_point(|hole| hole.range.start < start);
        let last = self.holes.partition_point(|hole| hole.range.start < end);
        &self.holes[first..last]
    }

    fn convert(&self, value: &ast::Value<'_>) -> Value {
        let span = self.span(value.range());
        let kind = match value {
            ast::Value::NullKeyword(_) => ValueKind::Null,
            ast::Value::BooleanLit(lit) => ValueKind::Bool(lit.value),
            ast::Value::NumberLit(lit) => self.number(lit.range, lit.value),
            ast::Value::StringLit(lit) => self.string(lit.range, &lit.value),
            ast::Value::Array(array) => {
                ValueKind::Array(array.elements.iter().map(|e| self.convert(e)).collect())
            }
            ast::Value::Object(object) => self.object(
                object
                    .properties
                    .iter()
                    .map(|prop| {
                        let key = prop.name.as_str().to_string();
                        (prop.name.range(), key, self.convert(&prop.value))
                    })
                    .collect(),
            ),
        };
        Value::new(span, kind)
    }

    /// An object of `members` (each key's range, the key, its value).
    fn object(&self, members: Vec<(Range, String, Value)>) -> ValueKind {
        let hole_in_a_key = members
            .iter()
            .find_map(|(range, _, _)| self.holes_in(range.start, range.end).first());
        match hole_in_a_key {
            // `{"${type}": [...]}`: which element the key names is not known, so neither is
            // the object (a principal of an unknown type, conditions of an unknown
            // operator); its filler is not a name to check.
            Some(hole) => ValueKind::Unknown(hole.unknown.clone()),
            None => ValueKind::Object(
                members
                    .into_iter()
                    .map(|(range, key, value)| Member {
                        key,
                        key_span: self.span(range),
                        value,
                    })
                    .collect(),
            ),
        }
    }

    /// A number literal written at `range`, or the hole that stands for a whole value there.
    fn number(&self, range: Range, text: &str) -> ValueKind {
        match self.holes_in(range.start, range.end) {
            [hole] if hole.range == (range.start..range.end) => {
                ValueKind::Unknown(hole.unknown.clone())
            }
            _ => ValueKind::Number(text.to_string()),
        }
    }

    /// A string literal written at `range` (quotes included) that decodes to `value`.
    fn string(&self, range: Range, value: &str) -> ValueKind {
        let holes = self.holes_in(range.start, range.end);
        if holes.is_empty() {
            return ValueKind::String(value.to_string());
        }
        // Between the quotes: literal pieces are decoded on their own, holes kept apart.
        let inner_start = range.start + 1;
        let inner_end = range.end.saturating_sub(1).max(inner_start);
        let mut parts = Vec::new();
        let mut cursor = inner_start;
        for hole in holes {
            if hole.range.start > cursor {
                parts.push(TemplatePart::Literal(decode_piece(
                    &self.text[cursor..hole.range.start],
                )));
            }
            parts.push(TemplatePart::Hole(hole.unknown.clone()));
            cursor = hole.range.end.min(inner_end).max(cursor);
        }
        if cursor < inner_end {
            parts.push(TemplatePart::Literal(decode_piece(
                &self.text[cursor..inner_end],
            )));
        }
        ValueKind::Template(parts)
    }
}

/// Decodes the escapes of a piece of a JSON string literal; a piece cut in the middle of an
/// escape keeps its raw text rather than failing.
fn decode_piece(raw: &str) -> String {
    match decode_string_literal(&format!("\"{raw}\""), 0) {
        Some((text, _)) => text,
        None => raw.to_string(),
    }
}

/// Decodes a JSON string literal (with its quotes) and records, for every decoded byte, the
/// offset in the file where it was written (`base` is the literal's offset), plus one entry
/// for the closing quote: what [`OffsetMap::Table`] needs to parse JSON held in a JSON string.
pub fn decode_string_literal(literal: &str, base: usize) -> Option<(String, Vec<u32>)> {
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut text = String::with_capacity(inner.len());
    let mut table = Vec::with_capacity(inner.len() + 1);
    let offset_of = |index: usize| u32::try_from(base + 1 + index).unwrap_or(u32::MAX);
    let mut chars = inner.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        let decoded = if ch == '\\' {
            let (_, escape) = chars.next()?;
            match escape {
                '"' => '"',
                '\\' => '\\',
                '/' => '/',
                'b' => '\u{8}',
                'f' => '\u{c}',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => {
                    let high = read_hex4(&mut chars)?;
                    if (0xD800..0xDC00).contains(&high) {
                        let (_, backslash) = chars.next()?;
                        let (_, u) = chars.next()?;
                        if backslash != '\\' || u != 'u' {
                            return None;
                        }
                        let low = read_hex4(&mut chars)?;
                        char::from_u32(
                            0x10000 + ((high - 0xD800) << 10) + (low.checked_sub(0xDC00)?),
                        )?
                    } else {
                        char::from_u32(high)?
                    }
                }
                _ => return None,
            }
        } else {
            ch
        };
        for _ in 0..decoded.len_utf8() {
            table.push(offset_of(index));
        }
        text.push(decoded);
    }
    table.push(offset_of(inner.len()));
    Some((text, table))
}

fn read_hex4(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<u32> {
    let mut value = 0;
    for _ in 0..4 {
        let (_, digit) = chars.next()?;
        value = value * 16 + digit.to_digit(16)?;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::value::Unknown;

    const FILE: FileId = FileId(0);

    #[test]
    fn spans_are_byte_offsets_of_the_file() {
        let text = "\u{feff}{\"a\": [\"é\", 1]}";
        let value = parse_file(FILE, text).unwrap().unwrap();
        let array = value.get("a").unwrap();
        let first = &array.as_array().unwrap()[0];
        assert_eq!(&text[first.span.range()], "\"é\"");
        assert_eq!(first.as_str(), Some("é"));
    }

    #[test]
    fn rejects_what_iam_rejects() {
        assert!(parse_file(FILE, "{\"a\": 1,}").is_err());
        assert!(parse_file(FILE, "{\"a\": 1} // c").is_err());
        assert_eq!(parse_file(FILE, "  \n").unwrap(), None);
        let error = parse_file(FILE, "{\n  \"a\" 1\n}").unwrap_err();
        assert_eq!(error.offset, 8);
    }

    /// What the token reader and `parse_to_ast` make of `text` with `holes`: the reader's
    /// answer (`None` when it leaves the text to `parse_to_ast`) and the syntax tree's.
    fn both_readers(
        text: &str,
        holes: &[Hole],
    ) -> (Option<Option<Value>>, Result<Option<Value>, String>) {
        let map = OffsetMap::Shift(3);
        let filled = fill_holes(text, holes);
        let converter = Converter {
            file: FILE,
            text,
            map: &map,
            holes,
        };
        let fast = TokenReader::read(&filled, &converter);
        let slow = jsonc_parser::parse_to_ast(&filled, &Default::default(), &strict_options())
            .map(|parsed| parsed.value.map(|value| converter.convert(&value)))
            .map_err(|error| error.to_string());
        (fast, slow)
    }

    #[test]
    fn the_token_reader_reads_plain_json_as_the_syntax_tree_does() {
        let plain = [
            "",
            " \n ",
            "1",
            "-0.5e+3",
            "\"\"",
            "\"a\\\"b\\u00e9\\n\"",
            "\"\\ud83d\\ude00 \\/\\b\\f\\r\\t\\\\ é\"",
            "[0, -0, 10, 1.5, 2E5, 3e-2, -4.25E+10]",
            "[]",
            "{}",
            "[1, [2, []], {}]",
            "{\"a\": {\"b\": [true, false, null]}, \"a\": \"dup\", \"\\u00e9\": 2}",
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",\n \"Action\": \"s3:*\"}]}",
            &format!("{}1{}", "[".repeat(100), "]".repeat(100)),
        ];
        for text in plain {
            let (fast, slow) = both_readers(text, &[]);
            assert!(fast.is_some(), "{text}");
            assert_eq!(Ok(fast.unwrap()), slow, "{text}");
        }
        let left_to_the_tree = [
            "{\"a\": 1,}",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\": 1 \"b\": 2}",
            "{a: 1}",
            "{1: 1}",
            "{\"a\": }",
            "1 2",
            "1 // c",
            "/* c */ 1",
            "'a'",
            "+1",
            ".5",
            "0x1F",
            "NaN",
            "tru",
            "truex",
            "nul",
            "01",
            "1.",
            "-",
            "1e",
            "1x",
            "\"\\ud83d\"",
            "\"\\ude00\"",
            "\"\\u00g0\"",
            "\"a\tb\"",
            "\"open",
            "\u{a0}1",
            "\"\\x41\"",
            "[",
            "{\"a\": [}",
            "]",
            &format!("{}1{}", "[".repeat(200), "]".repeat(200)),
        ];
        for text in left_to_the_tree {
            assert_eq!(both_readers(text, &[]).0, None, "{text}");
        }
    }

    #[test]
    fn the_token_reader_keeps_holes_as_the_syntax_tree_does() {
        let text = r#"{"R": ["a${x}b", ${y}], "${k}": 1, "P": {"${t}": ["${w}"]}, "N": ${n}}"#;
        let holes: Vec<Hole> = ["${x}", "${y}", "${k}", "${t}", "${w}", "${n}"]
            .into_iter()
            .map(|needle| {
                let start = text.find(needle).unwrap();
                Hole {
                    range: start..start + needle.len(),
                    unknown: Unknown {
                        expression: needle.into(),
                        reference: None,
                    },
                }
            })
            .collect();
        let (fast, slow) = both_readers(text, &holes);
        assert!(fast.is_some());
        assert_eq!(Ok(fast.unwrap()), slow);
    }

    proptest::proptest! {
        /// Whatever the token reader reads, `parse_to_ast` reads the same way.
        #[test]
        fn the_token_reader_agrees_with_the_syntax_tree(
            text in r#"([\[\]{}:,\t\n ]|"([a-z\\/"é\t]|\\u[dD]?[0-9a-fA-F]{2,4}){0,3}"|-?[0-9]{1,2}(\.[0-9]?)?([eE][+-]?[0-9]?)?|true|false|null|x){0,24}"#,
        ) {
            let (fast, slow) = both_readers(&text, &[]);
            if let Some(fast) = fast {
                proptest::prop_assert_eq!(Ok(fast), slow);
            }
        }
    }

    /// Reads each text on a pool of three threads: one that is plain JSON (`true`) as
    /// jsonc-parser reads it, any other left to it.
    fn read_on_three_threads(texts: &[(&str, bool)]) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        for &(text, plain) in texts {
            let (fast, slow) = pool.install(|| both_readers(text, &[]));
            assert_eq!(fast.is_some(), plain);
            if let Some(fast) = fast {
                assert_eq!(Ok(fast), slow);
            }
        }
    }

    #[test]
    fn a_large_array_read_on_several_threads_is_read_as_in_one_go() {
        // Strings with brackets, commas and escaped quotes, so that only a walk that follows
        // strings finds where the elements start.
        let element = |i: usize| {
            format!(
                r#"{{"Sid": "s{i}", "Action": ["a:[,]{{", "b\"],"], "N": [{i}, {{"x": null}}]}}"#
            )
        };
        let elements: Vec<String> = (0..4000).map(element).collect();
        let good = format!(
            r#"{{"Statement": [{}], "Tail": [1]}}"#,
            elements.join(",\n ")
        );
        assert!(good.len() >= PARALLEL_ARRAY_BYTES);
        let broken_in_the_middle = good.replacen(r#""s2500""#, r#""s2500" 1"#, 1);
        assert_ne!(broken_in_the_middle, good);
        let trailing_comma = good.replacen("}], \"Tail\"", "},], \"Tail\"", 1);
        assert_ne!(trailing_comma, good);
        read_on_three_threads(&[
            (&good, true),
            (&broken_in_the_middle, false),
            (&trailing_comma, false),
        ]);
        let starts = element_starts(b"[ 1, \"a,]\\\"\", [2, 3], {\"k\": [4]} ]", 1);
        assert_eq!(starts, Some((vec![1, 4, 13, 21], 33)));
        assert_eq!(element_starts(b"[ ]", 1), None);
        assert_eq!(element_starts(b"[1, 2", 1), None);
    }

    /// Pretty-printed, the runs' starts are guessed from the lines; a wrong guess (a nested
    /// array laid out as the outer one, lines past the array's end) costs time, not values.
    #[test]
    fn a_large_pretty_printed_array_is_split_where_its_lines_say() {
        let statement = |i: usize| {
            format!(
                "  {{\n    \"Sid\": \"s{i}\",\n    \"Action\": [\n      \"a:[,]{{\",\n      \"b\\\"],\"\n    ],\n    \"N\": {i}\n  }}"
            )
        };
        let statements: Vec<String> = (0..3000).map(statement).collect();
        let array = format!("[\n{}\n]", statements.join(",\n"));
        let good = format!("{{\"Statement\": {array}}}");
        assert!(good.len() >= PARALLEL_ARRAY_BYTES);
        // Every guess is where an element starts.
        let from = good.find('[').unwrap() + 1;
        let guessed = guessed_run_starts(good.as_bytes(), from, 12).unwrap();
        let (exact, _) = element_starts(good.as_bytes(), from).unwrap();
        assert!(guessed.len() > 8, "{guessed:?}");
        assert!(guessed.iter().all(|start| exact.contains(start)));
        // The array ends at a third of the text: the later guesses are in the tail, laid out
        // as the statements are.
        let tail = format!("{{\"Statement\": {array}, \"Tail\": {array}, \"More\": {array}}}");
        // An element holding an array laid out as the outer one.
        let nested = good.replacen(
            "\"N\": 1500\n",
            &format!("\"N\": [\n{}\n]\n", statements[..100].join(",\n")),
            1,
        );
        assert_ne!(nested, good);
        let broken = good.replacen("\"s2000\"", "\"s2000\" 1", 1);
        let trailing_comma = good.replacen("\n  }\n]", "\n  },\n]", 1);
        assert_ne!(trailing_comma, good);
        read_on_three_threads(&[
            (&good, true),
            (&tail, true),
            (&nested, true),
            (&broken, false),
            (&trailing_comma, false),
        ]);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(parse_file(FILE, &text).is_err());
    }

    #[test]
    fn holes_become_templates_and_unknowns() {
        let text = r#"{"Resource": "arn:aws:s3:::${var.b}/*", "Action": ${jsonencode(x)}}"#;
        let hole = |needle: &str, expression: &str| {
            let start = text.find(needle).unwrap();
            Hole {
                range: start..start + needle.len(),
                unknown: Unknown {
                    expression: expression.into(),
                    reference: None,
                },
            }
        };
        let holes = [
            hole("${var.b}", "var.b"),
            hole("${jsonencode(x)}", "jsonencode(x)"),
        ];
        let value = parse_embedded(FILE, text, &OffsetMap::Shift(10), &holes)
            .unwrap()
            .unwrap();
        let resource = value.get("Resource").unwrap();
        assert_eq!(
            resource.template_parts(),
            vec![Some("arn:aws:s3:::"), None, Some("/*")]
        );
        assert_eq!(
            resource.span.start as usize,
            10 + text.find("\"arn").unwrap()
        );
        assert!(matches!(
            value.get("Action").unwrap().kind,
            ValueKind::Unknown(_)
        ));
    }

    #[test]
    fn a_hole_in_a_key_makes_its_object_unknown() {
        let text = r#"{"Principal": {"${type}": ["${who}"]}, "Effect": "Allow"}"#;
        let hole = |needle: &str| {
            let start = text.find(needle).unwrap();
            Hole {
                range: start..start + needle.len(),
                unknown: Unknown {
                    expression: needle.into(),
                    reference: None,
                },
            }
        };
        let holes = [hole("${type}"), hole("${who}")];
        let value = parse_embedded(FILE, text, &OffsetMap::Shift(0), &holes)
            .unwrap()
            .unwrap();
        let principal = value.get("Principal").unwrap();
        assert!(matches!(&principal.kind, ValueKind::Unknown(u) if u.expression == "${type}"));
        assert_eq!(&text[principal.span.range()], r#"{"${type}": ["${who}"]}"#);
        assert_eq!(value.get("Effect").unwrap().as_str(), Some("Allow"));
    }

    #[test]
    fn json_inside_a_json_string_maps_back_to_the_file() {
        let outer = r#"{"Document": "{\"Version\": \"2012-10-17\"}"}"#;
        let literal_start = outer.find("\"{").unwrap();
        let literal = &outer[literal_start..outer.len() - 1];
        let (inner, table) = decode_string_literal(literal, literal_start).unwrap();
        let value = parse_embedded(FILE, &inner, &OffsetMap::Table(table), &[])
            .unwrap()
            .unwrap();
        let version = value.get("Version").unwrap();
        assert_eq!(&outer[version.span.range()], r#"\"2012-10-17\""#);
    }
}
