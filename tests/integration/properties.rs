//! Property tests for the pieces with clear laws: expanding an action pattern against the
//! catalog agrees with matching the pattern against every action name; a byte offset turned
//! into a line and column points back at the same offset; a suppression comment scans to the
//! rules, reason and lines written, and scanning any text stays inside it; the JSON and SARIF
//! reports of a run of a random policy say what the run found, where, with its fingerprint;
//! and a suppression comment moves exactly its rules' findings to the suppressed ones.

use iamlint::base::source::SourceFile;
use iamlint::catalog::{Catalog, wildcard_match};
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

use iamlint::base::rule_id::RuleId;
use iamlint::base::source::{FileId, Span};
use iamlint::extract::suppressions::{Directives, SuppressionKind, scan_comments};
use iamlint::rules;

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

    /// A line of code that opens no block, so a suppression covers exactly that line; some
    /// hold strings with comment markers, quotes and brackets in them.
    fn code(self, index: usize, variant: usize) -> String {
        match (self, variant % 4) {
            (Style::YamlHash, 0) => format!("key{index}: value{index}"),
            (Style::YamlHash, 1) => format!("key{index}: \"a # b \\\" # c\""),
            (Style::YamlHash, 2) => format!("key{index}: 'it''s # here'"),
            (Style::YamlHash, _) => format!("key{index}: a#b"),
            (_, 0) => format!("name{index} = {index}"),
            (_, 1) => format!("name{index} = \"a # b // c /* d \\\" e\""),
            (_, 2) => format!("name{index} = \"{{ [ (\""),
            (_, _) => format!("name{index} = local.a[\"#\"]"),
        }
    }

    /// A line that opens a block, its `children` lines, and what closes it.
    fn block(self, index: usize, children: usize, indent: &str) -> Vec<String> {
        match self {
            Style::YamlHash => std::iter::once(format!("{indent}key{index}:"))
                .chain((0..children).map(|k| format!("{indent}  child{k}: {k}")))
                .collect(),
            _ => std::iter::once(format!("{indent}name{index} = ["))
                .chain((0..children).map(|k| format!("{indent}  {k},")))
                .chain([format!("{indent}]")])
                .collect(),
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
    let ids: Vec<&'static str> = RuleId::names().collect();
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
    /// Lines inside the block the covered line opens (none: it opens no block).
    children: usize,
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
        children in prop::option::weighted(0.3, 1usize..4),
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
            children: children.unwrap_or(0),
            indent,
            crlf,
            final_newline,
            bom,
            seed,
        }
    }
}

/// The text of a case, with the suppression's reason replaced by `reason`; and the first
/// and last 1-based lines the comment covers.
fn comment_text(case: &CommentCase, reason: &str) -> (String, (usize, usize)) {
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
    let code_line =
        |index: usize, rng: &mut Lcg| format!("{indent}{}", style.code(index, rng.below(4)));
    let mut lines: Vec<String> = (0..case.before).map(|i| code_line(i, &mut rng)).collect();
    if !case.trailing {
        lines.push(format!(
            "{}{comment}",
            rng.pick(&["", "  ", "\t", "      "])
        ));
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
    }
    // The covered line, with the comment after its code or not.
    let first = lines.len() + 1;
    let mut block = if case.children > 0 {
        style.block(case.before, case.children, &indent)
    } else {
        vec![code_line(case.before, &mut rng)]
    };
    if case.trailing {
        block[0].push_str(rng.pick(CODE_GAP));
        block[0].push_str(&comment);
    }
    lines.extend(block);
    let target = (first, lines.len());
    for index in 0..case.after {
        lines.push(code_line(case.before + 1 + index, &mut rng));
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
        .chain(directives.problems.iter().map(|f| f.primary))
        .chain(
            directives
                .problems
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
            "# ",
            "#",
            "//",
            "/*",
            "*/",
            " ",
            "\t",
            "\u{3000}",
            "\n",
            "\r\n",
            "\r",
            "\"",
            "'",
            "\\",
            "iamlint:",
            "iamlint",
            "ignore",
            "[",
            "]",
            ",",
            ":",
            "-",
            "\u{2014}",
            "admin-access",
            "passrole-unscoped",
            "x",
            "a: ",
            "- ",
            "{",
            "}",
            "(",
            ")",
            "<<EOF",
            "<<-EOT",
            "\nEOF\n",
            "EOT",
            "é",
            "€",
            "𝄞",
            "\u{feff}",
            "\u{0}",
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
        let suppressed: Vec<&str> = directives.suppressions.iter().map(|s| s.rule.as_str()).collect();
        prop_assert_eq!(&suppressed, &known, "text {:?}", text);
        let covered = source.line_range(target.0).start..source.line_range(target.1).end;
        for suppression in &directives.suppressions {
            prop_assert_eq!(suppression.kind, SuppressionKind::Comment);
            prop_assert_eq!(&suppression.reason, &case.reason);
            prop_assert_eq!(snippet(&text, suppression.at), suppression.rule.as_str());
            prop_assert_eq!(
                suppression.scope.range(),
                covered.clone(),
                "covers {:?} rather than lines {:?} {:?} of {:?}",
                snippet(&text, suppression.scope),
                target,
                &text[covered.clone()],
                text
            );
        }
        let reported: Vec<(&str, &str)> = directives
            .problems
            .iter()
            .map(|f| (f.rule.as_str(), snippet(&text, f.primary)))
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
            .problems
            .iter()
            .map(|f| (f.rule.as_str(), snippet(&text, f.primary)))
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
        prop_assert!(directives.problems.is_empty());
    }

    #[test]
    fn blank_lines_above_move_every_span_and_change_nothing_else(
        text in scanner_noise().prop_filter("no byte order mark", |t| !t.starts_with('\u{feff}')),
        blank in prop::sample::select(vec!["\n", "\r\n", "\n\n", "   \n", "\u{3000}\r\n"]),
        name in prop::sample::select(vec!["a.yaml", "b.yml", "main.tf", "c.hcl", "d.template"]),
    ) {
        let shift = |span: Span| (span.start as usize + blank.len(), span.end as usize + blank.len());
        let place = |span: Span| (span.start as usize, span.end as usize);
        let (_, before) = scan(name, &text);
        let (_, after) = scan(name, &format!("{blank}{text}"));
        let summary = |directives: &Directives, at: &dyn Fn(Span) -> (usize, usize)| {
            let suppressions: Vec<_> = directives
                .suppressions
                .iter()
                .map(|s| (s.rule, s.reason.clone(), at(s.at), at(s.scope)))
                .collect();
            let findings: Vec<_> = directives
                .problems
                .iter()
                .map(|f| (f.rule, f.message.clone(), at(f.primary)))
                .collect();
            (suppressions, findings)
        };
        prop_assert_eq!(summary(&before, &shift), summary(&after, &place));
    }

    #[test]
    fn scanning_anything_stays_inside_the_text(
        text in prop_oneof![3 => scanner_noise(), 1 => any::<String>()],
        name in prop::sample::select(vec!["a.yaml", "b.yml", "main.tf", "c.hcl", "d.template"]),
    ) {
        let (_, directives) = scan(name, &text);
        assert_spans_inside(&text, &directives)?;
        for suppression in &directives.suppressions {
            prop_assert_eq!(snippet(&text, suppression.at), suppression.rule.as_str());
            prop_assert!(!suppression.reason.is_empty());
        }
        for finding in &directives.problems {
            prop_assert!(
                finding.rule.is_about_suppressions(),
                "{}", finding.rule
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// JSON and SARIF reports of whole runs.
// ---------------------------------------------------------------------------------------

use iamlint::base::finding::{Finding, Severity};
use iamlint::engine::{CheckOptions, RunOutput, run_with_stdin};
use iamlint::report::{Counts, Format, HumanOptions, Location, fingerprint, locate};
use serde_json::Value;

/// A JSON value with its keys in the order written.
#[derive(Clone, Debug)]
enum Json {
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

fn obj(entries: Vec<(&str, Json)>) -> Json {
    Json::Obj(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect(),
    )
}

fn str_or_list(items: Vec<String>, list: bool) -> Json {
    if list || items.len() != 1 {
        Json::Arr(items.into_iter().map(Json::Str).collect())
    } else {
        Json::Str(items.into_iter().next().unwrap())
    }
}

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:ListBuckets",
    "s3:*",
    "S3:getobject",
    "iam:PassRole",
    "iam:*",
    "iam:CreateAccessKey",
    "*",
    "ec2:Describe*",
    "ec2:RunInstances",
    "sts:AssumeRole",
    "kms:Decrypt",
    "lambda:InvokeFunction",
    "dynamodb:GetItem",
    "s3:Get*Objekt",
    "nosuchservice:DoThing",
];

const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/*",
    "arn:aws:iam::123456789012:role/app",
    "arn:aws:iam::123456789012:role/*",
    "arn:aws:kms:eu-west-1:123456789012:key/1234abcd",
    "arn:aws:s3::bucket",
    "arn:aws:dynamodb:eu-west-1:123456789012:table/t",
];

/// Operator, key and value of a one-entry `Condition`.
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("StringEquals", "aws:RequestedRegion", "eu-west-1"),
    ("Bool", "aws:SecureTransport", "false"),
    ("StringLike", "iam:PassedToService", "ec2.amazonaws.com"),
    ("StringEquals", "aws:PrincipalOrgID", "o-abc123"),
    ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
    ("StringEqualz", "aws:username", "x"),
];

/// Text for `Sid`s and condition values: ASCII, accents, symbols outside the BMP, quotes,
/// backslashes and control characters (written escaped).
fn text_value() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 é€𝄞ß\u{3000}\"\\\\/\u{1}\u{7f}-]{0,12}"
}

fn statement() -> impl Strategy<Value = Json> {
    (
        prop::option::of(text_value()),
        prop::sample::select(vec!["Allow", "Allow", "Deny", "allow"]),
        proptest::bool::ANY,
        prop::collection::vec(prop::sample::select(ACTIONS), 1..4),
        proptest::bool::ANY,
        prop::collection::vec(prop::sample::select(RESOURCES), 1..3),
        proptest::bool::ANY,
        prop::option::of((0..CONDITIONS.len(), prop::option::of(text_value()))),
    )
        .prop_map(
            |(
                sid,
                effect,
                not_action,
                actions,
                action_list,
                resources,
                resource_list,
                condition,
            )| {
                let mut entries = Vec::new();
                if let Some(sid) = sid {
                    entries.push(("Sid", Json::Str(sid)));
                }
                entries.push(("Effect", Json::Str(effect.to_string())));
                let actions = actions.into_iter().map(str::to_string).collect();
                let key = if not_action { "NotAction" } else { "Action" };
                entries.push((key, str_or_list(actions, action_list)));
                let resources = resources.into_iter().map(str::to_string).collect();
                entries.push(("Resource", str_or_list(resources, resource_list)));
                if let Some((index, value)) = condition {
                    let (operator, key, default) = CONDITIONS[index];
                    let value = value.unwrap_or_else(|| default.to_string());
                    entries.push((
                        "Condition",
                        obj(vec![(operator, obj(vec![(key, Json::Str(value))]))]),
                    ));
                }
                obj(entries)
            },
        )
}

fn policy() -> impl Strategy<Value = Json> {
    (
        prop::option::of(prop::sample::select(vec![
            "2012-10-17",
            "2008-10-17",
            "2012-10-18",
        ])),
        prop::option::of(text_value()),
        prop::collection::vec(statement(), 1..4),
        proptest::bool::ANY,
    )
        .prop_map(|(version, id, statements, single)| {
            let mut entries = Vec::new();
            if let Some(version) = version {
                entries.push(("Version", Json::Str(version.to_string())));
            }
            if let Some(id) = id {
                entries.push(("Id", Json::Str(id)));
            }
            let statements = if single && statements.len() == 1 {
                statements.into_iter().next().unwrap()
            } else {
                Json::Arr(statements)
            };
            entries.push(("Statement", statements));
            obj(entries)
        })
}

/// How a policy is laid out: on one line, pretty-printed with some indentation and line
/// ending, or with random whitespace between tokens; characters of strings escaped at random.
#[derive(Clone, Copy, Debug)]
enum Layout {
    Compact,
    Pretty {
        indent: &'static str,
        newline: &'static str,
    },
    Scattered,
}

fn layout() -> impl Strategy<Value = Layout> {
    prop_oneof![
        Just(Layout::Compact),
        (
            prop::sample::select(vec!["  ", "    ", "\t", " "]),
            prop::sample::select(vec!["\n", "\r\n"]),
        )
            .prop_map(|(indent, newline)| Layout::Pretty { indent, newline }),
        Just(Layout::Scattered),
    ]
}

struct Writer {
    layout: Layout,
    rng: Lcg,
    out: String,
}

impl Writer {
    fn space(&mut self, depth: usize) {
        match self.layout {
            Layout::Compact => {}
            Layout::Pretty { indent, newline } => {
                self.out.push_str(newline);
                self.out.push_str(&indent.repeat(depth));
            }
            Layout::Scattered => {
                let space = self
                    .rng
                    .pick(&["", "", " ", "\n", "\r\n", "\t", "\n      "]);
                self.out.push_str(space);
            }
        }
    }

    fn string(&mut self, text: &str) {
        self.out.push('"');
        for c in text.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '/' if self.rng.below(2) == 0 => self.out.push_str("\\/"),
                c if (c as u32) < 0x20 || self.rng.below(6) == 0 => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        self.out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn value(&mut self, value: &Json, depth: usize) {
        match value {
            Json::Str(text) => self.string(text),
            Json::Arr(items) => {
                self.out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        self.out.push(',');
                    }
                    self.space(depth + 1);
                    self.value(item, depth + 1);
                }
                self.space(depth);
                self.out.push(']');
            }
            Json::Obj(entries) => {
                self.out.push('{');
                for (index, (key, item)) in entries.iter().enumerate() {
                    if index > 0 {
                        self.out.push(',');
                    }
                    self.space(depth + 1);
                    self.string(key);
                    self.out.push(':');
                    if !matches!(self.layout, Layout::Compact) {
                        self.out.push(' ');
                    }
                    self.value(item, depth + 1);
                }
                self.space(depth);
                self.out.push('}');
            }
        }
    }
}

/// Where standard input is said to come from: plain, nested, and names a URI must escape.
const STDIN_NAMES: &[&str] = &[
    "policy.json",
    "policies/admin.json",
    "pölicies/ünïcødé €.json",
    "a b/c%d#e?.json",
    "./local.json",
];

#[derive(Clone, Debug)]
struct PolicyCase {
    name: &'static str,
    text: String,
    newline: &'static str,
}

prop_compose! {
    fn policy_case()(
        policy in policy(),
        layout in layout(),
        seed in any::<u64>(),
        name in prop::sample::select(STDIN_NAMES),
        bom in proptest::bool::ANY,
        // Now and then the text is cut short, so parse errors are reported too.
        cut in prop::option::weighted(0.15, any::<prop::sample::Index>()),
    ) -> PolicyCase {
        let mut writer = Writer { layout, rng: Lcg(seed), out: String::new() };
        if bom {
            writer.out.push('\u{feff}');
        }
        writer.value(&policy, 0);
        writer.space(0);
        let mut text = writer.out;
        if let Some(cut) = cut {
            let boundaries: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
            text.truncate(boundaries[cut.index(boundaries.len())]);
        }
        let newline = match layout {
            Layout::Pretty { newline, .. } => newline,
            _ => "\n",
        };
        PolicyCase { name, text, newline }
    }
}

fn run_policy(case: &PolicyCase) -> RunOutput {
    run_text(case.name, &case.text, false)
}

fn run_text(name: &str, text: &str, no_suppressions: bool) -> RunOutput {
    let options = CheckOptions {
        paths: vec!["-".into()],
        stdin_filename: Some(name.to_string()),
        no_suppressions,
        rules: crate::support::every_rule(),
        ..Default::default()
    };
    run_with_stdin(&options, text.as_bytes().to_vec())
}

fn report(format: Format, run: &RunOutput) -> Value {
    report_with(format, run, false)
}

fn report_with(format: Format, run: &RunOutput, show_suppressed: bool) -> Value {
    let mut out = Vec::new();
    let options = HumanOptions {
        show_suppressed,
        ..HumanOptions::default()
    };
    iamlint::report::write(format, run, &options, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

/// Rules the generated policies set off, and one they never do (`trust-oidc-unscoped`).
const SUPPRESSIBLE: &[&str] = &[
    "missing-version",
    "invalid-version",
    "invalid-sid",
    "unknown-action",
    "unknown-service",
    "invalid-arn",
    "redundant-action",
    "allow-with-not-action",
    "action-pattern-matches-nothing",
    "passrole-unscoped",
    "wildcard-resource",
    "admin-access",
    "privilege-escalation",
    "malformed-policy",
    "condition-value-type",
    "unknown-condition-operator",
    "data-exfiltration",
    "duplicate-sid",
    "trust-oidc-unscoped",
];

/// A Terraform policy resource with its policy in a heredoc, and a suppression comment that
/// covers the whole resource: above it, or after its opening line.
#[derive(Clone, Debug)]
struct TerraformCase {
    policy: String,
    reason: String,
    trailing: bool,
    /// Which of the rules the policy sets off the comment names.
    seed: u64,
    /// A rule the comment names whether or not it has findings.
    extra: Option<&'static str>,
}

impl TerraformCase {
    fn text(&self, rules: &[&str]) -> String {
        let comment = format!("# iamlint: ignore[{}] {}", rules.join(", "), self.reason);
        let (above, after_header) = if self.trailing {
            (String::new(), format!(" {comment}"))
        } else {
            (format!("{comment}\n"), String::new())
        };
        format!(
            "{above}resource \"aws_iam_policy\" \"p\" {{{after_header}\n  name   = \"p\"\n  policy = <<EOF\n{}\nEOF\n}}\n",
            self.policy
        )
    }

    /// The rules to name: some of those `findings` hold, and the extra one.
    fn rules(&self, findings: &[Finding]) -> Vec<&'static str> {
        let mut rng = Lcg(self.seed);
        let mut rules: Vec<&'static str> = Vec::new();
        for finding in findings {
            if !rules.contains(&finding.rule.as_str()) && rng.below(2) == 0 {
                rules.push(finding.rule.as_str());
            }
        }
        if let Some(extra) = self.extra.filter(|extra| !rules.contains(extra)) {
            rules.insert(rng.below(rules.len() + 1), extra);
        }
        if rules.is_empty() {
            rules.push(
                findings
                    .first()
                    .map_or("trust-oidc-unscoped", |f| f.rule.as_str()),
            );
        }
        rules
    }
}

prop_compose! {
    fn terraform_case()(
        policy in policy(),
        pretty in proptest::bool::ANY,
        seed in any::<u64>(),
        extra in prop::option::weighted(0.3, prop::sample::select(SUPPRESSIBLE)),
        reason in reason(),
        trailing in proptest::bool::ANY,
    ) -> TerraformCase {
        let layout = if pretty {
            Layout::Pretty { indent: "  ", newline: "\n" }
        } else {
            Layout::Compact
        };
        let mut writer = Writer { layout, rng: Lcg(seed), out: String::new() };
        writer.value(&policy, 0);
        TerraformCase { policy: writer.out, reason, trailing, seed, extra }
    }
}

/// What a finding is, wherever it is reported.
fn key(finding: &Finding) -> (&'static str, u32, u32, String) {
    (
        finding.rule.as_str(),
        finding.primary.start,
        finding.primary.end,
        finding.message.clone(),
    )
}

/// A line and column that exist in the file: the column at most one past the line's last
/// character (a byte order mark takes no column).
fn assert_inside(
    run: &RunOutput,
    finding: &Finding,
    line: usize,
    column: usize,
) -> Result<(), TestCaseError> {
    let source = run.sources.get(finding.primary.file);
    let text = source.text();
    let lines = source.line_starts().len();
    prop_assert!((1..=lines).contains(&line), "line {} of {}", line, lines);
    let content = &text[source.line_range(line)];
    let width = content.chars().count() - usize::from(line == 1 && content.starts_with('\u{feff}'));
    prop_assert!(
        (1..=width + 1).contains(&column),
        "column {} of line {} {:?}",
        column,
        line,
        content
    );
    Ok(())
}

fn assert_location_inside(
    run: &RunOutput,
    finding: &Finding,
    location: &Location,
) -> Result<(), TestCaseError> {
    assert_inside(run, finding, location.start.line, location.start.column)?;
    assert_inside(run, finding, location.end.line, location.end.column)?;
    prop_assert!(location.start <= location.end, "{:?}", location);
    Ok(())
}

fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            out.push(u8::from_str_radix(&uri[index + 1..index + 3], 16).unwrap());
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn json_report_is_the_run(case in policy_case()) {
        let run = run_policy(&case);
        prop_assert!(run.errors.is_empty(), "{:?}", run.errors);
        for finding in &run.findings {
            let source = run.sources.get(finding.primary.file);
            prop_assert_eq!(source.text(), case.text.as_str());
        }
        let json = report(Format::Json, &run);
        prop_assert_eq!(&json["version"], 1);
        prop_assert_eq!(&json["files_scanned"], run.files_scanned);
        prop_assert_eq!(&json["documents_analyzed"], run.documents_analyzed);
        let counts = Counts::of(&run.findings);
        let summary = &json["summary"];
        prop_assert_eq!(&summary["error"], counts.error);
        prop_assert_eq!(&summary["warning"], counts.warning);
        prop_assert_eq!(&summary["info"], counts.info);
        prop_assert_eq!(&summary["suppressed"], run.suppressed.len());
        prop_assert_eq!(&summary["baselined"], 0);
        prop_assert!(json.get("suppressed").is_none());
        let findings = json["findings"].as_array().unwrap();
        prop_assert_eq!(findings.len(), run.findings.len());
        prop_assert_eq!(findings.len(), counts.total());
        let mut previous = (0, 0);
        for (value, finding) in findings.iter().zip(&run.findings) {
            let location = locate(&run.sources, finding.primary);
            assert_location_inside(&run, finding, &location)?;
            prop_assert_eq!(&value["rule"], finding.rule.as_str());
            prop_assert_eq!(&value["severity"], finding.severity.as_str());
            prop_assert_eq!(&value["confidence"], finding.confidence.as_str());
            prop_assert_eq!(&value["category"], finding.category.as_str());
            prop_assert_eq!(&value["message"], finding.message.as_str());
            prop_assert_eq!(value["help"].as_str(), finding.help.as_deref());
            prop_assert_eq!(&value["path"], location.path.as_str());
            prop_assert_eq!(&value["line"], location.start.line);
            prop_assert_eq!(&value["column"], location.start.column);
            prop_assert_eq!(&value["end_line"], location.end.line);
            prop_assert_eq!(&value["end_column"], location.end.column);
            let origin = finding.origin.as_deref().unwrap_or(&location.path);
            prop_assert_eq!(&value["origin"], origin);
            let print = fingerprint(finding, &location);
            prop_assert_eq!(&value["fingerprint"], print.as_str());
            let related = value["related"].as_array().unwrap();
            prop_assert_eq!(related.len(), finding.related.len());
            for (value, label) in related.iter().zip(&finding.related) {
                let location = locate(&run.sources, label.span);
                prop_assert_eq!(&value["message"], label.message.as_str());
                prop_assert_eq!(&value["path"], location.path.as_str());
                prop_assert_eq!(&value["line"], location.start.line);
                prop_assert_eq!(&value["column"], location.start.column);
                prop_assert_eq!(&value["end_line"], location.end.line);
                prop_assert_eq!(&value["end_column"], location.end.column);
            }
            // One file, so findings come in the order of the text.
            let here = (location.start.line, location.start.column);
            prop_assert!(previous <= here, "{:?} after {:?}", here, previous);
            previous = here;
        }
        prop_assert_eq!(json["errors"].as_array().map(Vec::len), Some(0));
        prop_assert_eq!(json["skipped"].as_array().map(Vec::len), Some(0));
    }

    #[test]
    fn sarif_report_is_the_run(case in policy_case()) {
        let run = run_policy(&case);
        let sarif = report(Format::Sarif, &run);
        prop_assert_eq!(&sarif["version"], "2.1.0");
        let sarif_run = &sarif["runs"][0];
        prop_assert_eq!(&sarif_run["columnKind"], "unicodeCodePoints");
        prop_assert_eq!(&sarif_run["invocations"][0]["executionSuccessful"], true);
        let rules = sarif_run["tool"]["driver"]["rules"].as_array().unwrap();
        let results = sarif_run["results"].as_array().unwrap();
        prop_assert_eq!(results.len(), run.findings.len());
        for (result, finding) in results.iter().zip(&run.findings) {
            let location = locate(&run.sources, finding.primary);
            prop_assert_eq!(&result["ruleId"], finding.rule.as_str());
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            prop_assert_eq!(&rules[index]["id"], finding.rule.as_str());
            let level = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            prop_assert_eq!(&result["level"], level);
            let mut message = finding.message.clone();
            if let Some(help) = &finding.help {
                message = format!("{message}\nhelp: {help}");
            }
            prop_assert_eq!(&result["message"]["text"], message.as_str());
            let print = fingerprint(finding, &location);
            // The baseline's fingerprint, then the occurrence of the same one.
            let v2 = result["partialFingerprints"]["iamlint/v2"].as_str().unwrap();
            prop_assert_eq!(v2.rsplit_once(':').map(|(print, _)| print), Some(print.as_str()));
            let locations = result["locations"].as_array().unwrap();
            prop_assert_eq!(locations.len(), 1);
            let physical = &locations[0]["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
            prop_assert!(
                uri.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@%".contains(&b)),
                "{}", uri
            );
            prop_assert_eq!(percent_decode(uri), location.path.as_str());
            let region = &physical["region"];
            let column = |key: &str| region[key].as_u64().unwrap() as usize;
            prop_assert_eq!(column("startLine"), location.start.line);
            prop_assert_eq!(column("startColumn"), location.start.column);
            prop_assert_eq!(column("endLine"), location.end.line);
            // Regions may not be empty: an empty span covers the character it stands on.
            let end_column = if location.start == location.end {
                location.start.column + 1
            } else {
                location.end.column
            };
            prop_assert_eq!(column("endColumn"), end_column);
            assert_inside(&run, finding, column("startLine"), column("startColumn"))?;
            prop_assert!(
                (column("startLine"), column("startColumn"))
                    < (column("endLine"), column("endColumn"))
            );
            let related = result["relatedLocations"].as_array().map_or(&[][..], Vec::as_slice);
            prop_assert_eq!(related.len(), finding.related.len());
            for (at, (value, label)) in related.iter().zip(&finding.related).enumerate() {
                let location = locate(&run.sources, label.span);
                prop_assert_eq!(&value["id"], at + 1);
                prop_assert_eq!(&value["message"]["text"], label.message.as_str());
                let region = &value["physicalLocation"]["region"];
                prop_assert_eq!(&region["startLine"], location.start.line);
                prop_assert_eq!(&region["startColumn"], location.start.column);
                assert_location_inside(&run, finding, &location)?;
            }
        }
    }

    #[test]
    fn fingerprints_survive_lines_added_above(case in policy_case(), added in 1usize..4) {
        // A file with nothing in it is reported at its start, however many lines it has.
        prop_assume!(!case.text.trim_start_matches('\u{feff}').trim().is_empty());
        let run = run_policy(&case);
        let bom = if case.text.starts_with('\u{feff}') { "\u{feff}" } else { "" };
        let moved = PolicyCase {
            text: format!("{bom}{}{}", case.newline.repeat(added), &case.text[bom.len()..]),
            ..case.clone()
        };
        let moved_run = run_policy(&moved);
        prop_assert_eq!(run.findings.len(), moved_run.findings.len());
        for (before, after) in run.findings.iter().zip(&moved_run.findings) {
            let (here, there) = (
                locate(&run.sources, before.primary),
                locate(&moved_run.sources, after.primary),
            );
            prop_assert_eq!(before.rule, after.rule);
            prop_assert_eq!(&before.message, &after.message);
            prop_assert_eq!(here.start.line + added, there.start.line);
            prop_assert_eq!(here.start.column, there.start.column);
            prop_assert_eq!(here.end.line + added, there.end.line);
            prop_assert_eq!(here.end.column, there.end.column);
            prop_assert_eq!(fingerprint(before, &here), fingerprint(after, &there));
        }
    }

}

proptest! {
    // Three runs and two reports a case.
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn a_suppression_moves_its_findings_and_reports_say_so(case in terraform_case()) {
        // The rules to name are picked from a run without the comment mattering.
        let probe = run_text("main.tf", &case.text(&["admin-access"]), true);
        let named_rules = case.rules(&probe.findings);
        let text = case.text(&named_rules);
        let unsuppressed = run_text("main.tf", &text, true);
        let run = run_text("main.tf", &text, false);
        prop_assert!(run.errors.is_empty(), "{:?}", run.errors);
        let named = |finding: &&Finding| named_rules.contains(&finding.rule.as_str());
        // Suppressed: the findings of the named rules, in order; kept: all the others.
        let expected: Vec<_> = unsuppressed.findings.iter().filter(named).map(key).collect();
        let suppressed: Vec<_> = run.suppressed.iter().map(|s| key(&s.finding)).collect();
        prop_assert_eq!(&suppressed, &expected, "{}", text);
        let expected: Vec<_> = unsuppressed
            .findings
            .iter()
            .filter(|f| !named(f))
            .map(key)
            .collect();
        let kept: Vec<_> = run
            .findings
            .iter()
            .filter(|f| f.rule != RuleId::UnusedSuppression)
            .map(key)
            .collect();
        prop_assert_eq!(&kept, &expected, "{}", text);
        for suppressed in &run.suppressed {
            prop_assert_eq!(suppressed.kind, SuppressionKind::Comment);
            prop_assert_eq!(&suppressed.reason, &case.reason);
        }
        // A named rule with nothing to suppress is reported once, at its name.
        let unused: Vec<&str> = run
            .findings
            .iter()
            .filter(|f| f.rule == RuleId::UnusedSuppression)
            .map(|f| run.sources.get(f.primary.file).snippet(f.primary).to_string())
            .map(|name| *named_rules.iter().find(|r| **r == name).unwrap())
            .collect();
        let idle: Vec<&str> = named_rules
            .iter()
            .copied()
            .filter(|rule| !unsuppressed.findings.iter().any(|f| f.rule.as_str() == *rule))
            .collect();
        prop_assert_eq!(&unused, &idle, "{}", text);

        let json = report_with(Format::Json, &run, true);
        prop_assert_eq!(&json["summary"]["suppressed"], run.suppressed.len());
        prop_assert_eq!(json["findings"].as_array().unwrap().len(), run.findings.len());
        let listed = json["suppressed"].as_array().unwrap();
        prop_assert_eq!(listed.len(), run.suppressed.len());
        for (value, suppressed) in listed.iter().zip(&run.suppressed) {
            let location = locate(&run.sources, suppressed.finding.primary);
            prop_assert_eq!(&value["rule"], suppressed.finding.rule.as_str());
            prop_assert_eq!(&value["line"], location.start.line);
            prop_assert_eq!(&value["column"], location.start.column);
            prop_assert_eq!(&value["suppression"]["kind"], "comment");
            prop_assert_eq!(&value["suppression"]["reason"], case.reason.as_str());
        }
        prop_assert!(json["findings"].as_array().unwrap().iter().all(|f| f.get("suppression").is_none()));

        let sarif = report_with(Format::Sarif, &run, true);
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        prop_assert_eq!(results.len(), run.findings.len() + run.suppressed.len());
        let (reported, kept_out) = results.split_at(run.findings.len());
        prop_assert!(reported.iter().all(|r| r.get("suppressions").is_none()));
        for (result, suppressed) in kept_out.iter().zip(&run.suppressed) {
            let location = locate(&run.sources, suppressed.finding.primary);
            prop_assert_eq!(&result["ruleId"], suppressed.finding.rule.as_str());
            let print = fingerprint(&suppressed.finding, &location);
            // The baseline's fingerprint, then the occurrence of the same one.
            let v2 = result["partialFingerprints"]["iamlint/v2"].as_str().unwrap();
            prop_assert_eq!(v2.rsplit_once(':').map(|(print, _)| print), Some(print.as_str()));
            let suppressions = result["suppressions"].as_array().unwrap();
            prop_assert_eq!(suppressions.len(), 1);
            prop_assert_eq!(&suppressions[0]["kind"], "inSource");
            prop_assert_eq!(&suppressions[0]["justification"], case.reason.as_str());
        }
    }
}
