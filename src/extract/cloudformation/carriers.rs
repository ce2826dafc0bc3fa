//! Which resource properties hold IAM policy documents, and who receives them.
//!
//! The carrier and grant tables are data, one line per entry; the walk below reads them.

use super::template::{self, Extractor};
use super::tree::Node;
use crate::extract::carrier::{Carrier, Grant, Holds, carrier, grant};
use crate::extract::document::PrincipalKind;
use crate::extract::inventory::DataKind;

use Holds::{Identity, Organizations, Resource, Trust};

/// Every property known to hold an IAM policy document. `Statement`s elsewhere (WAFv2 rules,
/// IoT policies, EventBridge bus policies' single statements) are not IAM documents and are
/// never read, and `AWS::Lambda::Permission` is a set of properties, not a document.
#[rustfmt::skip]
pub(super) const CARRIERS: &[Carrier] = &[
    carrier("AWS::IAM::Policy",                     "PolicyDocument",                 Identity),
    carrier("AWS::IAM::ManagedPolicy",              "PolicyDocument",                 Identity),
    carrier("AWS::IAM::RolePolicy",                 "PolicyDocument",                 Identity),
    carrier("AWS::IAM::UserPolicy",                 "PolicyDocument",                 Identity),
    carrier("AWS::IAM::GroupPolicy",                "PolicyDocument",                 Identity),
    carrier("AWS::IAM::Role",                       "AssumeRolePolicyDocument",       Trust),
    carrier("AWS::IAM::Role",                       "Policies[].PolicyDocument",      Identity),
    carrier("AWS::IAM::User",                       "Policies[].PolicyDocument",      Identity),
    carrier("AWS::IAM::Group",                      "Policies[].PolicyDocument",      Identity),
    carrier("AWS::SSO::PermissionSet",              "InlinePolicy",                   Identity),
    carrier("AWS::S3::BucketPolicy",                "PolicyDocument",                 Resource),
    carrier("AWS::S3::AccessPoint",                 "Policy",                         Resource),
    carrier("AWS::S3::MultiRegionAccessPointPolicy", "Policy",                        Resource),
    carrier("AWS::S3ObjectLambda::AccessPointPolicy", "PolicyDocument",               Resource),
    carrier("AWS::S3Express::BucketPolicy",         "PolicyDocument",                 Resource),
    carrier("AWS::SQS::QueuePolicy",                "PolicyDocument",                 Resource),
    carrier("AWS::SQS::QueueInlinePolicy",          "PolicyDocument",                 Resource),
    carrier("AWS::SNS::TopicPolicy",                "PolicyDocument",                 Resource),
    carrier("AWS::SNS::TopicInlinePolicy",          "PolicyDocument",                 Resource),
    carrier("AWS::KMS::Key",                        "KeyPolicy",                      Resource),
    carrier("AWS::KMS::ReplicaKey",                 "KeyPolicy",                      Resource),
    carrier("AWS::SecretsManager::ResourcePolicy",  "ResourcePolicy",                 Resource),
    carrier("AWS::ECR::Repository",                 "RepositoryPolicyText",           Resource),
    carrier("AWS::ECR::RegistryPolicy",             "PolicyText",                     Resource),
    carrier("AWS::Logs::ResourcePolicy",            "PolicyDocument",                 Resource),
    carrier("AWS::OpenSearchService::Domain",       "AccessPolicies",                 Resource),
    carrier("AWS::Elasticsearch::Domain",           "AccessPolicies",                 Resource),
    carrier("AWS::ApiGateway::RestApi",             "Policy",                         Resource),
    carrier("AWS::EFS::FileSystem",                 "FileSystemPolicy",               Resource),
    carrier("AWS::Backup::BackupVault",             "AccessPolicy",                   Resource),
    carrier("AWS::EC2::VPCEndpoint",                "PolicyDocument",                 Resource),
    carrier("AWS::DynamoDB::Table",                 "ResourcePolicy.PolicyDocument",  Resource),
    carrier("AWS::Kinesis::ResourcePolicy",         "ResourcePolicy",                 Resource),
    carrier("AWS::CodeArtifact::Domain",            "PermissionsPolicyDocument",      Resource),
    carrier("AWS::CodeArtifact::Repository",        "PermissionsPolicyDocument",      Resource),
    carrier("AWS::Organizations::Policy",           "Content",                        Organizations),
];

use PrincipalKind::{Group, Role, User};

/// Each property is a list of names or `!Ref`s, or a single one (`RoleName`).
#[rustfmt::skip]
pub(super) const GRANTS: &[Grant] = &[
    grant("AWS::IAM::Policy",        "Roles",     Role),
    grant("AWS::IAM::Policy",        "Users",     User),
    grant("AWS::IAM::Policy",        "Groups",    Group),
    grant("AWS::IAM::ManagedPolicy", "Roles",     Role),
    grant("AWS::IAM::ManagedPolicy", "Users",     User),
    grant("AWS::IAM::ManagedPolicy", "Groups",    Group),
    grant("AWS::IAM::RolePolicy",    "RoleName",  Role),
    grant("AWS::IAM::UserPolicy",    "UserName",  User),
    grant("AWS::IAM::GroupPolicy",   "GroupName", Group),
];

/// Principals declared by the resource itself: its inline policies and trust policy are its
/// own, and `ManagedPolicyArns` / `PermissionsBoundary` attach policies to it.
#[rustfmt::skip]
pub(super) const PRINCIPALS: &[(&str, PrincipalKind)] = &[
    ("AWS::IAM::Role",  Role),
    ("AWS::IAM::User",  User),
    ("AWS::IAM::Group", Group),
];

/// Resources that run as a role, for the access graph: (type, property path, the service that
/// assumes the role, whether it names an instance profile).
#[rustfmt::skip]
pub(super) const RUNNERS: &[(&str, &str, &str, bool)] = &[
    ("AWS::EC2::Instance",             "IamInstanceProfile",                           "ec2.amazonaws.com",             true),
    ("AWS::EC2::LaunchTemplate",       "LaunchTemplateData.IamInstanceProfile.Arn",    "ec2.amazonaws.com",             true),
    ("AWS::EC2::LaunchTemplate",       "LaunchTemplateData.IamInstanceProfile.Name",   "ec2.amazonaws.com",             true),
    ("AWS::Lambda::Function",          "Role",                                         "lambda.amazonaws.com",          false),
    ("AWS::Serverless::Function",      "Role",                                         "lambda.amazonaws.com",          false),
    // A stack set's template runs as its execution role (in the account of each instance),
    // which its administration role assumes.
    ("AWS::CloudFormation::StackSet",  "ExecutionRoleName",                            "cloudformation.amazonaws.com",  false),
    ("AWS::ECS::TaskDefinition",       "TaskRoleArn",                                  "ecs-tasks.amazonaws.com",       false),
    ("AWS::ECS::TaskDefinition",       "ExecutionRoleArn",                             "ecs-tasks.amazonaws.com",       false),
    ("AWS::CodeBuild::Project",        "ServiceRole",                                  "codebuild.amazonaws.com",       false),
    ("AWS::Glue::Job",                 "Role",                                         "glue.amazonaws.com",            false),
    ("AWS::SageMaker::NotebookInstance", "RoleArn",                                    "sagemaker.amazonaws.com",       false),
    ("AWS::AppRunner::Service",        "InstanceConfiguration.InstanceRoleArn",        "tasks.apprunner.amazonaws.com", false),
    ("AWS::BedrockAgentCore::CodeInterpreterCustom", "ExecutionRoleArn",           "bedrock-agentcore.amazonaws.com", false),
];

/// The property holding a resource's name, for principals, customer managed policies and
/// runners.
#[rustfmt::skip]
pub(super) const NAMES: &[(&str, &str)] = &[
    ("AWS::IAM::Role",                   "RoleName"),
    ("AWS::IAM::User",                   "UserName"),
    ("AWS::IAM::Group",                  "GroupName"),
    ("AWS::IAM::ManagedPolicy",          "ManagedPolicyName"),
    ("AWS::Lambda::Function",            "FunctionName"),
    ("AWS::Serverless::Function",        "FunctionName"),
    ("AWS::CloudFormation::StackSet",    "StackSetName"),
    ("AWS::CodeBuild::Project",          "Name"),
    ("AWS::Glue::Job",                   "Name"),
    ("AWS::SageMaker::NotebookInstance", "NotebookInstanceName"),
    ("AWS::AppRunner::Service",          "ServiceName"),
    ("AWS::BedrockAgentCore::CodeInterpreterCustom", "Name"),
    ("AWS::EC2::LaunchTemplate",         "LaunchTemplateName"),
    ("AWS::S3::Bucket",                  "BucketName"),
    ("AWS::SecretsManager::Secret",      "Name"),
    ("AWS::SSM::Parameter",              "Name"),
];

/// Data stores a chain may reach, for the access graph (their names in `NAMES`; a KMS key's
/// ARN holds a generated id).
#[rustfmt::skip]
pub(super) const DATA_TARGETS: &[(&str, DataKind)] = &[
    ("AWS::S3::Bucket",             DataKind::Bucket),
    ("AWS::SecretsManager::Secret", DataKind::Secret),
    ("AWS::SSM::Parameter",         DataKind::Parameter),
    ("AWS::KMS::Key",               DataKind::Key),
];

/// The elements of a list property with `Fn::If` branches spliced in and `AWS::NoValue`
/// dropped, each with its attribute path (`Policies[1]`, `Policies[1].Fn::If[2]`).
pub(super) fn elements<'n>(list: &'n Node, path: &str) -> Vec<(String, &'n Node)> {
    let mut out = Vec::new();
    collect_elements(list, path, &mut out, true);
    out
}

fn collect_elements<'n>(node: &'n Node, path: &str, out: &mut Vec<(String, &'n Node)>, top: bool) {
    if node.is_no_value() {
        return;
    }
    if let Some(call) = node.call()
        && call.name == "Fn::If"
        && let Some([_, yes, no]) = call.arg.items()
    {
        collect_elements(yes, &format!("{path}.Fn::If[1]"), out, top);
        collect_elements(no, &format!("{path}.Fn::If[2]"), out, top);
        return;
    }
    match node.items() {
        Some(items) if top => {
            for (index, item) in items.iter().enumerate() {
                collect_elements(item, &format!("{path}[{index}]"), out, false);
            }
        }
        _ => out.push((path.to_string(), node)),
    }
}

impl Extractor<'_> {
    /// Reads one carrier property of one resource.
    pub(super) fn carrier(&mut self, resource: &template::Resource<'_>, carrier: &Carrier) {
        let Some(properties) = resource.properties else {
            return;
        };
        let segments: Vec<&str> = carrier.path.split('.').collect();
        self.walk(
            resource,
            carrier,
            properties,
            &segments,
            "Properties".to_string(),
            Vec::new(),
        );
    }

    fn walk(
        &mut self,
        resource: &template::Resource<'_>,
        carrier: &Carrier,
        node: &Node,
        segments: &[&str],
        attribute: String,
        notes: Vec<String>,
    ) {
        let Some((segment, rest)) = segments.split_first() else {
            self.carrier_document(resource, carrier, node, attribute, notes);
            return;
        };
        match segment.strip_suffix("[]") {
            Some(name) => {
                let Some(list) = node.get(name) else {
                    return;
                };
                for (path, element) in elements(list, &format!("{attribute}.{name}")) {
                    let mut notes = notes.clone();
                    if let Some(policy_name) = element.get("PolicyName").and_then(Node::as_str) {
                        notes.push(format!("policy name `{policy_name}`"));
                    }
                    self.walk(resource, carrier, element, rest, path, notes);
                }
            }
            None => {
                if let Some(child) = node.get(segment) {
                    self.walk(
                        resource,
                        carrier,
                        child,
                        rest,
                        format!("{attribute}.{segment}"),
                        notes,
                    );
                }
            }
        }
    }
}
