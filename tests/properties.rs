//! Property tests for the pieces with clear laws: expanding an action pattern against the
//! catalog agrees with matching the pattern against every action name, and a byte offset
//! turned into a line and column points back at the same offset.

use iamlint::catalog::{Catalog, wildcard_match};
use iamlint::source::SourceFile;
use proptest::prelude::*;

/// A pattern made from a real action name: some characters turned into `?`, a run turned
/// into `*`, the case changed, or the service prefix replaced by `*`.
fn action_pattern() -> impl Strategy<Value = String> {
    let count = Catalog::get().action_count();
    (
        0..count,
        any::<u64>(),
        0usize..4,
        proptest::bool::ANY,
        proptest::bool::ANY,
    )
        .prop_map(|(index, seed, edits, upper, any_service)| {
            let catalog = Catalog::get();
            let id = catalog.all_actions().iter().nth(index).unwrap();
            let name = catalog.qualified_name(id);
            let (service, action) = name.split_once(':').unwrap();
            let mut chars: Vec<char> = action.chars().collect();
            let mut state = seed;
            let mut next = |bound: usize| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 33) as usize % bound.max(1)
            };
            for _ in 0..edits {
                let at = next(chars.len());
                if next(2) == 0 {
                    chars[at] = '?';
                } else {
                    let end = (at + 1 + next(4)).min(chars.len());
                    chars.splice(at..end, ['*']);
                }
            }
            let mut action: String = chars.into_iter().collect();
            if upper {
                action = action.to_uppercase();
            }
            let service = if any_service { "*" } else { service };
            format!("{service}:{action}")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn expansion_agrees_with_matching_every_action(pattern in action_pattern()) {
        let catalog = Catalog::get();
        let expanded = catalog.expand(&pattern);
        for id in catalog.all_actions().iter() {
            let name = catalog.qualified_name(id);
            prop_assert_eq!(
                expanded.contains(id),
                wildcard_match(&pattern, &name, true),
                "pattern {} and action {}", pattern, name
            );
        }
    }

    #[test]
    fn line_and_column_point_back_at_the_offset(
        bom in proptest::bool::ANY,
        body in "([a-zé€𝄞 \"{}:,]|\r\n|\n){0,200}",
        pick in any::<prop::sample::Index>(),
    ) {
        let text = if bom { format!("\u{feff}{body}") } else { body };
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(offset, _)| offset)
            .chain([text.len()])
            .filter(|&offset| !(bom && offset == 0))
            .collect();
        let offset = boundaries[pick.index(boundaries.len())];
        let source = SourceFile::new("policy.json".into(), text.clone());
        let position = source.line_col(offset);
        let line_start = source.line_starts()[position.line - 1] as usize;
        // The byte order mark takes no column, so column 1 of line 1 starts after it.
        let skipped = usize::from(bom && position.line == 1);
        let back = text[line_start..]
            .char_indices()
            .map(|(at, _)| line_start + at)
            .chain([text.len()])
            .nth(position.column - 1 + skipped)
            .unwrap();
        prop_assert_eq!(back, offset, "line {} column {}", position.line, position.column);
    }
}

// ---------------------------------------------------------------------------------------
// Suppression comments.
// ---------------------------------------------------------------------------------------

use iamlint::rules;
use iamlint::source::{FileId, Span};
use iamlint::suppress::{Directives, SuppressionKind, scan_comments};

/// A small linear congruential generator: the random choices of a case that are not worth
/// shrinking one by one (whitespace, escapes) come from one seed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % bound.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Whitespace the grammar allows around its parts, Unicode included (`str::trim` is used).
const SPACE: &[&str] = &["", " ", "  ", "\t", " \t ", "\u{a0}", "\u{3000}"];
/// What may separate code from a trailing comment: a YAML `#` needs ASCII whitespace before.
const CODE_GAP: &[&str] = &[" ", "  ", "\t", " \t"];
/// What may stand between the `]` and the reason.
const SEPARATORS: &[&str] = &["", ":", "-", " - ", " \u{2014} ", "\u{2013}", ": "];

#[derive(Clone, Copy, Debug)]
enum Style {
    YamlHash,
    HclHash,
    HclSlashes,
    HclBlock,
}

impl Style {
    fn file_names(self) -> &'static [&'static str] {
        match self {
            Style::YamlHash => &["policy.yaml", "t.yml", "STACK.YAML", "stack.template"],
            _ => &["main.tf", "policy.hcl", "MAIN.TF"],
        }
    }

    fn open(self) -> &'static str {
        match self {
            Style::YamlHash | Style::HclHash => "#",
            Style::HclSlashes => "//",
            Style::HclBlock => "/*",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Style::HclBlock => " */",
            _ => "",
        }
    }

    /// A line of code that opens no block, so a suppression covers exactly that line.
    fn code(self, index: usize) -> String {
        match self {
            Style::YamlHash => format!("key{index}: value{index}"),
            _ => format!("name{index} = {index}"),
        }
    }
}

fn style() -> impl Strategy<Value = Style> {
    prop::sample::select(vec![
        Style::YamlHash,
        Style::HclHash,
        Style::HclSlashes,
        Style::HclBlock,
    ])
}

/// A rule name as written in `ignore[...]`, and whether it is a rule id.
fn rule_name() -> impl Strategy<Value = (String, bool)> {
    let ids: Vec<&'static str> = rules::ids().collect();
    prop_oneof![
        4 => prop::sample::select(ids).prop_map(|id| (id.to_string(), true)),
        1 => "[a-zé]{2,8}(-[a-z]{2,8}){0,2}"
            .prop_filter("not a rule id", |name| rules::find(name).is_none())
            .prop_map(|name| (name, false)),
    ]
}

/// A non-empty reason: no surrounding whitespace, and no separator character in front.
fn reason() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9é€𝄞(\"'#][a-zA-Z0-9é€𝄞#\"'/*()\\[\\]., -]{0,30}"
        .prop_map(|reason| reason.trim_end().to_string())
}

/// One `iamlint: ignore[...]` comment in a file of simple code lines.
#[derive(Clone, Debug)]
struct CommentCase {
    style: Style,
    file_name: &'static str,
    rules: Vec<(String, bool)>,
    reason: String,
    /// After code on the line it covers, rather than on a line of its own above it.
    trailing: bool,
    /// Code lines before the comment.
    before: usize,
    /// Blank and comment-only lines between a comment on its own line and the code.
    stacked: usize,
    /// Code lines after the covered line.
    after: usize,
    indent: usize,
    crlf: bool,
    final_newline: bool,
    bom: bool,
    seed: u64,
}

prop_compose! {
    fn comment_case()(
        style in style(),
        pick in any::<prop::sample::Index>(),
        rules in prop::collection::vec(rule_name(), 1..5),
        reason in reason(),
        (trailing, before, stacked, after) in (proptest::bool::ANY, 0usize..3, 0usize..3, 0usize..3),
        (indent, crlf, final_newline, bom, seed) in
            (0usize..5, proptest::bool::ANY, proptest::bool::ANY, proptest::bool::ANY, any::<u64>()),
    ) -> CommentCase {
        let names = style.file_names();
        // `*/` inside a block comment would end it.
        let reason = match style {
            Style::HclBlock => reason.replace("*/", "* /"),
            _ => reason,
        };
        CommentCase {
            style,
            file_name: names[pick.index(names.len())],
            rules,
            reason,
            trailing,
            before,
            stacked,
            after,
            indent,
            crlf,
            final_newline,
            bom,
            seed,
        }
    }
}

/// The text of a case, with the suppression's reason replaced by `reason`; and the 1-based
/// line the comment covers.
fn comment_text(case: &CommentCase, reason: &str) -> (String, usize) {
    let mut rng = Lcg(case.seed);
    let style = case.style;
    let indent = " ".repeat(case.indent);
    let list: Vec<String> = case
        .rules
        .iter()
        .map(|(name, _)| format!("{}{name}{}", rng.pick(SPACE), rng.pick(SPACE)))
        .collect();
    let comment = format!(
        "{open}{}iamlint:{}ignore{}[{}]{}{}{}{reason}{}{close}",
        rng.pick(SPACE),
        rng.pick(SPACE),
        rng.pick(SPACE),
        list.join(","),
        rng.pick(SPACE),
        rng.pick(SEPARATORS),
        rng.pick(SPACE),
        rng.pick(SPACE),
        open = style.open(),
        close = style.close(),
    );
    let mut lines = Vec::new();
    let mut code = 0;
    let mut next_code = |lines: &mut Vec<String>| {
        lines.push(format!("{indent}{}", style.code(code)));
        code += 1;
    };
    for _ in 0..case.before {
        next_code(&mut lines);
    }
    let target = if case.trailing {
        next_code(&mut lines);
        let gap = rng.pick(CODE_GAP);
        lines.last_mut().unwrap().push_str(&format!("{gap}{comment}"));
        lines.len()
    } else {
        lines.push(format!("{}{comment}", rng.pick(&["", "  ", "\t", "      "])));
        for _ in 0..case.stacked {
            match rng.below(3) {
                0 => lines.push(rng.pick(&["", "   ", "\t"]).to_string()),
                _ => lines.push(format!(
                    "{indent}{} a note, not a directive{}",
                    style.open(),
                    style.close()
                )),
            }
        }
        next_code(&mut lines);
        lines.len()
    };
    for _ in 0..case.after {
        next_code(&mut lines);
    }
    let newline = if case.crlf { "\r\n" } else { "\n" };
    let mut text = lines.join(newline);
    if case.final_newline {
        text.push_str(newline);
    }
    if case.bom {
        text.insert(0, '\u{feff}');
    }
    (text, target)
}

fn scan(name: &str, text: &str) -> (SourceFile, Directives) {
    let source = SourceFile::new(name.into(), text.to_string());
    let directives = scan_comments(FileId(7), &source);
    (source, directives)
}

/// Every span a scan returns lies inside the text, on character boundaries, in its file.
fn assert_spans_inside(text: &str, directives: &Directives) -> Result<(), TestCaseError> {
    let spans = directives
        .suppressions
        .iter()
        .flat_map(|s| [s.at, s.scope])
        .chain(directives.findings.iter().map(|f| f.primary))
        .chain(
            directives
                .findings
                .iter()
                .flat_map(|f| f.related.iter().map(|l| l.span)),
        );
    for span in spans {
        prop_assert_eq!(span.file, FileId(7));
        prop_assert!(span.start <= span.end, "{:?}", span);
        prop_assert!(span.end as usize <= text.len(), "{:?}", span);
        prop_assert!(text.is_char_boundary(span.start as usize), "{:?}", span);
        prop_assert!(text.is_char_boundary(span.end as usize), "{:?}", span);
    }
    Ok(())
}

fn snippet(text: &str, span: Span) -> &str {
    &text[span.range()]
}

/// Pieces of text that look like parts of suppressions, code and strings.
fn scanner_noise() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "# ", "#", "//", "/*", "*/", " ", "\t", "\u{3000}", "\n", "\r\n", "\r", "\"", "'",
            "\\", "iamlint:", "iamlint", "ignore", "[", "]", ",", ":", "-", "\u{2014}",
            "admin-access", "passrole-unscoped", "x", "a: ", "- ", "{", "}", "(", ")", "<<EOF",
            "<<-EOT", "\nEOF\n", "EOT", "é", "€", "𝄞", "\u{feff}", "\u{0}",
        ])
        .prop_map(str::to_string),
        "\\PC{1,4}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn a_suppression_comment_scans_to_its_rules_reason_and_line(case in comment_case()) {
        let (text, target) = comment_text(&case, &case.reason);
        let (source, directives) = scan(case.file_name, &text);
        assert_spans_inside(&text, &directives)?;
        let known: Vec<&str> = case
            .rules
            .iter()
            .filter(|(_, known)| *known)
            .map(|(name, _)| name.as_str())
            .collect();
        let unknown: Vec<&str> = case
            .rules
            .iter()
            .filter(|(_, known)| !*known)
            .map(|(name, _)| name.as_str())
            .collect();
        // Every rule named, duplicates included, in the order written.
        let suppressed: Vec<&str> = directives.suppressions.iter().map(|s| s.rule).collect();
        prop_assert_eq!(&suppressed, &known, "text {:?}", text);
        let covered = source.line_range(target);
        for suppression in &directives.suppressions {
            prop_assert_eq!(suppression.kind, SuppressionKind::Comment);
            prop_assert_eq!(&suppression.reason, &case.reason);
            prop_assert_eq!(snippet(&text, suppression.at), suppression.rule);
            prop_assert_eq!(
                suppression.scope.range(),
                covered.clone(),
                "covers {:?} rather than line {} {:?} of {:?}",
                snippet(&text, suppression.scope),
                target,
                &text[covered.clone()],
                text
            );
        }
        let reported: Vec<(&str, &str)> = directives
            .findings
            .iter()
            .map(|f| (f.rule, snippet(&text, f.primary)))
            .collect();
        let expected: Vec<(&str, &str)> = unknown
            .iter()
            .map(|&name| ("unknown-rule-in-suppression", name))
            .collect();
        prop_assert_eq!(reported, expected);
    }

    #[test]
    fn a_suppression_without_a_reason_suppresses_nothing(case in comment_case()) {
        let (text, _) = comment_text(&case, "");
        let (_, directives) = scan(case.file_name, &text);
        assert_spans_inside(&text, &directives)?;
        prop_assert!(directives.suppressions.is_empty(), "text {:?}", text);
        // One finding per rule named, at the name, known or not.
        let reported: Vec<(&str, &str)> = directives
            .findings
            .iter()
            .map(|f| (f.rule, snippet(&text, f.primary)))
            .collect();
        let expected: Vec<(&str, &str)> = case
            .rules
            .iter()
            .map(|(name, _)| ("invalid-suppression", name.as_str()))
            .collect();
        prop_assert_eq!(reported, expected, "text {:?}", text);
    }

    #[test]
    fn lines_without_the_marker_give_nothing(
        text in scanner_noise().prop_filter("no marker", |text| !text.contains("iamlint:")),
        name in prop::sample::select(vec!["a.yaml", "b.yml", "main.tf", "c.hcl", "d.template"]),
    ) {
        let (_, directives) = scan(name, &text);
        prop_assert!(directives.suppressions.is_empty());
        prop_assert!(directives.findings.is_empty());
    }

    #[test]
    fn scanning_anything_stays_inside_the_text(
        text in prop_oneof![3 => scanner_noise(), 1 => any::<String>()],
        name in prop::sample::select(vec!["a.yaml", "b.yml", "main.tf", "c.hcl", "d.template"]),
    ) {
        let (_, directives) = scan(name, &text);
        assert_spans_inside(&text, &directives)?;
        for suppression in &directives.suppressions {
            prop_assert_eq!(snippet(&text, suppression.at), suppression.rule);
            prop_assert!(!suppression.reason.is_empty());
        }
        for finding in &directives.findings {
            prop_assert!(
                rules::SUPPRESSION_RULES.contains(&finding.rule),
                "{}", finding.rule
            );
        }
    }
}
