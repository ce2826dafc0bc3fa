//! Which Terraform resource attributes hold IAM policy documents, and who receives them.
//!
//! The tables are data, one line per entry: adding a carrier is one line.

use crate::extract::carrier::{Carrier, Grant, Holds, carrier, grant};
use crate::extract::document::PrincipalKind;
use crate::extract::inventory::DataKind;

use Holds::{Identity, Organizations, Resource, Trust};
use PrincipalKind::{Group, Role, User};

/// Every attribute known to hold an IAM policy document. `aws_lambda_permission` and
/// `aws_lambda_layer_version_permission` are sets of arguments, not documents; Google, Azure
/// and Alibaba IAM resources are not AWS IAM and are never read.
#[rustfmt::skip]
pub(super) const CARRIERS: &[Carrier] = &[
    carrier("aws_iam_policy",                            "policy",                Identity),
    carrier("aws_iam_role_policy",                       "policy",                Identity),
    carrier("aws_iam_user_policy",                       "policy",                Identity),
    carrier("aws_iam_group_policy",                      "policy",                Identity),
    carrier("aws_iam_role",                              "inline_policy.policy",  Identity),
    carrier("aws_iam_role",                              "assume_role_policy",    Trust),
    carrier("aws_ssoadmin_permission_set_inline_policy", "inline_policy",         Identity),
    carrier("aws_organizations_policy",                  "content",               Organizations),
    carrier("aws_s3_bucket_policy",                      "policy",                Resource),
    carrier("aws_s3_bucket",                             "policy",                Resource),
    carrier("aws_s3_access_point",                       "policy",                Resource),
    carrier("aws_s3control_access_point_policy",         "policy",                Resource),
    carrier("aws_s3control_bucket_policy",               "policy",                Resource),
    carrier("aws_sqs_queue_policy",                      "policy",                Resource),
    carrier("aws_sqs_queue",                             "policy",                Resource),
    carrier("aws_sns_topic_policy",                      "policy",                Resource),
    carrier("aws_sns_topic",                             "policy",                Resource),
    carrier("aws_kms_key",                               "policy",                Resource),
    carrier("aws_kms_key_policy",                        "policy",                Resource),
    carrier("aws_kms_replica_key",                       "policy",                Resource),
    carrier("aws_ecr_repository_policy",                 "policy",                Resource),
    carrier("aws_ecr_registry_policy",                   "policy",                Resource),
    carrier("aws_ecrpublic_repository_policy",           "policy",                Resource),
    carrier("aws_secretsmanager_secret_policy",          "policy",                Resource),
    carrier("aws_secretsmanager_secret",                 "policy",                Resource),
    carrier("aws_cloudwatch_log_resource_policy",        "policy_document",       Resource),
    carrier("aws_opensearch_domain_policy",              "access_policies",       Resource),
    carrier("aws_opensearch_domain",                     "access_policies",       Resource),
    carrier("aws_elasticsearch_domain_policy",           "access_policies",       Resource),
    carrier("aws_elasticsearch_domain",                  "access_policies",       Resource),
    carrier("aws_api_gateway_rest_api_policy",           "policy",                Resource),
    carrier("aws_api_gateway_rest_api",                  "policy",                Resource),
    carrier("aws_efs_file_system_policy",                "policy",                Resource),
    carrier("aws_backup_vault_policy",                   "policy",                Resource),
    carrier("aws_glacier_vault",                         "access_policy",         Resource),
    carrier("aws_vpc_endpoint",                          "policy",                Resource),
    carrier("aws_vpc_endpoint_policy",                   "policy",                Resource),
    carrier("aws_dynamodb_resource_policy",              "policy",                Resource),
    carrier("aws_kinesis_resource_policy",               "policy",                Resource),
    carrier("aws_codeartifact_domain_permissions_policy",     "policy_document",  Resource),
    carrier("aws_codeartifact_repository_permissions_policy", "policy_document",  Resource),
];

/// An attribute naming the principal that receives a resource's inline identity policy.
#[rustfmt::skip]
pub(super) const GRANTS: &[Grant] = &[
    grant("aws_iam_role_policy",  "role",  Role),
    grant("aws_iam_user_policy",  "user",  User),
    grant("aws_iam_group_policy", "group", Group),
];

/// Resources attaching a managed policy (`policy_arn`) to principals: (type, attribute naming
/// the principal or a list of them, kind).
#[rustfmt::skip]
pub(super) const ATTACHMENTS: &[Grant] = &[
    grant("aws_iam_role_policy_attachment",  "role",   Role),
    grant("aws_iam_user_policy_attachment",  "user",   User),
    grant("aws_iam_group_policy_attachment", "group",  Group),
    grant("aws_iam_policy_attachment",       "roles",  Role),
    grant("aws_iam_policy_attachment",       "users",  User),
    grant("aws_iam_policy_attachment",       "groups", Group),
];

/// Principals declared by a resource: their inline and trust policies are their own, and
/// `managed_policy_arns` / `permissions_boundary` attach policies to them.
#[rustfmt::skip]
pub(super) const PRINCIPALS: &[(&str, PrincipalKind)] = &[
    ("aws_iam_role",  Role),
    ("aws_iam_user",  User),
    ("aws_iam_group", Group),
];

/// Resources that put users in groups: (type, the group attribute, the users attribute). A
/// user receives every identity policy of its groups.
#[rustfmt::skip]
pub(super) const GROUP_MEMBERSHIPS: &[(&str, &str, &str)] = &[
    ("aws_iam_user_group_membership", "groups", "user"),
    ("aws_iam_group_membership",      "group",  "users"),
];

/// Resources that run with an instance profile: (type, attribute or `block.attribute`).
#[rustfmt::skip]
pub(super) const PROFILE_USERS: &[(&str, &str)] = &[
    ("aws_instance", "iam_instance_profile"),
    ("aws_launch_template", "iam_instance_profile.name"),
    ("aws_launch_template", "iam_instance_profile.arn"),
    ("aws_launch_configuration", "iam_instance_profile"),
];

/// Resources that run as a role, for the access graph: (type, attribute or `block.attribute`
/// naming the role or instance profile, the service that assumes the role, whether it names
/// an instance profile).
#[rustfmt::skip]
pub(super) const RUNNERS: &[(&str, &str, &str, bool)] = &[
    ("aws_instance",                    "iam_instance_profile",                      "ec2.amazonaws.com",            true),
    ("aws_launch_template",             "iam_instance_profile.name",                 "ec2.amazonaws.com",            true),
    ("aws_launch_template",             "iam_instance_profile.arn",                  "ec2.amazonaws.com",            true),
    ("aws_launch_configuration",        "iam_instance_profile",                      "ec2.amazonaws.com",            true),
    ("aws_lambda_function",             "role",                                      "lambda.amazonaws.com",         false),
    ("aws_ecs_task_definition",         "task_role_arn",                             "ecs-tasks.amazonaws.com",      false),
    ("aws_ecs_task_definition",         "execution_role_arn",                        "ecs-tasks.amazonaws.com",      false),
    ("aws_codebuild_project",           "service_role",                              "codebuild.amazonaws.com",      false),
    ("aws_glue_job",                    "role_arn",                                  "glue.amazonaws.com",           false),
    ("aws_glue_dev_endpoint",           "role_arn",                                  "glue.amazonaws.com",           false),
    ("aws_cloudformation_stack",        "iam_role_arn",                              "cloudformation.amazonaws.com", false),
    // A stack set's template runs as its execution role (in the account of each instance),
    // which its administration role assumes.
    ("aws_cloudformation_stack_set",    "execution_role_name",                       "cloudformation.amazonaws.com", false),
    ("aws_bedrockagentcore_code_interpreter", "execution_role_arn",                  "bedrock-agentcore.amazonaws.com", false),
    ("aws_ssm_activation",              "iam_role",                                  "ssm.amazonaws.com",            false),
    ("aws_sagemaker_notebook_instance", "role_arn",                                  "sagemaker.amazonaws.com",      false),
    ("aws_apprunner_service",           "instance_configuration.instance_role_arn",  "tasks.apprunner.amazonaws.com", false),
];

/// The attribute holding a runner's name, as the ARN of a statement would name it.
#[rustfmt::skip]
pub(super) const RUNNER_NAMES: &[(&str, &str)] = &[
    ("aws_lambda_function",             "function_name"),
    ("aws_codebuild_project",           "name"),
    ("aws_glue_job",                    "name"),
    ("aws_glue_dev_endpoint",           "name"),
    ("aws_cloudformation_stack",        "name"),
    ("aws_cloudformation_stack_set",    "name"),
    ("aws_bedrockagentcore_code_interpreter", "name"),
    ("aws_ssm_activation",              "name"),
    ("aws_sagemaker_notebook_instance", "name"),
    ("aws_apprunner_service",           "service_name"),
    ("aws_launch_template",             "name"),
    ("aws_ecs_task_definition",         "family"),
];

/// Data stores a chain may reach, for the access graph: (type, kind, the attribute holding the
/// name an ARN uses, if any). A KMS key's ARN holds a generated id; an alias does not name
/// the key in an IAM policy's `Resource` (KMS authorizes on the key ARN), so it adds nothing.
#[rustfmt::skip]
pub(super) const DATA_TARGETS: &[(&str, DataKind, Option<&str>)] = &[
    ("aws_s3_bucket",             DataKind::Bucket,    Some("bucket")),
    ("aws_secretsmanager_secret", DataKind::Secret,    Some("name")),
    ("aws_ssm_parameter",         DataKind::Parameter, Some("name")),
    ("aws_kms_key",               DataKind::Key,       None),
];
