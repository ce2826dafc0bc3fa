//! The access graph of one input (a Terraform module, a template): its principals with their
//! policies and trusts, its customer managed policies, and the resources that run as roles;
//! the edges by which one principal gains another (the shapes of the pathfinding.cloud
//! catalogue); and a bounded breadth-first search from each principal to what it can become.
//!
//! It lives in the rules layer, beside the per-principal pass it is built on: it reads the
//! same grouping of documents by principal (`Principals`), parsed once, and the inventory the
//! extractors record (`extract::inventory`).
//!
//! What a statement's resource entry names resolves to nodes: a reference
//! (`aws_iam_role.x.arn`, `!GetAtt X.Arn`, `${aws_iam_user.x.name}` inside an ARN) to that
//! node; a literal ARN or pattern to every node whose name it matches; `*` to every node of
//! the type; `${aws:username}` to the user itself; a value only known at deploy time to every
//! node of the type, at low confidence. Principals outside the code are not nodes: they never
//! count as an administrator, so a hop to them gains nothing the search could report.
//!
//! The data targets the code declares (buckets, secrets, parameters, keys) are resolved the
//! same way; a principal reads one when its effective permissions allow a read action on it
//! (resource policies such as bucket and key policies are not read). A chain that ends at a
//! principal reading a target its start cannot read is a gain too ([`Graph::data_gain`]).

use super::principal::{Key, Principals, describe, resource_name, scope};
use crate::base::finding::Confidence;
use crate::base::source::Span;
use crate::base::text::printable;
use crate::base::value::{TemplatePart, Unknown, Value, ValueKind};
use crate::catalog::{ActionId, Catalog, NamedAction, has_wildcard, wildcard_match};
use crate::extract::document::{PolicyDocument, PolicyKind, PrincipalKind};
use crate::extract::inventory::DataKind;
use crate::extract::managed;
use crate::policy::effective::{ConditionClass, Effective, Hit, Reach};
use crate::policy::escalation;
use crate::policy::principals::{PrincipalType, principals};
use crate::policy::{Effect, Policy};
use rustc_hash::FxHashMap;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// How many hops a chain may have: every published chain has at most three; five leaves room
/// and keeps the search linear in the edges.
pub const MAX_HOPS: usize = 5;

/// The pathfinding.cloud catalogue (`rules/data/pathfinding-cloud/paths.json`, converted by
/// `convert.py` beside it, compiled into a table by `build.rs`): the new-passrole edges are
/// read from it; the other tables below are checked against it by a unit test.
const CATALOGUE: &[CataloguePath] = include!(concat!(env!("OUT_DIR"), "/pathfinding_paths.rs"));

/// One path of the catalogue.
#[derive(Debug)]
pub struct CataloguePath {
    pub id: &'static str,
    pub name: &'static str,
    /// `new-passrole`, `existing-passrole`, `principal-access` or `self-escalation`.
    pub category: &'static str,
    pub permissions: &'static [CataloguePermission],
    pub gains: &'static str,
    /// The path this one varies (`iam-014` varies `iam-009`).
    pub parent: Option<&'static str>,
    /// For a new-passrole path, the service principal the role is passed to.
    pub passed_to_service: Option<&'static str>,
    /// Why the graph does not follow this path, when it does not.
    pub not_in_graph: Option<&'static str>,
}

/// A permission a path needs and what it must be allowed on (`passed-role`, `new`, `runner`,
/// `target-user`, `target-role`, `target-group`, `target-policy`, `any`).
#[derive(Debug)]
pub struct CataloguePermission {
    pub action: &'static str,
    pub applies_to: &'static str,
}

/// The catalogue (a unit test keeps it non-empty).
pub fn catalogue() -> &'static [CataloguePath] {
    CATALOGUE
}

/// The catalogue path that changes a principal by `modify` and gains it by `access` (both
/// ids of the graph's edges), if the catalogue has one: `iam-009` + `sts-001` is `iam-014`.
fn combined(modify: &str, access: &str) -> Option<&'static str> {
    let first = |id: &str| {
        catalogue()
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.permissions.first())
            .map(|p| p.action)
    };
    let (modify_action, access_action) = (first(modify)?, first(access)?);
    catalogue()
        .iter()
        .find(|p| {
            p.parent == Some(modify)
                && p.permissions.len() == 2
                && p.permissions.iter().any(|x| x.action == modify_action)
                && p.permissions.iter().any(|x| x.action == access_action)
        })
        .map(|p| p.id)
}

/// The new-passrole paths the graph follows: (path, the service the role is passed to, the
/// actions that create a resource of the service running as it).
fn new_passrole() -> &'static [(&'static str, &'static str, Vec<&'static str>)] {
    static EDGES: OnceLock<Vec<(&'static str, &'static str, Vec<&'static str>)>> = OnceLock::new();
    EDGES.get_or_init(|| {
        catalogue()
            .iter()
            .filter(|p| p.category == "new-passrole" && p.not_in_graph.is_none())
            // Paths that change an existing resource are followed from its tables below.
            .filter(|p| {
                p.permissions
                    .iter()
                    .all(|perm| matches!(perm.applies_to, "passed-role" | "new"))
            })
            .filter_map(|p| {
                let creates = p
                    .permissions
                    .iter()
                    .filter(|perm| perm.applies_to == "new")
                    .map(|perm| perm.action)
                    .collect();
                Some((p.id, p.passed_to_service?, creates))
            })
            .collect()
    })
}

/// Actions on an existing resource that runs code as its role (pathfinding.cloud
/// "existing-passrole", and the change sets of cloudformation-005): (path, the actions, all
/// needed on the same resource, the resource types they apply to).
#[rustfmt::skip]
const EXISTING_PASSROLE: &[(&str, &[&str], &[&str])] = &[
    ("lambda-003",         &["lambda:UpdateFunctionCode"],  &["aws_lambda_function", "AWS::Lambda::Function"]),
    ("codebuild-002",      &["codebuild:StartBuild"],       &["aws_codebuild_project", "AWS::CodeBuild::Project"]),
    ("codebuild-003",      &["codebuild:StartBuildBatch"],  &["aws_codebuild_project", "AWS::CodeBuild::Project"]),
    ("cloudformation-002", &["cloudformation:UpdateStack"], &["aws_cloudformation_stack"]),
    ("cloudformation-005", &["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"], &["aws_cloudformation_stack"]),
    ("ssm-002",            &["ssm:SendCommand"],            &["aws_instance", "AWS::EC2::Instance"]),
    ("ssm-001",            &["ssm:StartSession"],           &["aws_instance", "AWS::EC2::Instance"]),
    ("glue-002",           &["glue:UpdateDevEndpoint"],     &["aws_glue_dev_endpoint"]),
    ("sagemaker-004",      &["sagemaker:CreatePresignedNotebookInstanceUrl"], &["aws_sagemaker_notebook_instance", "AWS::SageMaker::NotebookInstance"]),
    ("apprunner-002",      &["apprunner:UpdateService"],    &["aws_apprunner_service", "AWS::AppRunner::Service"]),
    // A new default version of a launch template runs as its profile's role in the
    // instances launched from it.
    ("ec2-004",            &["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"], &["aws_launch_template", "AWS::EC2::LaunchTemplate"]),
    ("bedrock-002",        &["bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"], &["aws_bedrockagentcore_code_interpreter", "AWS::BedrockAgentCore::CodeInterpreterCustom"]),
];

/// A role passed to an existing resource, which then runs as a role of its own
/// (pathfinding.cloud cloudformation-004: a stack set updated with a passed administration
/// role deploys its template as its execution role): (path, the action on the resource, the
/// service the role is passed to, the resource types).
#[rustfmt::skip]
const PASSROLE_TO_RUNNER: &[(&str, &str, &str, &[&str])] = &[
    ("cloudformation-004", "cloudformation:UpdateStackSet", "cloudformation.amazonaws.com", &["aws_cloudformation_stack_set", "AWS::CloudFormation::StackSet"]),
];

/// The resources that run as a role, by Terraform or CloudFormation type: (type, how a message
/// names the kind, its ARN's service, the prefix of its resource part, what follows the name:
/// `None` when the ARN holds a generated id instead, which only a wildcard or a reference
/// names; an empty service when no statement names it by ARN in a way the graph reads).
/// A type not listed is named as written.
#[rustfmt::skip]
const RUNNER_KINDS: &[(&str, &str, &str, &str, Option<&str>)] = &[
    ("aws_lambda_function",             "Lambda function",      "lambda",         "function:",         Some("")),
    ("AWS::Lambda::Function",           "Lambda function",      "lambda",         "function:",         Some("")),
    ("aws_codebuild_project",           "CodeBuild project",    "codebuild",      "project/",          Some("")),
    ("AWS::CodeBuild::Project",         "CodeBuild project",    "codebuild",      "project/",          Some("")),
    ("aws_cloudformation_stack",        "stack",                "cloudformation", "stack/",            Some("/\u{1}")),
    ("aws_cloudformation_stack_set",    "stack set",            "cloudformation", "stackset/",         Some(":\u{1}")),
    ("AWS::CloudFormation::StackSet",   "stack set",            "cloudformation", "stackset/",         Some(":\u{1}")),
    ("aws_instance",                    "instance",             "ec2",            "instance/",         None),
    ("AWS::EC2::Instance",              "instance",             "ec2",            "instance/",         None),
    ("aws_launch_template",             "launch template",      "ec2",            "launch-template/",  None),
    ("AWS::EC2::LaunchTemplate",        "launch template",      "ec2",            "launch-template/",  None),
    ("aws_launch_configuration",        "launch configuration", "",               "",                  None),
    ("aws_glue_dev_endpoint",           "Glue dev endpoint",    "glue",           "devEndpoint/",      Some("")),
    ("aws_glue_job",                    "Glue job",             "",               "",                  None),
    ("AWS::Glue::Job",                  "Glue job",             "",               "",                  None),
    ("aws_sagemaker_notebook_instance", "notebook instance",    "sagemaker",      "notebook-instance/", Some("")),
    ("AWS::SageMaker::NotebookInstance", "notebook instance",   "sagemaker",      "notebook-instance/", Some("")),
    ("aws_apprunner_service",           "App Runner service",   "apprunner",      "service/",          Some("/\u{1}")),
    ("AWS::AppRunner::Service",         "App Runner service",   "apprunner",      "service/",          Some("/\u{1}")),
    ("aws_ecs_task_definition",         "ECS task definition",  "",               "",                  None),
    ("AWS::ECS::TaskDefinition",        "ECS task definition",  "",               "",                  None),
    ("aws_ssm_activation",              "SSM activation",       "",               "",                  None),
    ("aws_bedrockagentcore_code_interpreter",        "code interpreter", "bedrock-agentcore", "code-interpreter-custom/", None),
    ("AWS::BedrockAgentCore::CodeInterpreterCustom", "code interpreter", "bedrock-agentcore", "code-interpreter-custom/", None),
];

/// An action on a principal that gains it (pathfinding.cloud "principal-access"): (path,
/// action, the kind of principal it applies to).
#[rustfmt::skip]
const PRINCIPAL_ACCESS: &[(&str, &str, PrincipalKind)] = &[
    ("iam-002", "iam:CreateAccessKey",         PrincipalKind::User),
    ("iam-004", "iam:CreateLoginProfile",      PrincipalKind::User),
    ("iam-006", "iam:UpdateLoginProfile",      PrincipalKind::User),
    ("sts-001", "sts:AssumeRole",              PrincipalKind::Role),
    ("iam-012", "iam:UpdateAssumeRolePolicy",  PrincipalKind::Role),
    ("iam-013", "iam:AddUserToGroup",          PrincipalKind::Group),
];

/// An action that changes a principal's permissions (pathfinding.cloud "self-escalation"):
/// whoever can do it to a principal it holds or reaches is an administrator. `None`: a
/// customer managed policy (`iam:CreatePolicyVersion`), which changes its principals.
#[rustfmt::skip]
const MODIFY: &[(&str, &str, Option<PrincipalKind>)] = &[
    ("iam-007", "iam:PutUserPolicy",       Some(PrincipalKind::User)),
    ("iam-008", "iam:AttachUserPolicy",    Some(PrincipalKind::User)),
    ("iam-005", "iam:PutRolePolicy",       Some(PrincipalKind::Role)),
    ("iam-009", "iam:AttachRolePolicy",    Some(PrincipalKind::Role)),
    ("iam-011", "iam:PutGroupPolicy",      Some(PrincipalKind::Group)),
    ("iam-010", "iam:AttachGroupPolicy",   Some(PrincipalKind::Group)),
    ("iam-001", "iam:CreatePolicyVersion", None),
];

/// What reads a data target: (kind, the actions any of which reads it, the ARN's service and
/// resource prefix). For a bucket, reading means its objects (`s3:GetObject` on `bucket/*`).
#[rustfmt::skip]
const DATA_READS: &[(DataKind, &[&str], &str, &str)] = &[
    (DataKind::Bucket,    &["s3:GetObject"],                                               "s3",             ""),
    (DataKind::Secret,    &["secretsmanager:GetSecretValue"],                              "secretsmanager", "secret:"),
    (DataKind::Parameter, &["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"], "ssm",  "parameter/"),
    (DataKind::Key,       &["kms:Decrypt"],                                                "kms",            "key/"),
];

/// The edge tables' actions as catalog ids, each table's in its order: every principal's
/// edges read the same few dozen actions, so they are looked up by name once per run rather
/// than once per principal.
struct EdgeActions {
    pass_role: Option<ActionId>,
    /// The create actions of each [`new_passrole`] path, read from the catalogue only when a
    /// principal holds `iam:PassRole`.
    creates: OnceLock<Vec<Vec<NamedAction>>>,
    /// Per path, every action it needs on the runner.
    existing_passrole: Vec<Vec<Option<ActionId>>>,
    passrole_to_runner: Vec<Option<ActionId>>,
    principal_access: Vec<Option<ActionId>>,
    modify: Vec<Option<ActionId>>,
}

fn edge_actions() -> &'static EdgeActions {
    static IDS: OnceLock<EdgeActions> = OnceLock::new();
    IDS.get_or_init(|| {
        let catalog = Catalog::get();
        EdgeActions {
            pass_role: catalog.pass_role(),
            creates: OnceLock::new(),
            existing_passrole: EXISTING_PASSROLE
                .iter()
                .map(|(_, names, _)| names.iter().map(|name| catalog.action(name)).collect())
                .collect(),
            passrole_to_runner: PASSROLE_TO_RUNNER
                .iter()
                .map(|(_, name, _, _)| catalog.action(name))
                .collect(),
            principal_access: PRINCIPAL_ACCESS
                .iter()
                .map(|(_, name, _)| catalog.action(name))
                .collect(),
            modify: MODIFY
                .iter()
                .map(|(_, name, _)| catalog.action(name))
                .collect(),
        }
    })
}

/// A principal of the input.
pub struct Node {
    pub key: Key,
    pub name: Option<String>,
    /// Its identity policies and boundaries, as indices of `Principals::documents`.
    granting: Vec<usize>,
    trust: Vec<usize>,
    /// For a user, the groups it is a member of; for a group, nothing.
    groups: Vec<usize>,
}

/// A customer managed policy of the input and the principals it is attached to.
struct PolicyNode {
    address: String,
    name: Option<String>,
    attached: Vec<usize>,
}

/// A resource that runs as a role of the input.
struct RunnerNode {
    resource_type: String,
    address: String,
    /// What its ARN's resource part holds after the prefix of `RUNNER_KINDS`: the name and
    /// what follows it (`\u{1}`: a generated id), `None` when only a wildcard names it.
    arn_name: Option<String>,
    /// The ARN's service and resource prefix.
    arn: (&'static str, &'static str),
    role: usize,
}

/// A data target of the input.
struct TargetNode {
    kind: DataKind,
    address: String,
    /// What an ARN's resource part must match to name it, after the prefix of `DATA_READS`
    /// (`\u{1}` stands for what the code does not say: an object key, a generated name, the
    /// random suffix of a secret's ARN, which only a wildcard covers).
    subject: String,
    span: Span,
}

impl TargetNode {
    fn arn(&self) -> (&'static str, &'static str) {
        DATA_READS
            .iter()
            .find(|(kind, ..)| *kind == self.kind)
            .map(|(_, _, service, prefix)| (*service, *prefix))
            .unwrap_or(("", ""))
    }
}

/// The subject a data target's ARN must match (see [`TargetNode::subject`]).
fn target_subject(kind: DataKind, name: Option<&str>) -> String {
    const UNSAID: &str = "\u{1}";
    match (kind, name) {
        (DataKind::Bucket, Some(name)) => format!("{name}/{UNSAID}"),
        (DataKind::Bucket, None) => format!("{UNSAID}/{UNSAID}"),
        (DataKind::Secret, Some(name)) => format!("{name}-{}", UNSAID.repeat(6)),
        (DataKind::Parameter, Some(name)) => name.trim_start_matches('/').to_string(),
        _ => UNSAID.to_string(),
    }
}

/// A data target a principal can read: the target, the read action and its entry, how sure.
#[derive(Clone, Debug)]
pub struct Read {
    pub target: usize,
    pub action: &'static str,
    pub span: Span,
    pub confidence: Confidence,
}

/// A chain from a principal to one that reads data targets the start cannot read itself.
#[derive(Clone, Debug)]
pub struct DataGain {
    pub start: usize,
    pub hops: Vec<Edge>,
    /// The principal at the end of the chain, which reads `reads`.
    pub end: usize,
    pub reads: Vec<Read>,
}

impl DataGain {
    /// The chain's confidence with the surest of the reads it gains.
    pub fn confidence(&self) -> Confidence {
        let read = self
            .reads
            .iter()
            .map(|r| r.confidence)
            .max()
            .unwrap_or(Confidence::Low);
        self.hops
            .iter()
            .map(|h| h.confidence)
            .chain([read])
            .min()
            .unwrap_or(Confidence::Low)
    }
}

/// What an edge leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The principal's permissions are gained.
    Principal(usize),
    /// The principal's permissions can be changed to anything.
    Modify(usize),
}

/// One step of a chain.
#[derive(Clone, Debug)]
pub struct Edge {
    pub target: Target,
    /// The pathfinding.cloud id.
    pub path: &'static str,
    /// `iam:PassRole on role `admin` + ec2:RunInstances`.
    pub text: String,
    /// The enabling action entries and trusts, each with a label; the first is where a finding
    /// points.
    pub labels: Vec<(Span, String)>,
    pub confidence: Confidence,
    /// Every enabling entry reaches broadly: a path the per-document escalation check
    /// reports on the same entry.
    pub broad: bool,
}

/// Why a principal is worth reaching.
#[derive(Clone, Debug)]
pub struct Power {
    pub description: String,
    pub span: Span,
    pub confidence: Confidence,
    pub admin: bool,
}

/// What the search found from one principal: the chain of edges and what it gains.
#[derive(Clone, Debug)]
pub struct Reached {
    pub start: usize,
    pub hops: Vec<Edge>,
    /// The node the last hop reaches (for a `Modify` hop, the principal modified).
    pub end: usize,
    pub power: Power,
}

impl Reached {
    pub fn confidence(&self) -> Confidence {
        self.hops
            .iter()
            .map(|h| h.confidence)
            .chain([self.power.confidence])
            .min()
            .unwrap_or(Confidence::Low)
    }
}

/// A breadth-first walk from one principal, at most [`MAX_HOPS`] hops, made when first asked
/// for (an administrator's search asks nothing of it): the principals reached in order (the
/// start first, depth never decreasing) and, for each, the edge that reached it first, the
/// surest of its depth. That is a tree of back-pointers, one predecessor per principal, from
/// which a chain is rebuilt only when it is asked for: listing every chain from every start
/// costs what the chains print, not a copy of each.
pub struct Walk<'g, 'p, 'a> {
    graph: &'g Graph<'p, 'a>,
    start: usize,
    reached: OnceCell<Reachability>,
}

/// The principals a walk reached in order, and for each reached after the start, the node
/// and the index among its edges of the edge that reached it.
struct Reachability {
    order: Vec<usize>,
    via: Vec<Option<(usize, usize)>>,
}

impl<'g> Walk<'g, '_, '_> {
    fn reached(&self) -> &Reachability {
        self.reached.get_or_init(|| {
            let graph = self.graph;
            let mut via: Vec<Option<(usize, usize)>> = vec![None; graph.nodes.len()];
            let mut seen = vec![false; graph.nodes.len()];
            seen[self.start] = true;
            let mut order = vec![self.start];
            let mut depth_start = 0;
            for _ in 0..MAX_HOPS {
                // The principals of the last depth are `order[depth_start..]`; the next
                // depth follows them.
                let depth_end = order.len();
                for at in depth_start..depth_end {
                    let node = order[at];
                    for (index, edge) in graph.edges(node).iter().enumerate() {
                        if let Target::Principal(to) = edge.target
                            && !seen[to]
                        {
                            seen[to] = true;
                            via[to] = Some((node, index));
                            order.push(to);
                        }
                    }
                }
                if order.len() == depth_end {
                    break;
                }
                depth_start = depth_end;
            }
            Reachability { order, via }
        })
    }

    /// The principals reached, in order, the start first.
    pub fn order(&self) -> &[usize] {
        &self.reached().order
    }

    /// The chain of edges from the start to `end` (empty for the start or a principal not
    /// reached).
    pub fn hops(&self, end: usize) -> Vec<&'g Edge> {
        let via = &self.reached().via;
        let mut hops = Vec::new();
        let mut at = end;
        while let Some((prev, index)) = via[at] {
            hops.push(&self.graph.edges(prev)[index]);
            at = prev;
        }
        hops.reverse();
        hops
    }

    /// The chain to `end` as owned edges, for a result that outlives the walk.
    fn chain(&self, end: usize) -> Vec<Edge> {
        self.hops(end).into_iter().cloned().collect()
    }
}

pub struct Graph<'p, 'a> {
    cx: &'p Principals<'a>,
    pub nodes: Vec<Node>,
    policies: Vec<PolicyNode>,
    runners: Vec<RunnerNode>,
    targets: Vec<TargetNode>,
    effective: Vec<OnceLock<Effective<'p, 'a>>>,
    edges: Vec<OnceLock<Vec<Edge>>>,
    powers: Vec<OnceLock<Option<Power>>>,
    reads: Vec<OnceLock<Vec<Read>>>,
    trusters: OnceLock<HashMap<usize, Vec<usize>>>,
    /// The principals of each kind, the customer managed policies, and the runners each
    /// runner table names: every principal's edges resolve against the same few lists.
    principals_of: FxHashMap<PrincipalKind, Candidates>,
    policy_candidates: Candidates,
    existing_passrole_runners: Vec<OnceLock<Candidates>>,
    passrole_to_runner_runners: Vec<OnceLock<Candidates>>,
}

/// Which list a candidate's index points into.
#[derive(Clone, Copy)]
enum Pool {
    Principals,
    Runners,
    Policies,
}

/// What a resource entry may name, for [`Graph::resolve_with`]: indices into one pool, and
/// the same by address (a reference names the candidate at its address and no other).
struct Candidates {
    pool: Pool,
    members: Vec<usize>,
    by_address: FxHashMap<String, Vec<usize>>,
}

impl Candidates {
    fn new<'n>(pool: Pool, members: impl IntoIterator<Item = (usize, &'n str)>) -> Self {
        let mut candidates = Candidates {
            pool,
            members: Vec::new(),
            by_address: FxHashMap::default(),
        };
        for (index, address) in members {
            candidates.members.push(index);
            candidates
                .by_address
                .entry(address.to_string())
                .or_default()
                .push(index);
        }
        candidates
    }
}

/// The access graph of one input, built when a principal-wide rule first asks for it and then
/// shared by the others (`privilege-escalation` and `broad-managed-policy` read the same edges
/// and searches).
pub struct SharedGraph<'p, 'a> {
    cx: &'p Principals<'a>,
    graph: OnceLock<Graph<'p, 'a>>,
}

impl<'p, 'a> SharedGraph<'p, 'a> {
    pub fn new(cx: &'p Principals<'a>) -> Self {
        SharedGraph {
            cx,
            graph: OnceLock::new(),
        }
    }

    pub fn get(&self) -> &Graph<'p, 'a> {
        self.graph.get_or_init(|| Graph::new(self.cx))
    }
}

impl<'p, 'a> Graph<'p, 'a> {
    pub fn new(cx: &'p Principals<'a>) -> Self {
        let mut index: HashMap<Key, usize> = HashMap::new();
        let mut nodes: Vec<Node> = Vec::new();
        let mut node_of = |key: &Key, nodes: &mut Vec<Node>| -> usize {
            *index.entry(key.clone()).or_insert_with(|| {
                nodes.push(Node {
                    key: key.clone(),
                    name: None,
                    granting: Vec::new(),
                    trust: Vec::new(),
                    groups: Vec::new(),
                });
                nodes.len() - 1
            })
        };
        for (key, indices) in &cx.groups {
            let node = node_of(key, &mut nodes);
            nodes[node].granting.clone_from(indices);
        }
        for (key, indices) in &cx.trusts {
            let node = node_of(key, &mut nodes);
            nodes[node].trust.clone_from(indices);
        }
        let inventory = cx.inventory;
        let key_at = |span: Span, kind: PrincipalKind, address: &str| -> Key {
            (
                scope(&cx.path_of(span.file), address),
                kind,
                address.to_string(),
            )
        };
        for declared in &inventory.principals {
            let key = key_at(declared.span, declared.kind, &declared.address);
            let node = node_of(&key, &mut nodes);
            nodes[node].name.clone_from(&declared.name);
        }
        // A user is in the groups whose identity policies it receives.
        let mut members: Vec<(usize, usize)> = Vec::new();
        for (key, indices) in &cx.groups {
            if key.1 != PrincipalKind::Group {
                continue;
            }
            let group = index[key];
            for (other, other_indices) in &cx.groups {
                if other.1 == PrincipalKind::User
                    && other.0 == key.0
                    && indices.iter().any(|i| other_indices.contains(i))
                {
                    members.push((index[other], group));
                }
            }
        }
        for (user, group) in members {
            nodes[user].groups.push(group);
        }
        // The identity documents by the address of the resource that holds them, when the
        // code declares managed policies: looking through every document for each declared
        // policy grew with the product of the two, millions of comparisons in a module of a
        // few thousand of each.
        let mut identity_documents: FxHashMap<&str, Vec<&PolicyDocument>> = FxHashMap::default();
        if !inventory.policies.is_empty() {
            for document in cx.documents {
                if document.kind == PolicyKind::Identity
                    && let Some(address) = document.origin.address.as_deref()
                {
                    identity_documents
                        .entry(address)
                        .or_default()
                        .push(document);
                }
            }
        }
        let policies: Vec<PolicyNode> = inventory
            .policies
            .iter()
            .map(|declared| {
                let scope_path = scope(&cx.path_of(declared.span.file), &declared.address);
                let attached = identity_documents
                    .get(declared.address.as_str())
                    .into_iter()
                    .flatten()
                    .flat_map(|d| &d.attachments)
                    .filter_map(|a| {
                        index
                            .get(&(scope_path.clone(), a.principal_kind, a.principal.clone()))
                            .copied()
                    })
                    .collect();
                PolicyNode {
                    address: declared.address.clone(),
                    name: declared.name.clone(),
                    attached,
                }
            })
            .collect();
        let runners = inventory
            .runners
            .iter()
            .filter_map(|runner| {
                let role = if runner.via_profile {
                    inventory.role_of_profile(&runner.role)?
                } else {
                    runner.role.as_str()
                };
                let key = key_at(runner.span, PrincipalKind::Role, role);
                // A role named by its name (a stack set's `ExecutionRoleName`) is the role
                // of the code with that name.
                let role = index.get(&key).copied().or_else(|| {
                    nodes.iter().position(|n| {
                        n.key.1 == PrincipalKind::Role && n.name.as_deref() == Some(role)
                    })
                })?;
                let (arn, after_name) = RUNNER_KINDS
                    .iter()
                    .find(|(t, ..)| *t == runner.resource_type)
                    .map(|(_, _, service, prefix, after)| ((*service, *prefix), *after))
                    .unwrap_or((("", ""), None));
                Some(RunnerNode {
                    resource_type: runner.resource_type.clone(),
                    address: runner.address.clone(),
                    arn_name: after_name
                        .and_then(|after| Some(format!("{}{after}", runner.name.as_ref()?))),
                    arn,
                    role,
                })
            })
            .collect();
        let targets = inventory
            .targets
            .iter()
            .map(|target| TargetNode {
                kind: target.kind,
                address: target.address.clone(),
                subject: target_subject(target.kind, target.name.as_deref()),
                span: target.span,
            })
            .collect();
        let count = nodes.len();
        let principals_of = [
            PrincipalKind::User,
            PrincipalKind::Role,
            PrincipalKind::Group,
        ]
        .into_iter()
        .map(|kind| {
            let members = nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.key.1 == kind)
                .map(|(i, n)| (i, n.key.2.as_str()));
            (kind, Candidates::new(Pool::Principals, members))
        })
        .collect();
        let policy_candidates = Candidates::new(
            Pool::Policies,
            policies
                .iter()
                .enumerate()
                .map(|(i, p)| (i, p.address.as_str())),
        );
        Graph {
            cx,
            nodes,
            policies,
            runners,
            targets,
            principals_of,
            policy_candidates,
            existing_passrole_runners: EXISTING_PASSROLE.iter().map(|_| OnceLock::new()).collect(),
            passrole_to_runner_runners: PASSROLE_TO_RUNNER
                .iter()
                .map(|_| OnceLock::new())
                .collect(),
            effective: (0..count).map(|_| OnceLock::new()).collect(),
            edges: (0..count).map(|_| OnceLock::new()).collect(),
            powers: (0..count).map(|_| OnceLock::new()).collect(),
            reads: (0..count).map(|_| OnceLock::new()).collect(),
            trusters: OnceLock::new(),
        }
    }

    /// How a message names a node: ``user `starting_user` `` (`principal::describe`).
    pub fn describe(&self, node: usize) -> String {
        let (_, kind, address) = &self.nodes[node].key;
        describe(*kind, address)
    }

    /// How a message names a data target: `secret `db_password``.
    pub fn describe_target(&self, target: usize) -> String {
        let target = &self.targets[target];
        format!("{} {}", target.kind.label(), resource_name(&target.address))
    }

    /// How many data targets the input declares.
    pub fn target_count(&self) -> usize {
        self.targets.len()
    }

    /// Where a data target is declared.
    pub fn target_span(&self, target: usize) -> Span {
        self.targets[target].span
    }

    /// The data targets a principal can read, each once with its surest read; computed once.
    pub fn reads(&self, node: usize) -> &[Read] {
        self.reads[node].get_or_init(|| self.compute_reads(node))
    }

    fn compute_reads(&self, node: usize) -> Vec<Read> {
        if self.targets.is_empty() {
            return Vec::new();
        }
        let catalog = Catalog::get();
        let effective = self.effective(node);
        let (policies, _) = self.cx.granting_and_boundaries(&self.nodes[node].granting);
        let mut best: HashMap<usize, Read> = HashMap::new();
        for (kind, actions, ..) in DATA_READS {
            let candidates: Vec<usize> = (0..self.targets.len())
                .filter(|&t| self.targets[t].kind == *kind)
                .collect();
            if candidates.is_empty() {
                continue;
            }
            for action_name in *actions {
                let Some(action) = catalog.action(action_name) else {
                    continue;
                };
                for hit in effective.hits(action) {
                    let Some(guard) = guard(&hit, action, None) else {
                        continue;
                    };
                    for &target in &candidates {
                        let resolved = if hit.grant.is_not_resource() {
                            Some(Confidence::Medium)
                        } else {
                            hit.grant
                                .statement
                                .resources()
                                .iter()
                                .filter_map(|value| self.names_target(value, target))
                                .max()
                        };
                        let Some(resolved) = resolved else { continue };
                        if denies(&policies, action_name, |value| {
                            self.names_target(value, target)
                                .is_some_and(|c| c >= Confidence::Medium)
                        }) {
                            continue;
                        }
                        let read = Read {
                            target,
                            action: action_name,
                            span: hit.action_span,
                            confidence: guard.min(resolved),
                        };
                        match best.get(&target) {
                            Some(known) if known.confidence >= read.confidence => {}
                            _ => {
                                best.insert(target, read);
                            }
                        }
                    }
                }
            }
        }
        let mut out: Vec<Read> = best.into_values().collect();
        out.sort_by_key(|r| r.target);
        out
    }

    /// Whether a resource entry names a data target, and how sure. A bucket's own ARN (a bare
    /// reference to it) names the bucket, not its objects, which reading needs.
    fn names_target(&self, value: &Value, target: usize) -> Option<Confidence> {
        let node = &self.targets[target];
        if node.kind == DataKind::Bucket {
            let bare = match &value.kind {
                ValueKind::Unknown(unknown) => Some(unknown),
                ValueKind::Template(parts) => match parts.as_slice() {
                    [TemplatePart::Hole(unknown)] => Some(unknown),
                    _ => None,
                },
                _ => None,
            };
            if bare.is_some_and(|u| u.reference.is_some()) {
                return None;
            }
        }
        names(value, &node.address, Some(&node.subject), node.arn()).or_else(|| {
            // An ARN that starts with a value known only at deploy time
            // (`${var.bucket_arn}/*`) may be anything, this target too.
            match &value.kind {
                ValueKind::Template(parts) => match parts.first() {
                    Some(TemplatePart::Hole(unknown)) if unknown.reference.is_none() => {
                        Some(Confidence::Low)
                    }
                    _ => None,
                },
                _ => None,
            }
        })
    }

    /// The shortest, then surest, chain from `start` to a principal that reads data targets
    /// `start` cannot read itself (any read of its own, however unsure, keeps it quiet).
    pub fn data_gain(&self, walk: &Walk<'_, 'p, 'a>) -> Option<DataGain> {
        if self.targets.is_empty() {
            return None;
        }
        let start = walk.start;
        let mut own: Option<HashSet<usize>> = None;
        let mut best: Option<DataGain> = None;
        for &node in walk.order().iter().skip(1) {
            if self.reads(node).is_empty() {
                continue;
            }
            let hops = walk.chain(node);
            if best.as_ref().is_some_and(|b| b.hops.len() < hops.len()) {
                break;
            }
            let own =
                own.get_or_insert_with(|| self.reads(start).iter().map(|r| r.target).collect());
            let reads: Vec<Read> = self
                .reads(node)
                .iter()
                .filter(|r| !own.contains(&r.target))
                .cloned()
                .collect();
            if reads.is_empty() {
                continue;
            }
            let found = DataGain {
                start,
                hops,
                end: node,
                reads,
            };
            if best
                .as_ref()
                .is_none_or(|b| b.confidence() < found.confidence())
            {
                best = Some(found);
            }
        }
        best
    }

    fn effective(&self, node: usize) -> &Effective<'p, 'a> {
        self.effective[node].get_or_init(|| {
            let (policies, boundaries) =
                self.cx.granting_and_boundaries(&self.nodes[node].granting);
            Effective::new(&policies, &boundaries)
        })
    }

    /// Whether a principal is an administrator on its own (`*`, `iam:*` on `*`, unconditioned),
    /// or can escalate by a path of the per-document check; computed once.
    pub fn power(&self, node: usize) -> Option<&Power> {
        self.powers[node]
            .get_or_init(|| self.compute_power(node))
            .as_ref()
    }

    fn compute_power(&self, node: usize) -> Option<Power> {
        let effective = self.effective(node);
        for grant in &effective.grants {
            if let Some(value) = grant.administrator_entry() {
                let document = self.cx.documents[self.nodes[node].granting[grant.policy]];
                let description = match managed::name_of(document) {
                    Some(name) => format!("is an administrator (AWS managed policy `{name}`)"),
                    None => "is an administrator".to_string(),
                };
                return Some(Power {
                    description,
                    span: value.span,
                    confidence: Confidence::High,
                    admin: true,
                });
            }
        }
        let matches = escalation::find(effective);
        let best = matches.iter().max_by_key(|m| m.confidence)?;
        let hit = &best.hits[best.primary()];
        Some(Power {
            description: format!("can escalate: {}", best.path.summary),
            span: hit.action_span,
            confidence: best.confidence,
            admin: false,
        })
    }

    /// The edges out of a principal, surest first, computed once.
    pub fn edges(&self, node: usize) -> &[Edge] {
        self.edges[node].get_or_init(|| {
            let mut edges = self.compute_edges(node);
            edges.sort_by_key(|e| std::cmp::Reverse(e.confidence));
            edges
        })
    }

    fn compute_edges(&self, from: usize) -> Vec<Edge> {
        let ids = edge_actions();
        let effective = self.effective(from);
        let mut out = Vec::new();
        // Candidates are listed only for the actions the principal has: a large template
        // has thousands of roles, most of which hold none of these actions.
        let has = |action| effective.hits(action).next().is_some();
        // New-passrole: pass a role that trusts the service, and create a resource running
        // as it.
        if let Some(pass_role) = ids.pass_role
            && has(pass_role)
        {
            let roles = self.of_kind(PrincipalKind::Role);
            let creates = ids.creates.get_or_init(|| {
                let catalog = Catalog::get();
                new_passrole()
                    .iter()
                    .map(|(_, _, creates)| {
                        creates
                            .iter()
                            .map(|&name| (name, catalog.action(name)))
                            .collect()
                    })
                    .collect()
            });
            for ((path, service, _), actions) in new_passrole().iter().zip(creates) {
                let Some(creates) = self.all_of(effective, actions) else {
                    continue;
                };
                for hit in effective.hits(pass_role) {
                    // An administrator gains nothing by a hop; `admin-access` reports it.
                    if matches!(hit.action_text, "*" | "*:*") {
                        continue;
                    }
                    let Some(guard) = guard(&hit, pass_role, Some(service)) else {
                        continue;
                    };
                    for (role, resolved) in self.resolve(&hit, roles, from, iam_arn("role/")) {
                        if role == from {
                            continue;
                        }
                        let Some(trust) = self.trusts_service(role, service) else {
                            continue;
                        };
                        let mut labels = vec![(
                            hit.action_span,
                            format!("`iam:PassRole` on {}", self.describe(role)),
                        )];
                        labels.extend(creates.iter().map(|(span, name, _, _)| {
                            (*span, format!("`{name}` creates what runs as it"))
                        }));
                        labels.push((
                            trust.0,
                            format!("{} trusts `{service}`", self.describe(role)),
                        ));
                        let names: Vec<&str> = creates.iter().map(|(_, n, _, _)| *n).collect();
                        let confidence = creates
                            .iter()
                            .map(|(_, _, c, _)| *c)
                            .chain([guard, resolved, trust.1])
                            .min()
                            .unwrap_or(Confidence::Low);
                        out.push(Edge {
                            target: Target::Principal(role),
                            path,
                            text: format!(
                                "iam:PassRole on {} + {}",
                                self.describe(role),
                                names.join(" + ")
                            ),
                            labels,
                            confidence,
                            broad: hit.reach != Reach::Scoped
                                && creates.iter().all(|(_, _, _, broad)| *broad),
                        });
                    }
                }
            }
        }
        // Existing-passrole: change or run a resource that runs as a role, with every action
        // the path needs on that resource.
        for (((path, action_names, types), actions), runners) in EXISTING_PASSROLE
            .iter()
            .zip(&ids.existing_passrole)
            .zip(&self.existing_passrole_runners)
        {
            let Some(actions) = actions
                .iter()
                .map(|action| action.filter(|&a| has(a)))
                .collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            let runners = runners.get_or_init(|| self.runners_of(types));
            if runners.members.is_empty() {
                continue;
            }
            let allowed: Vec<HashMap<usize, RunnerHit>> = actions
                .iter()
                .map(|&action| self.on_runners(effective, action, runners, from))
                .collect();
            let Some((first, rest)) = allowed.split_first() else {
                continue;
            };
            let mut reached: Vec<(&usize, &RunnerHit)> = first.iter().collect();
            reached.sort_by_key(|(runner, _)| **runner);
            for (&runner, hit) in reached {
                let role = self.runners[runner].role;
                let Some(others) = rest
                    .iter()
                    .map(|m| m.get(&runner))
                    .collect::<Option<Vec<_>>>()
                else {
                    continue;
                };
                if role == from {
                    continue;
                }
                let named = runner_name(
                    &self.runners[runner].resource_type,
                    &self.runners[runner].address,
                );
                let hits: Vec<&RunnerHit> = [hit].into_iter().chain(others).collect();
                out.push(Edge {
                    target: Target::Principal(role),
                    path,
                    text: format!(
                        "{} on {named}, which runs as {}",
                        action_names.join(" + "),
                        self.describe(role)
                    ),
                    labels: action_names
                        .iter()
                        .zip(&hits)
                        .map(|(name, hit)| (hit.span, format!("`{name}` on {named}")))
                        .collect(),
                    confidence: hits
                        .iter()
                        .map(|h| h.confidence)
                        .min()
                        .unwrap_or(Confidence::Low),
                    broad: hits.iter().all(|h| h.broad),
                });
            }
        }
        // A role passed to an existing resource that then runs as its own role.
        if let Some(pass_role) = ids.pass_role
            && has(pass_role)
        {
            for (((path, action_name, service, types), action), runners) in PASSROLE_TO_RUNNER
                .iter()
                .zip(&ids.passrole_to_runner)
                .zip(&self.passrole_to_runner_runners)
            {
                let Some(action) = action.filter(|&a| has(a)) else {
                    continue;
                };
                let runners = runners.get_or_init(|| self.runners_of(types));
                if runners.members.is_empty() {
                    continue;
                }
                let updates = self.on_runners(effective, action, runners, from);
                // The surest role it may pass that the service trusts.
                let passed = effective
                    .hits(pass_role)
                    .filter(|hit| !matches!(hit.action_text, "*" | "*:*"))
                    .filter_map(|hit| {
                        let guard = guard(&hit, pass_role, Some(service))?;
                        let roles = self.of_kind(PrincipalKind::Role);
                        self.resolve(&hit, roles, from, iam_arn("role/"))
                            .into_iter()
                            .filter_map(|(role, resolved)| {
                                let trust = self.trusts_service(role, service)?;
                                Some((
                                    guard.min(resolved).min(trust.1),
                                    role,
                                    hit.action_span,
                                    hit.reach != Reach::Scoped,
                                ))
                            })
                            .max_by_key(|(confidence, ..)| *confidence)
                    })
                    .max_by_key(|(confidence, ..)| *confidence);
                let Some((passed_confidence, passed_role, pass_span, pass_broad)) = passed else {
                    continue;
                };
                let mut reached: Vec<(&usize, &RunnerHit)> = updates.iter().collect();
                reached.sort_by_key(|(runner, _)| **runner);
                for (&runner, hit) in reached {
                    let role = self.runners[runner].role;
                    if role == from {
                        continue;
                    }
                    let runner = &self.runners[runner];
                    let named = runner_name(&runner.resource_type, &runner.address);
                    out.push(Edge {
                        target: Target::Principal(role),
                        path,
                        text: format!(
                            "iam:PassRole on {} + {action_name} on {named}, which runs as {}",
                            self.describe(passed_role),
                            self.describe(role)
                        ),
                        labels: vec![
                            (
                                pass_span,
                                format!("`iam:PassRole` on {}", self.describe(passed_role)),
                            ),
                            (hit.span, format!("`{action_name}` on {named}")),
                        ],
                        confidence: passed_confidence.min(hit.confidence),
                        broad: pass_broad && hit.broad,
                    });
                }
            }
        }
        // Principal access: credentials of a user, a role to assume, a group to join.
        for ((path, action_name, kind), &action) in
            PRINCIPAL_ACCESS.iter().zip(&ids.principal_access)
        {
            let Some(action) = action.filter(|&a| has(a)) else {
                continue;
            };
            if *kind == PrincipalKind::Group && self.nodes[from].key.1 != PrincipalKind::User {
                continue;
            }
            let candidates = self.of_kind(*kind);
            let prefix = match kind {
                PrincipalKind::User => "user/",
                PrincipalKind::Group => "group/",
                _ => "role/",
            };
            for hit in effective.hits(action) {
                // An administrator gains nothing by a hop; `admin-access` reports it.
                if matches!(hit.action_text, "*" | "*:*") {
                    continue;
                }
                let Some(guard) = guard(&hit, action, None) else {
                    continue;
                };
                for (to, resolved) in self.resolve(&hit, candidates, from, iam_arn(prefix)) {
                    if to == from || self.nodes[from].groups.contains(&to) {
                        continue;
                    }
                    let mut labels = vec![(
                        hit.action_span,
                        format!("`{action_name}` on {}", self.describe(to)),
                    )];
                    let mut confidence = guard.min(resolved);
                    if *action_name == "sts:AssumeRole" {
                        let Some((span, trusted)) = self.trusts_principal(to, from) else {
                            continue;
                        };
                        labels.push((
                            span,
                            format!("{} trusts {}", self.describe(to), self.describe(from)),
                        ));
                        confidence = confidence.min(trusted);
                    }
                    out.push(Edge {
                        target: Target::Principal(to),
                        path,
                        text: format!("{action_name} on {}", self.describe(to)),
                        labels,
                        confidence,
                        // No per-document path is `sts:AssumeRole` alone.
                        broad: hit.reach != Reach::Scoped && *action_name != "sts:AssumeRole",
                    });
                }
            }
        }
        // A trust that names the principal itself lets it assume the role with no permission
        // of its own in the same account; the code does not say the accounts are the same,
        // hence medium confidence.
        for &role in self.trusters().get(&from).into_iter().flatten() {
            let has_edge = out
                .iter()
                .any(|e: &Edge| e.target == Target::Principal(role));
            if role == from || has_edge {
                continue;
            }
            if let Some((span, trusted)) = self.trust_names(role, from) {
                let confidence = trusted.min(Confidence::Medium);
                out.push(Edge {
                    target: Target::Principal(role),
                    path: "sts-001",
                    text: format!(
                        "sts:AssumeRole on {}, whose trust names it",
                        self.describe(role)
                    ),
                    labels: vec![(
                        span,
                        format!("{} trusts {}", self.describe(role), self.describe(from)),
                    )],
                    confidence,
                    broad: false,
                });
            }
        }
        // Modification: change the permissions of a principal, or of a policy attached to
        // principals.
        for ((path, action_name, kind), &action) in MODIFY.iter().zip(&ids.modify) {
            let Some(action) = action else {
                continue;
            };
            for hit in effective.hits(action) {
                if matches!(hit.action_text, "*" | "*:*") {
                    continue;
                }
                let Some(guard) = guard(&hit, action, None) else {
                    continue;
                };
                let targets: Vec<(usize, Confidence, String)> = match kind {
                    Some(kind) => {
                        let prefix = match kind {
                            PrincipalKind::User => "user/",
                            PrincipalKind::Group => "group/",
                            _ => "role/",
                        };
                        self.resolve(&hit, self.of_kind(*kind), from, iam_arn(prefix))
                            .into_iter()
                            .map(|(to, c)| (to, c, self.describe(to)))
                            .collect()
                    }
                    None => self
                        .resolve(&hit, &self.policy_candidates, from, iam_arn("policy/"))
                        .into_iter()
                        .flat_map(|(policy, c)| {
                            let name =
                                format!("policy {}", resource_name(&self.policies[policy].address));
                            self.policies[policy]
                                .attached
                                .iter()
                                .map(move |&to| (to, c, name.clone()))
                        })
                        .collect(),
                };
                for (to, resolved, what) in targets {
                    out.push(Edge {
                        target: Target::Modify(to),
                        path,
                        text: format!("{action_name} on {what}"),
                        labels: vec![(hit.action_span, format!("`{action_name}` on {what}"))],
                        confidence: guard.min(resolved),
                        broad: hit.reach != Reach::Scoped,
                    });
                }
            }
        }
        out
    }

    /// Every action of `actions` allowed (on any resource: they create one), each with its
    /// entry, name, confidence and whether it reaches broadly; `None` when one is missing or
    /// blocked.
    fn all_of(
        &self,
        effective: &Effective<'_, '_>,
        actions: &[NamedAction],
    ) -> Option<Vec<(Span, &'static str, Confidence, bool)>> {
        actions
            .iter()
            .map(|(name, action)| {
                let action = (*action)?;
                effective
                    .hits(action)
                    .filter_map(|hit| {
                        Some((
                            hit.action_span,
                            *name,
                            guard(&hit, action, None)?,
                            hit.reach.is_broad(),
                        ))
                    })
                    .max_by_key(|(_, _, c, _)| *c)
            })
            .collect()
    }

    /// The runners of the given resource types, as candidates for [`Self::resolve_with`].
    fn runners_of(&self, types: &[&str]) -> Candidates {
        Candidates::new(
            Pool::Runners,
            self.runners
                .iter()
                .enumerate()
                .filter(|(_, r)| types.contains(&r.resource_type.as_str()))
                .map(|(i, r)| (i, r.address.as_str())),
        )
    }

    /// The runners among `runners` on which `action` is allowed, each with its surest entry.
    fn on_runners(
        &self,
        effective: &Effective<'_, '_>,
        action: crate::catalog::ActionId,
        runners: &Candidates,
        from: usize,
    ) -> HashMap<usize, RunnerHit> {
        let mut best: HashMap<usize, RunnerHit> = HashMap::new();
        for hit in effective.hits(action) {
            // An administrator gains nothing by a hop; `admin-access` reports it.
            if matches!(hit.action_text, "*" | "*:*") {
                continue;
            }
            let Some(guard) = guard(&hit, action, None) else {
                continue;
            };
            let arn = |runner: usize| self.runners[runner].arn;
            for (runner, resolved) in self.resolve_with(&hit, runners, from, &arn) {
                let found = RunnerHit {
                    span: hit.action_span,
                    confidence: guard.min(resolved),
                    broad: hit.reach != Reach::Scoped,
                };
                if best
                    .get(&runner)
                    .is_none_or(|known| known.confidence < found.confidence)
                {
                    best.insert(runner, found);
                }
            }
        }
        best
    }

    /// The principals of a kind, as candidates for [`Self::resolve`].
    fn of_kind(&self, kind: PrincipalKind) -> &Candidates {
        &self.principals_of[&kind]
    }

    /// A candidate's address and, when the code gives it, its name.
    fn label(&self, pool: Pool, index: usize) -> (&str, Option<&str>) {
        match pool {
            Pool::Principals => {
                let node = &self.nodes[index];
                (node.key.2.as_str(), node.name.as_deref())
            }
            Pool::Runners => {
                let runner = &self.runners[index];
                (runner.address.as_str(), runner.arn_name.as_deref())
            }
            Pool::Policies => {
                let policy = &self.policies[index];
                (policy.address.as_str(), policy.name.as_deref())
            }
        }
    }

    /// The candidates a hit's resource entries name, with how sure: see the module's docs.
    fn resolve(
        &self,
        hit: &Hit<'_, '_, '_>,
        candidates: &Candidates,
        from: usize,
        arn: (&'static str, &'static str),
    ) -> Vec<(usize, Confidence)> {
        self.resolve_with(hit, candidates, from, &|_| arn)
    }

    fn resolve_with(
        &self,
        hit: &Hit<'_, '_, '_>,
        candidates: &Candidates,
        from: usize,
        arn: &dyn Fn(usize) -> (&'static str, &'static str),
    ) -> Vec<(usize, Confidence)> {
        let mut best: HashMap<usize, Confidence> = HashMap::new();
        let mut add = |node: usize, confidence: Confidence| {
            let entry = best.entry(node).or_insert(confidence);
            *entry = (*entry).max(confidence);
        };
        let resources = hit.grant.statement.resources();
        if hit.grant.is_not_resource() {
            for &node in &candidates.members {
                add(node, Confidence::Medium);
            }
        }
        let from_kind = self.nodes[from].key.1;
        let from_name = self.nodes[from].name.as_deref();
        for value in resources {
            // A reference names the candidate at its address and no other (what `names`
            // answers, without trying each of thousands of candidates in turn).
            if let ValueKind::Unknown(Unknown {
                reference: Some(reference),
                ..
            }) = &value.kind
            {
                let named = candidates.by_address.get(reference.address.as_str());
                for &node in named.into_iter().flatten() {
                    add(node, Confidence::High);
                }
                continue;
            }
            for &node in &candidates.members {
                let (address, name) = self.label(candidates.pool, node);
                if let Some(confidence) = names(value, address, name, arn(node)) {
                    add(node, confidence);
                    continue;
                }
                // `${aws:username}`: the user itself.
                if from_kind == PrincipalKind::User
                    && node == from
                    && value
                        .template_text()
                        .is_some_and(|t| t.contains("${aws:username}"))
                {
                    let text = value.template_text().unwrap_or_default();
                    let own = from_name.unwrap_or("${aws:username}");
                    if names_text(
                        &text.replace("${aws:username}", own),
                        name.or(Some(own)),
                        arn(node),
                    )
                    .is_some()
                    {
                        add(node, Confidence::High);
                    }
                }
            }
        }
        let mut out: Vec<(usize, Confidence)> = best.into_iter().collect();
        out.sort();
        out
    }

    /// Whether a role's trust lets `service` assume it: the trust's span, how sure.
    fn trusts_service(&self, role: usize, service: &str) -> Option<(Span, Confidence)> {
        self.trust_statements(role, |id| {
            (id.kind == PrincipalType::Service && id.value.as_str() == Some(service))
                .then_some(Confidence::High)
        })
    }

    /// Whether a role's trust lets `principal` assume it: by reference or literal ARN (high),
    /// or through its account's root or `*` (medium: the account's policies decide).
    fn trusts_principal(&self, role: usize, principal: usize) -> Option<(Span, Confidence)> {
        let (_, kind, address) = &self.nodes[principal].key;
        let name = self.nodes[principal].name.as_deref();
        let prefix = match kind {
            PrincipalKind::User => "user/",
            _ => "role/",
        };
        self.trust_statements(role, |id| {
            if id.kind != PrincipalType::Aws {
                return None;
            }
            if names(id.value, address, name, iam_arn(prefix)) == Some(Confidence::High) {
                Some(Confidence::High)
            } else if id.is_account_root() || id.is_anyone() || is_own_account(id.value) {
                Some(Confidence::Medium)
            } else {
                None
            }
        })
    }

    /// Whether a role's trust names `principal` itself, by reference or literal ARN.
    fn trust_names(&self, role: usize, principal: usize) -> Option<(Span, Confidence)> {
        if self.nodes[role].key.1 != PrincipalKind::Role {
            return None;
        }
        let (_, kind, address) = &self.nodes[principal].key;
        let name = self.nodes[principal].name.as_deref();
        let prefix = match kind {
            PrincipalKind::User => "user/",
            PrincipalKind::Role => "role/",
            _ => return None,
        };
        self.trust_statements(role, |id| {
            (id.kind == PrincipalType::Aws
                && names(id.value, address, name, iam_arn(prefix)) == Some(Confidence::High))
            .then_some(Confidence::High)
        })
    }

    /// For each principal, the roles whose trust may name it (by reference, or by the name at
    /// the end of an ARN): the candidates [`Self::trust_names`] then checks, so a large input
    /// does not test every role against every principal.
    fn trusters(&self) -> &HashMap<usize, Vec<usize>> {
        self.trusters.get_or_init(|| {
            let mut by_label: HashMap<&str, Vec<usize>> = HashMap::new();
            for (index, node) in self.nodes.iter().enumerate() {
                by_label.entry(node.key.2.as_str()).or_default().push(index);
                if let Some(name) = &node.name {
                    by_label.entry(name.as_str()).or_default().push(index);
                }
            }
            let mut out: HashMap<usize, Vec<usize>> = HashMap::new();
            for (role, node) in self.nodes.iter().enumerate() {
                for &index in &node.trust {
                    for statement in &self.cx.policy(index).statements {
                        for id in principals(statement) {
                            let mut labels: Vec<String> = Vec::new();
                            match &id.value.kind {
                                ValueKind::Unknown(unknown) => {
                                    labels.extend(
                                        unknown.reference.as_ref().map(|r| r.address.clone()),
                                    );
                                }
                                ValueKind::Template(parts) => {
                                    labels.extend(parts.iter().filter_map(|part| match part {
                                        TemplatePart::Hole(unknown) => {
                                            unknown.reference.as_ref().map(|r| r.address.clone())
                                        }
                                        TemplatePart::Literal(_) => None,
                                    }));
                                }
                                _ => {}
                            }
                            if let Some(text) = id.value.as_str() {
                                labels.push(text.rsplit('/').next().unwrap_or(text).to_string());
                            }
                            for label in labels {
                                for &principal in by_label.get(label.as_str()).into_iter().flatten()
                                {
                                    let roles = out.entry(principal).or_default();
                                    if !roles.contains(&role) {
                                        roles.push(role);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            out
        })
    }

    fn trust_statements(
        &self,
        role: usize,
        names_it: impl Fn(&crate::policy::principals::PrincipalId<'_>) -> Option<Confidence>,
    ) -> Option<(Span, Confidence)> {
        let mut best: Option<(Span, Confidence)> = None;
        for &index in &self.nodes[role].trust {
            let policy = self.cx.policy(index);
            // A statement whose date condition is already past lets no one in any more.
            for statement in policy
                .statements
                .iter()
                .filter(|s| s.is_allow() && s.never_applies().is_none())
            {
                let assumes = statement.actions().iter().any(|a| {
                    a.as_str()
                        .is_some_and(|p| wildcard_match(p, "sts:AssumeRole", true))
                });
                if !assumes {
                    continue;
                }
                // `sts:ExternalId` is a shared secret the caller must know: likely known to
                // whoever the trust names, so it lowers confidence less than another test.
                let ceiling = if statement.conditions.is_empty() {
                    Confidence::High
                } else if statement
                    .conditions
                    .iter()
                    .all(|c| c.key.eq_ignore_ascii_case("sts:ExternalId"))
                {
                    Confidence::Medium
                } else {
                    Confidence::Low
                };
                for id in principals(statement) {
                    let Some(confidence) = names_it(&id) else {
                        continue;
                    };
                    let confidence = confidence.min(ceiling);
                    if best.is_none_or(|(_, c)| c < confidence) {
                        best = Some((id.value.span, confidence));
                    }
                }
            }
        }
        best
    }

    /// The walk from `start` (see [`Walk`]), made when first asked for.
    pub fn walk(&self, start: usize) -> Walk<'_, 'p, 'a> {
        Walk {
            graph: self,
            start,
            reached: OnceCell::new(),
        }
    }

    /// As [`Graph::walk`], with the shortest, then surest, chain to each principal `wanted`
    /// accepts (`start` is never among them): the chains to the others are not built (a
    /// search from every principal to a few roles stays linear per start).
    pub fn reach_among(
        &self,
        start: usize,
        wanted: impl Fn(usize) -> bool,
    ) -> Vec<(usize, Vec<&Edge>)> {
        let walk = self.walk(start);
        walk.order()
            .iter()
            .skip(1)
            .filter(|&&end| wanted(end))
            .map(|&end| (end, walk.hops(end)))
            .collect()
    }

    /// The shortest, then surest, chain from the walk's start to an administrator (a principal
    /// that is one, or one it can modify), else to a principal that can escalate. `None` when
    /// the start is one already or reaches neither.
    pub fn search(&self, walk: &Walk<'_, 'p, 'a>) -> Option<Reached> {
        let start = walk.start;
        if self.power(start).is_some_and(|p| p.admin) {
            return None;
        }
        let Reachability { order, via } = walk.reached();
        let mut reached = vec![false; self.nodes.len()];
        let mut depth = vec![0usize; self.nodes.len()];
        let mut groups = vec![false; self.nodes.len()];
        for &node in order {
            reached[node] = true;
            if let Some((prev, _)) = via[node] {
                depth[node] = depth[prev] + 1;
            }
            for &group in &self.nodes[node].groups {
                groups[group] = true;
            }
        }
        // Candidates as (admin, hops, node, the modifying edge): chains are built only for
        // the best few.
        let mut candidates: Vec<Candidate> = Vec::new();
        for &node in order {
            // Modifying a principal it holds or reaches makes it anything.
            for (index, edge) in self.edges(node).iter().enumerate() {
                if let Target::Modify(to) = edge.target
                    && (reached[to] || groups[to])
                {
                    candidates.push((true, depth[node] + 1, node, Some((index, to))));
                }
            }
            if node != start
                && let Some(power) = self.power(node)
            {
                candidates.push((power.admin, depth[node], node, None));
            }
        }
        let best = candidates
            .iter()
            .map(|&(admin, hops, _, _)| (!admin, hops))
            .min()?;
        candidates
            .into_iter()
            .filter(|&(admin, hops, _, _)| (!admin, hops) == best)
            .filter_map(|(_, _, node, modify)| {
                let mut hops = walk.chain(node);
                let (end, power) = match modify {
                    Some((index, to)) => {
                        let mut edge = self.edges(node)[index].clone();
                        // Changing a principal and gaining it by the same principal's
                        // permissions is one catalogue path (iam-014: AttachRolePolicy +
                        // AssumeRole on the same role), reported under its own id.
                        if let Some(access) = self
                            .edges(node)
                            .iter()
                            .find(|e| e.target == Target::Principal(to))
                            && let Some(id) = combined(edge.path, access.path)
                        {
                            edge.path = id;
                            edge.text = format!("{} + {}", edge.text, access.text);
                            edge.labels.extend(access.labels.iter().cloned());
                            edge.confidence = edge.confidence.min(access.confidence);
                        }
                        let span = edge.labels[0].0;
                        hops.push(edge);
                        let power = Power {
                            description: "can be given any permission".into(),
                            span,
                            confidence: Confidence::High,
                            admin: true,
                        };
                        (to, Some(power))
                    }
                    None => (node, self.power(node).cloned()),
                };
                power.map(|power| Reached {
                    start,
                    hops,
                    end,
                    power,
                })
            })
            .max_by_key(|reached| reached.confidence())
    }
}

/// An action allowed on a runner: the entry, how sure, whether it reaches broadly.
#[derive(Clone, Copy, Debug)]
struct RunnerHit {
    span: Span,
    confidence: Confidence,
    broad: bool,
}

/// A way `Graph::search` found to more power: (admin, hops, the node, and for a change of a
/// principal's policies, the index of the edge among the node's and the principal changed).
type Candidate = (bool, usize, usize, Option<(usize, usize)>);

/// How a message names a resource that runs as a role: ``Lambda function `target` ``.
fn runner_name(resource_type: &str, address: &str) -> String {
    let noun = RUNNER_KINDS
        .iter()
        .find(|(t, ..)| *t == resource_type)
        .map_or_else(
            || format!("`{}`", printable(resource_type)),
            |(_, noun, ..)| noun.to_string(),
        );
    format!("{noun} {}", resource_name(address))
}

/// Whether an `AWS` principal is the deploying account written as a deploy-time value on its
/// own: `data.aws_caller_identity.<name>.account_id` or `${AWS::AccountId}`, which stand for
/// the account's root like a literal account id. (`arn:...:iam::${...}:root` is a root already.)
fn is_own_account(value: &Value) -> bool {
    let unknown = match &value.kind {
        ValueKind::Unknown(unknown) => unknown,
        ValueKind::Template(parts) => match parts.as_slice() {
            [TemplatePart::Hole(unknown)] => unknown,
            _ => return false,
        },
        _ => return false,
    };
    is_data_attribute(unknown, "aws_caller_identity", "account_id")
        || unknown.expression == "AWS::AccountId"
}

/// Whether a deploy-time value is the deploying account or its partition
/// (`data.aws_caller_identity.<name>.account_id`, `data.aws_partition.<name>.partition`,
/// `${AWS::AccountId}`, `${AWS::Partition}`).
fn is_own_account_or_partition(unknown: &Unknown) -> bool {
    is_data_attribute(unknown, "aws_caller_identity", "account_id")
        || is_data_attribute(unknown, "aws_partition", "partition")
        || matches!(
            unknown.expression.as_str(),
            "AWS::AccountId" | "AWS::Partition"
        )
}

/// Whether an unknown is `data.<data_type>.<name>.<attribute>`.
fn is_data_attribute(unknown: &Unknown, data_type: &str, attribute: &str) -> bool {
    unknown
        .expression
        .strip_prefix("data.")
        .and_then(|rest| rest.strip_prefix(data_type))
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(_, rest)| rest == attribute)
}

/// Whether an unconditioned `Deny` of the policies removes `action` on a resource
/// `names_it` accepts.
fn denies(policies: &[&Policy<'_>], action: &str, names_it: impl Fn(&Value) -> bool) -> bool {
    policies
        .iter()
        .flat_map(|p| &p.statements)
        .filter(|s| s.effect == Some(Effect::Deny) && s.conditions.is_empty())
        .filter(|s| s.action.as_ref().is_some_and(|a| !a.negated))
        .filter(|s| s.resource.as_ref().is_some_and(|r| !r.negated))
        .any(|s| {
            s.actions()
                .iter()
                .any(|a| a.as_str().is_some_and(|p| wildcard_match(p, action, true)))
                && s.resources().iter().any(|r| names_it(r))
        })
}

fn iam_arn(prefix: &'static str) -> (&'static str, &'static str) {
    ("iam", prefix)
}

/// How sure a hop through `hit` can be, or `None` when a condition blocks it: a
/// `iam:PassedToService` pin blocks passing to any other service.
fn guard(
    hit: &Hit<'_, '_, '_>,
    action: crate::catalog::ActionId,
    service: Option<&str>,
) -> Option<Confidence> {
    let mut confidence = Confidence::High;
    for (class, condition) in hit.grant.tests_for(action) {
        match class {
            ConditionClass::Weak => {}
            ConditionClass::PassedToService if service.is_some() => {
                let service = service.unwrap_or_default();
                let allows = condition.values.iter().any(|v| match v.as_str() {
                    Some(pinned) => wildcard_match(pinned, service, true),
                    None => true,
                });
                if !allows {
                    return None;
                }
            }
            ConditionClass::Other | ConditionClass::PrincipalTag => {
                confidence = confidence.min(Confidence::Low);
            }
            _ => return None,
        }
    }
    if hit.grant.unknown_actions {
        confidence = confidence.min(Confidence::Medium);
    }
    Some(confidence)
}

/// Whether a resource entry names the resource at `address` (named `name`, whose ARN has the
/// service and resource prefix `arn`), and how sure.
fn names(
    value: &Value,
    address: &str,
    name: Option<&str>,
    arn: (&str, &str),
) -> Option<Confidence> {
    let refers = |unknown: &Unknown| unknown.reference.as_ref().map(|r| r.address == address);
    match &value.kind {
        ValueKind::Unknown(unknown) => match refers(unknown) {
            Some(true) => Some(Confidence::High),
            // A reference to another resource names that one.
            Some(false) => None,
            None => Some(Confidence::Low),
        },
        ValueKind::Template(parts) => {
            let mut other = false;
            let mut only_own_account = true;
            for part in parts {
                if let TemplatePart::Hole(unknown) = part {
                    let own = is_own_account_or_partition(unknown);
                    only_own_account &= own;
                    match refers(unknown) {
                        Some(true) => return Some(Confidence::High),
                        Some(false) if !own => other = true,
                        _ => {}
                    }
                }
            }
            if other {
                return None;
            }
            // Deploy-time holes match anything, at low confidence; the deploying account and
            // partition are those of the resources the code declares, so an ARN built from
            // them and a literal name names the resource as surely as a reference does.
            let text = value.template_text()?;
            let named = names_text(&text.replace("${}", "*"), name, arn);
            if only_own_account {
                named
            } else {
                named.map(|_| Confidence::Low)
            }
        }
        ValueKind::String(text) => names_text(text, name, arn),
        _ => None,
    }
}

/// Whether the text of a resource entry (`*`, an ARN or ARN pattern) names the resource
/// called `name` (`None`: generated, so only a wildcard can match it).
fn names_text(
    text: &str,
    name: Option<&str>,
    (service, prefix): (&str, &str),
) -> Option<Confidence> {
    if text == "*" {
        return Some(Confidence::Medium);
    }
    let mut fields = text.splitn(6, ':');
    let (Some("arn"), Some(_), Some(arn_service), Some(_), Some(_), Some(resource)) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return None;
    };
    if !wildcard_match(arn_service, service, true) {
        return None;
    }
    let pattern_has_wildcard = has_wildcard(resource);
    let subject = match name {
        Some(name) => format!("{prefix}{name}"),
        // A generated name: only a wildcard can cover it.
        None => format!("{prefix}\u{1}"),
    };
    // IAM names may sit under a path: `role/team/app-*` names `app-x` in `/team/`.
    let last = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
    let matched = wildcard_match(resource, &subject, false)
        || (service == "iam"
            && resource.starts_with(prefix)
            && name.is_some()
            && wildcard_match(&last(resource), &last(&subject), false));
    if !matched {
        return None;
    }
    Some(if pattern_has_wildcard {
        Confidence::Medium
    } else {
        Confidence::High
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Every id some table of the graph (or the data-driven new-passrole edges) follows.
    fn followed() -> Vec<&'static str> {
        new_passrole()
            .iter()
            .map(|(path, ..)| *path)
            .chain(EXISTING_PASSROLE.iter().map(|(path, ..)| *path))
            .chain(PASSROLE_TO_RUNNER.iter().map(|(path, ..)| *path))
            .chain(PRINCIPAL_ACCESS.iter().map(|(path, ..)| *path))
            .chain(MODIFY.iter().map(|(path, ..)| *path))
            .chain(MODIFY.iter().flat_map(|(modify, ..)| {
                PRINCIPAL_ACCESS
                    .iter()
                    .filter_map(|(access, ..)| combined(modify, access))
            }))
            .collect()
    }

    #[test]
    fn runner_arns_match_what_follows_the_name() {
        let matches = |resource_type: &str, name: &str, resource: &str| {
            let (_, _, service, prefix, after) = RUNNER_KINDS
                .iter()
                .find(|(t, ..)| *t == resource_type)
                .unwrap();
            let subject = after.map(|after| format!("{name}{after}"));
            names_text(resource, subject.as_deref(), (service, prefix)).is_some()
        };
        let stack = "arn:aws:cloudformation:eu-west-1:123456789012:stack";
        assert!(matches(
            "aws_cloudformation_stack",
            "app",
            &format!("{stack}/app/*")
        ));
        assert!(!matches(
            "aws_cloudformation_stack",
            "app",
            &format!("{stack}/other/*")
        ));
        assert!(!matches(
            "aws_cloudformation_stack",
            "app",
            &format!("{stack}/app")
        ));
        let stack_set = "arn:aws:cloudformation:eu-west-1:123456789012:stackset";
        assert!(matches(
            "aws_cloudformation_stack_set",
            "org",
            &format!("{stack_set}/org:*")
        ));
        assert!(matches(
            "aws_lambda_function",
            "fn",
            "arn:aws:lambda:*:*:function:fn"
        ));
        // A launch template's ARN holds its id, not its name.
        let template = "arn:aws:ec2:*:*:launch-template";
        assert!(!matches(
            "aws_launch_template",
            "web",
            &format!("{template}/web")
        ));
        assert!(matches(
            "aws_launch_template",
            "web",
            &format!("{template}/*")
        ));
    }

    #[test]
    fn data_target_arns_match_as_aws_matches_them() {
        let matches = |kind, name: Option<&str>, resource: &str| {
            let (_, _, service, prefix) = DATA_READS.iter().find(|(k, ..)| *k == kind).unwrap();
            let subject = target_subject(kind, name);
            names_text(resource, Some(&subject), (service, prefix)).is_some()
        };
        // A bucket is read through its objects, all of them.
        assert!(matches(
            DataKind::Bucket,
            Some("logs"),
            "arn:aws:s3:::logs/*"
        ));
        assert!(matches(DataKind::Bucket, Some("logs"), "arn:aws:s3:::*"));
        assert!(!matches(
            DataKind::Bucket,
            Some("logs"),
            "arn:aws:s3:::logs"
        ));
        assert!(!matches(
            DataKind::Bucket,
            Some("logs"),
            "arn:aws:s3:::other/*"
        ));
        assert!(!matches(DataKind::Bucket, None, "arn:aws:s3:::logs/*"));
        // A secret's ARN ends in six random characters.
        let secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db";
        assert!(matches(
            DataKind::Secret,
            Some("db"),
            &format!("{secret}-??????")
        ));
        assert!(matches(DataKind::Secret, Some("db"), &format!("{secret}*")));
        assert!(!matches(DataKind::Secret, Some("db"), secret));
        // A parameter's leading slash is not repeated after `parameter`.
        let parameter = "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db";
        assert!(matches(DataKind::Parameter, Some("/app/db"), parameter));
        assert!(matches(
            DataKind::Parameter,
            Some("/app/db"),
            "arn:aws:ssm:*:*:parameter/app/*"
        ));
        assert!(!matches(
            DataKind::Parameter,
            Some("/app/db"),
            "arn:aws:ssm:*:*:parameter/other"
        ));
        // A key's id is generated: only a wildcard names it.
        assert!(matches(DataKind::Key, None, "arn:aws:kms:*:*:key/*"));
        assert!(!matches(
            DataKind::Key,
            None,
            "arn:aws:kms:*:*:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        ));
    }

    #[test]
    fn the_catalogue_parses_with_unique_ids_and_known_actions() {
        let paths = catalogue();
        assert_eq!(paths.len(), 65, "pathfinding.cloud has 65 paths");
        let ids: HashSet<&str> = paths.iter().map(|p| p.id).collect();
        assert_eq!(ids.len(), paths.len(), "ids are unique");
        let catalog = Catalog::get();
        for path in paths {
            for permission in path.permissions {
                assert!(
                    catalog.action(permission.action).is_some(),
                    "{}: {} is not in the action catalog",
                    path.id,
                    permission.action
                );
            }
        }
    }

    #[test]
    fn the_graph_follows_exactly_the_catalogue_paths_not_listed_as_left_out() {
        let followed = followed();
        let mut seen = HashSet::new();
        for id in &followed {
            assert!(seen.insert(*id), "{id} is followed by two edge tables");
        }
        for path in catalogue() {
            match &path.not_in_graph {
                Some(why) => {
                    assert!(!why.is_empty(), "{}: say why it is left out", path.id);
                    assert!(!seen.contains(path.id), "{} is followed", path.id);
                }
                None => assert!(seen.contains(path.id), "{} has no edge", path.id),
            }
        }
    }

    #[test]
    fn the_edge_tables_agree_with_the_catalogue() {
        let find = |id: &str| {
            catalogue()
                .iter()
                .find(|p| p.id == id)
                .unwrap_or_else(|| panic!("{id} is not in the catalogue"))
        };
        let needs = |id: &str, action: &str, applies_to: &[&str]| {
            let path = find(id);
            assert!(
                path.permissions
                    .iter()
                    .any(|p| p.action == action && applies_to.contains(&p.applies_to)),
                "{id} does not need {action} on {applies_to:?}"
            );
            path
        };
        for (id, service, creates) in new_passrole() {
            let path = needs(id, "iam:PassRole", &["passed-role"]);
            assert_eq!(
                creates.len() + 1,
                path.permissions.len(),
                "{id}: every permission but iam:PassRole creates or re-points a resource"
            );
            assert!(service.ends_with(".amazonaws.com"), "{id}: {service}");
            assert_eq!(path.category, "new-passrole");
        }
        for (id, actions, _) in EXISTING_PASSROLE {
            for action in *actions {
                needs(id, action, &["runner"]);
            }
            assert_eq!(
                find(id).permissions.len(),
                actions.len(),
                "{id}: every action"
            );
        }
        for (id, action, service, _) in PASSROLE_TO_RUNNER {
            needs(id, "iam:PassRole", &["passed-role"]);
            let path = needs(id, action, &["runner"]);
            assert_eq!(path.permissions.len(), 2, "{id}: iam:PassRole and {action}");
            assert_eq!(path.passed_to_service, Some(*service));
        }
        for (id, action, kind) in PRINCIPAL_ACCESS {
            let target = match kind {
                PrincipalKind::User => "target-user",
                PrincipalKind::Group => "target-group",
                _ => "target-role",
            };
            needs(id, action, &[target]);
        }
        for (id, action, kind) in MODIFY {
            let target = match kind {
                Some(PrincipalKind::User) => "target-user",
                Some(PrincipalKind::Group) => "target-group",
                Some(_) => "target-role",
                None => "target-policy",
            };
            assert_eq!(needs(id, action, &[target]).category, "self-escalation");
        }
    }

    #[test]
    fn the_per_document_paths_name_catalogue_ids_with_the_same_actions() {
        let data: serde_json::Value =
            serde_json::from_str(include_str!("../../rules/data/privilege_escalation.json"))
                .unwrap();
        for entry in data["paths"].as_array().unwrap() {
            for id in entry["pathfinding"].as_array().into_iter().flatten() {
                let id = id.as_str().unwrap();
                let path = catalogue()
                    .iter()
                    .find(|p| p.id == id)
                    .unwrap_or_else(|| panic!("{id} is not in the catalogue"));
                // The per-document entry may add a helper action (the trust change is
                // followed by `sts:AssumeRole`), but names the catalogue's first one.
                let first = path.permissions[0].action;
                assert!(
                    entry["requires"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|a| a.as_str() == Some(first)),
                    "{}: needs {first} as {id} does",
                    entry["id"]
                );
            }
        }
    }
}
