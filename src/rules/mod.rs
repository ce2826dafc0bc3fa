//! The rule registry, the metadata every rule declares, and the context rules read.

use crate::base::finding::{Category, Confidence, Finding, Findings, Problem, Severity};
use crate::base::rule_id::{Group, RuleId, with_every_rule};
use crate::base::source::Span;
use crate::catalog::{Catalog, ConditionOperator};
use crate::extract::document::{PolicyDocument, PolicyKind};
use crate::policy::actions::StatementActions;
use crate::policy::effective::Effective;
use crate::policy::principals::{PrincipalId, each_principal};
use crate::policy::sensitive::{self, BroadEntry, Kind, WildcardEntry};
use crate::policy::{self, PARALLEL_STATEMENTS, Policy, Statement};
use graph::SharedGraph;
use principal::Principals;
use rayon::prelude::*;
use settings::Settings;
use std::sync::{Arc, OnceLock};

pub mod action_pattern_matches_nothing;
pub mod admin_access;
pub mod allow_with_not_action;
pub mod allow_with_not_principal;
pub mod allow_with_not_resource;
pub mod broad_managed_policy;
pub mod condition_type_mismatch;
pub mod condition_value_type;
pub mod confused_deputy;
pub mod credentials_exposure;
pub mod data_exfiltration;
pub mod duplicate_sid;
pub mod forbidden_action;
pub mod graph;
pub mod invalid_arn;
pub mod invalid_service_principal;
pub mod invalid_sid;
pub mod invalid_suppression;
pub mod invalid_version;
pub mod limit_exceeded;
pub mod malformed_policy;
pub mod mfa_present_false;
pub mod missing_version;
pub mod multivalued_key_without_set_operator;
pub mod parse_error;
pub mod passrole_unscoped;
pub mod permissions_management;
pub mod policy_too_large;
pub mod policy_variable_needs_version;
pub mod principal;
pub mod privilege_escalation;
pub mod public_resource_policy;
pub mod redundant_action;
pub mod resource_exposure;
pub mod resource_policy_wildcard_action;
pub mod resource_type_mismatch;
pub mod s3_cross_account_object_access;
pub mod set_operator_on_single_valued_key;
pub mod settings;
pub mod statement_never_applies;
pub mod tag_condition_bypass;
pub mod trust_account_root;
pub mod trust_any_principal;
pub mod trust_cross_account_without_external_id;
pub mod trust_oidc_unscoped;
pub mod unknown_action;
pub mod unknown_condition_key;
pub mod unknown_condition_operator;
pub mod unknown_policy_element;
pub mod unknown_rule_in_suppression;
pub mod unknown_service;
pub mod unread_file;
pub mod unused_suppression;
pub mod wildcard_action;
pub mod wildcard_resource;
pub mod write_without_constraints;

/// Where the generated rule reference lives; SARIF `helpUri` and the terminal link to it.
pub const DOCS_BASE_URL: &str = "https://github.com/iamlint/iamlint/blob/main/rules/";

/// What a rule is, independent of any finding.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: RuleId,
    pub category: Category,
    pub severity: Severity,
    pub confidence: Confidence,
    /// The set `--select` and `[rules]` name it by; its default group decides whether a
    /// run without `--select` checks it.
    pub group: Group,
    pub summary: &'static str,
    /// The rule's doc comment, in the fixed sections (What it does, Why is this bad?,
    /// Example, Use instead, References).
    pub docs: &'static str,
}

impl RuleMeta {
    pub fn finding(&'static self, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            rule: self.id,
            severity: self.severity,
            confidence: self.confidence,
            category: self.category,
            message: message.into(),
            help: None,
            primary: span,
            related: Vec::new(),
            origin: None,
        }
    }

    /// A finding of this rule for what a layer below the rules found.
    pub fn finding_of(&'static self, problem: Problem) -> Finding {
        Finding {
            help: problem.help,
            related: problem.related,
            ..self.finding(problem.primary, problem.message)
        }
    }

    /// Whether a run without `--select` or `[rules]` entries checks the rule.
    pub fn is_default(&self) -> bool {
        self.group.is_default()
    }

    pub fn url(&self) -> String {
        format!("{DOCS_BASE_URL}{}.md", self.id)
    }

    /// The doc comment as Markdown (rustdoc leaves one leading space on every line).
    pub fn docs_markdown(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// What a rule sees: one document, its parsed policy, the configuration rules read
/// (trust allow-lists, forbidden actions), and which rules run.
pub struct Context<'a> {
    pub document: &'a PolicyDocument,
    pub policy: &'a Policy<'a>,
    /// Catalog expansions of each statement's actions, shared by every rule that needs them.
    actions: OnceLock<Vec<StatementActions<'a>>>,
    /// What the policy really allows, computed once for the security rules that read it.
    effective: OnceLock<Effective<'a, 'a>>,
    /// `broad_entries` of each `Kind`: read by its rule and by `wildcard-resource`.
    broad: OnceLock<[Vec<BroadEntry>; Kind::ALL.len()]>,
    /// `wildcard_entries`: read by `wildcard-action` and by `wildcard-resource`.
    wildcard: OnceLock<Vec<WildcardEntry>>,
    /// `privilege-escalation`'s findings on this document alone, computed once: the rules
    /// it folds in leave it the action entries it reports.
    escalation: OnceLock<Vec<Finding>>,
    pub settings: &'a Settings,
    /// The rules that run on this document; a catch-all rule leaves to them what they report.
    rules: &'a [&'a dyn Rule],
}

impl<'a> Context<'a> {
    pub fn new(
        document: &'a PolicyDocument,
        policy: &'a Policy<'a>,
        settings: &'a Settings,
        rules: &'a [&'a dyn Rule],
    ) -> Context<'a> {
        Context {
            document,
            policy,
            actions: OnceLock::new(),
            effective: OnceLock::new(),
            broad: OnceLock::new(),
            wildcard: OnceLock::new(),
            escalation: OnceLock::new(),
            settings,
            rules,
        }
    }

    /// Whether the rule `id` runs on this document (after `--select`, `--ignore` and the
    /// configuration).
    pub fn is_enabled(&self, id: RuleId) -> bool {
        self.rules.iter().any(|rule| rule.meta().id == id)
    }

    /// The policy's effective permissions, computed on first use.
    pub fn effective(&self) -> &Effective<'a, 'a> {
        self.effective.get_or_init(|| Effective::of(self.policy))
    }

    /// The entries that allow actions of `kind` on every resource, computed on first use.
    pub fn broad_entries(&self, kind: Kind) -> &[BroadEntry] {
        &self
            .broad
            .get_or_init(|| sensitive::broad_entries(self.policy, self.effective()))[kind as usize]
    }

    /// The service-wide and cross-service wildcard entries, computed on first use.
    pub fn wildcard_entries(&self) -> &[WildcardEntry] {
        self.wildcard
            .get_or_init(|| sensitive::wildcard_entries(self.policy, self.effective()))
    }

    /// `privilege-escalation`'s findings on this document alone, computed on first use.
    pub fn escalation_findings(&self) -> &[Finding] {
        self.escalation
            .get_or_init(|| privilege_escalation::document_findings(self))
    }

    /// Whether `privilege-escalation` runs and reports the action entry at `action_span`:
    /// one root cause, so `passrole-unscoped`, `credentials-exposure`,
    /// `permissions-management` and `wildcard-action` leave that entry to it, and its finding
    /// names them.
    pub fn escalation_reports(&self, action_span: Span) -> bool {
        self.is_enabled(RuleId::PrivilegeEscalation)
            && self
                .escalation_findings()
                .iter()
                .any(|finding| finding.primary == action_span)
    }

    pub fn is_trust_policy(&self) -> bool {
        self.policy.kind == PolicyKind::Trust
    }

    pub fn is_resource_policy(&self) -> bool {
        matches!(self.policy.kind, PolicyKind::Resource { .. })
    }

    /// The Allow statements that grant something: none in a policy that only filters, none
    /// whose condition can never hold.
    pub fn granting_allows(&self) -> impl Iterator<Item = &'a Statement<'a>> + use<'a> {
        allows(self.policy, true)
    }

    /// The Allow statements of a trust policy; none in any other document.
    pub fn trust_allows(&self) -> impl Iterator<Item = &'a Statement<'a>> + use<'a> {
        allows(self.policy, self.is_trust_policy())
    }

    /// The Allow statements of a resource policy; none in any other document.
    pub fn resource_allows(&self) -> impl Iterator<Item = &'a Statement<'a>> + use<'a> {
        allows(self.policy, self.is_resource_policy())
    }

    /// Each principal an Allow statement of a trust policy names (who may assume the role),
    /// with its statement; none in any other document.
    pub fn trust_principals(
        &self,
    ) -> impl Iterator<Item = (&'a Statement<'a>, PrincipalId<'a>)> + use<'a> {
        each_principal(self.trust_allows())
    }

    /// Each principal an Allow statement of a resource policy names (who may use the
    /// resource), with its statement; none in any other document.
    pub fn resource_principals(
        &self,
    ) -> impl Iterator<Item = (&'a Statement<'a>, PrincipalId<'a>)> + use<'a> {
        each_principal(self.resource_allows())
    }

    /// The statements with their actions resolved against the catalog, expanded on first use.
    pub fn statements(&self) -> impl Iterator<Item = (&Statement<'a>, &StatementActions<'a>)> {
        let actions = self.actions.get_or_init(|| {
            self.policy
                .statements
                .iter()
                .map(StatementActions::of)
                .collect()
        });
        self.policy.statements.iter().zip(actions)
    }

    /// Each condition whose operator IAM knows and whose key is written out (a `${...}` key
    /// is only known at deploy time), with its statement, the statement's actions and the
    /// parsed operator: what the rules about a key's arity judge.
    pub fn known_conditions(
        &self,
    ) -> impl Iterator<
        Item = (
            &Statement<'a>,
            &StatementActions<'a>,
            &policy::Condition<'a>,
            ConditionOperator,
        ),
    > {
        let catalog = Catalog::get();
        self.statements().flat_map(move |(statement, actions)| {
            statement.conditions.iter().filter_map(move |condition| {
                if condition.key.contains("${") {
                    return None;
                }
                let operator = catalog.parse_operator(condition.operator).ok()?;
                Some((statement, actions, condition, operator))
            })
        })
    }
}

/// The Allow statements of `policy` that can apply, when `applies`; none otherwise. A policy
/// that only filters (a VPC endpoint's, a resource control policy) grants no one anything.
fn allows<'a>(policy: &'a Policy<'a>, applies: bool) -> impl Iterator<Item = &'a Statement<'a>> {
    let applies = applies && !policy.only_filters();
    let statements: &'a [Statement<'a>] = if applies { &policy.statements } else { &[] };
    statements
        .iter()
        .filter(|s| s.is_allow() && s.never_applies().is_none())
}

pub trait Meta {
    fn meta(&self) -> &'static RuleMeta;
}

/// A rule: a pure, infallible function of one document and, for rules that look across
/// several policies, of the principals of one input. When a value is unknown it stays quiet
/// or lowers its confidence; it never guesses.
pub trait Rule: Meta + Sync {
    /// Checks one policy document.
    fn check(&self, cx: &Context<'_>, out: &mut Findings);

    /// Whether [`Rule::check`] asks [`Findings::may_suggest`]: such rules share the input's
    /// did-you-mean searches in rule order, so they are not run in parallel with each other.
    fn suggests(&self) -> bool {
        false
    }

    /// Whether the rule has a principal-wide check: the per-principal pass is skipped when
    /// no enabled rule does.
    fn checks_principals(&self) -> bool {
        false
    }

    /// Checks the principals of one input (a Terraform module, a template) with every policy
    /// attached to each, reporting only what no single document shows; `graph` is the input's
    /// access graph, built once for every rule that reads it.
    fn check_principals(
        &self,
        _cx: &Principals<'_>,
        _graph: &SharedGraph<'_, '_>,
        _out: &mut Vec<Finding>,
    ) {
    }
}

/// Runs the principal-wide checks of `rules` on one input's principals, in order.
pub(crate) fn check_principals(rules: &[&dyn Rule], principals: &Principals<'_>) -> Vec<Finding> {
    let graph = SharedGraph::new(principals);
    let mut found = Vec::new();
    for rule in rules {
        rule.check_principals(principals, &graph, &mut found);
    }
    found
}

/// Declares a rule's unit struct and metadata; the doc comment becomes its documentation.
/// The struct's name is its `RuleId` variant.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            category: $category:ident,
            severity: $severity:ident,
            confidence: $confidence:ident,
            $(group: $group:ident,)?
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $crate::base::rule_id::RuleId::$name,
                category: $crate::base::finding::Category::$category,
                severity: $crate::base::finding::Severity::$severity,
                confidence: $crate::base::finding::Confidence::$confidence,
                group: $crate::rules::group_of(
                    $crate::base::finding::Category::$category,
                    [$($crate::base::rule_id::Group::$group)?],
                ),
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }

        impl $crate::rules::Meta for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &Self::META
            }
        }
    };
}
pub(crate) use declare_rule;

/// A rule's group: the one it names, else the group of its category (correctness and
/// security on by default, suggestions opt-in), so a rule names its group only when it
/// differs.
pub const fn group_of<const N: usize>(category: Category, named: [Group; N]) -> Group {
    if let [group, ..] = named.as_slice() {
        return *group;
    }
    match category {
        Category::Correctness => Group::Correctness,
        Category::Security => Group::Security,
        Category::Suggestion => Group::Suggestions,
    }
}

macro_rules! registry {
    ($($variant:ident => $module:ident => $name:literal,)*) => {
        /// The rule of an id.
        pub fn rule(id: RuleId) -> &'static dyn Rule {
            match id {
                $(RuleId::$variant => &$module::$variant,)*
            }
        }
    };
}

with_every_rule!(registry);

/// Every rule, in the order `iamlint rules` lists them.
pub fn all() -> impl Iterator<Item = &'static dyn Rule> {
    RuleId::ALL.iter().map(|&id| rule(id))
}

/// The rule a name as written by a user names, if any.
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    RuleId::from_name(name).map(rule)
}

/// A name `--select`, `--ignore` and `[rules]` accept: a rule, a group, or every rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Selector {
    All,
    Group(Group),
    Rule(RuleId),
}

impl Selector {
    /// The word that selects every rule.
    pub const ALL: &str = "all";

    pub fn parse(name: &str) -> Option<Selector> {
        if name == Selector::ALL {
            return Some(Selector::All);
        }
        Group::from_name(name)
            .map(Selector::Group)
            .or_else(|| RuleId::from_name(name).map(Selector::Rule))
    }

    /// Every name a user may write, for did-you-mean suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> {
        std::iter::once(Selector::ALL)
            .chain(Group::ALL.iter().map(|group| group.as_str()))
            .chain(RuleId::names())
    }

    pub fn matches(self, id: RuleId) -> bool {
        match self {
            Selector::All => true,
            Selector::Group(group) => rule(id).meta().group == group,
            Selector::Rule(named) => named == id,
        }
    }
}

/// The finding a problem found below the rules stands for, with its rule's defaults.
pub fn finding_of(problem: Problem) -> Finding {
    rule(problem.rule).meta().finding_of(problem)
}

/// Parses one document and runs the rules on it.
///
/// With `parallel`, the rules of a document of [`PARALLEL_STATEMENTS`] statements or more run
/// on the current rayon pool's threads, with the same findings as one after another.
pub fn check_document(
    document: &PolicyDocument,
    rules: &[&dyn Rule],
    settings: &Settings,
    out: &mut Findings,
    parallel: bool,
) {
    // The parser's issues are findings of `malformed-policy` and `unknown-policy-element`:
    // no more are recorded than the input keeps, and the rest are counted as left out.
    let policy = policy::parse_recording(document, out.limit(), parallel);
    out.left_out(policy.issues_left_out);
    let cx = Context::new(document, &policy, settings, rules);
    out.set_document_origin(document.origin.label().map(Arc::from));
    if parallel
        && policy.statements.len() >= PARALLEL_STATEMENTS
        && rayon::current_num_threads() > 1
    {
        check_in_parallel(&cx, rules, out);
    } else {
        for rule in rules {
            rule.check(&cx, out);
        }
    }
    out.set_document_origin(None);
}

/// Runs each rule into a collector of its own, on the pool's threads, and appends the
/// collectors in rule order: the findings kept, and their order, are those of a run in order.
/// The rules that search for did-you-means run one after another on one thread, each passing
/// on what is left of the input's searches, as they would in order.
fn check_in_parallel(cx: &Context<'_>, rules: &[&dyn Rule], out: &mut Findings) {
    let template = out.sibling();
    let searches = out.suggestions_left();
    let (suggesting, others): (Vec<usize>, Vec<usize>) =
        (0..rules.len()).partition(|&index| rules[index].suggests());
    let ((mut collected, searches_left), others) = rayon::join(
        || {
            let mut searches_left = searches;
            let collected: Vec<(usize, Findings)> = suggesting
                .iter()
                .map(|&index| {
                    let mut found = template.sibling();
                    found.set_suggestions_left(searches_left);
                    rules[index].check(cx, &mut found);
                    searches_left = found.suggestions_left();
                    (index, found)
                })
                .collect();
            (collected, searches_left)
        },
        || {
            others
                .par_iter()
                .map(|&index| {
                    let mut found = template.sibling();
                    rules[index].check(cx, &mut found);
                    debug_assert_eq!(
                        found.suggestions_left(),
                        searches,
                        "{} searches for did-you-means: its `Rule::suggests` must say so",
                        rules[index].meta().id
                    );
                    (index, found)
                })
                .collect::<Vec<_>>()
        },
    );
    collected.extend(others);
    collected.sort_unstable_by_key(|(index, _)| *index);
    for (_, found) in collected {
        out.append(found);
    }
    out.set_suggestions_left(searches_left);
}

/// The rule reference page of one rule, as kept in the top-level `rules/` directory.
pub fn reference_page(meta: &RuleMeta) -> String {
    format!(
        "# `{id}`\n\n{summary}\n\n| group | on by default | category | default severity | confidence |\n|---|---|---|---|---|\n| {group} | {default} | {category} | {severity} | {confidence} |\n\n{docs}\n",
        id = meta.id,
        summary = meta.summary,
        group = meta.group,
        default = if meta.is_default() { "yes" } else { "no" },
        category = meta.category.as_str(),
        severity = meta.severity.as_str(),
        confidence = meta.confidence.as_str(),
        docs = meta.docs_markdown().trim(),
    )
}

/// The index page of the rule reference.
pub fn reference_index() -> String {
    let mut page = String::from(
        "# iamlint rules\n\nGenerated from the rules' doc comments by `cargo test` (set \
         `IAMLINT_UPDATE_DOCS=1` to rewrite); do not edit by hand.\n\nA run checks the rules of \
         the groups on by default; `--select`, `--ignore` and `[rules]` take group names \
         (`--select all` runs every rule).\n\n| group | on by default | holds |\n|---|---|---|\n",
    );
    for group in Group::ALL {
        page.push_str(&format!(
            "| `{group}` | {default} | {description} |\n",
            default = if group.is_default() { "yes" } else { "no" },
            description = group.description(),
        ));
    }
    page.push_str("\n| rule | group | severity | summary |\n|---|---|---|---|\n");
    for rule in all() {
        let meta = rule.meta();
        page.push_str(&format!(
            "| [`{id}`]({id}.md) | {group} | {severity} | {summary} |\n",
            id = meta.id,
            group = meta.group,
            severity = meta.severity.as_str(),
            summary = meta.summary,
        ));
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// A document large enough for its rules to run in parallel: the same findings, the same
    /// ones cut at the limit, and the same did-you-mean searches used as one after another.
    #[test]
    fn rules_in_parallel_find_what_they_find_in_order() {
        let statements: Vec<String> = (0..PARALLEL_STATEMENTS + 40)
            .map(|i| {
                let (action, resource, condition) = match i % 6 {
                    0 => (format!("s3:GetObjekt{i}"), "*".to_string(), ""),
                    1 => (format!("s3{i}:GetObject"), "*".to_string(), ""),
                    2 => (
                        "iam:PassRole".to_string(),
                        "*".to_string(),
                        r#", "Condition": {"StringEquals": {"aws:PrincipalTagg": "x"}}"#,
                    ),
                    3 => (
                        "s3:GetObject".to_string(),
                        format!("arn:aws:iam::123456789012:role/r{i}"),
                        "",
                    ),
                    4 => ("ec2:*".to_string(), "*".to_string(), ""),
                    _ => (
                        "s3:GetObject".to_string(),
                        format!("arn:aws:s3:::b{i}/*"),
                        r#", "Condition": {"Bool": {"aws:SecureTransport": "yes"}}"#,
                    ),
                };
                format!(
                    r#"{{"Sid": "S{}", "Effect": "Allow", "Action": "{action}", "Resource": "{resource}"{condition}}}"#,
                    i % 500
                )
            })
            .collect();
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(",")
        );
        let document = PolicyDocument::identity_from_json(&text);
        let every_rule: Vec<&dyn Rule> = all().collect();
        let settings = Settings::default();
        let check = |parallel: bool, limit: usize, searches: usize| {
            let mut out = Findings::new(limit, Arc::from([]));
            out.set_suggestions_left(searches);
            check_document(&document, &every_rule, &settings, &mut out, parallel);
            let searches_left = out.suggestions_left();
            let (found, left_out) = out.finish();
            (format!("{found:?}"), left_out, searches_left)
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool");
        let everything = check(false, usize::MAX, 1000).0;
        assert!(everything.contains("did you mean"), "{everything}");
        for (limit, searches) in [(usize::MAX, 1000), (usize::MAX, 150), (100, 30), (7, 0)] {
            let in_order = check(false, limit, searches);
            let in_parallel = pool.install(|| check(true, limit, searches));
            assert_eq!(in_order, in_parallel, "limit {limit}, searches {searches}");
        }
    }

    #[test]
    fn ids_are_unique_kebab_case_and_match_their_file() {
        let mut seen = HashSet::new();
        for id in RuleId::names() {
            assert!(seen.insert(id), "duplicate rule id {id}");
            assert!(
                !id.is_empty()
                    && id.split('-').all(|word| !word.is_empty()
                        && word
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "rule id {id} is not kebab-case"
            );
        }
    }

    #[test]
    fn every_id_maps_to_the_rule_of_that_id() {
        for &id in RuleId::ALL {
            assert_eq!(rule(id).meta().id, id);
        }
    }

    #[test]
    fn every_rule_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let Some(stem) = name.strip_suffix(".rs") else {
                continue;
            };
            // The registry, the per-principal pass, the access graph and the rules' settings
            // are not rules.
            if ["mod", "principal", "graph", "settings"].contains(&stem) {
                continue;
            }
            let id = stem.replace('_', "-");
            assert!(find(&id).is_some(), "src/rules/{name} is not in RULES");
        }
    }

    #[test]
    fn every_rule_has_docs_in_the_fixed_sections() {
        for rule in all() {
            let meta = rule.meta();
            let docs = meta.docs_markdown();
            let mut last = 0;
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
                "## References",
            ] {
                let position = docs
                    .find(section)
                    .unwrap_or_else(|| panic!("{}: missing section {section}", meta.id));
                assert!(
                    position >= last,
                    "{}: section {section} out of order",
                    meta.id
                );
                last = position;
            }
            assert!(
                !meta.summary.ends_with('.'),
                "{}: summary ends with a period",
                meta.id
            );
        }
    }
}
