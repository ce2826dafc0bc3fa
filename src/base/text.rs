//! Text from the scanned repository on its way to a terminal or a CI log. The repository is
//! untrusted input: a file name or a policy string may hold a newline that starts a line a CI
//! runner executes (`::error file=…::`, `::add-mask::`), escape sequences a terminal obeys,
//! or bidirectional overrides that make the output read differently from what it says.

use std::borrow::Cow;

/// Whether a character must not reach the output as it is: C0 controls (newline and tab
/// included), DEL, C1 controls, the Unicode line and paragraph separators, and the
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every unsafe character (see [`is_unsafe_char`]) written as a Rust-style escape
/// (`\n`, `\u{1b}`, `\u{202e}`), so it prints on one line, starts no CI command and sends
/// nothing to the terminal but visible characters. Every text format passes paths, messages,
/// help and labels through it; the formats add their own newlines and tabs afterwards.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A character of the same UTF-8 length in place of each unsafe one except tab, for source
/// snippets: byte offsets into the text stay valid, so spans still point where they did.
pub fn printable_same_length(text: &str) -> Cow<'_, str> {
    let unsafe_here = |c: char| c != '\t' && is_unsafe_char(c);
    if !text.chars().any(unsafe_here) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if unsafe_here(c) {
            out.push(match c.len_utf8() {
                1 => '?',
                2 => '\u{bf}', // ¿
                _ => '\u{fffd}',
            });
        } else {
            out.push(c);
        }
    }
    debug_assert_eq!(out.len(), text.len());
    Cow::Owned(out)
}

/// Characters of user text a message quotes before it is cut: longer than any real name
/// (the longest IAM action is under 100), short enough that a 1 MB name prints as a line.
pub const QUOTED_MAX_CHARS: usize = 200;

/// User text quoted in a message, cut after [`QUOTED_MAX_CHARS`] characters with an
/// ellipsis, so a huge unknown name does not make a huge message (and a huge output line for
/// each place that prints it).
pub fn clip(text: &str) -> Cow<'_, str> {
    clip_to(text, QUOTED_MAX_CHARS)
}

/// `text` cut after `max_chars` characters, with `…` appended when anything was cut.
pub fn clip_to(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", &text[..cut])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_controls_and_bidi_overrides() {
        assert_eq!(printable("s3:Get\n::error::x"), "s3:Get\\n::error::x");
        assert_eq!(printable("a\u{1b}]0;t\u{7}b"), "a\\u{1b}]0;t\\u{7}b");
        assert_eq!(printable("\u{9b}\u{202e}\r\t"), "\\u{9b}\\u{202e}\\r\\t");
        assert!(matches!(printable("plain ünïcode"), Cow::Borrowed(_)));
    }

    #[test]
    fn same_length_replacement_keeps_offsets() {
        let text = "a\u{1b}b\u{85}c\u{202e}d\te\r";
        let safe = printable_same_length(text);
        assert_eq!(safe.len(), text.len());
        assert_eq!(safe, "a?b\u{bf}c\u{fffd}d\te?");
    }

    #[test]
    fn clip_cuts_on_a_character_boundary() {
        assert_eq!(clip_to("ééééé", 3), "ééé…");
        assert_eq!(clip_to("abc", 3), "abc");
    }
}
