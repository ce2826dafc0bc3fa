//! `privilege-escalation`: permissions that let the holder grant themselves more.

use super::graph::{DataGain, Graph, Reached, SharedGraph};
use super::principal::Principals;
use super::{Context, Rule, credentials_exposure, declare_rule, permissions_management};
use crate::base::finding::{Finding, Findings, Label, Severity};
use crate::base::rule_id::RuleId;
use crate::base::source::Span;
use crate::catalog::{ActionId, Catalog};
use crate::policy::Policy;
use crate::policy::effective::{Effective, Reach, grants_to_holder};
use crate::policy::escalation::{self, PathMatch};
use crate::policy::sensitive::{self, Kind, name_list};

declare_rule! {
    /// ## What it does
    /// Reports permissions that together form a known privilege-escalation path, from the
    /// data file `rules/data/privilege_escalation.json` (each entry names its source: Rhino
    /// Security Labs' methods, BishopFox iam-vulnerable, Datadog pathfinding.cloud):
    ///
    /// - self-modification: `iam:CreatePolicyVersion`, `iam:SetDefaultPolicyVersion`,
    ///   `iam:Attach*Policy`, `iam:Put*Policy`, `iam:AddUserToGroup`,
    ///   `iam:UpdateAssumeRolePolicy` with `sts:AssumeRole`, permissions-boundary removal;
    /// - new credentials: `iam:CreateAccessKey`, `iam:CreateLoginProfile`,
    ///   `iam:UpdateLoginProfile`;
    /// - `iam:PassRole` with a service that runs code as the passed role: EC2, Lambda, Glue,
    ///   CloudFormation, Data Pipeline, CodeBuild, SageMaker, ECS, Auto Scaling, App Runner,
    ///   SSM Automation;
    /// - code or access on existing privileged resources: `lambda:UpdateFunctionCode`,
    ///   `glue:UpdateDevEndpoint`, `ssm:SendCommand`, `ssm:StartSession`... (medium
    ///   confidence: it depends on what already exists).
    ///
    /// Effective permissions decide: wildcards and `NotAction` are expanded, an
    /// unconditional `Deny` removes actions, resources count (`iam:CreatePolicyVersion` on one
    /// named policy, or `iam:PassRole` on named roles, does not fire; roles only known at
    /// deploy time lower the confidence), and conditions are classified (an
    /// `iam:PassedToService` pin only blocks paths through other services; a date condition
    /// blocks nothing). The finding points at the most specific enabling action; the other
    /// actions of the path are related labels. Paths that need several policies attached to
    /// the same principal are reported too, with labels in every file involved.
    ///
    /// Named resources are judged by what they are, through the access graph of the module
    /// or template: from each role, user and group, a search of at most five hops over
    /// `iam:PassRole` to a role that trusts a service plus the actions that create what runs
    /// as it, changing or running an existing function, build project (or batch), stack
    /// (update or change set), instance, launch template (a new default version) or Bedrock
    /// AgentCore code interpreter that runs as a role, updating a stack set with a passed
    /// administration role (its template runs as its execution role, named by reference or by
    /// name), `sts:AssumeRole` on a role whose trust names the principal (or its
    /// account), new credentials of a user, joining a group, and changing the policies of a
    /// principal it holds or reaches (its own, or a customer managed policy attached to it). A
    /// chain that ends at an administrator (`*` or `iam:*` on `*`, such as
    /// `AdministratorAccess`) or at a principal whose policies can be rewritten is reported at
    /// the first hop's action entry, naming each hop with its pathfinding.cloud id; the other
    /// enabling entries, the trusts and the target's administrator grant are related labels.
    /// Confidence is high when every hop is named in the code, medium through a wildcard or
    /// pattern, low through a value only known at deploy time or a condition that may limit
    /// it. One root cause, one finding: a chain whose first hop rests only on broad resources
    /// (`*`, `role/*`) is the finding of that document's entry, and is left to it. `*` on `*`
    /// is left to `admin-access`.
    ///
    /// A chain can also gain data: when it ends at a principal that can read a bucket's
    /// objects (`s3:GetObject`), a secret (`secretsmanager:GetSecretValue`), a parameter
    /// (`ssm:GetParameter`, `GetParameters`, `GetParametersByPath`) or a KMS key
    /// (`kms:Decrypt`) declared in the code, which the starting principal cannot read itself
    /// (by any statement, however unsure), the finding names the chain and what it reads, as a
    /// warning: reading data is less than taking over the account, and the bucket and key
    /// policies that may refuse or grant the read are not part of the graph. An unconditioned
    /// `Deny` naming the target takes the read away. A principal whose chain reaches an
    /// administrator or an escalation gets that finding only.
    ///
    /// One root cause, one finding: an action entry reported here is not also reported by
    /// `credentials-exposure`, `permissions-management`, `wildcard-action` or
    /// `passrole-unscoped`; what they would have said of it is a related label of this
    /// finding (`iam:*` on `*`: the escalation paths, with credentials, managing identities,
    /// the service wildcard and passing any role as notes).
    ///
    /// ## Why is this bad?
    /// A principal that can escalate is an administrator with extra steps: whatever the rest
    /// of its policy says, anyone holding its credentials can take over the account.
    ///
    /// ## Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}
    /// ]}
    /// ```
    ///
    /// ## Use instead
    /// Name the role that may be passed, and the service:
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [
    ///   {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app-fn",
    ///    "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}}
    /// ]}
    /// ```
    ///
    /// ## References
    /// - [Rhino Security Labs: AWS IAM privilege escalation methods](https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/)
    /// - [BishopFox iam-vulnerable](https://github.com/BishopFox/iam-vulnerable)
    /// - [Datadog pathfinding.cloud](https://pathfinding.cloud/)
    pub struct PrivilegeEscalation {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "The permissions allow a known privilege-escalation path",
    }
}

impl Rule for PrivilegeEscalation {
    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        out.extend(cx.escalation_findings().iter().cloned());
    }

    fn checks_principals(&self) -> bool {
        true
    }

    /// Paths that need several policies of one principal, and roles of the same code base
    /// that a principal may assume and that are administrators or can escalate.
    fn check_principals(
        &self,
        cx: &Principals<'_>,
        graph: &SharedGraph<'_, '_>,
        out: &mut Vec<Finding>,
    ) {
        out.extend(cx.across_every_principal(&check_principal));
        // Chains through the access graph; one whose first hop reaches broadly is the
        // per-document finding's on the same entry.
        // One finding per entry: a group's members start from the group's entry too, and
        // the group's finding already names it.
        // Principals are searched in parallel when there are many (a large template has
        // thousands), the findings kept in node order.
        let graph = graph.get();
        let chains: Vec<Option<Finding>> = cx.map_each(graph.nodes.len(), |node| {
            // One walk serves both searches.
            let walk = graph.walk(node);
            match graph.search(&walk) {
                // One finding per starting principal: a chain to more power is reported
                // rather than the data its principals read on the way.
                Some(reached) => reached
                    .hops
                    .first()
                    .is_some_and(|hop| !hop.broad)
                    .then(|| chain_finding(graph, &reached)),
                None => graph
                    .data_gain(&walk)
                    .filter(|gain| gain.hops.first().is_some_and(|hop| !hop.broad))
                    .map(|gain| data_finding(graph, &gain)),
            }
        });
        let mut entries = std::collections::HashSet::new();
        for finding in chains.into_iter().flatten() {
            if entries.insert(finding.primary) {
                out.push(finding);
            }
        }
    }
}

/// The findings of one document on its own (`Context::escalation_findings` keeps them),
/// each naming what the rules folded into it would have said of its action entry.
pub(super) fn document_findings(cx: &Context<'_>) -> Vec<Finding> {
    if !grants_to_holder(cx.policy) {
        return Vec::new();
    }
    let matches = escalation::find(cx.effective());
    let mut found = Vec::new();
    report(&matches, |_| true, &|_| None, &mut found);
    for finding in &mut found {
        fold_in(cx, finding);
    }
    found
}

/// Adds, as related labels, what `credentials-exposure`, `permissions-management`,
/// `wildcard-action` and `passrole-unscoped` find on the finding's action entry: they leave
/// that entry to it. Named whether they run or not: the entry allows it all the same.
fn fold_in(cx: &Context<'_>, finding: &mut Finding) {
    let entry = finding.primary;
    for (kind, allows) in [
        (Kind::CredentialsExposure, credentials_exposure::ALLOWS),
        (Kind::PermissionsManagement, permissions_management::ALLOWS),
    ] {
        for broad in cx
            .broad_entries(kind)
            .iter()
            .filter(|b| b.action_span == entry)
        {
            finding.related.push(Label {
                span: broad.resource_span,
                message: format!("also `{}`: {}", kind.rule(), broad.message(allows)),
            });
        }
    }
    // A service wildcard (`iam:*`) is no entry of theirs but `wildcard-action`'s: what it
    // holds of their lists is named all the same.
    let lists = sensitive::lists();
    for wildcard in cx
        .wildcard_entries()
        .iter()
        .filter(|w| w.action_span == entry)
    {
        for (rule, allows, selects) in [
            (
                RuleId::CredentialsExposure,
                credentials_exposure::ALLOWS,
                &(|id| lists.credentials_exposure.contains(id)) as &dyn Fn(ActionId) -> bool,
            ),
            (
                RuleId::PermissionsManagement,
                permissions_management::ALLOWS,
                &|id| lists.is_permissions_management(id),
            ),
        ] {
            let actions: Vec<ActionId> =
                wildcard.allowed.iter().filter(|&id| selects(id)).collect();
            if actions.is_empty() {
                continue;
            }
            finding.related.push(Label {
                span: wildcard.resource_span,
                message: format!(
                    "also `{rule}`: `{}` allows {allows} on every resource: {}",
                    wildcard.action_text,
                    name_list(&actions, 3)
                ),
            });
        }
        finding.related.push(Label {
            span: wildcard.resource_span,
            message: format!(
                "also `wildcard-action`: `{}` allows all {} of its actions on every resource",
                wildcard.action_text,
                wildcard.allowed.len()
            ),
        });
    }
    let Some(pass_role) = Catalog::get().pass_role() else {
        return;
    };
    if let Some(hit) = cx
        .effective()
        .hits(pass_role)
        .find(|hit| hit.action_span == entry && hit.reach.is_broad())
    {
        finding.related.push(Label {
            span: hit.resource_span,
            message: format!(
                "also `passrole-unscoped`: `{}` allows passing any role",
                hit.action_text
            ),
        });
    }
}

/// Findings for the matches that `keep` selects, one per primary action entry; `origin_of`
/// names the policy of a related label when it is in another document.
pub fn report(
    matches: &[PathMatch<'_, '_, '_, '_>],
    keep: impl Fn(&PathMatch<'_, '_, '_, '_>) -> bool,
    origin_of: &dyn Fn(usize) -> Option<String>,
    out: &mut Vec<Finding>,
) {
    let catalog = Catalog::get();
    let mut groups: Vec<(Span, Vec<&PathMatch<'_, '_, '_, '_>>)> = Vec::new();
    for m in matches.iter().filter(|m| keep(m)) {
        let hit = &m.hits[m.primary()];
        // `*` on `*` is administrator access already: `admin-access` says so.
        if matches!(hit.action_text, "*" | "*:*") && hit.reach == Reach::Everything {
            continue;
        }
        let span = hit.action_span;
        match groups.iter_mut().find(|(s, _)| *s == span) {
            Some((_, group)) => group.push(m),
            None => groups.push((span, vec![m])),
        }
    }
    for (span, group) in groups {
        // The strongest path leads the message.
        let Some(lead) = group
            .iter()
            .enumerate()
            .min_by_key(|(index, m)| (std::cmp::Reverse(m.confidence), *index))
            .map(|(_, m)| *m)
        else {
            continue;
        };
        let primary = &lead.hits[lead.primary()];
        let needed: Vec<String> = lead
            .path
            .requires
            .iter()
            .map(|id| format!("`{}`", catalog.qualified_name(*id)))
            .collect();
        let mut message = format!(
            "`{}` allows privilege escalation: {} ({})",
            primary.action_text,
            lead.path.summary,
            needed.join(" + ")
        );
        if group.len() > 1 {
            let others: Vec<&str> = group
                .iter()
                .filter(|m| m.path.id != lead.path.id)
                .map(|m| m.path.id.as_str())
                .collect();
            let shown = others.len().min(3);
            message.push_str(&format!(
                "; {} more path{}: {}{}",
                others.len(),
                if others.len() == 1 { "" } else { "s" },
                others[..shown].join(", "),
                if others.len() > shown { ", ..." } else { "" }
            ));
        }
        let mut finding = PrivilegeEscalation::META
            .finding(span, message)
            .with_help("name the roles, policies and resources these actions apply to, or remove the actions the principal does not need")
            .with_confidence(group.iter().map(|m| m.confidence).max().unwrap_or(lead.confidence));
        let mut seen = vec![span];
        for m in &group {
            for (index, hit) in m.hits.iter().enumerate() {
                if seen.contains(&hit.action_span) {
                    continue;
                }
                seen.push(hit.action_span);
                let name = catalog.qualified_name(m.path.requires[index]);
                let label = match origin_of(hit.grant.policy) {
                    Some(origin) => format!("`{name}` from `{origin}`"),
                    None => format!("`{name}`"),
                };
                finding = finding.with_related(hit.action_span, label);
            }
        }
        out.push(finding);
    }
}

/// Policies as a per-principal view sees them.
fn check_principal(
    policies: &[&Policy<'_>],
    boundaries: &[&Policy<'_>],
    origin_of: &dyn Fn(usize) -> Option<String>,
    out: &mut Vec<Finding>,
) {
    let effective = Effective::new(policies, boundaries);
    let matches = escalation::find(&effective);
    // Paths that one document allows on its own were reported with that document, even when
    // the best grants found here come from several.
    let mut alone = std::collections::HashSet::new();
    for policy in policies {
        let single = Effective::of(policy);
        alone.extend(escalation::find(&single).iter().map(|m| m.path.id.as_str()));
    }
    report(
        &matches,
        |m| m.policies().len() > 1 && !alone.contains(m.path.id.as_str()),
        origin_of,
        out,
    );
}

/// The finding for a chain the access graph found from a principal.
fn chain_finding(graph: &Graph<'_, '_>, reached: &Reached) -> Finding {
    let start = graph.describe(reached.start);
    let steps: Vec<String> = reached
        .hops
        .iter()
        .map(|hop| format!("{} (pathfinding.cloud {})", hop.text, hop.path))
        .collect();
    let end = graph.describe(reached.end);
    let message = if reached.power.admin {
        format!(
            "{start} can become admin: {}; {end} {}",
            steps.join(", then "),
            reached.power.description
        )
    } else {
        format!(
            "{start} can act as {end}, which {}: {}",
            reached.power.description,
            steps.join(", then ")
        )
    };
    let mut labels = reached.hops.iter().flat_map(|hop| hop.labels.iter());
    let (primary, _) = labels
        .next()
        .cloned()
        .unwrap_or((reached.power.span, String::new()));
    let mut finding = PrivilegeEscalation::META
        .finding(primary, message)
        .with_help("name only the roles, users, policies and functions this principal needs, or narrow the trust of the principal it reaches")
        .with_confidence(reached.confidence());
    let mut seen = vec![primary];
    for (span, label) in labels {
        if !seen.contains(span) {
            seen.push(*span);
            finding = finding.with_related(*span, label.clone());
        }
    }
    if !seen.contains(&reached.power.span) {
        finding = finding.with_related(
            reached.power.span,
            format!("{end} {}", reached.power.description),
        );
    }
    finding
}

/// The finding for a chain to a principal that reads data its start cannot: a warning, as
/// reading data is less than taking over the account, and resource policies (a bucket's or
/// key's), which may refuse or grant the read, are not part of the graph.
fn data_finding(graph: &Graph<'_, '_>, gain: &DataGain) -> Finding {
    let start = graph.describe(gain.start);
    let steps: Vec<String> = gain
        .hops
        .iter()
        .map(|hop| format!("{} (pathfinding.cloud {})", hop.text, hop.path))
        .collect();
    let end = graph.describe(gain.end);
    let shown = gain.reads.len().min(3);
    let mut targets: Vec<String> = gain.reads[..shown]
        .iter()
        .map(|read| graph.describe_target(read.target))
        .collect();
    if gain.reads.len() > shown {
        targets.push(format!("{} more", gain.reads.len() - shown));
    }
    let targets = match targets.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => targets.join(""),
    };
    let message = format!(
        "{start} can read {targets}, which it cannot read itself: {}; {end} reads {}",
        steps.join(", then "),
        if gain.reads.len() == 1 { "it" } else { "them" }
    );
    let mut labels = gain.hops.iter().flat_map(|hop| hop.labels.iter());
    let (primary, _) = labels
        .next()
        .cloned()
        .unwrap_or((gain.reads[0].span, String::new()));
    let mut finding = PrivilegeEscalation::META
        .finding(primary, message)
        .with_severity(Severity::Warning)
        .with_help("name only the roles, users and functions this principal needs, or narrow what the principal it reaches may read")
        .with_confidence(gain.confidence());
    let mut seen = vec![primary];
    for (span, label) in labels {
        if !seen.contains(span) {
            seen.push(*span);
            finding = finding.with_related(*span, label.clone());
        }
    }
    for read in &gain.reads {
        if !seen.contains(&read.span) {
            seen.push(read.span);
            finding = finding.with_related(
                read.span,
                format!(
                    "{end}: `{}` on {}",
                    read.action,
                    graph.describe_target(read.target)
                ),
            );
        }
    }
    finding
}
