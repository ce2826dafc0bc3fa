//! The suppressions a file declares: inline `# iamlint: ignore[rule-id] reason` comments and
//! CloudFormation resource `Metadata` (read by that extractor). `crate::suppress` applies
//! them, with the configuration's `[[ignore]]` entries, to the findings of a run.
//!
//! Comments are found by scanning the source lines, not through any extractor: YAML and HCL
//! parsers drop comments, and this keeps one implementation for every format. What a comment
//! covers is decided by text heuristics, documented in README.md ("Suppressions"): the line
//! it is on when it follows code, else the next line of code; when that line opens a block
//! (HCL brackets, or a YAML line with more-indented lines below), the whole block.

use crate::base::finding::Problem;
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, SourceFile, Span};
use crate::base::suggest;

/// Where a suppression was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionKind {
    /// An `iamlint: ignore[...]` comment.
    Comment,
    /// A CloudFormation resource's `Metadata.iamlint.ignore`.
    Metadata,
    /// An `[[ignore]]` entry of `iamlint.toml`.
    Config,
}

impl SuppressionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionKind::Comment => "comment",
            SuppressionKind::Metadata => "metadata",
            SuppressionKind::Config => "config",
        }
    }
}

/// One rule suppressed over one region of a file.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub kind: SuppressionKind,
    pub rule: RuleId,
    /// The rule name as written: where `unused-suppression` points.
    pub at: Span,
    pub reason: String,
    /// The region it covers; findings whose primary span starts inside are suppressed, and
    /// so are those of a statement it shares a line with (`crate::suppress::apply`).
    pub scope: Span,
}

/// Suppressions of one file, and the problems found reading them.
#[derive(Debug, Default)]
pub struct Directives {
    pub suppressions: Vec<Suppression>,
    pub problems: Vec<Problem>,
}

impl Directives {
    /// Checks a rule name written in a suppression: known ids become suppressions, unknown
    /// ones a finding with a suggestion.
    pub fn add(&mut self, kind: SuppressionKind, rule: &str, at: Span, reason: &str, scope: Span) {
        match RuleId::from_name(rule) {
            Some(found) => self.suppressions.push(Suppression {
                kind,
                rule: found,
                at,
                reason: reason.to_string(),
                scope,
            }),
            None => self.problems.push(unknown_rule(at, rule)),
        }
    }

    /// A malformed suppression, or one without a reason.
    pub fn invalid(&mut self, span: Span, message: impl Into<String>) {
        self.problems.push(
            Problem::new(RuleId::InvalidSuppression, span, message).with_help(
                "write `iamlint: ignore[rule-id] reason`, the reason saying why the finding is accepted",
            ),
        );
    }
}

fn unknown_rule(span: Span, name: &str) -> Problem {
    let hint = suggest::did_you_mean_hint(name, RuleId::names());
    Problem::new(
        RuleId::UnknownRuleInSuppression,
        span,
        format!("unknown rule `{name}` in a suppression{hint}"),
    )
    .with_help("`iamlint rules` lists every rule id")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Yaml,
    Hcl,
}

fn syntax_of(source: &SourceFile) -> Option<Syntax> {
    let extension = source.path().extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "tf" | "hcl" => Some(Syntax::Hcl),
        "yaml" | "yml" => Some(Syntax::Yaml),
        "template"
            if !source
                .text()
                .trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('{') =>
        {
            Some(Syntax::Yaml)
        }
        // JSON has no comments: suppress through the configuration file.
        _ => None,
    }
}

/// Every `iamlint: ignore[...]` comment of a YAML or HCL file.
pub fn scan_comments(file: FileId, source: &SourceFile) -> Directives {
    let mut directives = Directives::default();
    let text = source.text();
    let Some(syntax) = syntax_of(source) else {
        return directives;
    };
    if !text.contains("iamlint:") {
        return directives;
    }
    let line_count = source.line_starts().len();
    for line in 1..=line_count {
        let mut range = source.line_range(line);
        // A byte order mark is not code: a comment after it is on a line of its own.
        if line == 1 && text[range.clone()].starts_with('\u{feff}') {
            range.start += '\u{feff}'.len_utf8();
        }
        let line_text = &text[range.clone()];
        if !line_text.contains("iamlint:") {
            continue;
        }
        let Some(comment) = comment_start(line_text, syntax) else {
            continue;
        };
        let body_offset = comment.body;
        let body = &line_text[body_offset..];
        let trimmed = body.trim_start();
        let Some(after) = trimmed.strip_prefix("iamlint:") else {
            continue;
        };
        let directive_start = range.start + body_offset + (body.len() - trimmed.len());
        let after_offset = range.start + line_text.len() - after.len();
        let directive_span = Span::new(file, directive_start, range.end);
        let parsed = match parse_directive(after) {
            Ok(parsed) => parsed,
            Err(message) => {
                directives.invalid(directive_span, message);
                continue;
            }
        };
        let reason = match comment.block {
            true => parsed.reason.trim_end_matches("*/").trim(),
            false => parsed.reason,
        };
        let target = if comment.after_code {
            Some(line)
        } else {
            next_code_line(source, line, syntax)
        };
        let scope = match target {
            Some(target) => {
                let start = source.line_range(target).start;
                let end = match syntax {
                    Syntax::Hcl => hcl_statement_end(text, start),
                    Syntax::Yaml => yaml_block_end(source, target),
                };
                Span::new(file, start, end)
            }
            // Nothing below the comment: it covers nothing, and will be reported unused.
            None => Span::new(file, range.end, range.end),
        };
        for (name, offset) in parsed.rules {
            let at = Span::new(
                file,
                after_offset + offset,
                after_offset + offset + name.len(),
            );
            if reason.is_empty() {
                directives.invalid(
                    at,
                    format!("the suppression of `{name}` has no reason; write why after the `]`"),
                );
                continue;
            }
            directives.add(SuppressionKind::Comment, name, at, reason, scope);
        }
    }
    directives
}

struct CommentStart {
    /// Byte offset of the text after `#`, `//` or `/*`.
    body: usize,
    /// Code precedes the comment on its line.
    after_code: bool,
    /// A `/* ... */` comment.
    block: bool,
}

/// Where the comment of a line starts, outside quoted strings.
fn comment_start(line: &str, syntax: Syntax) -> Option<CommentStart> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        match quote {
            Some(q) => {
                if byte == b'\\' && q == b'"' {
                    index += 1;
                } else if byte == q && q == b'\'' && bytes.get(index + 1) == Some(&b'\'') {
                    // `''` in a single-quoted scalar is a quote, not the end of it.
                    index += 1;
                } else if byte == q {
                    quote = None;
                }
            }
            None => {
                let preceded_by_space = index == 0 || bytes[index - 1].is_ascii_whitespace();
                let found = match (syntax, byte) {
                    (_, b'"') => {
                        quote = Some(b'"');
                        None
                    }
                    // YAML single-quoted scalars (`''` inside is handled above).
                    (Syntax::Yaml, b'\'') if preceded_by_space || index == 0 => {
                        quote = Some(b'\'');
                        None
                    }
                    // A YAML comment starts with `#` after whitespace (`a#b` is a scalar).
                    (Syntax::Yaml, b'#') if preceded_by_space => Some((1, false)),
                    (Syntax::Hcl, b'#') => Some((1, false)),
                    (Syntax::Hcl, b'/') if bytes.get(index + 1) == Some(&b'/') => Some((2, false)),
                    (Syntax::Hcl, b'/') if bytes.get(index + 1) == Some(&b'*') => Some((2, true)),
                    _ => None,
                };
                if let Some((len, block)) = found {
                    return Some(CommentStart {
                        body: index + len,
                        after_code: !line[..index].trim().is_empty(),
                        block,
                    });
                }
            }
        }
        index += 1;
    }
    None
}

struct Directive<'a> {
    /// Rule names with their byte offset in the text after `iamlint:`.
    rules: Vec<(&'a str, usize)>,
    reason: &'a str,
}

/// `ignore[rule-a, rule-b] reason` (the text after `iamlint:`).
fn parse_directive(after: &str) -> Result<Directive<'_>, String> {
    const EXPECTED: &str = "expected `iamlint: ignore[rule-id] reason`";
    let rest = after.trim_start();
    let Some(rest) = rest.strip_prefix("ignore") else {
        return Err(format!("unknown suppression directive; {EXPECTED}"));
    };
    let rest_trimmed = rest.trim_start();
    let Some(list) = rest_trimmed.strip_prefix('[') else {
        return Err(format!("the rules to ignore are missing; {EXPECTED}"));
    };
    let Some((names, reason)) = list.split_once(']') else {
        return Err(format!("`[` is not closed; {EXPECTED}"));
    };
    let list_offset = after.len() - list.len();
    let mut rules = Vec::new();
    let mut offset = 0;
    for part in names.split(',') {
        let name = part.trim();
        if !name.is_empty() {
            let lead = part.len() - part.trim_start().len();
            rules.push((name, list_offset + offset + lead));
        }
        offset += part.len() + 1;
    }
    if rules.is_empty() {
        return Err(format!("no rule named in `[]`; {EXPECTED}"));
    }
    let reason = reason
        .trim()
        .trim_start_matches([':', '-', '\u{2014}', '\u{2013}'])
        .trim();
    Ok(Directive { rules, reason })
}

fn is_comment_only(line: &str, syntax: Syntax) -> bool {
    let trimmed = line.trim_start();
    match syntax {
        Syntax::Yaml => trimmed.starts_with('#'),
        Syntax::Hcl => {
            trimmed.starts_with('#') || trimmed.starts_with("//") || trimmed.starts_with("/*")
        }
    }
}

/// The first line after `line` with code on it (stacked comments are skipped).
fn next_code_line(source: &SourceFile, line: usize, syntax: Syntax) -> Option<usize> {
    let text = source.text();
    (line + 1..=source.line_starts().len()).find(|&next| {
        let content = &text[source.line_range(next)];
        !content.trim().is_empty() && !is_comment_only(content, syntax)
    })
}

/// End of the HCL statement starting at `start`: the end of the first line on which every
/// bracket opened since `start` is closed (strings, comments and heredocs skipped).
fn hcl_statement_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth: i64 = 0;
    let mut index = start;
    while index < bytes.len() {
        match bytes[index] {
            b'"' => {
                index += 1;
                while index < bytes.len() && bytes[index] != b'"' && bytes[index] != b'\n' {
                    if bytes[index] == b'\\' {
                        index += 1;
                    }
                    index += 1;
                }
            }
            b'#' => index = line_end(bytes, index) - 1,
            b'/' if bytes.get(index + 1) == Some(&b'/') => index = line_end(bytes, index) - 1,
            b'/' if bytes.get(index + 1) == Some(&b'*') => {
                index = text[index + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |end| index + 2 + end + 1);
            }
            b'<' if bytes.get(index + 1) == Some(&b'<') => {
                let mut marker_start = index + 2;
                if bytes.get(marker_start) == Some(&b'-') {
                    marker_start += 1;
                }
                let marker_end = (marker_start..bytes.len())
                    .find(|&i| !(bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_'))
                    .unwrap_or(bytes.len());
                if marker_end > marker_start {
                    let marker = &text[marker_start..marker_end];
                    // Skip to the line that is only the marker; the newline ending it is
                    // then seen below.
                    let mut line_start = line_end(bytes, marker_end);
                    loop {
                        if line_start >= bytes.len() {
                            return text.len();
                        }
                        let end = line_end(bytes, line_start + 1).min(bytes.len());
                        let line = &text[line_start + 1..end.max(line_start + 1)];
                        if line.trim() == marker {
                            index = end - 1;
                            break;
                        }
                        line_start = end;
                    }
                }
            }
            b'{' | b'[' | b'(' => depth += 1,
            b'}' | b']' | b')' => depth -= 1,
            b'\n' if depth <= 0 => return trim_cr(text, index),
            _ => {}
        }
        index += 1;
    }
    text.len()
}

/// Offset of the `\n` ending the line that holds `index`, or the text length.
fn line_end(bytes: &[u8], index: usize) -> usize {
    (index..bytes.len())
        .find(|&i| bytes[i] == b'\n')
        .unwrap_or(bytes.len())
}

fn trim_cr(text: &str, newline: usize) -> usize {
    if newline > 0 && text.as_bytes()[newline - 1] == b'\r' {
        newline - 1
    } else {
        newline
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// End of the YAML block starting at `line`: the lines below that are more indented (and,
/// under a key with nothing after its colon, a sequence at the same indentation).
fn yaml_block_end(source: &SourceFile, line: usize) -> usize {
    let text = source.text();
    let first = text[source.line_range(line)].trim_start_matches('\u{feff}');
    let base = indent(first);
    let code = match comment_start(first, Syntax::Yaml) {
        Some(comment) => &first[..comment.body - 1],
        None => first,
    };
    let key_only = code.trim_end().ends_with(':');
    let mut end = source.line_range(line).end;
    for next in line + 1..=source.line_starts().len() {
        let range = source.line_range(next);
        let content = &text[range.clone()];
        if content.trim().is_empty() || is_comment_only(content, Syntax::Yaml) {
            continue;
        }
        let level = indent(content);
        let rest = content.trim_start();
        let continues =
            level > base || (level == base && key_only && (rest == "-" || rest.starts_with("- ")));
        if !continues {
            break;
        }
        end = range.end;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(name: &str, text: &str) -> (Vec<(String, String, String)>, Vec<String>) {
        let source = SourceFile::new(name.into(), text.into());
        let directives = scan_comments(FileId(0), &source);
        let suppressions = directives
            .suppressions
            .iter()
            .map(|s| {
                (
                    s.rule.to_string(),
                    source.snippet(s.scope).to_string(),
                    s.reason.clone(),
                )
            })
            .collect();
        let findings = directives
            .problems
            .iter()
            .map(|f| format!("{}: {} @ {}", f.rule, f.message, source.snippet(f.primary)))
            .collect();
        (suppressions, findings)
    }

    #[test]
    fn yaml_comments_cover_their_line_the_next_line_or_a_block() {
        let text = "Resources:\n  # iamlint: ignore[admin-access] break-glass role\n  Admin:\n    Type: AWS::IAM::Role\n\n    Properties: {}\n  Other:\n    Type: x # iamlint: ignore[missing-version]: generated\n";
        let (suppressions, findings) = scan("t.yaml", text);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(
            suppressions,
            [
                (
                    "admin-access".into(),
                    "  Admin:\n    Type: AWS::IAM::Role\n\n    Properties: {}".into(),
                    "break-glass role".into()
                ),
                (
                    "missing-version".into(),
                    "    Type: x # iamlint: ignore[missing-version]: generated".into(),
                    "generated".into()
                ),
            ]
        );
        // A key whose sequence sits at its own indentation.
        let (suppressions, _) = scan(
            "t.yml",
            "Statement: # iamlint: ignore[admin-access] ok\n- Effect: Allow\n- Effect: Deny\nNext: 1\n",
        );
        assert_eq!(
            suppressions[0].1,
            "Statement: # iamlint: ignore[admin-access] ok\n- Effect: Allow\n- Effect: Deny"
        );
    }

    #[test]
    fn hcl_comments_cover_blocks_heredocs_and_statements() {
        let text = "// iamlint: ignore[admin-access, passrole-unscoped] legacy\nresource \"aws_iam_policy\" \"p\" {\n  policy = <<EOF\n{\"a\": \"}\"}\nEOF\n  name = \"{\" # not a bracket\n}\nresource \"x\" \"y\" {}\n";
        let (suppressions, findings) = scan("main.tf", text);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(suppressions.len(), 2);
        assert_eq!(
            suppressions[1].1,
            "resource \"aws_iam_policy\" \"p\" {\n  policy = <<EOF\n{\"a\": \"}\"}\nEOF\n  name = \"{\" # not a bracket\n}"
        );
        let (suppressions, _) = scan(
            "main.tf",
            "locals {\n  a = \"*\" # iamlint: ignore[admin-access] test only\n  b = 1\n}\n",
        );
        assert_eq!(
            suppressions[0].1,
            "  a = \"*\" # iamlint: ignore[admin-access] test only"
        );
        let (suppressions, _) = scan(
            "main.tf",
            "/* iamlint: ignore[admin-access] block comment */\nx = [\n 1,\n]\ny = 2\n",
        );
        assert_eq!(suppressions[0].1, "x = [\n 1,\n]");
        assert_eq!(suppressions[0].2, "block comment");
    }

    #[test]
    fn a_comment_after_a_byte_order_mark_is_on_a_line_of_its_own() {
        let (suppressions, findings) = scan(
            "t.yaml",
            "\u{feff}# iamlint: ignore[admin-access] break-glass\nAdmin: 1\n",
        );
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(
            suppressions,
            [(
                "admin-access".into(),
                "Admin: 1".into(),
                "break-glass".into()
            )]
        );
        let (suppressions, _) = scan(
            "main.tf",
            "\u{feff}// iamlint: ignore[admin-access] legacy\nx = 1\n",
        );
        assert_eq!(suppressions[0].1, "x = 1");
    }

    #[test]
    fn a_doubled_quote_does_not_end_a_single_quoted_scalar() {
        let (suppressions, findings) = scan(
            "t.yaml",
            "a: 'it''s # not a comment' # iamlint: ignore[admin-access] quoted\n",
        );
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(suppressions.len(), 1);
        assert_eq!(suppressions[0].2, "quoted");
        let (suppressions, findings) = scan(
            "t.yaml",
            "a: 'it''s # iamlint: ignore[admin-access] in a string'\n",
        );
        assert!(suppressions.is_empty() && findings.is_empty());
    }

    #[test]
    fn problems_are_findings() {
        let (suppressions, findings) = scan(
            "t.yaml",
            "a: 1 # iamlint: ignore[admin-acces] typo\nb: 2 # iamlint: ignore[admin-access]\nc: 3 # iamlint: disable\nd: \"# iamlint: ignore[x] in a string\"\n",
        );
        assert!(suppressions.is_empty());
        assert_eq!(
            findings,
            [
                "unknown-rule-in-suppression: unknown rule `admin-acces` in a suppression (did you mean `admin-access`?) @ admin-acces",
                "invalid-suppression: the suppression of `admin-access` has no reason; write why after the `]` @ admin-access",
                "invalid-suppression: unknown suppression directive; expected `iamlint: ignore[rule-id] reason` @ iamlint: disable",
            ]
        );
        // JSON has no comments.
        assert_eq!(
            scan("p.json", "{} # iamlint: ignore[admin-access] x")
                .0
                .len(),
            0
        );
    }
}
