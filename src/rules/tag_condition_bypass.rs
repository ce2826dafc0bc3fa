//! `tag-condition-bypass`: access gated on a tag that the same principal can set.

use super::admin_access::every_action_on_every_resource;
use super::graph::SharedGraph;
use super::principal::Principals;
use super::{Context, Rule, declare_rule};
use crate::base::finding::{Confidence, Finding, Findings};
use crate::base::rule_id::RuleId;
use crate::base::source::Span;
use crate::catalog::{AccessLevel, ActionSet, Catalog, wildcard_match};
use crate::policy::effective::{ConditionClass, Effective, Hit, Reach, grants_to_holder};
use crate::policy::{Policy, Statement};
use std::sync::OnceLock;

declare_rule! {
    /// ## What it does
    /// Reports a tagging permission (`ec2:CreateTags`, `*:TagResource`, `iam:TagRole`,
    /// `iam:TagUser`, ...) that lets a principal set a tag which another of its statements
    /// uses as a gate: a `aws:ResourceTag/K` (or `ec2:ResourceTag/K`, `iam:ResourceTag/K`...)
    /// condition on the same service, on the tag's value or only on its presence (`Null`
    /// `false`, `StringLike` `*`), or an `aws:PrincipalTag/K` condition when the principal
    /// can tag itself. Keys starting with `aws:` are AWS's own and cannot be set. The tagging statement is safe when a condition stops it from setting
    /// that tag: `aws:TagKeys` or `aws:RequestTag/...` that leave `K` out, `ec2:CreateAction`
    /// (tags only while creating), or a resource-tag condition of its own; tagging resources of
    /// another type (`image/*` when the gate guards `snapshot/*`) is no bypass. The finding points
    /// at the tagging action; the gate and the gated action are related labels, in whatever
    /// policy of the same principal they are.
    ///
    /// ## Why is this bad?
    /// A tag gate is only as strong as the permission to write the tag. With `ec2:CreateTags`
    /// on `*`, a `ec2:ResourceTag/team = web` condition on `ec2:TerminateInstances` guards
    /// nothing: the holder tags any instance `team=web` and terminates it.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*",
    ///    "Condition": {"StringEquals": {"ec2:ResourceTag/team": "web"}}},
    ///   {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// Allow tagging only at creation, or never of the gate's key:
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
    ///    "Condition": {"StringEquals": {"ec2:CreateAction": "RunInstances"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Controlling access to AWS resources using tags](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html)
    /// - [Grant permission to tag resources during creation](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html)
    pub struct TagConditionBypass {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "Access is gated on a tag that the same principal can set",
    }
}

impl Rule for TagConditionBypass {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        if !grants_to_holder(cx.policy) {
            return;
        }
        let effective = cx.effective();
        let mut found = Vec::new();
        let admin_access_reports = cx.is_enabled(RuleId::AdminAccess);
        check_effective(
            effective,
            admin_access_reports,
            &|_, _| true,
            &|_| None,
            &mut found,
        );
        out.extend(found);
    }

    fn checks_principals(&self) -> bool {
        true
    }

    fn check_principals(
        &self,
        cx: &Principals<'_>,
        _graph: &SharedGraph<'_, '_>,
        out: &mut Vec<Finding>,
    ) {
        out.extend(cx.across_every_principal(&check_principal));
    }
}

/// The principal-wide check: only pairs that span two policies (the others were reported
/// with their document).
fn check_principal(
    policies: &[&Policy<'_>],
    boundaries: &[&Policy<'_>],
    origin_of: &dyn Fn(usize) -> Option<String>,
    out: &mut Vec<Finding>,
) {
    let effective = Effective::new(policies, boundaries);
    // The tagging statement's own document was checked with `admin-access` on or off; this
    // view cannot tell, and a default run has it on.
    check_effective(
        &effective,
        true,
        &|gate, tagger| gate != tagger,
        origin_of,
        out,
    );
}

/// A tag gate: a statement allowed only when a tag has a value.
struct Gate<'a> {
    grant: usize,
    key: String,
    key_span: Span,
    /// The gated actions' services (the condition's own service for `ec2:ResourceTag/K`).
    services: Vec<String>,
    principal_tag: bool,
    gated_text: &'a str,
    gated_span: Span,
}

/// `admin_access_reports`: a tagging statement that allows `*` on `*` is one root cause,
/// reported by `admin-access` alone.
fn check_effective(
    effective: &Effective<'_, '_>,
    admin_access_reports: bool,
    keep: &dyn Fn(usize, usize) -> bool,
    origin_of: &dyn Fn(usize) -> Option<String>,
    out: &mut Vec<Finding>,
) {
    let catalog = Catalog::get();
    let mut reported: Vec<(Span, String)> = Vec::new();
    for gate in gates(effective) {
        let taggers = tagging_actions(catalog, &gate);
        for tagger in taggers.iter() {
            for hit in effective.hits(tagger) {
                let Some(confidence) = tagger_strength(&hit, &gate) else {
                    continue;
                };
                if admin_access_reports
                    && every_action_on_every_resource(hit.grant.statement).is_some()
                {
                    continue;
                }
                let gate_statement = effective.grants[gate.grant].statement;
                if !resources_overlap(hit.grant.statement, gate_statement) {
                    continue;
                }
                let (gate_policy, tag_policy) =
                    (effective.grants[gate.grant].policy, hit.grant.policy);
                if !keep(gate_policy, tag_policy) {
                    continue;
                }
                let id = (hit.action_span, gate.key.to_ascii_lowercase());
                if reported.contains(&id) {
                    continue;
                }
                reported.push(id);
                let origin = |label: String| match origin_of(gate_policy) {
                    Some(origin) if gate_policy != tag_policy => {
                        format!("{label} (in `{origin}`)")
                    }
                    _ => label,
                };
                let (what, help) = if gate.principal_tag {
                    (
                        format!(
                            "`{}` lets the principal set its own tag `{}`, which gates `{}`",
                            hit.action_text, gate.key, gate.gated_text
                        ),
                        "do not let principals tag themselves with the keys their access depends on: add an `aws:TagKeys` condition that leaves them out",
                    )
                } else {
                    (
                        format!(
                            "`{}` lets the principal set the tag `{}` that gates `{}`",
                            hit.action_text, gate.key, gate.gated_text
                        ),
                        "restrict tagging with `ec2:CreateAction` (tags only at creation) or an `aws:TagKeys` condition that leaves the gate's key out",
                    )
                };
                out.push(
                    TagConditionBypass::META
                        .finding(hit.action_span, what)
                        .with_related(gate.key_span, origin(format!("gate on tag `{}`", gate.key)))
                        .with_related(gate.gated_span, origin("gated action".to_string()))
                        .with_help(help)
                        .with_confidence(confidence),
                );
            }
        }
    }
}

fn gates<'a>(effective: &'a Effective<'_, '_>) -> Vec<Gate<'a>> {
    let catalog = Catalog::get();
    let mut out = Vec::new();
    for (index, grant) in effective.grants.iter().enumerate() {
        let Some((gated_span, gated_text)) = grant
            .entries()
            .next()
            .map(|(_, v)| (v.span, v.as_str().unwrap_or_default()))
        else {
            continue;
        };
        for (class, condition) in &grant.guards.tests {
            let principal_tag = match class {
                ConditionClass::ResourceTag => false,
                ConditionClass::PrincipalTag => true,
                _ => continue,
            };
            let Some((prefix, key)) = condition.key.split_once('/') else {
                continue;
            };
            // Tag keys starting with `aws:` are AWS's own: no principal can set them.
            if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
                continue;
            }
            let condition_service = prefix.split(':').next().unwrap_or_default();
            let services: Vec<String> = if principal_tag {
                vec!["iam".to_string()]
            } else if condition_service.eq_ignore_ascii_case("aws") {
                catalog
                    .services_of(&grant.actions)
                    .filter_map(|index| catalog.services().nth(index))
                    .map(|service| service.prefix().to_string())
                    .collect()
            } else {
                vec![condition_service.to_ascii_lowercase()]
            };
            out.push(Gate {
                grant: index,
                key: key.to_string(),
                key_span: condition.key_span,
                services,
                principal_tag,
                gated_text,
                gated_span,
            });
        }
    }
    out
}

/// Actions that add tags in the gate's services: `Tagging` access level, not removal.
fn tagging_actions(catalog: &'static Catalog, gate: &Gate<'_>) -> ActionSet {
    let mut set = ActionSet::new();
    for service in &gate.services {
        let Some(info) = catalog.service(service) else {
            continue;
        };
        for id in info.actions().intersection(all_tag_adding()).iter() {
            if gate.principal_tag && !matches!(catalog.action_name(id), "TagRole" | "TagUser") {
                continue;
            }
            set.insert(id);
        }
    }
    set
}

/// Every action that adds tags, computed once: gates are many, the catalog is large.
fn all_tag_adding() -> &'static ActionSet {
    static SET: OnceLock<ActionSet> = OnceLock::new();
    SET.get_or_init(|| {
        let catalog = Catalog::get();
        catalog
            .all_actions()
            .iter()
            .filter(|&id| {
                let name = catalog.action_name(id);
                catalog.access_levels(id).contains(AccessLevel::Tagging)
                    && !["Untag", "Delete", "Remove"]
                        .iter()
                        .any(|p| name.starts_with(p))
            })
            .collect()
    })
}

/// Whether the tagging statement can reach the gated statement's resources: `image/*`
/// tags no snapshot. Anything not written literally may overlap.
fn resources_overlap(tagger: &Statement<'_>, gated: &Statement<'_>) -> bool {
    let literal = |s: &Statement<'_>| -> Option<Vec<String>> {
        let resource = s.resource.as_ref()?;
        if resource.negated {
            return None;
        }
        resource
            .items
            .iter()
            .map(|v| v.as_str().filter(|t| *t != "*").map(str::to_string))
            .collect()
    };
    let (Some(tagger), Some(gated)) = (literal(tagger), literal(gated)) else {
        return true;
    };
    tagger.iter().any(|t| {
        gated
            .iter()
            .any(|g| wildcard_match(t, g, false) || wildcard_match(g, t, false))
    })
}

/// Whether the tagging grant can set the gate's key, and how sure that is.
fn tagger_strength(hit: &Hit<'_, '_, '_>, gate: &Gate<'_>) -> Option<Confidence> {
    let self_reference = gate.principal_tag
        && hit
            .grant
            .statement
            .resources()
            .iter()
            .any(|r| r.as_str().is_some_and(|s| s.contains("${aws:username}")));
    let mut confidence = match hit.reach {
        Reach::Everything | Reach::Wildcard => Confidence::High,
        Reach::Scoped if self_reference => Confidence::High,
        Reach::Unknown => Confidence::Low,
        Reach::Scoped => return None,
    };
    for (class, condition) in &hit.grant.guards.tests {
        match class {
            ConditionClass::Weak => {}
            ConditionClass::TagGuard => {
                // `aws:TagKeys` that admits the gate's key still lets it be written.
                let admits_key = condition.key.eq_ignore_ascii_case("aws:TagKeys")
                    && condition.values.iter().any(|v| {
                        v.as_str()
                            .is_some_and(|k| wildcard_match(k, &gate.key, true))
                    });
                if !admits_key {
                    return None;
                }
                confidence = confidence.min(Confidence::Medium);
            }
            ConditionClass::Other => confidence = confidence.min(Confidence::Low),
            _ => return None,
        }
    }
    Some(confidence)
}
