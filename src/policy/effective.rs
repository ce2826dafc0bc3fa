//! What a set of statements really allows: action patterns expanded against the catalog,
//! `NotAction` complemented, unconditional `Deny` subtracted, resources and conditions
//! classified, so security rules reason on permissions rather than on text.

use super::limiting::{Limit, limiting_keys};
use super::{Condition, Effect, Policy, Statement, well_formed_action};
use crate::base::finding::Confidence;
use crate::base::source::Span;
use crate::base::value::{TemplatePart, Value, ValueKind};
use crate::catalog::{ActionId, ActionSet, Catalog, ResourceType, first_colons, wildcard_match};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;

/// How far a statement's resources reach for one action, from narrowest to broadest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reach {
    /// Named resources, or resources of the same code base (`!GetAtt Role.Arn`).
    Scoped,
    /// Depends on a value only known at deploy time.
    Unknown,
    /// Every resource of a type (`role/*`, `arn:aws:s3:::*`): as good as `"*"`.
    Wildcard,
    /// `"*"`, or `NotResource`.
    Everything,
}

impl Reach {
    /// Broad enough that naming the resources would change what is allowed.
    pub fn is_broad(self) -> bool {
        self >= Reach::Wildcard
    }
}

/// One resource entry, classified once.
#[derive(Clone, Debug)]
struct ResourceEntry<'v> {
    value: &'v Value,
    reach: Reach,
    /// The ARN's service field when written literally, to skip entries that cannot apply.
    service: Option<Cow<'v, str>>,
}

/// What one condition test does to a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConditionClass {
    /// Limits when, not what or who: dates, MFA, TLS, region, user agent, `Null` tests,
    /// values that are all wildcards.
    Weak,
    /// `iam:PassedToService`: which service may receive a role.
    PassedToService,
    /// An exact caller or source: `aws:SourceArn`, `aws:SourceAccount`, `aws:PrincipalOrgID`,
    /// `aws:SourceVpc`, `aws:SourceIp`, `sts:ExternalId`, an OIDC `:sub`...
    SourcePin,
    /// A service-specific key naming which resource the request may touch:
    /// `iam:AWSServiceName`, `iam:PolicyARN`, `kms:RequestAlias`...
    ResourcePin,
    /// `aws:ResourceTag/K`, `ec2:ResourceTag/K`...: only resources carrying a tag (a value,
    /// or any value: `Null` false, `StringLike` `*`).
    ResourceTag,
    /// `aws:PrincipalTag/K`: attribute-based access on the caller's own tags.
    PrincipalTag,
    /// `aws:TagKeys`, `aws:RequestTag/K`: which tags a request may set.
    TagGuard,
    /// `ec2:CreateAction`: tags only while creating a resource.
    CreateAction,
    /// A service-specific or unusual test whose effect iamlint does not judge.
    Other,
}

impl ConditionClass {
    /// Classifies one `operator: { key: values }` test.
    pub fn of(condition: &Condition<'_>) -> ConditionClass {
        let operator = condition.operator.to_ascii_lowercase();
        let operator = operator
            .strip_prefix("forallvalues:")
            .or_else(|| operator.strip_prefix("foranyvalue:"))
            .unwrap_or(&operator);
        classify(
            &condition.key.to_ascii_lowercase(),
            operator,
            &condition.values,
        )
    }

    /// What a `Deny` with this test leaves allowed, as the test an `Allow` would need for the
    /// same effect: `StringNotEquals aws:SourceVpce` in a `Deny` is `StringEquals` in the
    /// `Allow`. `None` when the inverse limits nothing iamlint can name (`…IfExists`, which
    /// lets requests without the key through, or a positive test).
    pub fn of_inverse(condition: &Condition<'_>) -> Option<ConditionClass> {
        let operator = condition.operator.to_ascii_lowercase();
        if operator.contains(':') || operator.ends_with("ifexists") {
            return None;
        }
        let key = condition.key.to_ascii_lowercase();
        let all = |text: &str| {
            !condition.values.is_empty()
                && condition
                    .values
                    .iter()
                    .all(|v| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case(text)))
        };
        let class = match operator.as_str() {
            // `Null: true` denies requests without the tag: the rest carry it.
            "null" if all("true") && is_resource_tag_key(&key) => ConditionClass::ResourceTag,
            // `Bool: false` on `aws:ViaAWSService` denies direct calls.
            "bool" if all("false") => match limiting_keys().limit(&key) {
                Some(Limit::Source) => ConditionClass::SourcePin,
                Some(Limit::Resource) => ConditionClass::ResourcePin,
                _ => ConditionClass::Other,
            },
            _ => {
                let positive = operator.replacen("not", "", 1);
                if positive == operator {
                    return None;
                }
                classify(&key, &positive, &condition.values)
            }
        };
        (!matches!(class, ConditionClass::Weak | ConditionClass::Other)).then_some(class)
    }
}

/// Keys of a resource's tags: `<service>:ResourceTag/K` by AWS's naming convention, S3's
/// object tags, and the tag keys of the data file.
fn is_resource_tag_key(key: &str) -> bool {
    key.contains(":resourcetag/")
        || key.starts_with("s3:existingobjecttag/")
        || limiting_keys().limit(key) == Some(Limit::ResourceTag)
}

/// Classifies a test by its lower-case key and operator (without a set prefix).
fn classify(key: &str, operator: &str, values: &[&Value]) -> ConditionClass {
    let negated = operator.contains("not");
    let if_exists = operator.ends_with("ifexists");
    let all = |test: &dyn Fn(&str) -> bool| {
        !values.is_empty() && values.iter().all(|v| v.as_str().is_some_and(test))
    };
    if operator == "null" {
        // `Null: false` on a resource tag requires the tag: only tagged resources.
        return if is_resource_tag_key(key) && all(&|s| s.eq_ignore_ascii_case("false")) {
            ConditionClass::ResourceTag
        } else {
            ConditionClass::Weak
        };
    }
    if operator.starts_with("date") || WEAK_KEYS.contains(&key) {
        return ConditionClass::Weak;
    }
    if all(&|s| !s.is_empty() && s.chars().all(|c| c == '*' || c == '?')) {
        // `StringLike: *` on a resource tag still requires the tag, unless `IfExists`.
        return if is_resource_tag_key(key) && !negated && !if_exists {
            ConditionClass::ResourceTag
        } else {
            ConditionClass::Weak
        };
    }
    // `Bool: false` on a pinning key (`aws:ViaAWSService`) pins nothing.
    if operator.starts_with("bool") && !all(&|s| s.eq_ignore_ascii_case("true")) {
        return ConditionClass::Other;
    }
    let limit = limiting_keys().limit(key);
    match limit {
        Some(Limit::PassedToService) if !negated => return ConditionClass::PassedToService,
        Some(Limit::CreateAction) if !negated => return ConditionClass::CreateAction,
        _ => {}
    }
    if key == "aws:tagkeys" || key.starts_with("aws:requesttag/") {
        return ConditionClass::TagGuard;
    }
    if key.starts_with("aws:principaltag/") {
        return ConditionClass::PrincipalTag;
    }
    if is_resource_tag_key(key) {
        return if negated || if_exists {
            ConditionClass::Other
        } else {
            ConditionClass::ResourceTag
        };
    }
    if negated || if_exists {
        return ConditionClass::Other;
    }
    // OIDC providers' `:sub`, `:aud` and `:amr` name who federates in.
    let oidc = key.ends_with(":sub") || key.ends_with(":aud") || key.ends_with(":amr");
    match limit {
        Some(Limit::Source) => ConditionClass::SourcePin,
        Some(Limit::Resource) => ConditionClass::ResourcePin,
        _ if oidc => ConditionClass::SourcePin,
        _ => ConditionClass::Other,
    }
}

/// Keys that say when or how a request is made, never what it touches or who makes it; a
/// holder of the credentials meets them at will.
const WEAK_KEYS: &[&str] = &[
    "aws:currenttime",
    "aws:epochtime",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:securetransport",
    "aws:requestedregion",
    "aws:useragent",
    "aws:tokenissuetime",
    "aws:referer",
];

/// Keys that tie an AWS service's request to your own resource or account (what
/// `confused-deputy` asks of a resource policy that lets a service in).
pub(crate) const SERVICE_SOURCE_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
];

/// The conditions of one statement, classified.
#[derive(Clone, Debug, Default)]
pub struct Guards<'a, 'v> {
    pub tests: Vec<(ConditionClass, &'a Condition<'v>)>,
}

impl<'a, 'v> Guards<'a, 'v> {
    pub fn of(statement: &'a Statement<'v>) -> Self {
        Guards {
            tests: statement
                .conditions
                .iter()
                .map(|c| (ConditionClass::of(c), c))
                .collect(),
        }
    }

    /// The statement's own tests, and the ones each conditional `Deny` of `policy` that
    /// covers all of it adds ([`limiting_denies`]): `Allow *` with `Deny` unless
    /// `aws:SourceVpce` is as pinned as an `Allow` with that condition.
    pub fn with_denies(policy: &'a Policy<'v>, statement: &'a Statement<'v>) -> Self {
        let catalog = Catalog::get();
        let mut guards = Guards::of(statement);
        let denies = limiting_denies(catalog, policy.statements.iter());
        if denies.is_empty() {
            return guards;
        }
        let expanded = expanded(catalog, statement);
        for deny in &denies {
            if !expanded.unknown
                && expanded.actions.is_subset(&deny.actions)
                && deny.reach.covers(statement)
            {
                guards.tests.extend(deny.tests.iter().copied());
            }
        }
        guards
    }

    pub fn has(&self, class: ConditionClass) -> bool {
        self.tests.iter().any(|(c, _)| *c == class)
    }

    pub fn find(&self, class: ConditionClass) -> Option<&'a Condition<'v>> {
        self.tests
            .iter()
            .find(|(c, _)| *c == class)
            .map(|(_, c)| *c)
    }

    /// How sure a finding about the statement's permissions can be, or `None` when a
    /// condition limits them (conditions are ANDed: one limiting test is enough). Tag and
    /// service pins limit; weak tests do not; others leave the answer open.
    pub fn confidence(&self) -> Option<Confidence> {
        confidence_of(&self.tests)
    }
}

/// [`Guards::confidence`] of some tests.
fn confidence_of(tests: &[(ConditionClass, &Condition<'_>)]) -> Option<Confidence> {
    let mut confidence = Confidence::High;
    for (class, _) in tests {
        match class {
            ConditionClass::Weak => {}
            ConditionClass::Other | ConditionClass::PrincipalTag => {
                confidence = Confidence::Low;
            }
            _ => return None,
        }
    }
    Some(confidence)
}

/// A `Deny` whose conditions all turn, inverted, into limiting tests: what it leaves allowed
/// is only what those tests let through.
struct LimitingDeny<'a, 'v> {
    statement: &'a Statement<'v>,
    actions: ActionSet,
    reach: DenyReach<'a>,
    /// Each condition inverted ([`ConditionClass::of_inverse`]), with the condition.
    tests: Vec<(ConditionClass, &'a Condition<'v>)>,
}

/// The conditional `Deny` statements of `statements` that limit what the others allow: every
/// condition inverts into a limiting test (the `Deny` applies when all hold, so the rest is
/// allowed only when one of the inverses holds, and each of them limits), the statement can
/// apply, and it denies everyone (no `Principal`, or `*`).
fn limiting_denies<'a, 'v>(
    catalog: &Catalog,
    statements: impl Iterator<Item = &'a Statement<'v>>,
) -> Vec<LimitingDeny<'a, 'v>> {
    statements
        .filter(|s| s.effect == Some(Effect::Deny) && !s.conditions.is_empty())
        .filter(|s| s.never_applies().is_none())
        .filter(|s| denies_everyone(s))
        .filter_map(|statement| {
            let tests = statement
                .conditions
                .iter()
                .map(|c| Some((ConditionClass::of_inverse(c)?, c)))
                .collect::<Option<Vec<_>>>()?;
            Some(LimitingDeny {
                statement,
                actions: deny_actions(catalog, statement)?,
                reach: DenyReach::of(statement)?,
                tests,
            })
        })
        .collect()
}

/// Actions of a grant that a conditional `Deny` limits, with the tests (inverted from the
/// `Deny`'s conditions) that must hold for them to be allowed.
#[derive(Clone, Debug)]
pub struct DenyLimit<'a, 'v> {
    pub actions: ActionSet,
    pub tests: Vec<(ConditionClass, &'a Condition<'v>)>,
}

/// Whether a `Deny` applies to every caller: an identity policy's (no `Principal`), or one
/// naming `"*"` (`"Principal": "*"` or `{"AWS": "*"}`).
fn denies_everyone(deny: &Statement<'_>) -> bool {
    match &deny.principal {
        None => true,
        Some(element) => {
            !element.negated && element.items.iter().any(|item| item.as_str() == Some("*"))
        }
    }
}

/// An `Allow` statement as analysed: its actions after `Deny` is subtracted.
#[derive(Debug)]
pub struct Grant<'a, 'v> {
    /// Which of the policies given to [`Effective::new`] holds the statement.
    pub policy: usize,
    pub statement: &'a Statement<'v>,
    /// Every action the statement allows, less what an unconditional `Deny` removes.
    pub actions: ActionSet,
    /// The action entries with what each expands to.
    entries: &'a [ExpandedEntry],
    /// An action entry is only known at deploy time.
    pub unknown_actions: bool,
    resources: Vec<ResourceEntry<'v>>,
    pub guards: Guards<'a, 'v>,
    /// What conditional `Deny` statements leave of some actions: allowed only when their
    /// inverted tests hold.
    pub deny_limits: Vec<DenyLimit<'a, 'v>>,
    /// `Deny` statements that removed or limited something of this grant.
    pub denied_by: Vec<&'a Statement<'v>>,
}

/// An action entry naming every action: `*` or `*:*`, which `admin-access` reports.
pub(crate) fn is_every_action(text: &str) -> bool {
    matches!(text, "*" | "*:*")
}

/// Whether a policy grants permissions to whoever holds it: identity policies and raw
/// documents do; boundaries and SCPs only cap, trust and resource policies grant to others.
pub(crate) fn grants_to_holder(policy: &Policy<'_>) -> bool {
    matches!(
        policy.kind,
        crate::extract::document::PolicyKind::Identity
            | crate::extract::document::PolicyKind::Unknown
    )
}

/// One grant that allows an action, with what makes it so.
#[derive(Clone, Copy, Debug)]
pub struct Hit<'g, 'a, 'v> {
    pub grant: &'g Grant<'a, 'v>,
    /// The most specific action entry covering the action (the `NotAction` key otherwise).
    pub action_span: Span,
    pub action_text: &'v str,
    pub reach: Reach,
    /// The broadest resource entry (the `NotResource` key for that form).
    pub resource_span: Span,
}

impl<'a, 'v> Grant<'a, 'v> {
    pub fn is_not_action(&self) -> bool {
        self.statement.action.as_ref().is_some_and(|a| a.negated)
    }

    /// The action entry that makes whoever holds this grant an administrator: `*`, `*:*`, or
    /// `iam:*` (it can grant itself anything), written in `Action`, on every resource, with no
    /// condition but weak ones. The one test of "admin-equivalent": the access graph's
    /// administrators and `broad-managed-policy`'s verdict on an AWS managed policy both ask
    /// it, so they cannot disagree.
    pub fn administrator_entry(&self) -> Option<&'v Value> {
        if self.is_not_action() || self.guards.confidence() != Some(Confidence::High) {
            return None;
        }
        if !matches!(self.max_reach(), Some((Reach::Everything, _))) {
            return None;
        }
        self.entries().map(|(_, value)| value).find(|value| {
            value
                .as_str()
                .is_some_and(|text| is_every_action(text) || text.eq_ignore_ascii_case("iam:*"))
        })
    }

    /// The condition tests that apply to `action`: the statement's own, and those a
    /// conditional `Deny` of it adds.
    pub fn tests_for(
        &self,
        action: ActionId,
    ) -> impl Iterator<Item = &(ConditionClass, &'a Condition<'v>)> + '_ {
        self.guards.tests.iter().chain(
            self.deny_limits
                .iter()
                .filter(move |limit| limit.actions.contains(action))
                .flat_map(|limit| limit.tests.iter()),
        )
    }

    /// The actions allowed without a limit a conditional `Deny` adds (what [`Guards::confidence`]
    /// would count as limiting, were the tests the statement's own).
    pub fn unlimited_actions(&self) -> ActionSet {
        let mut out = self.actions.clone();
        for limit in &self.deny_limits {
            if confidence_of(&limit.tests).is_none() {
                out = out.difference(&limit.actions);
            }
        }
        out
    }

    /// Whether [`Grant::unlimited_actions`] holds `action`, without building the set.
    pub fn allows_unlimited(&self, action: ActionId) -> bool {
        self.actions.contains(action)
            && !self.deny_limits.iter().any(|limit| {
                limit.actions.contains(action) && confidence_of(&limit.tests).is_none()
            })
    }

    pub fn is_not_resource(&self) -> bool {
        self.statement.resource.as_ref().is_some_and(|r| r.negated)
    }

    /// The broadest reach of the statement's resources for `action`, with the entry that
    /// gives it; `None` when no resource entry can apply to it.
    pub fn reach_for(&self, action: ActionId) -> Option<(Reach, Span)> {
        if let Some(resource) = &self.statement.resource
            && resource.negated
        {
            return Some((Reach::Everything, resource.key_span));
        }
        self.resources
            .iter()
            .filter(|entry| {
                entry.service.as_deref().is_none_or(|service| {
                    wildcard_match(service, Catalog::get().service_prefix(action), true)
                })
            })
            .max_by_key(|entry| entry.reach)
            .map(|entry| (entry.reach, entry.value.span))
    }

    /// The broadest reach of the statement's resources over resources of type `rt`; `None`
    /// when no entry can name one. Entries only known at deploy time may.
    pub fn reach_on_type(&self, rt: &ResourceType) -> Option<Reach> {
        if self.is_not_resource() {
            return Some(Reach::Everything);
        }
        let catalog = Catalog::get();
        self.resources
            .iter()
            .filter(|entry| match entry.value.as_str() {
                Some(text) => catalog.fits_resource_type(text, rt),
                None => true,
            })
            .map(|entry| entry.reach)
            .max()
    }

    /// The broadest reach over every resource entry, whatever the action.
    pub fn max_reach(&self) -> Option<(Reach, Span)> {
        if let Some(resource) = &self.statement.resource
            && resource.negated
        {
            return Some((Reach::Everything, resource.key_span));
        }
        self.resources
            .iter()
            .max_by_key(|entry| entry.reach)
            .map(|entry| (entry.reach, entry.value.span))
    }

    /// The entry that covers `action`: the narrowest pattern, so `iam:PassRole` wins over
    /// `iam:*` when both are written.
    pub fn entry_for(&self, action: ActionId) -> Option<(Span, &'v str)> {
        if self.is_not_action() {
            let element = self.statement.action.as_ref()?;
            return Some((element.key_span, "NotAction"));
        }
        self.entries()
            .filter(|(set, _)| set.contains(action))
            .min_by_key(|(set, _)| set.len())
            .map(|(_, value)| (value.span, value.as_str().unwrap_or_default()))
    }

    /// The action entries as written, with what each expands to.
    pub fn entries(&self) -> impl Iterator<Item = (&ActionSet, &'v Value)> + '_ {
        let items = self.statement.action.as_ref().map(|a| a.items.as_slice());
        self.entries
            .iter()
            .filter_map(move |entry| Some((&*entry.actions, *items?.get(entry.index)?)))
    }

    /// Whether this grant allows `action`, and how.
    pub fn hit(&self, action: ActionId) -> Option<Hit<'_, 'a, 'v>> {
        if !self.actions.contains(action) {
            return None;
        }
        let (reach, resource_span) = self.reach_for(action)?;
        let (action_span, action_text) = self.entry_for(action)?;
        Some(Hit {
            grant: self,
            action_span,
            action_text,
            reach,
            resource_span,
        })
    }
}

/// The allow statements of one or more policies, with denies and boundaries applied.
#[derive(Debug, Default)]
pub struct Effective<'a, 'v> {
    pub grants: Vec<Grant<'a, 'v>>,
}

impl<'a, 'v> Effective<'a, 'v> {
    /// Builds the view of `policies` taken together (one principal's identity policies).
    /// `boundaries`, when given, cap what any grant allows.
    pub fn new(policies: &[&'a Policy<'v>], boundaries: &[&'a Policy<'v>]) -> Self {
        let catalog = Catalog::get();
        let removals = Removals::new(catalog, policies.iter().flat_map(|p| &p.statements));
        let limiting = limiting_denies(catalog, policies.iter().flat_map(|p| &p.statements));
        let cap = (!boundaries.is_empty()).then(|| {
            let mut cap = ActionSet::new();
            for statement in boundaries.iter().flat_map(|p| &p.statements) {
                if statement.is_allow() {
                    cap.union_with(&expanded(catalog, statement).actions);
                }
            }
            cap
        });
        // At most one grant per statement: sized once, not grown (and copied) grant by grant.
        let mut grants = Vec::with_capacity(policies.iter().map(|p| p.statements.len()).sum());
        for (index, policy) in policies.iter().enumerate() {
            // A statement whose condition can never hold grants nothing.
            let live = policy
                .statements
                .iter()
                .filter(|s| s.is_allow() && s.never_applies().is_none());
            for statement in live {
                let expanded = expanded(catalog, statement);
                let mut actions = expanded.actions.clone();
                let resources = resource_entries(statement);
                let mut denied_by = Vec::new();
                for deny in removals.candidates(statement, &expanded.actions) {
                    if actions.intersects(&deny.actions) && deny.reach.covers(statement) {
                        actions = actions.difference(&deny.actions);
                        denied_by.push(deny.statement);
                    }
                }
                if let Some(cap) = &cap {
                    actions = actions.intersection(cap);
                }
                let mut deny_limits = Vec::new();
                for deny in &limiting {
                    if !actions.intersects(&deny.actions) || !deny.reach.covers(statement) {
                        continue;
                    }
                    deny_limits.push(DenyLimit {
                        actions: actions.intersection(&deny.actions),
                        tests: deny.tests.clone(),
                    });
                    denied_by.push(deny.statement);
                }
                grants.push(Grant {
                    policy: index,
                    statement,
                    actions,
                    entries: &expanded.entries,
                    unknown_actions: expanded.unknown,
                    resources,
                    guards: Guards::of(statement),
                    deny_limits,
                    denied_by,
                });
            }
        }
        Effective { grants }
    }

    /// The view of a single policy.
    pub fn of(policy: &'a Policy<'v>) -> Self {
        Effective::new(&[policy], &[])
    }

    /// Whether `action`, which needs resources of several types at once (`ec2:RunInstances`:
    /// an instance, an image, a subnet...), is allowed broadly on each of them: AWS
    /// authorizes every resource of the request, so the action is only as open as its
    /// narrowest required type, across the statements together. A type reached only through
    /// a limiting condition (an instance tag-gated in another statement) or only on named
    /// resources holds the whole action back. Actions needing one type or none pass.
    pub fn broad_on_every_required_type(&self, action: ActionId) -> bool {
        let catalog = Catalog::get();
        if !catalog.needs_several_resource_types(action) {
            return true;
        }
        let granting: Vec<&Grant<'a, 'v>> = self
            .grants
            .iter()
            .filter(|g| g.guards.confidence().is_some() && g.allows_unlimited(action))
            .collect();
        catalog.required_resource_types(action).iter().all(|rt| {
            granting.iter().any(|g| {
                g.reach_on_type(rt)
                    .is_some_and(|reach| reach >= Reach::Unknown)
            })
        })
    }

    /// Every grant that allows `action`.
    pub fn hits(&self, action: ActionId) -> impl Iterator<Item = Hit<'_, 'a, 'v>> + '_ {
        self.grants.iter().filter_map(move |g| g.hit(action))
    }
}

/// A statement's actions: the union of its entries, or the complement for `NotAction`;
/// expanded once per statement, each pattern's set shared with the other statements that
/// write it ([`expansion`]).
pub(crate) fn expanded<'a>(catalog: &Catalog, statement: &'a Statement<'_>) -> &'a ExpandedActions {
    statement.expanded.get_or_init(|| {
        let Some(element) = &statement.action else {
            return ExpandedActions::default();
        };
        let mut union = ActionSet::new();
        let mut entries = Vec::with_capacity(element.items.len());
        let mut unknown = false;
        for (index, item) in element.items.iter().enumerate() {
            match item.as_str() {
                Some(pattern) => {
                    let expansion = expansion(catalog, pattern);
                    union.union_with(&expansion.actions);
                    entries.push(ExpandedEntry {
                        index,
                        actions: expansion.actions,
                        well_formed: expansion.well_formed,
                    });
                }
                None => unknown = true,
            }
        }
        let actions = if element.negated {
            catalog.all_actions().difference(&union)
        } else {
            union
        };
        ExpandedActions {
            actions,
            entries,
            unknown,
        }
    })
}

/// Action patterns expanded by this thread, kept because the same names and wildcards recur
/// across a run's policies (binary searches over service and action names cost more than an
/// FxHash lookup), so that one set is shared by every statement that writes the pattern.
/// Bounded in patterns and in the words their sets hold, so hostile input cannot grow it
/// without limit.
const EXPANSION_MEMO_LIMIT: usize = 50_000;
const EXPANSION_MEMO_WORDS: usize = 1 << 20;

/// What one pattern expands to.
#[derive(Clone, Debug)]
struct Expansion {
    /// [`well_formed_action`]: a pattern that is not grants nothing in the per-document
    /// rules, whatever the catalog's expansion of its text holds.
    well_formed: bool,
    /// The catalog's expansion of the text ([`Catalog::expand`]).
    actions: Arc<ActionSet>,
}

#[derive(Default)]
struct Memo {
    expansions: FxHashMap<String, Expansion>,
    words: usize,
}

thread_local! {
    static EXPANSIONS: RefCell<Memo> = RefCell::new(Memo::default());
}

/// What `pattern` expands to, shared with every other statement of this thread that wrote it.
fn expansion(catalog: &Catalog, pattern: &str) -> Expansion {
    EXPANSIONS.with(|memo| {
        if let Some(expansion) = memo.borrow().expansions.get(pattern) {
            return expansion.clone();
        }
        let expansion = Expansion {
            well_formed: well_formed_action(pattern),
            actions: Arc::new(catalog.expand(pattern)),
        };
        let mut memo = memo.borrow_mut();
        let words = expansion.actions.word_count();
        if memo.expansions.len() < EXPANSION_MEMO_LIMIT
            && memo.words + words <= EXPANSION_MEMO_WORDS
            && pattern.len() <= 128
        {
            memo.words += words;
            memo.expansions
                .insert(pattern.to_string(), expansion.clone());
        }
        expansion
    })
}

/// A statement's actions, kept in [`Statement::expanded`].
#[derive(Debug, Default)]
pub struct ExpandedActions {
    /// The union of the entries, or its complement for `NotAction`.
    pub(crate) actions: ActionSet,
    /// What each text entry expands to, in the element's order.
    pub(crate) entries: Vec<ExpandedEntry>,
    /// An entry is only known at deploy time.
    unknown: bool,
}

/// One text entry of `Action` or `NotAction`, expanded.
#[derive(Debug)]
pub(crate) struct ExpandedEntry {
    /// The entry's index in the element's items (an index, not the value, so that a
    /// statement stays covariant in its lifetime).
    pub(crate) index: usize,
    pub(crate) actions: Arc<ActionSet>,
    /// See [`Expansion::well_formed`].
    pub(crate) well_formed: bool,
}

/// What an unconditional `Deny` removes; `None` when it cannot be known (a `NotAction` with a
/// deploy-time entry would deny an unknown complement).
fn deny_actions(catalog: &Catalog, statement: &Statement<'_>) -> Option<ActionSet> {
    let expanded = expanded(catalog, statement);
    let negated = statement.action.as_ref()?.negated;
    (!(negated && expanded.unknown)).then(|| expanded.actions.clone())
}

/// The resources a `Deny` names, read once: a view tests each `Deny` against many `Allow`
/// statements.
#[derive(Debug)]
enum DenyReach<'a> {
    /// `"*"`: every resource.
    Everything,
    /// The patterns written, none of them `"*"`.
    Patterns(Vec<&'a str>),
}

impl<'a> DenyReach<'a> {
    /// `None` when the `Deny` covers no statement: it names no resource, or only by
    /// `NotResource`.
    fn of(deny: &'a Statement<'_>) -> Option<DenyReach<'a>> {
        let resource = deny.resource.as_ref().filter(|r| !r.negated)?;
        let patterns: Vec<&str> = resource.items.iter().filter_map(|v| v.as_str()).collect();
        Some(if patterns.contains(&"*") {
            DenyReach::Everything
        } else {
            DenyReach::Patterns(patterns)
        })
    }

    /// Whether the `Deny` covers every resource of `allow`: `"*"`, or a pattern that matches
    /// each allowed resource as written.
    fn covers(&self, allow: &Statement<'_>) -> bool {
        let DenyReach::Patterns(patterns) = self else {
            return true;
        };
        let Some(allow_resource) = &allow.resource else {
            return false;
        };
        !allow_resource.negated
            && !allow_resource.items.is_empty()
            && allow_resource.items.iter().all(|item| {
                item.as_str().is_some_and(|text| {
                    patterns
                        .iter()
                        .any(|p| crate::catalog::wildcard_match(p, text, false))
                })
            })
    }

    /// The patterns, when every one is literal (no `*` or `?`): such a `Deny` covers only
    /// statements whose resources are among them, as written.
    fn literals(&self) -> Option<&[&'a str]> {
        match self {
            DenyReach::Patterns(patterns)
                if !patterns.iter().any(|p| crate::catalog::has_wildcard(p)) =>
            {
                Some(patterns)
            }
            _ => None,
        }
    }
}

/// The unconditional `Deny` statements of a view, with what each removes, indexed by the
/// resources they name and the actions they deny: a statement is tested only against the
/// denies that can cover it, instead of every pair (thousands of statements with hundreds of
/// denies).
struct Removals<'a, 'v> {
    denies: Vec<Removal<'a, 'v>>,
    /// The denies that can cover any statement (`"*"`, or a pattern with a wildcard), by
    /// each word of the action set they deny ([`ActionSet::occupied_words`]).
    anywhere_by_word: FxHashMap<usize, Vec<usize>>,
    /// Those of them that deny more than [`WIDE_DENY_WORDS`] words of actions, tested
    /// against every statement rather than indexed word by word.
    anywhere_wide: Vec<usize>,
    /// The denies whose patterns are all literal, by each pattern.
    by_literal: FxHashMap<&'a str, Vec<usize>>,
}

/// See [`Removals::anywhere_wide`]: a `Deny` of `s3:*` is two words, one of every action
/// about 350.
const WIDE_DENY_WORDS: usize = 16;

struct Removal<'a, 'v> {
    statement: &'a Statement<'v>,
    actions: ActionSet,
    reach: DenyReach<'a>,
}

impl<'a, 'v> Removals<'a, 'v> {
    fn new(catalog: &Catalog, statements: impl Iterator<Item = &'a Statement<'v>>) -> Self {
        let denies: Vec<Removal<'a, 'v>> = statements
            .filter(|s| s.effect == Some(Effect::Deny) && s.conditions.is_empty())
            .filter_map(|statement| {
                Some(Removal {
                    statement,
                    actions: deny_actions(catalog, statement)?,
                    reach: DenyReach::of(statement)?,
                })
            })
            .collect();
        let mut anywhere_by_word: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        let mut anywhere_wide = Vec::new();
        let mut by_literal: FxHashMap<&'a str, Vec<usize>> = FxHashMap::default();
        for (index, deny) in denies.iter().enumerate() {
            match deny.reach.literals() {
                Some(literals) => {
                    for literal in literals {
                        let named_by = by_literal.entry(literal).or_default();
                        if named_by.last() != Some(&index) {
                            named_by.push(index);
                        }
                    }
                }
                None if deny.actions.occupied_words().nth(WIDE_DENY_WORDS).is_some() => {
                    anywhere_wide.push(index);
                }
                None => {
                    for word in deny.actions.occupied_words() {
                        anywhere_by_word.entry(word).or_default().push(index);
                    }
                }
            }
        }
        Removals {
            denies,
            anywhere_by_word,
            anywhere_wide,
            by_literal,
        }
    }

    /// The denies that may cover `allow` and remove some of `actions`, its actions, in the
    /// order they are written.
    fn candidates(&self, allow: &Statement<'_>, actions: &ActionSet) -> Vec<&Removal<'a, 'v>> {
        // A literal-only `Deny` covers `allow` only if it names each of its resources, so the
        // first one is enough to find it by.
        let first = allow
            .resource
            .as_ref()
            .filter(|r| !r.negated)
            .and_then(|r| r.items.first())
            .and_then(|v| v.as_str());
        let named = first
            .and_then(|text| self.by_literal.get(text))
            .map_or(&[][..], Vec::as_slice);
        let mut indices: Vec<usize> = self.anywhere_wide.iter().chain(named).copied().collect();
        if !self.anywhere_by_word.is_empty() {
            for word in actions.occupied_words() {
                indices.extend(self.anywhere_by_word.get(&word).into_iter().flatten());
            }
        }
        indices.sort_unstable();
        indices.dedup();
        indices.into_iter().map(|i| &self.denies[i]).collect()
    }
}

fn resource_entries<'v>(statement: &Statement<'v>) -> Vec<ResourceEntry<'v>> {
    let Some(element) = &statement.resource else {
        return Vec::new();
    };
    if element.negated {
        return Vec::new();
    }
    element
        .items
        .iter()
        .map(|value| {
            let (reach, service) = classify_resource(value);
            ResourceEntry {
                value,
                reach,
                service,
            }
        })
        .collect()
}

/// Marks a deploy-time hole inside a resource template.
const HOLE: char = '\u{0}';

/// The reach of one resource entry and its literal service field.
pub(crate) fn classify_resource(value: &Value) -> (Reach, Option<Cow<'_, str>>) {
    // Borrowed when written out: most resources are, and this runs for each of them.
    let text: Cow<'_, str> = match &value.kind {
        ValueKind::String(text) => Cow::Borrowed(text),
        ValueKind::Template(parts) => Cow::Owned(
            parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Literal(text) => text.clone(),
                    TemplatePart::Hole(_) => HOLE.to_string(),
                })
                .collect(),
        ),
        // A resource of the same code base is a named one; anything else is open.
        ValueKind::Unknown(unknown) if unknown.reference.is_some() => {
            return (Reach::Scoped, None);
        }
        _ => return (Reach::Unknown, None),
    };
    if text == "*" {
        return (Reach::Everything, None);
    }
    // The first five colons, found by one walk: what `splitn(6, ':')` finds, without
    // collecting the fields (this runs for every resource of every statement).
    let (colons, found) = first_colons::<5>(&text);
    let service = (found >= 3)
        .then(|| colons[1] + 1..colons[2])
        .or_else(|| (found == 2).then(|| colons[1] + 1..text.len()))
        .filter(|range| !text[range.clone()].contains(HOLE))
        .map(|range| match &text {
            Cow::Borrowed(text) => Cow::Borrowed(&text[range]),
            Cow::Owned(text) => Cow::Owned(text[range].to_string()),
        });
    let resource = (found == 5).then(|| &text[colons[4] + 1..]);
    let Some(resource) = resource else {
        return (
            if text.contains(HOLE) {
                Reach::Unknown
            } else {
                Reach::Scoped
            },
            service,
        );
    };
    if resource.contains(HOLE) {
        return (Reach::Unknown, service);
    }
    let reach = if resource_is_wildcard(resource, service.as_deref()) {
        Reach::Wildcard
    } else {
        Reach::Scoped
    };
    (reach, service)
}

/// Whether the resource part of an ARN names every resource of its type: `*`, `role/*`,
/// `*/*`, `table/*`, `function:*`. S3 has no type word, so `b/*` is one bucket there.
fn resource_is_wildcard(resource: &str, service: Option<&str>) -> bool {
    let only_wild =
        |s: &str| s.contains('*') && s.chars().all(|c| matches!(c, '*' | '?' | '/' | ':'));
    if only_wild(resource) {
        return true;
    }
    if service.is_some_and(|s| s.eq_ignore_ascii_case("s3")) {
        return false;
    }
    resource.find(['/', ':']).is_some_and(|at| {
        let (word, rest) = resource.split_at(at);
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && only_wild(&rest[1..])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::extract::document::PolicyDocument;

    fn document(text: &str) -> PolicyDocument {
        PolicyDocument::identity_from_json(text)
    }

    fn id(name: &str) -> ActionId {
        Catalog::get().action(name).expect(name)
    }

    #[test]
    fn resources_are_classified() {
        let check = |text: &str| {
            classify_resource(&Value::new(
                crate::base::source::Span::new(FileId(0), 0, 0),
                ValueKind::String(text.into()),
            ))
            .0
        };
        assert_eq!(check("*"), Reach::Everything);
        assert_eq!(check("arn:aws:iam::123456789012:role/*"), Reach::Wildcard);
        assert_eq!(check("arn:aws:iam::*:role/*"), Reach::Wildcard);
        assert_eq!(check("arn:aws:s3:::*"), Reach::Wildcard);
        assert_eq!(check("arn:aws:s3:::*/*"), Reach::Wildcard);
        assert_eq!(check("arn:aws:s3:::bucket/*"), Reach::Scoped);
        assert_eq!(check("arn:aws:iam::123456789012:role/app-*"), Reach::Scoped);
        assert_eq!(check("arn:aws:lambda:*:*:function:*"), Reach::Wildcard);
    }

    #[test]
    fn not_action_and_deny() {
        let doc = document(
            r#"{"Statement": [
                {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
                {"Effect": "Allow", "Action": ["iam:*", "iam:PassRole"], "Resource": "*"},
                {"Effect": "Deny", "Action": "iam:CreateAccessKey", "Resource": "*"}
            ]}"#,
        );
        let policy = crate::policy::parse(&doc);
        let effective = Effective::of(&policy);
        assert!(effective.grants[0].actions.contains(id("s3:GetObject")));
        assert!(!effective.grants[0].actions.contains(id("iam:PassRole")));
        let hit = effective.grants[1].hit(id("iam:PassRole")).unwrap();
        assert_eq!(hit.action_text, "iam:PassRole");
        assert_eq!(hit.reach, Reach::Everything);
        assert!(effective.hits(id("iam:CreateAccessKey")).next().is_none());
        assert_eq!(effective.grants[1].denied_by.len(), 1);
    }

    #[test]
    fn a_deny_subtracts_from_the_statements_whose_resources_it_covers() {
        let doc = document(
            r#"{"Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": ["arn:aws:s3:::a/x", "arn:aws:s3:::b/x"]},
                {"Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": ["arn:aws:s3:::b/x", "arn:aws:s3:::a/x"]},
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                 "Resource": ["arn:aws:s3:::a/x", "arn:aws:s3:::c/x"]},
                {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::d/x"},
                {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::*/x"},
                {"Effect": "Deny", "Action": "s3:GetObject",
                 "Resource": ["arn:aws:s3:::b/x", "arn:aws:s3:::a/x", "arn:aws:s3:::a/x"]},
                {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::d/x"},
                {"Effect": "Deny", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::z/x"},
                {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "arn:aws:s3:::e/x"},
                {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::e/*"}
            ]}"#,
        );
        let policy = crate::policy::parse(&doc);
        let effective = Effective::of(&policy);
        let statement = |grant: &Grant<'_, '_>| -> Vec<usize> {
            let position = |deny: &&Statement<'_>| {
                policy
                    .statements
                    .iter()
                    .position(|s| std::ptr::eq(s, *deny))
                    .unwrap()
            };
            grant.denied_by.iter().map(position).collect()
        };
        // Both resources named by the literal `Deny`, in either order.
        assert!(effective.grants[0].actions.is_empty());
        assert_eq!(statement(&effective.grants[0]), [5]);
        assert!(effective.grants[1].actions.is_empty());
        // `c/x` is not named: `s3:GetObject` stays; the wildcard `Deny` takes `s3:PutObject`.
        assert!(effective.grants[2].actions.contains(id("s3:GetObject")));
        assert!(!effective.grants[2].actions.contains(id("s3:PutObject")));
        assert_eq!(statement(&effective.grants[2]), [4]);
        // Covered by a wildcard and by a literal `Deny`: the first takes it all.
        assert_eq!(statement(&effective.grants[3]), [4]);
        // A `Deny` of every action, looked at for every statement.
        assert!(effective.grants[4].actions.is_empty());
        assert_eq!(statement(&effective.grants[4]), [9]);
    }

    #[test]
    fn conditional_deny_and_narrow_deny_do_not_subtract() {
        let doc = document(
            r#"{"Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
                {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
            ]}"#,
        );
        let policy = crate::policy::parse(&doc);
        let effective = Effective::of(&policy);
        assert!(effective.hits(id("s3:GetObject")).next().is_some());
    }

    #[test]
    fn conditions_are_classified() {
        let doc = document(
            r#"{"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
                "Condition": {
                    "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"},
                    "StringEquals": {"iam:PassedToService": "ec2.amazonaws.com",
                                     "aws:SourceArn": "arn:aws:s3:::b",
                                     "ec2:ResourceTag/team": "a",
                                     "aws:RequestTag/team": "a",
                                     "ec2:CreateAction": "RunInstances",
                                     "s3:prefix": "home/"},
                    "StringLike": {"aws:SourceArn": "*"}
                }}]}"#,
        );
        let policy = crate::policy::parse(&doc);
        let classes: Vec<ConditionClass> = Guards::of(&policy.statements[0])
            .tests
            .iter()
            .map(|(c, _)| *c)
            .collect();
        use ConditionClass::*;
        assert_eq!(
            classes,
            [
                Weak,
                PassedToService,
                SourcePin,
                ResourceTag,
                TagGuard,
                CreateAction,
                Other,
                Weak
            ]
        );
    }

    #[test]
    fn tag_presence_and_service_keys_limit() {
        let doc = document(
            r#"{"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
                "Condition": {
                    "Null": {"aws:ResourceTag/team": "false", "aws:RequestTag/team": "false"},
                    "StringLike": {"ssm:resourceTag/team": "*"},
                    "StringLikeIfExists": {"ec2:ResourceTag/team": "*"},
                    "StringEquals": {"iam:AWSServiceName": "elasticmapreduce.amazonaws.com",
                                     "kms:ViaService": "s3.eu-west-1.amazonaws.com",
                                     "elasticloadbalancing:CreateAction": "CreateLoadBalancer"}
                }}]}"#,
        );
        let policy = crate::policy::parse(&doc);
        let classes: Vec<ConditionClass> = Guards::of(&policy.statements[0])
            .tests
            .iter()
            .map(|(c, _)| *c)
            .collect();
        use ConditionClass::*;
        assert_eq!(
            classes,
            [
                ResourceTag,
                Weak,
                ResourceTag,
                Weak,
                ResourcePin,
                SourcePin,
                CreateAction
            ]
        );
    }

    #[test]
    fn denies_are_inverted_into_the_tests_they_leave() {
        let doc = document(
            r#"{"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                "Condition": {
                    "StringNotEquals": {"aws:SourceVpce": "vpce-1", "iam:PassedToService": "ec2.amazonaws.com"},
                    "NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"},
                    "StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-1"},
                    "Null": {"aws:ResourceTag/team": "true"},
                    "Bool": {"aws:SecureTransport": "false", "aws:ViaAWSService": "false"},
                    "StringEquals": {"aws:SourceVpc": "vpc-1"}
                }}]}"#,
        );
        let policy = crate::policy::parse(&doc);
        let inverses: Vec<Option<ConditionClass>> = policy.statements[0]
            .conditions
            .iter()
            .map(ConditionClass::of_inverse)
            .collect();
        use ConditionClass::*;
        assert_eq!(
            inverses,
            [
                Some(SourcePin),
                Some(PassedToService),
                Some(SourcePin),
                None,
                Some(ResourceTag),
                None,
                Some(SourcePin),
                None
            ]
        );
    }

    #[test]
    fn a_conditional_deny_limits_what_it_covers() {
        let doc = document(
            r#"{"Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "sqs:SendMessage"], "Resource": "*"},
                {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                 "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}},
                {"Effect": "Deny", "Action": "sqs:*", "Resource": "*",
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
            ]}"#,
        );
        let policy = crate::policy::parse(&doc);
        let effective = Effective::of(&policy);
        let grant = &effective.grants[0];
        assert_eq!(grant.deny_limits.len(), 1);
        let unlimited = grant.unlimited_actions();
        assert!(!unlimited.contains(id("s3:GetObject")));
        assert!(unlimited.contains(id("sqs:SendMessage")));
        assert!(
            grant
                .tests_for(id("s3:GetObject"))
                .any(|(c, _)| *c == ConditionClass::SourcePin)
        );
    }

    #[test]
    fn boundary_caps_grants() {
        let allow =
            document(r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#);
        let boundary =
            document(r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#);
        let (allow, boundary) = (
            crate::policy::parse(&allow),
            crate::policy::parse(&boundary),
        );
        let effective = Effective::new(&[&allow], &[&boundary]);
        assert!(effective.hits(id("s3:GetObject")).next().is_some());
        assert!(effective.hits(id("iam:PassRole")).next().is_none());
    }
}
