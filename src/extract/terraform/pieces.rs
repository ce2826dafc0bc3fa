//! Cutting a large `.tf` file into runs of whole top-level blocks, so that its pieces are
//! parsed on several threads: parsing is most of the time a module of a few megabytes takes,
//! and one file is otherwise parsed on one thread.
//!
//! A cut goes only where a line starts with a name at column 0 and the last line before it
//! that is not blank is `}` alone: where a top-level block ends and the next begins in
//! `terraform fmt` layout. The same text inside a heredoc, a comment, a string or a nested
//! block leaves the piece before the cut unterminated (an open heredoc, comment, string or
//! brace), so that piece fails to parse and the caller parses the whole file instead: the
//! pieces are used only when every one parses, and then they hold exactly the whole file's
//! blocks.

use std::ops::Range;

/// The smallest piece worth a parse of its own: smaller files are parsed whole.
const MIN_PIECE: usize = 64 * 1024;

/// Below this many bytes a module's files are parsed on the calling thread, one after the
/// other: they are parsed in less time than starting worker threads takes.
pub(super) const PARALLEL_FROM: usize = 2 * MIN_PIECE;

/// The byte ranges of `text` to parse one by one, in order and covering all of it: one range
/// for a file smaller than two pieces or without a place to cut.
pub(super) fn pieces(text: &str) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while let Some(cut) = next_cut(text, start + MIN_PIECE) {
        if text.len() - cut < MIN_PIECE {
            break;
        }
        pieces.push(start..cut);
        start = cut;
    }
    pieces.push(start..text.len());
    pieces
}

/// The first line start at or after `from` where a top-level block may begin: the line starts
/// with a name, and the last line before it that is not blank is `}` alone.
fn next_cut(text: &str, from: usize) -> Option<usize> {
    let mut at = from.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    loop {
        // The `}` at the start of a line.
        let closing = at + text.get(at..)?.find("\n}")? + 1;
        at = closing;
        let (closing_line, rest) = text[closing..].split_once('\n')?;
        if !closing_line.trim_end().eq("}") {
            continue;
        }
        let next = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let next_start = text.len() - next.len();
        let at_column_0 = text.as_bytes()[next_start - 1] == b'\n';
        if at_column_0 && next.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return Some(next_start);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(count: usize) -> String {
        let body = format!("  a = \"{}\"\n", "x".repeat(1000));
        (0..count)
            .map(|i| format!("resource \"t\" \"r{i}\" {{\n{}}}\n\n", body.repeat(10)))
            .collect()
    }

    #[test]
    fn a_small_file_is_one_piece() {
        let text = blocks(3);
        assert_eq!(pieces(&text), vec![0..text.len()]);
    }

    #[test]
    fn a_large_file_is_cut_before_top_level_blocks_only() {
        let text = blocks(40);
        let cuts = pieces(&text);
        assert!(cuts.len() > 2, "{cuts:?}");
        assert_eq!(cuts.first().map(|r| r.start), Some(0));
        assert_eq!(cuts.last().map(|r| r.end), Some(text.len()));
        for pair in cuts.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
            assert!(text[pair[1].clone()].starts_with("resource \"t\""));
            assert!(pair[0].len() >= MIN_PIECE);
        }
    }

    /// What makes a cut in the wrong place safe: the text before it does not parse.
    #[test]
    fn a_piece_cut_inside_a_heredoc_comment_string_or_block_does_not_parse() {
        let cut_inside = [
            "a = <<EOF\n}\n",
            "/* comment\n}\n",
            "a = \"${ {\n}\n",
            "resource \"t\" \"r\" {\n  dynamic \"d\" {\n}\n",
        ];
        for prefix in cut_inside {
            assert!(hcl_edit::parser::parse_body(prefix).is_err(), "{prefix}");
        }
    }

    #[test]
    fn a_closing_brace_not_alone_on_its_line_is_no_place_to_cut() {
        let text = blocks(40).replace("}\n\nresource", "} # end\nresource");
        assert_eq!(pieces(&text), vec![0..text.len()]);
    }
}
