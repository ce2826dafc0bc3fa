//! The lenient parser from a value tree to the policy model: it never fails, it records every
//! structural problem as an [`Issue`] and keeps whatever it can use.

use super::{Condition, Effect, Element, Issue, IssueKind, MAX_STATEMENTS, Policy, Statement};
use crate::base::finding::Label;
use crate::base::source::Span;
use crate::base::suggest::did_you_mean;
use crate::base::text::clip;
use crate::base::value::{Member, Value, ValueKind};
use crate::extract::document::{PolicyDocument, PolicyKind};
use rayon::prelude::*;

const POLICY_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_TYPES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

/// Actions that only make sense in a role's trust policy.
const TRUST_ACTIONS: &[&str] = &[
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
];

pub(crate) fn parse(document: &PolicyDocument) -> Policy<'_> {
    parse_recording(document, DEFAULT_MAX_ISSUES, false)
}

/// [`parse`], recording at most `max_issues` issues and counting the rest: the rules ask
/// for as many as the input may still keep as findings. `parallel`: a policy of many
/// statements may be read on the pool's threads.
pub(crate) fn parse_recording(
    document: &PolicyDocument,
    max_issues: usize,
    parallel: bool,
) -> Policy<'_> {
    let mut parser = Parser {
        max_issues,
        parallel,
        ..Parser::default()
    };
    let root = &document.value;
    let mut policy = Policy {
        root,
        version: None,
        id: None,
        statements: Vec::new(),
        kind: document.kind.clone(),
        issues: Vec::new(),
        issues_left_out: 0,
        statements_left_out: None,
    };
    let Some(members) = parser.object(root, "a policy") else {
        policy.issues = parser.issues;
        policy.issues_left_out = parser.left_out;
        return policy;
    };
    parser.check_duplicate_keys(members);
    let mut statement_value = None;
    for member in members {
        match parser.element_name(member, POLICY_ELEMENTS, "policy") {
            Some("Version") => policy.version = Some(&member.value),
            Some("Id") => policy.id = Some(&member.value),
            Some("Statement") => statement_value = Some(&member.value),
            _ => {}
        }
    }
    match statement_value {
        None => parser.malformed(
            root.opening_span(),
            "the policy has no `Statement`",
            Some("add a `Statement` array with at least one statement"),
        ),
        Some(value) => {
            policy.statements = parser.statements(value);
            policy.statements_left_out = parser.statements_left_out;
        }
    }
    if policy.kind == PolicyKind::Unknown {
        policy.kind = infer_kind(&policy.statements);
    }
    parser.check_kind_elements(&policy);
    policy.issues = parser.issues;
    policy.issues_left_out = parser.left_out;
    policy
}

/// A raw document names its kind only through its content: principals make it a trust
/// policy (when every action assumes the role) or a resource policy.
fn infer_kind(statements: &[Statement<'_>]) -> PolicyKind {
    if !statements.iter().any(|s| s.principal.is_some()) {
        return PolicyKind::Unknown;
    }
    let all_trust = statements.iter().all(|statement| {
        let actions = statement.actions();
        !actions.is_empty()
            && actions.iter().all(|action| {
                action
                    .as_str()
                    .is_some_and(|a| TRUST_ACTIONS.contains(&a.to_ascii_lowercase().as_str()))
            })
    });
    if all_trust {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource {
            resource_type: String::new(),
        }
    }
}

/// Issues one document records at most unless told otherwise: as many as the findings one
/// file keeps by default (`max-findings-kept-per-file`). A 16 MB document of `{}` statements
/// has 16 million (three per statement), which took 4.5 GB before a single finding was cut.
const DEFAULT_MAX_ISSUES: usize = 10_000;

/// Statements from which one document is parsed, and its rules run, on the pool's threads:
/// a single policy of thousands of statements otherwise keeps one core busy while the
/// others wait. For fewer, the work takes about what handing it out costs.
pub(crate) const PARALLEL_STATEMENTS: usize = 512;

#[derive(Default)]
struct Parser {
    issues: Vec<Issue>,
    max_issues: usize,
    /// Whether many statements may be read on the pool's threads.
    parallel: bool,
    /// Issues found past `max_issues`, only counted.
    left_out: usize,
    statements_left_out: Option<(usize, Span)>,
}

impl Parser {
    fn record(&mut self, issue: Issue) {
        if self.issues.len() < self.max_issues {
            self.issues.push(issue);
        } else {
            self.left_out += 1;
        }
    }

    fn malformed(&mut self, span: Span, message: impl Into<String>, help: Option<&str>) {
        self.record(Issue {
            kind: IssueKind::Malformed,
            span,
            message: message.into(),
            help: help.map(str::to_string),
            related: None,
        });
    }

    /// An object, or `None` after reporting why not (unknown values are silently skipped).
    fn object<'v>(&mut self, value: &'v Value, what: &str) -> Option<&'v [Member]> {
        match &value.kind {
            ValueKind::Object(members) => Some(members),
            ValueKind::Unknown(_) => None,
            _ => {
                self.malformed(
                    value.span,
                    format!("{what} must be an object, found {}", value.type_name()),
                    None,
                );
                None
            }
        }
    }

    fn check_duplicate_keys(&mut self, members: &[Member]) {
        for (index, member) in members.iter().enumerate() {
            if let Some(first) = members[..index].iter().find(|m| m.key == member.key) {
                self.record(Issue {
                    kind: IssueKind::Malformed,
                    span: member.key_span,
                    message: format!("duplicate key `{}`", member.key),
                    help: Some("IAM keeps only one of them; merge the two".into()),
                    related: Some(Label {
                        span: first.key_span,
                        message: "first defined here".into(),
                    }),
                });
            }
        }
    }

    /// The element a key names, reporting unknown keys with a suggestion. A key that only
    /// differs in case is still used, so the rest of the statement is analysed.
    fn element_name(
        &mut self,
        member: &Member,
        known: &[&'static str],
        level: &str,
    ) -> Option<&'static str> {
        if let Some(name) = known.iter().find(|name| **name == member.key) {
            return Some(name);
        }
        let case_match = known
            .iter()
            .find(|name| name.eq_ignore_ascii_case(&member.key))
            .copied();
        let suggestion = case_match.or_else(|| did_you_mean(&member.key, known.iter().copied()));
        let help = match suggestion {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!("{level} elements are {}", list(known)),
        };
        let message = if case_match.is_some() {
            format!(
                "`{}` is not a {level} element: element names are case-sensitive",
                clip(&member.key)
            )
        } else {
            format!("unknown {level} element `{}`", clip(&member.key))
        };
        self.record(Issue {
            kind: IssueKind::UnknownElement,
            span: member.key_span,
            message,
            help: Some(help),
            related: None,
        });
        case_match
    }

    fn statements<'v>(&mut self, value: &'v Value) -> Vec<Statement<'v>> {
        match &value.kind {
            ValueKind::Array(items) => {
                if items.is_empty() {
                    self.malformed(
                        value.span,
                        "`Statement` is empty",
                        Some("a policy needs at least one statement"),
                    );
                }
                let (parsed, left_out) = items.split_at(items.len().min(MAX_STATEMENTS));
                if let Some(first) = left_out.first() {
                    self.statements_left_out = Some((left_out.len(), first.span));
                }
                if self.parallel
                    && parsed.len() >= PARALLEL_STATEMENTS
                    && rayon::current_num_threads() > 1
                {
                    return self.statements_in_parallel(parsed);
                }
                let mut statements = Vec::with_capacity(parsed.len());
                statements.extend(parsed.iter().filter_map(|item| self.statement(item)));
                statements
            }
            ValueKind::Object(_) => self.statement(value).into_iter().collect(),
            ValueKind::Unknown(_) => Vec::new(),
            _ => {
                self.malformed(
                    value.span,
                    format!(
                        "`Statement` must be an object or an array of objects, found {}",
                        value.type_name()
                    ),
                    None,
                );
                Vec::new()
            }
        }
    }

    /// The statements of `items` read in runs on the pool's threads, each run by a parser
    /// of its own; their issues are then recorded in statement order, as one parser would
    /// have recorded them (each run keeps as many as the whole may, so none is missing).
    fn statements_in_parallel<'v>(&mut self, items: &'v [Value]) -> Vec<Statement<'v>> {
        let run = items
            .len()
            .div_ceil(4 * rayon::current_num_threads())
            .max(PARALLEL_STATEMENTS / 4);
        let runs: Vec<(Vec<Statement<'v>>, Parser)> = items
            .par_chunks(run)
            .map(|chunk| {
                let mut parser = Parser {
                    max_issues: self.max_issues,
                    ..Parser::default()
                };
                let mut statements = Vec::with_capacity(chunk.len());
                statements.extend(chunk.iter().filter_map(|item| parser.statement(item)));
                (statements, parser)
            })
            .collect();
        let mut statements = Vec::with_capacity(items.len());
        for (run_statements, parser) in runs {
            statements.extend(run_statements);
            for issue in parser.issues {
                self.record(issue);
            }
            self.left_out += parser.left_out;
        }
        statements
    }

    fn statement<'v>(&mut self, value: &'v Value) -> Option<Statement<'v>> {
        let members = self.object(value, "a statement")?;
        self.check_duplicate_keys(members);
        let mut statement = Statement {
            value,
            sid: None,
            effect: None,
            effect_value: None,
            principal: None,
            action: None,
            resource: None,
            conditions: Vec::new(),
            expanded: std::sync::OnceLock::new(),
        };
        // Keys used although their case is wrong: already an error of their own, so a
        // conflict they cause (`Action` with `notAction`) is not a second one.
        let mut miscased = Vec::new();
        for member in members {
            let Some(name) = self.element_name(member, STATEMENT_ELEMENTS, "statement") else {
                continue;
            };
            if name != member.key {
                miscased.push(member.key_span);
            }
            let value = &member.value;
            match name {
                "Sid" => {
                    if !value.is_stringish() && !matches!(value.kind, ValueKind::Unknown(_)) {
                        self.malformed(
                            value.span,
                            format!("`Sid` must be a string, found {}", value.type_name()),
                            None,
                        );
                    }
                    statement.sid = Some(value);
                }
                "Effect" => {
                    statement.effect_value = Some(value);
                    statement.effect = self.effect(value);
                }
                "Principal" | "NotPrincipal" => {
                    let element = self.principal(member, name == "NotPrincipal");
                    self.set_once(
                        &mut statement.principal,
                        element,
                        ("Principal", "NotPrincipal"),
                        &miscased,
                    );
                }
                "Action" | "NotAction" => {
                    let element = self.string_list(member, name == "NotAction");
                    let names = ("Action", "NotAction");
                    self.set_once(&mut statement.action, element, names, &miscased);
                }
                "Resource" | "NotResource" => {
                    let element = self.string_list(member, name == "NotResource");
                    let names = ("Resource", "NotResource");
                    self.set_once(&mut statement.resource, element, names, &miscased);
                }
                "Condition" => statement.conditions = self.conditions(value),
                _ => {}
            }
        }
        if statement.effect_value.is_none() && !misspells(members, &["Effect"]) {
            self.malformed(
                value.opening_span(),
                "the statement has no `Effect`",
                Some("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`"),
            );
        }
        if statement.action.is_none() && !misspells(members, &["Action", "NotAction"]) {
            self.malformed(
                value.opening_span(),
                "the statement has neither `Action` nor `NotAction`",
                Some("name the actions the statement allows or denies"),
            );
        }
        Some(statement)
    }

    fn set_once<'v>(
        &mut self,
        slot: &mut Option<Element<'v>>,
        element: Element<'v>,
        (positive, negative): (&str, &str),
        miscased: &[Span],
    ) {
        if let Some(first) = slot {
            // A whole unknown value may be null, and the element then absent (Terraform
            // leaves out a null attribute): the pair conflicts only when both are there.
            if is_unknown(first.value) && !is_unknown(element.value) {
                *slot = Some(element);
                return;
            }
            let either_miscased =
                miscased.contains(&first.key_span) || miscased.contains(&element.key_span);
            if first.negated != element.negated && !either_miscased && !is_unknown(element.value) {
                self.record(Issue {
                    kind: IssueKind::Malformed,
                    span: element.key_span,
                    message: format!("a statement cannot have both `{positive}` and `{negative}`"),
                    help: Some(format!("keep either `{positive}` or `{negative}`")),
                    related: Some(Label {
                        span: first.key_span,
                        message: "the other one is here".into(),
                    }),
                });
            }
            return;
        }
        *slot = Some(element);
    }

    fn effect(&mut self, value: &Value) -> Option<Effect> {
        match &value.kind {
            ValueKind::String(text) => match text.as_str() {
                "Allow" => Some(Effect::Allow),
                "Deny" => Some(Effect::Deny),
                other => {
                    let help = if other.trim().eq_ignore_ascii_case("allow") {
                        "write `Allow`: the value is case-sensitive".to_string()
                    } else if other.trim().eq_ignore_ascii_case("deny") {
                        "write `Deny`: the value is case-sensitive".to_string()
                    } else {
                        "`Effect` is either `Allow` or `Deny`".to_string()
                    };
                    self.malformed(
                        value.span,
                        format!("invalid `Effect` `{other}`"),
                        Some(&help),
                    );
                    None
                }
            },
            ValueKind::Unknown(_) | ValueKind::Template(_) => None,
            _ => {
                self.malformed(
                    value.span,
                    format!("`Effect` must be a string, found {}", value.type_name()),
                    Some("`Effect` is either `Allow` or `Deny`"),
                );
                None
            }
        }
    }

    /// `Action`, `Resource` and their negations: a string or an array of strings.
    fn string_list<'v>(&mut self, member: &'v Member, negated: bool) -> Element<'v> {
        let value = &member.value;
        let mut items = Vec::new();
        match &value.kind {
            ValueKind::Array(elements) => {
                if elements.is_empty() {
                    self.malformed(
                        value.span,
                        format!("`{}` is empty", member.key),
                        Some("an empty list matches nothing; name at least one entry"),
                    );
                }
                for element in elements {
                    self.string_item(element, &member.key, &mut items);
                }
            }
            ValueKind::String(_) | ValueKind::Template(_) | ValueKind::Unknown(_) => {
                self.string_item(value, &member.key, &mut items)
            }
            _ => self.malformed(
                value.span,
                format!(
                    "`{}` must be a string or an array of strings, found {}",
                    member.key,
                    value.type_name()
                ),
                None,
            ),
        }
        Element {
            negated,
            key_span: member.key_span,
            value,
            items,
        }
    }

    fn string_item<'v>(&mut self, value: &'v Value, key: &str, items: &mut Vec<&'v Value>) {
        match &value.kind {
            ValueKind::String(text) if text.is_empty() => {
                self.malformed(value.span, format!("empty string in `{key}`"), None);
            }
            ValueKind::String(_) | ValueKind::Template(_) | ValueKind::Unknown(_) => {
                items.push(value)
            }
            _ => self.malformed(
                value.span,
                format!(
                    "`{key}` entries must be strings, found {}",
                    value.type_name()
                ),
                None,
            ),
        }
    }

    fn principal<'v>(&mut self, member: &'v Member, negated: bool) -> Element<'v> {
        let value = &member.value;
        let mut items = Vec::new();
        match &value.kind {
            ValueKind::String(text) if text == "*" => items.push(value),
            ValueKind::Unknown(_) => {}
            ValueKind::Object(members) => {
                self.check_duplicate_keys(members);
                if members.is_empty() {
                    self.malformed(value.span, format!("`{}` is empty", member.key), None);
                }
                for entry in members {
                    // A type only known at deploy time (`type = principals.value.type`).
                    if !entry.key.contains("${") {
                        self.element_name(entry, PRINCIPAL_TYPES, "principal type");
                    }
                    match &entry.value.kind {
                        ValueKind::Array(ids) => {
                            if ids.is_empty() {
                                self.malformed(
                                    entry.value.span,
                                    format!("no principals listed for `{}`", entry.key),
                                    None,
                                );
                            }
                            for id in ids {
                                self.string_item(id, &entry.key, &mut items);
                            }
                        }
                        _ => self.string_item(&entry.value, &entry.key, &mut items),
                    }
                }
            }
            _ => self.malformed(
                value.span,
                format!(
                    "`{}` must be `\"*\"` or an object of principal types, found {}",
                    member.key,
                    if value.is_stringish() {
                        "another string"
                    } else {
                        value.type_name()
                    }
                ),
                Some("write e.g. `{\"AWS\": \"arn:aws:iam::123456789012:root\"}`"),
            ),
        }
        Element {
            negated,
            key_span: member.key_span,
            value,
            items,
        }
    }

    fn conditions<'v>(&mut self, value: &'v Value) -> Vec<Condition<'v>> {
        let Some(blocks) = self.object(value, "`Condition`") else {
            return Vec::new();
        };
        self.check_duplicate_keys(blocks);
        let mut conditions = Vec::new();
        for block in blocks {
            let Some(tests) = self.object(&block.value, &format!("the `{}` block", block.key))
            else {
                continue;
            };
            self.check_duplicate_keys(tests);
            for test in tests {
                let values = match &test.value.kind {
                    ValueKind::Array(items) => {
                        if items.is_empty() {
                            self.malformed(
                                test.value.span,
                                format!("no values for condition key `{}`", test.key),
                                None,
                            );
                        }
                        items.iter().collect()
                    }
                    _ => vec![&test.value],
                };
                for item in &values {
                    if matches!(
                        item.kind,
                        ValueKind::Object(_) | ValueKind::Array(_) | ValueKind::Null
                    ) {
                        self.malformed(
                            item.span,
                            format!(
                                "condition values must be strings, numbers or booleans, found {}",
                                item.type_name()
                            ),
                            None,
                        );
                    }
                }
                conditions.push(Condition {
                    operator: &block.key,
                    operator_span: block.key_span,
                    key: &test.key,
                    key_span: test.key_span,
                    value: &test.value,
                    values,
                });
            }
        }
        conditions
    }

    /// Elements that only some kinds of policy may (or must) have.
    fn check_kind_elements(&mut self, policy: &Policy<'_>) {
        let known_identity = matches!(
            policy.kind,
            PolicyKind::Identity | PolicyKind::PermissionsBoundary | PolicyKind::ServiceControl
        );
        for statement in &policy.statements {
            if let Some(principal) = &statement.principal
                && known_identity
                && !is_unknown(principal.value)
            {
                self.malformed(
                    principal.key_span,
                    format!(
                        "an {} policy cannot name a `Principal`: it applies to whoever it is attached to",
                        policy.kind.name()
                    ),
                    Some("remove the principal, or move the statement to a trust or resource policy"),
                );
            }
            if statement.principal.is_none() && policy.kind.has_principals() {
                self.malformed(
                    statement.value.opening_span(),
                    format!(
                        "a statement of a {} policy must name a `Principal`",
                        policy.kind.name()
                    ),
                    Some("name whom the statement applies to, e.g. `\"Principal\": {\"AWS\": \"arn:aws:iam::123456789012:root\"}`"),
                );
            }
            let needs_resource = known_identity
                || (policy.kind == PolicyKind::Unknown && statement.principal.is_none());
            let resource_misspelt = statement
                .value
                .as_object()
                .is_some_and(|members| misspells(members, &["Resource", "NotResource"]));
            if needs_resource && statement.resource.is_none() && !resource_misspelt {
                self.malformed(
                    statement.value.opening_span(),
                    "the statement has neither `Resource` nor `NotResource`",
                    Some("name the resources, or `\"Resource\": \"*\"` for actions that take none"),
                );
            }
            for action in statement.action.iter().flat_map(|a| a.items.iter()) {
                if let Some(text) = action.as_str() {
                    self.check_action_syntax(action, text);
                }
            }
        }
    }

    fn check_action_syntax(&mut self, value: &Value, text: &str) {
        if text == "*" {
            return;
        }
        if !well_formed_action(text) {
            let help = if text.trim() != text {
                "remove the surrounding whitespace".to_string()
            } else {
                "actions are written `service:ActionName`, e.g. `s3:GetObject`".to_string()
            };
            self.malformed(
                value.span,
                format!("`{text}` is not a valid action"),
                Some(&help),
            );
        }
    }
}

/// Whether `text` is `*` or `service:Action` in the characters IAM allows (wildcards
/// included); anything else is reported by `malformed-policy`, so other rules skip it.
pub(crate) fn well_formed_action(text: &str) -> bool {
    if text == "*" {
        return true;
    }
    // By bytes, through a table: every allowed character is ASCII, and a byte of a longer
    // character is none. Asked of every action pattern a run meets for the first time.
    let bytes = text.as_bytes();
    let Some(colon) = memchr::memchr(b':', bytes) else {
        return false;
    };
    let (service, name) = (&bytes[..colon], &bytes[colon + 1..]);
    !service.is_empty()
        && !name.is_empty()
        && service
            .iter()
            .all(|&c| ACTION_BYTES[c as usize] & IN_SERVICE != 0)
        && name
            .iter()
            .all(|&c| ACTION_BYTES[c as usize] & IN_NAME != 0)
}

/// [`ACTION_BYTES`]' bit for the bytes a service prefix may hold, and for an action name's.
const IN_SERVICE: u8 = 1;
const IN_NAME: u8 = 2;

/// For each byte, which parts of `service:Action` may hold it: letters, digits, `-` and the
/// wildcards in both, `_` in the name only.
static ACTION_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let c = byte as u8;
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'*' | b'?') {
            table[byte] = IN_SERVICE | IN_NAME;
        } else if c == b'_' {
            table[byte] = IN_NAME;
        }
        byte += 1;
    }
    table
};

/// Whether a key of the statement is a misspelling of one of `elements` (`Actions`,
/// `Efect`): the unknown-element error at that key, with its did-you-mean, says all there is
/// to say, so the element is not reported missing as well.
fn misspells(members: &[Member], elements: &[&str]) -> bool {
    members.iter().any(|member| {
        !STATEMENT_ELEMENTS.contains(&member.key.as_str())
            && did_you_mean(&member.key, STATEMENT_ELEMENTS.iter().copied())
                .is_some_and(|name| elements.contains(&name))
    })
}

/// A value only known at deploy time as a whole: it may also be null, so the element that
/// holds it may be absent.
fn is_unknown(value: &Value) -> bool {
    matches!(value.kind, ValueKind::Unknown(_))
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a reading gives, to compare: the statements, the issues, how many were left out.
    fn read(document: &PolicyDocument, max_issues: usize, parallel: bool) -> String {
        let policy = parse_recording(document, max_issues, parallel);
        format!(
            "{:?}\n{:?}\n{}",
            policy.statements, policy.issues, policy.issues_left_out
        )
    }

    #[test]
    fn many_statements_read_on_several_threads_are_read_as_on_one() {
        // Malformed statements spread over every run: unknown elements, a wrong effect, a
        // statement that is not an object.
        let statements: Vec<String> = (0..1300)
            .map(|i| match i % 7 {
                0 => format!(r#"{{"Sid": "S{i}", "Efect": "Allow", "Action": "s3:*"}}"#),
                3 => format!(r#"{{"Effect": "allow", "Action": ["s3:Get{i}"], "Resource": "*"}}"#),
                5 => "42".to_string(),
                _ => format!(
                    r#"{{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/r{i}"}}"#
                ),
            })
            .collect();
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(",")
        );
        let document = PolicyDocument::identity_from_json(&text);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        for max_issues in [0, 5, 200, DEFAULT_MAX_ISSUES] {
            let one = read(&document, max_issues, false);
            let several = pool.install(|| read(&document, max_issues, true));
            assert_eq!(one, several, "at most {max_issues} issues");
        }
    }

    #[test]
    fn well_formed_actions_are_service_colon_name_in_the_allowed_characters() {
        for good in [
            "*",
            "s3:GetObject",
            "s3:*",
            "*:Get*",
            "a-b:c_d?",
            "S3:x",
            "ec2:*Tags",
        ] {
            assert!(well_formed_action(good), "{good}");
        }
        for bad in [
            "",
            ":",
            "s3:",
            ":Get",
            "s3",
            "s3:Get:Object",
            "s_3:Get",
            "s3:Get Object",
            "s3:Gét",
            "s3 :Get",
            "**",
            "s3:Get\0",
        ] {
            assert!(!well_formed_action(bad), "{bad}");
        }
    }
}
