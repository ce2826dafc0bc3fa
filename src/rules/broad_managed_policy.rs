//! `broad-managed-policy`: a principal with an admin-equivalent or full-service AWS managed
//! policy attached.

use super::graph::{Graph, SharedGraph};
use super::principal::{Key, Principals, describe};
use super::{Context, Rule, declare_rule};
use crate::base::finding::{Confidence, Finding, Findings, Severity};
use crate::base::source::Span;
use crate::base::value::{Value, ValueKind};
use crate::extract::document::{PolicyKind, PrincipalKind};
use crate::extract::managed;
use crate::policy::effective::Effective;
use crate::policy::principals::{PrincipalType, each_principal};
use crate::policy::sensitive::is_every_action;
use crate::policy::{Policy, Statement};
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Reports an AWS managed policy attached by ARN (`policy_arn`, `managed_policy_arns`,
    /// CloudFormation `ManagedPolicyArns`) whose document, as AWS publishes it, makes the
    /// principal an administrator or gives it a whole data service: an unconditional `Allow`
    /// on every resource of every action (`AdministratorAccess`), of `iam:*` (`IAMFullAccess`:
    /// it can grant itself anything), of every action but a few (`NotAction`, as
    /// `PowerUserAccess`), or of `service:*` for a service that holds data (S3, DynamoDB, RDS,
    /// Redshift, Secrets Manager, KMS, SSM, SQS, Kinesis, OpenSearch, EFS, Backup, ...:
    /// `AmazonS3FullAccess`, `SecretsManagerReadWrite`, `DatabaseAdministrator`). The verdict
    /// comes from the embedded document, not from the name. The finding points at the ARN as
    /// written; where `privilege-escalation` reports at the same ARN (`PowerUserAccess` next to
    /// an `iam:PassRole`), that finding names the policy and this rule leaves it.
    ///
    /// Severity follows who can act as the principal, from its trust policy and the access
    /// graph of the module or template (see `privilege-escalation`), in this order:
    ///
    /// 1. a user or a group (people, long-lived keys): an error for administrator access, a
    ///    warning for a data service;
    /// 2. a role whose trust lets in a whole account (`arn:aws:iam::123456789012:root`, an
    ///    account id), anyone (`*`), a federated identity, or a principal named by a literal
    ///    ARN: the same, the trusted principal as a related label;
    /// 3. a role that a principal of the code reaches through the graph in at most five hops
    ///    (its trust names it, it can change or run a function, build, stack or instance that
    ///    runs as the role, pass the role to a service...), when that principal is not an
    ///    administrator on its own and the chain is of medium confidence or more: the same,
    ///    at the chain's confidence, the chain as a related label at its first entry;
    /// 4. a role that only AWS services (a Lambda function's, an instance's), or principals of
    ///    the code that are administrators already, can assume, and that nothing else of the
    ///    code reaches: a warning for administrator access, an info for a data service;
    /// 5. a role whose trust policy is not in the code: as 4, at medium confidence.
    ///
    /// A chain of low confidence (through a value only known at deploy time, or a condition
    /// that may limit it) does not raise the severity: a guess never fails a build by
    /// default.
    ///
    /// ## Why is this bad?
    /// AWS managed policies are written for every customer at once, so the broad ones grant
    /// everything a service can do on every resource of the account. Attached to a workload or
    /// a CI identity, one leaked credential or one injected dependency reads every bucket and
    /// secret, or takes over the account. The wider the set of principals that can become
    /// the role, the worse.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role" "deploy" {
    ///   name = "deploy"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
    ///                    Principal = { AWS = "arn:aws:iam::123456789012:root" } }]
    ///   })
    /// }
    ///
    /// resource "aws_iam_role_policy_attachment" "deploy" {
    ///   role       = aws_iam_role.deploy.name
    ///   policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Attach a policy that names what the principal does (or a narrow AWS managed one):
    /// ```hcl
    /// resource "aws_iam_role" "deploy" {
    ///   name = "deploy"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "sts:AssumeRole",
    ///                    Principal = { AWS = "arn:aws:iam::123456789012:root" } }]
    ///   })
    /// }
    ///
    /// resource "aws_iam_role_policy_attachment" "deploy" {
    ///   role       = aws_iam_role.deploy.name
    ///   policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS managed policies for job functions](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html)
    /// - [Get started with AWS managed policies and move toward least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-use-aws-defined-policies)
    pub struct BroadManagedPolicy {
        category: Security,
        severity: Error,
        confidence: High,
        summary: "A principal has an admin-equivalent or full-service AWS managed policy",
    }
}

/// Services whose `service:*` reads or destroys the data an account keeps: stores, secrets,
/// keys, parameters, queues and streams, backups, and source code.
const DATA_SERVICES: &[&str] = &[
    "aoss",
    "backup",
    "cassandra",
    "codecommit",
    "dax",
    "dsql",
    "dynamodb",
    "elasticache",
    "elasticfilesystem",
    "es",
    "firehose",
    "glacier",
    "kafka",
    "kinesis",
    "kms",
    "memorydb",
    "neptune-db",
    "rds",
    "rds-data",
    "redshift",
    "redshift-data",
    "s3",
    "s3express",
    "s3tables",
    "secretsmanager",
    "sqs",
    "ssm",
    "timestream",
];

/// What an AWS managed policy grants, broadest first.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Breadth {
    /// `*`, or `iam:*`, on every resource.
    Admin(String),
    /// Every action but the `NotAction` list, on every resource.
    AllBut(Vec<String>),
    /// `service:*` on every resource, for data services.
    DataServices(Vec<String>),
}

impl Breadth {
    fn is_admin(&self) -> bool {
        !matches!(self, Breadth::DataServices(_))
    }

    fn describe(&self) -> String {
        match self {
            Breadth::Admin(action) if is_every_action(action) => {
                "allows every action on every resource".to_string()
            }
            Breadth::Admin(action) => {
                format!("allows `{action}` on every resource, so it can grant itself anything")
            }
            Breadth::AllBut(except) => format!(
                "allows every action except {} on every resource",
                quoted(except)
            ),
            Breadth::DataServices(services) => {
                format!("allows {} on every resource", quoted(services))
            }
        }
    }
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The broadest unconditional grant of a policy on every resource, if it is broad enough.
/// Administrator access is the access graph's test (`Grant::administrator_entry`); the
/// other kinds are read from the text.
fn breadth(policy: &Policy<'_>) -> Option<Breadth> {
    if let Some(entry) = Effective::of(policy)
        .grants
        .iter()
        .find_map(|grant| grant.administrator_entry())
    {
        return Some(Breadth::Admin(
            entry.as_str().unwrap_or_default().to_string(),
        ));
    }
    let mut broadest: Option<Breadth> = None;
    for statement in policy.statements.iter().filter(|s| on_everything(s)) {
        let Some(action) = &statement.action else {
            continue;
        };
        let texts: Vec<String> = action
            .items
            .iter()
            .filter_map(|item| item.as_str())
            .map(str::to_string)
            .collect();
        let found = if action.negated {
            Some(Breadth::AllBut(texts))
        } else {
            let services: Vec<String> = texts
                .into_iter()
                .filter(|t| {
                    t.split_once(':').is_some_and(|(service, rest)| {
                        rest == "*"
                            && DATA_SERVICES.contains(&service.to_ascii_lowercase().as_str())
                    })
                })
                .collect();
            (!services.is_empty()).then_some(Breadth::DataServices(services))
        };
        broadest = match (broadest, found) {
            (Some(Breadth::DataServices(mut a)), Some(Breadth::DataServices(b))) => {
                a.extend(b);
                Some(Breadth::DataServices(a))
            }
            (a, b) => a.into_iter().chain(b).min(),
        };
    }
    broadest
}

/// An unconditional `Allow` whose `Resource` includes `*`.
fn on_everything(statement: &Statement<'_>) -> bool {
    statement.is_allow()
        && statement.conditions.is_empty()
        && statement.resource.as_ref().is_some_and(|r| !r.negated)
        && statement
            .resources()
            .iter()
            .any(|r| r.as_str() == Some("*"))
}

/// Who can act as a principal.
#[derive(Debug)]
enum Reach {
    /// A user, or a group's members: people or long-lived keys.
    Direct,
    /// A role that accounts, anyone, federated identities or principals named by a literal
    /// ARN can assume: the text and span of the widest one.
    Principals(String, Span),
    /// A role that a principal of the code, not an administrator itself, reaches through the
    /// access graph at medium confidence or more: what it does first, and where.
    Graph(String, Span, Confidence),
    /// A role that only AWS services, or principals of the code that are administrators
    /// already, can assume: the first one's span, and their names.
    Services(Span, Vec<String>),
    /// A role whose trust policy is not in the code, or names no principal iamlint can read.
    Unknown,
}

/// Who can assume a role by its trust alone: principals that reach wide (accounts, anyone,
/// federated identities, literal ARNs), else services and principals the code declares (the
/// graph decides whether those gain anything), else nobody iamlint can read.
fn trusted_by(cx: &Principals<'_>, key: &Key) -> Reach {
    let Some(trusts) = cx.trusts.get(key) else {
        return Reach::Unknown;
    };
    let mut services: Option<(Span, Vec<String>)> = None;
    let mut widest: Option<(u8, String, Span)> = None;
    for &index in trusts {
        let policy = cx.policy(index);
        let allows = policy.statements.iter().filter(|s| s.is_allow());
        for (_, principal) in each_principal(allows) {
            // A service, or a principal of the code by reference: the access graph says
            // whether anyone who is not an administrator already gains the role.
            let narrow = match principal.kind {
                PrincipalType::Service => principal.text(),
                PrincipalType::Aws => reference(principal.value).map(str::to_string),
                _ => None,
            };
            if let Some(name) = narrow {
                let (_, names) = services.get_or_insert_with(|| (principal.value.span, Vec::new()));
                names.push(name);
                continue;
            }
            let text = principal.text().unwrap_or_else(|| "${}".to_string());
            let rank = match principal.kind {
                _ if principal.is_anyone() => 0,
                _ if principal.is_account_root() => 1,
                _ => 2,
            };
            if widest.as_ref().is_none_or(|(r, _, _)| rank < *r) {
                widest = Some((rank, text, principal.value.span));
            }
        }
    }
    match (widest, services) {
        (Some((_, text, span)), _) => Reach::Principals(text, span),
        (None, Some((span, names))) => Reach::Services(span, names),
        (None, None) => Reach::Unknown,
    }
}

/// The expression of a reference to a resource of the code (`aws_iam_user.ci.arn`,
/// `!GetAtt Ci.Arn`), rather than text.
fn reference(value: &Value) -> Option<&str> {
    match &value.kind {
        ValueKind::Unknown(unknown) if unknown.reference.is_some() => {
            Some(unknown.expression.as_str())
        }
        _ => None,
    }
}

/// For each role among `roles` (nodes of `graph`), the nearest principal of the code that
/// reaches it through the graph without being an administrator itself, at medium confidence
/// or more (a chain through a value only known at deploy time does not raise the severity):
/// the chain as a label says it, where its first hop is allowed, and how sure.
fn reached_by(
    graph: &Graph<'_, '_>,
    roles: &[usize],
) -> HashMap<usize, (String, Span, Confidence)> {
    let mut nearest: HashMap<usize, (usize, String, Span, Confidence)> = HashMap::new();
    for start in 0..graph.nodes.len() {
        if graph.power(start).is_some_and(|p| p.admin) {
            continue;
        }
        let wanted = |end: usize| end != start && roles.contains(&end);
        for (end, hops) in graph.reach_among(start, wanted) {
            if nearest.get(&end).is_some_and(|n| n.0 <= hops.len()) {
                continue;
            }
            let confidence = hops.iter().map(|h| h.confidence).min();
            let Some(confidence) = confidence.filter(|&c| c >= Confidence::Medium) else {
                continue;
            };
            let Some(&(span, _)) = hops.first().and_then(|h| h.labels.first()) else {
                continue;
            };
            let steps: Vec<String> = hops
                .iter()
                .map(|hop| format!("{} (pathfinding.cloud {})", hop.text, hop.path))
                .collect();
            let text = format!(
                "{} can act as the role: {}",
                graph.describe(start),
                steps.join(", then ")
            );
            nearest.insert(end, (hops.len(), text, span, confidence));
        }
    }
    nearest
        .into_iter()
        .map(|(role, (_, text, span, confidence))| (role, (text, span, confidence)))
        .collect()
}

/// A broad AWS managed policy attached to a principal: the document's index, the policy's
/// name, what it grants.
type Broad<'d> = (usize, &'d str, Breadth);

impl Rule for BroadManagedPolicy {
    fn check(&self, _cx: &Context<'_>, _out: &mut Findings) {}

    fn checks_principals(&self) -> bool {
        true
    }

    fn check_principals(
        &self,
        cx: &Principals<'_>,
        graph: &SharedGraph<'_, '_>,
        out: &mut Vec<Finding>,
    ) {
        let mut found: Vec<(&Key, Vec<Broad<'_>>)> = Vec::new();
        for (key, indices) in &cx.groups {
            let broad: Vec<Broad<'_>> = indices
                .iter()
                .filter(|&&i| cx.documents[i].kind == PolicyKind::Identity)
                .filter_map(|&i| {
                    let name = managed::name_of(cx.documents[i])?;
                    Some((i, name, breadth(cx.policy(i))?))
                })
                .collect();
            if !broad.is_empty() {
                found.push((key, broad));
            }
        }
        if found.is_empty() {
            return;
        }
        // Who reaches a role through the graph: read only when a broad policy is attached.
        let graph = graph.get();
        let node_of: HashMap<&Key, usize> = graph
            .nodes
            .iter()
            .enumerate()
            .map(|(index, node)| (&node.key, index))
            .collect();
        let roles: Vec<usize> = found
            .iter()
            .filter(|(key, _)| key.1 == PrincipalKind::Role)
            .filter_map(|(key, _)| node_of.get(key).copied())
            .collect();
        let reached = reached_by(graph, &roles);
        for (key, broad) in found {
            let reach = match key.1 {
                PrincipalKind::Role => match trusted_by(cx, key) {
                    wide @ Reach::Principals(..) => wide,
                    narrow => match node_of.get(key).and_then(|node| reached.get(node)) {
                        Some((text, span, confidence)) => {
                            Reach::Graph(text.clone(), *span, *confidence)
                        }
                        None => narrow,
                    },
                },
                _ => Reach::Direct,
            };
            for (index, name, breadth) in broad {
                let arn = cx.documents[index].value.span;
                out.push(finding(key, &reach, arn, name, &breadth));
            }
        }
    }
}

/// Who can become the principal is told by the severity and a related label, not the message:
/// a child module checked on its own and through its callers knows different trusts, and the
/// engine keeps one finding per message at the ARN.
fn finding(key: &Key, reach: &Reach, arn: Span, name: &str, breadth: &Breadth) -> Finding {
    let (_, kind, principal) = key;
    let admin = breadth.is_admin();
    let severity = match reach {
        Reach::Direct | Reach::Principals(..) | Reach::Graph(..) if admin => Severity::Error,
        Reach::Direct | Reach::Principals(..) | Reach::Graph(..) => Severity::Warning,
        Reach::Services(..) | Reach::Unknown if admin => Severity::Warning,
        Reach::Services(..) | Reach::Unknown => Severity::Info,
    };
    let finding = BroadManagedPolicy::META
        .finding(
            arn,
            format!(
                "{} has AWS managed policy `{name}`, which {}",
                describe(*kind, principal),
                breadth.describe()
            ),
        )
        .with_severity(severity)
        .with_help(
            "attach a policy that grants the actions and resources the principal uses; \
             `iamlint managed-policy NAME` shows what this one grants",
        );
    match reach {
        Reach::Direct => finding,
        Reach::Principals(text, span) => {
            finding.with_related(*span, format!("`{text}` can assume the role"))
        }
        Reach::Graph(text, span, confidence) => finding
            .with_related(*span, text.clone())
            .with_confidence(*confidence),
        Reach::Services(span, names) => {
            finding.with_related(*span, format!("only {} can assume the role", quoted(names)))
        }
        Reach::Unknown => finding.with_confidence(Confidence::Medium),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::source::FileId;
    use crate::catalog::ManagedPolicy;
    use crate::extract::document::ManagedAttachment;

    /// What every embedded AWS managed policy is classified as, one line each for those this
    /// rule reports: a change of the test of administrator access shows here.
    #[test]
    fn the_embedded_policies_keep_their_classification() {
        let mut lines = Vec::new();
        for policy in ManagedPolicy::all() {
            let attachment = ManagedAttachment {
                principal_kind: PrincipalKind::Role,
                principal: "role".into(),
                name: policy.name().into(),
                span: Span::new(FileId(0), 0, 0),
            };
            let document = managed::document(&attachment).unwrap();
            let parsed = crate::policy::parse(&document);
            if let Some(breadth) = breadth(&parsed) {
                lines.push(format!("{}: {breadth:?}", policy.name()));
            }
        }
        // Beside the other test data: what `src/` holds is published.
        insta::with_settings!({ snapshot_path => "../../testdata/managed-policies" }, {
            insta::assert_snapshot!(lines.join("\n"));
        });
    }
}
