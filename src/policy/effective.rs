//! What a set of statements really allows: action patterns expanded against the catalog,
//! `NotAction` complemented, unconditional `Deny` subtracted, resources and conditions
//! classified, so security rules reason on permissions rather than on text.

use super::{Condition, Effect, Policy, Statement};
use crate::base::finding::Confidence;
use crate::base::source::Span;
use crate::base::value::{TemplatePart, Value, ValueKind};
use crate::catalog::{ActionId, ActionSet, Catalog, wildcard_match};

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
    service: Option<String>,
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
    /// `aws:ResourceTag/K`, `ec2:ResourceTag/K`...: only resources carrying a tag.
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
        let key = condition.key.to_ascii_lowercase();
        let operator = condition.operator.to_ascii_lowercase();
        let operator = operator
            .strip_prefix("forallvalues:")
            .or_else(|| operator.strip_prefix("foranyvalue:"))
            .unwrap_or(&operator);
        if operator.starts_with("date") || operator == "null" || WEAK_KEYS.contains(&key.as_str()) {
            return ConditionClass::Weak;
        }
        let all_wildcards = !condition.values.is_empty()
            && condition.values.iter().all(|v| {
                v.as_str()
                    .is_some_and(|s| !s.is_empty() && s.chars().all(|c| c == '*' || c == '?'))
            });
        if all_wildcards {
            return ConditionClass::Weak;
        }
        let negated = operator.contains("not");
        let if_exists = operator.ends_with("ifexists");
        if key == "iam:passedtoservice" && !negated {
            return ConditionClass::PassedToService;
        }
        if key == "ec2:createaction" && !negated {
            return ConditionClass::CreateAction;
        }
        if key == "aws:tagkeys" || key.starts_with("aws:requesttag/") {
            return ConditionClass::TagGuard;
        }
        if key.starts_with("aws:principaltag/") {
            return ConditionClass::PrincipalTag;
        }
        if key.contains(":resourcetag/") || key.starts_with("s3:existingobjecttag/") {
            return if negated {
                ConditionClass::Other
            } else {
                ConditionClass::ResourceTag
            };
        }
        let pins_source = SERVICE_SOURCE_KEYS.contains(&key.as_str())
            || CALLER_KEYS.contains(&key.as_str())
            || key.ends_with(":sub")
            || key.ends_with(":aud")
            || key.ends_with(":amr");
        if pins_source && !negated && !if_exists {
            return ConditionClass::SourcePin;
        }
        ConditionClass::Other
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

/// With [`SERVICE_SOURCE_KEYS`], the keys that pin who calls or where the call comes from.
const CALLER_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalservicename",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:vpcsourceip",
    "aws:userid",
    "aws:username",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:viaawsservice",
    "aws:resourceaccount",
    "aws:resourceorgid",
    "aws:resourceorgpaths",
    "sts:externalid",
    "kms:viaservice",
    "kms:calleraccount",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
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
        let mut confidence = Confidence::High;
        for (class, _) in &self.tests {
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
}

/// An `Allow` statement as analysed: its actions after `Deny` is subtracted.
#[derive(Debug)]
pub struct Grant<'a, 'v> {
    /// Which of the policies given to [`Effective::new`] holds the statement.
    pub policy: usize,
    pub statement: &'a Statement<'v>,
    /// Every action the statement allows, less what an unconditional `Deny` removes.
    pub actions: ActionSet,
    /// The action entries with what each expands to (for `NotAction`, the complement).
    entries: Vec<(ActionSet, &'v Value)>,
    /// An action entry is only known at deploy time.
    pub unknown_actions: bool,
    resources: Vec<ResourceEntry<'v>>,
    pub guards: Guards<'a, 'v>,
    /// `Deny` statements that removed something from this grant.
    pub denied_by: Vec<&'a Statement<'v>>,
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
        self.entries
            .iter()
            .filter(|(set, _)| set.contains(action))
            .min_by_key(|(set, _)| set.len())
            .map(|(_, value)| (value.span, value.as_str().unwrap_or_default()))
    }

    /// The action entries as written, with what each expands to.
    pub fn entries(&self) -> impl Iterator<Item = (&ActionSet, &'v Value)> + '_ {
        self.entries.iter().map(|(set, value)| (set, *value))
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
        let denies: Vec<(&'a Statement<'v>, ActionSet)> = policies
            .iter()
            .flat_map(|p| &p.statements)
            .filter(|s| s.effect == Some(Effect::Deny) && s.conditions.is_empty())
            .filter_map(|s| Some((s, deny_actions(catalog, s)?)))
            .collect();
        let cap = (!boundaries.is_empty()).then(|| {
            let mut cap = ActionSet::new();
            for statement in boundaries.iter().flat_map(|p| &p.statements) {
                if statement.is_allow() {
                    cap.union_with(&expand(catalog, statement).0);
                }
            }
            cap
        });
        let mut grants = Vec::new();
        for (index, policy) in policies.iter().enumerate() {
            // A statement whose condition can never hold grants nothing.
            let live = policy
                .statements
                .iter()
                .filter(|s| s.is_allow() && s.never_applies().is_none());
            for statement in live {
                let (mut actions, entries, unknown_actions) = expand(catalog, statement);
                let resources = resource_entries(statement);
                let mut denied_by = Vec::new();
                for (deny, denied) in &denies {
                    if actions.intersects(denied) && deny_covers(deny, statement) {
                        actions = actions.difference(denied);
                        denied_by.push(*deny);
                    }
                }
                if let Some(cap) = &cap {
                    actions = actions.intersection(cap);
                }
                grants.push(Grant {
                    policy: index,
                    statement,
                    actions,
                    entries,
                    unknown_actions,
                    resources,
                    guards: Guards::of(statement),
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

    /// Every grant that allows `action`.
    pub fn hits(&self, action: ActionId) -> impl Iterator<Item = Hit<'_, 'a, 'v>> + '_ {
        self.grants.iter().filter_map(move |g| g.hit(action))
    }
}

/// A statement's actions: the union of its entries, or the complement for `NotAction`.
fn expand<'v>(
    catalog: &Catalog,
    statement: &Statement<'v>,
) -> (ActionSet, Vec<(ActionSet, &'v Value)>, bool) {
    let Some(element) = &statement.action else {
        return (ActionSet::new(), Vec::new(), false);
    };
    let mut union = ActionSet::new();
    let mut entries = Vec::with_capacity(element.items.len());
    let mut unknown = false;
    for item in &element.items {
        match item.as_str() {
            Some(pattern) => {
                let set = catalog.expand(pattern);
                union.union_with(&set);
                entries.push((set, *item));
            }
            None => unknown = true,
        }
    }
    if element.negated {
        let complement = catalog.all_actions().difference(&union);
        (complement, entries, unknown)
    } else {
        (union, entries, unknown)
    }
}

/// What an unconditional `Deny` removes; `None` when it cannot be known (a `NotAction` with a
/// deploy-time entry would deny an unknown complement).
fn deny_actions(catalog: &Catalog, statement: &Statement<'_>) -> Option<ActionSet> {
    let (set, _, unknown) = expand(catalog, statement);
    let negated = statement.action.as_ref()?.negated;
    (!(negated && unknown)).then_some(set)
}

/// Whether a `Deny`'s resources cover every resource of an `Allow`: `"*"`, or a pattern that
/// matches each allowed resource as written.
fn deny_covers(deny: &Statement<'_>, allow: &Statement<'_>) -> bool {
    let Some(deny_resource) = &deny.resource else {
        return false;
    };
    if deny_resource.negated {
        return false;
    }
    let patterns: Vec<&str> = deny_resource
        .items
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    if patterns.contains(&"*") {
        return true;
    }
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
pub(crate) fn classify_resource(value: &Value) -> (Reach, Option<String>) {
    let text = match &value.kind {
        ValueKind::String(text) => text.clone(),
        ValueKind::Template(parts) => parts
            .iter()
            .map(|part| match part {
                TemplatePart::Literal(text) => text.clone(),
                TemplatePart::Hole(_) => HOLE.to_string(),
            })
            .collect(),
        // A resource of the same code base is a named one; anything else is open.
        ValueKind::Unknown(unknown) if unknown.reference.is_some() => {
            return (Reach::Scoped, None);
        }
        _ => return (Reach::Unknown, None),
    };
    if text == "*" {
        return (Reach::Everything, None);
    }
    let fields: Vec<&str> = text.splitn(6, ':').collect();
    let service = fields
        .get(2)
        .filter(|s| !s.contains(HOLE))
        .map(|s| s.to_string());
    let Some(resource) = fields.get(5) else {
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
    use crate::extract::document::{Origin, PolicyDocument, PolicyKind};
    use crate::extract::json;

    fn document(text: &str) -> PolicyDocument {
        let value = json::parse_file(FileId(0), text)
            .ok()
            .flatten()
            .expect("valid json");
        PolicyDocument {
            origin: Origin::file(FileId(0)),
            kind: PolicyKind::Identity,
            value,
            attachments: Vec::new(),
            managed: Vec::new(),
        }
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
