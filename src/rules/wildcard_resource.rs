//! `wildcard-resource`: `Resource: "*"` for actions that can be scoped to resources.

use super::{Context, Rule, declare_rule};
use crate::base::finding::{Confidence, Findings};
use crate::base::rule_id::RuleId;
use crate::base::source::Span;
use crate::catalog::{ActionId, ActionSet, Catalog, has_wildcard};
use crate::policy::actions::ActionEntry;
use crate::policy::effective::Grant;
use crate::policy::sensitive::{Kind, is_every_action};
use rustc_hash::FxHashMap;

/// How many actions the message names before "and N more".
const NAMED: usize = 3;

declare_rule! {
    /// ## What it does
    /// Reports an `Allow` statement with `Resource: "*"` whose actions support
    /// resource-level permissions, naming a few of them and the ARN format to write instead.
    /// Statements whose actions all take only `"*"` (`ec2:DescribeInstances`,
    /// `s3:ListAllMyBuckets`, `sts:GetCallerIdentity`) are left alone: there is nothing to
    /// scope. It is the catch-all: actions an enabled, more specific rule reports on the
    /// statement are left to it (`Action: "*"` to `admin-access`, `s3:*` to `wildcard-action`,
    /// `iam:PassRole` to `passrole-unscoped`, writes to `write-without-constraints`, sensitive
    /// actions to `data-exfiltration`, `credentials-exposure`, `permissions-management` and
    /// `resource-exposure`); with that rule turned off, they are named here again. A condition that
    /// limits the statement (a resource tag's value or presence, a source pin such as
    /// `aws:SourceVpce`, a service key such as `kms:ViaService`), its own or that of a
    /// conditional `Deny` covering it, silences it; another condition lowers the confidence.
    /// An unconditional `Deny` removes what it denies. Actions granted on `"*"` by design are
    /// left alone too: those that take a single, optional resource type
    /// (`cloudwatch:PutMetricData`, `ce:GetCostAndUsage`), and a pattern such as
    /// `ec2:Describe*` whose actions mostly take only `"*"`. Resource
    /// policies (bucket, key, queue policies) are not judged: there `*` means the resource
    /// the policy is attached to.
    ///
    /// ## Why is this bad?
    /// The principal can act on every resource of that type in the account, present and
    /// future: every bucket, every table, every secret, when it needed one. A leaked key or a
    /// compromised workload then reaches far beyond what it was for.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation"], "Resource": "arn:aws:s3:::build-artifacts"}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Security best practices in IAM: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - [Service Authorization Reference: resource types](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    pub struct WildcardResource {
        category: Security,
        severity: Warning,
        confidence: High,
        group: LeastPrivilege,
        summary: "`Resource: \"*\"` for actions that can be scoped to resources",
    }
}

impl Rule for WildcardResource {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let catalog = Catalog::get();
        // In a resource policy `*` is the resource the policy is attached to (a KMS key
        // policy must say `*`): only policies that grant to principals name resources.
        // Boundaries and SCPs only filter: `*` there lets through what others grant.
        if !cx.policy.is_identity_like() || cx.policy.only_filters() {
            return;
        }
        // What the more specific security rules report is theirs; only the rest is named here.
        let claimed = claimed(cx);
        // What each statement allows after `Deny`, and the conditions that limit it.
        let grants: FxHashMap<Span, &Grant<'_, '_>> = cx
            .effective()
            .grants
            .iter()
            .map(|grant| (grant.statement.value.span, grant))
            .collect();
        for (statement, actions) in cx.statements() {
            if !statement.is_allow() || actions.negated {
                continue;
            }
            let Some(star) = statement
                .resources()
                .iter()
                .find(|r| r.as_str() == Some("*"))
            else {
                continue;
            };
            // No grant: the statement can never apply. A limiting condition, its own or a
            // conditional `Deny`'s (unless `aws:SourceVpce`, a resource tag), scopes it.
            let Some(grant) = grants.get(&statement.value.span) else {
                continue;
            };
            if grant.guards.confidence().is_none() {
                continue;
            }
            let mut scopable = catalog.narrowable(&grant.unlimited_actions());
            scopable = scopable.difference(&star_by_design_patterns(catalog, &actions.entries));
            if let Some(taken) = claimed.get(&statement.value.span) {
                scopable = scopable.difference(taken);
            }
            if scopable.is_empty() {
                continue;
            }
            // Name actions in the order they are written, so the message reads like the policy.
            let mut named: ActionSet = ActionSet::new();
            let mut names: Vec<String> = Vec::new();
            let mut finding_related = Vec::new();
            for entry in &actions.entries {
                if names.len() == NAMED && finding_related.len() == NAMED {
                    break;
                }
                if !entry.actions.intersects(&scopable) {
                    continue;
                }
                let mine = entry.actions.intersection(&scopable);
                if finding_related.len() < NAMED {
                    finding_related.push(entry);
                }
                for id in mine.iter() {
                    if names.len() < NAMED && !named.contains(id) {
                        named.insert(id);
                        names.push(catalog.qualified_name(id));
                    }
                }
            }
            let named_first = names.first().and_then(|n| catalog.action(n));
            let total = scopable.len();
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let list = if total > names.len() {
                format!("{} and {} more", quoted.join(", "), total - names.len())
            } else {
                match quoted.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} and {last}", rest.join(", "))
                    }
                    _ => quoted.join(""),
                }
            };
            let message = if total == 1 {
                format!("{list} can be scoped to resources, but is granted on every resource")
            } else {
                format!("{list} can be scoped to resources, but are granted on every resource")
            };
            let mut finding = Self::META
                .finding(star.span, message)
                .with_help(help(catalog, named_first));
            for entry in finding_related {
                finding = finding.with_related(entry.value.span, "takes resource ARNs");
            }
            if !statement.conditions.is_empty() {
                finding = finding.with_confidence(Confidence::Medium);
            }
            out.push(finding);
        }
    }
}

/// The actions of the wildcard entries (`ec2:Describe*`, `ce:Get*`, not `ec2:*`) whose actions mostly take
/// `"*"` by design ([`Catalog::takes_star_by_design`]): such a pattern is meant for `"*"`,
/// and the few actions of it that could name resources are not worth a finding, unless
/// another entry names them.
fn star_by_design_patterns(catalog: &Catalog, entries: &[ActionEntry<'_>]) -> ActionSet {
    let mut by_design = ActionSet::new();
    let mut named_elsewhere = ActionSet::new();
    for entry in entries {
        let narrowable = catalog.narrowable(entry.actions).len();
        // A service-wide `ec2:*` is not a family of lookups: `wildcard-action`'s to judge.
        let family = entry
            .pattern
            .and_then(|p| p.split_once(':'))
            .is_some_and(|(_, action)| has_wildcard(action) && action != "*");
        if family && narrowable * 2 < entry.actions.len() {
            by_design.union_with(entry.actions);
        } else {
            named_elsewhere.union_with(entry.actions);
        }
    }
    by_design.difference(&named_elsewhere)
}

/// The ARN format to write for the first named action: a required resource type's, else the
/// shortest (`bucket/object` rather than the access point form).
fn help(catalog: &'static Catalog, first: Option<ActionId>) -> String {
    let Some(id) = first else {
        return "name the resources instead of `*`".to_string();
    };
    let info = catalog.action_info(id);
    let required = info.resource_types.iter().filter(|rt| rt.required);
    let candidates = if info.resource_types.iter().any(|rt| rt.required) {
        required.collect::<Vec<_>>()
    } else {
        info.resource_types.iter().collect()
    };
    let format = candidates
        .iter()
        .flat_map(|rt| rt.resource_type.arn_formats())
        .min_by_key(|f| f.len());
    match format {
        Some(format) => format!(
            "name the resources instead of `*`; `{}` takes `{format}`",
            info.qualified_name()
        ),
        None => "name the resources instead of `*`".to_string(),
    }
}

/// The actions of each `Allow` statement of `policy` that an enabled security rule already
/// reports as allowed on every resource, by statement span: what `wildcard-resource` leaves
/// out, so that it only names what no more specific rule does. Rules the user turned off
/// claim nothing, and their actions come back to `wildcard-resource`.
fn claimed(cx: &Context<'_>) -> FxHashMap<Span, ActionSet> {
    let policy = cx.policy;
    let enabled = |id: RuleId| cx.is_enabled(id);
    let catalog = Catalog::get();
    let mut out: FxHashMap<Span, ActionSet> = FxHashMap::default();
    let mut claim = |statement: Span, actions: &ActionSet| {
        out.entry(statement).or_default().union_with(actions);
    };
    for kind in Kind::ALL.into_iter().filter(|k| enabled(k.rule())) {
        for entry in cx.broad_entries(kind) {
            let mut set = ActionSet::new();
            for &id in &entry.actions {
                set.insert(id);
            }
            claim(entry.statement, &set);
        }
    }
    if enabled(RuleId::WildcardAction) {
        for entry in cx.wildcard_entries() {
            claim(entry.statement, &entry.allowed);
        }
    }
    // `passrole-unscoped` judges every `iam:PassRole`, whatever its resource and conditions
    // (a tag on the role limits it, a role pattern gets a suggestion), so it is always its.
    if enabled(RuleId::PassroleUnscoped)
        && let Some(pass_role) = catalog.pass_role()
    {
        let mut set = ActionSet::new();
        set.insert(pass_role);
        for statement in policy.statements.iter().filter(|s| s.is_allow()) {
            claim(statement.value.span, &set);
        }
    }
    if enabled(RuleId::AdminAccess) {
        for statement in policy.statements.iter().filter(|s| s.is_allow()) {
            let every = statement
                .actions()
                .iter()
                .any(|a| a.as_str().is_some_and(is_every_action));
            let on_everything = statement
                .resources()
                .iter()
                .any(|r| r.as_str() == Some("*"));
            if every && on_everything {
                claim(statement.value.span, &catalog.all_actions());
            }
        }
    }
    out
}
