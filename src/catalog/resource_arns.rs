//! The ARN a resource of infrastructure code has, by its type and the attribute taken:
//! `aws_sqs_queue.jobs.arn` is `arn:${Partition}:sqs:${Region}:${Account}:${QueueName}`.
//
// A const table here rather than a data file: it is short, hand-checked against the
// Terraform and CloudFormation documentation, and only the few types whose ARN shape is
// certain belong in it (a wrong shape is a false error). It sits in the catalog because the
// shape is AWS knowledge, next to the ARN formats it is matched against.

use super::ArnPiece;

/// One resource type's ARN attribute.
struct ResourceArn {
    /// Terraform resource type or CloudFormation type.
    resource_type: &'static str,
    /// The attribute that holds the ARN: Terraform's `arn`, a CloudFormation `!GetAtt`
    /// attribute, or empty for a CloudFormation `!Ref` that returns the ARN.
    attribute: &'static str,
    /// The ARN, with `{}` for a deploy-time value without `/` or `:` (a field, a plain name)
    /// and `{/}` for a name that may hold a path.
    shape: &'static str,
    /// What the resource is, for messages: "an SQS queue".
    what: &'static str,
}

const fn arn(
    resource_type: &'static str,
    attribute: &'static str,
    shape: &'static str,
    what: &'static str,
) -> ResourceArn {
    ResourceArn {
        resource_type,
        attribute,
        shape,
        what,
    }
}

const S3_BUCKET: &str = "arn:{}:s3:::{}";
const SQS_QUEUE: &str = "arn:{}:sqs:{}:{}:{}";
const SNS_TOPIC: &str = "arn:{}:sns:{}:{}:{}";
const LAMBDA_FUNCTION: &str = "arn:{}:lambda:{}:{}:function:{}";
const DYNAMODB_TABLE: &str = "arn:{}:dynamodb:{}:{}:table/{}";
const KMS_KEY: &str = "arn:{}:kms:{}:{}:key/{}";
const IAM_ROLE: &str = "arn:{}:iam::{}:role/{/}";
const IAM_USER: &str = "arn:{}:iam::{}:user/{/}";
const IAM_POLICY: &str = "arn:{}:iam::{}:policy/{/}";
// Secrets Manager appends a dash and six random characters to the name.
const SECRET: &str = "arn:{}:secretsmanager:{}:{}:secret:{/}";
const ECR_REPOSITORY: &str = "arn:{}:ecr:{}:{}:repository/{/}";
const KINESIS_STREAM: &str = "arn:{}:kinesis:{}:{}:stream/{}";
const STATE_MACHINE: &str = "arn:{}:states:{}:{}:stateMachine:{}";

const RESOURCE_ARNS: &[ResourceArn] = &[
    arn("aws_s3_bucket", "arn", S3_BUCKET, "an S3 bucket"),
    arn("aws_sqs_queue", "arn", SQS_QUEUE, "an SQS queue"),
    arn("aws_sns_topic", "arn", SNS_TOPIC, "an SNS topic"),
    arn(
        "aws_lambda_function",
        "arn",
        LAMBDA_FUNCTION,
        "a Lambda function",
    ),
    arn(
        "aws_dynamodb_table",
        "arn",
        DYNAMODB_TABLE,
        "a DynamoDB table",
    ),
    arn("aws_kms_key", "arn", KMS_KEY, "a KMS key"),
    arn("aws_iam_role", "arn", IAM_ROLE, "an IAM role"),
    arn("aws_iam_user", "arn", IAM_USER, "an IAM user"),
    arn("aws_iam_policy", "arn", IAM_POLICY, "an IAM policy"),
    arn(
        "aws_secretsmanager_secret",
        "arn",
        SECRET,
        "a Secrets Manager secret",
    ),
    arn(
        "aws_ecr_repository",
        "arn",
        ECR_REPOSITORY,
        "an ECR repository",
    ),
    arn(
        "aws_kinesis_stream",
        "arn",
        KINESIS_STREAM,
        "a Kinesis stream",
    ),
    // Terraform's log group `arn` has no trailing `:*` (CloudFormation's has).
    arn(
        "aws_cloudwatch_log_group",
        "arn",
        "arn:{}:logs:{}:{}:log-group:{/}",
        "a CloudWatch Logs log group",
    ),
    // A hierarchical name starts with `/`, which the ARN does not repeat.
    arn(
        "aws_ssm_parameter",
        "arn",
        "arn:{}:ssm:{}:{}:parameter/{/}",
        "an SSM parameter",
    ),
    arn(
        "aws_sfn_state_machine",
        "arn",
        STATE_MACHINE,
        "a Step Functions state machine",
    ),
    arn("AWS::S3::Bucket", "Arn", S3_BUCKET, "an S3 bucket"),
    arn("AWS::SQS::Queue", "Arn", SQS_QUEUE, "an SQS queue"),
    arn("AWS::SNS::Topic", "", SNS_TOPIC, "an SNS topic"),
    arn("AWS::SNS::Topic", "TopicArn", SNS_TOPIC, "an SNS topic"),
    arn(
        "AWS::Lambda::Function",
        "Arn",
        LAMBDA_FUNCTION,
        "a Lambda function",
    ),
    arn(
        "AWS::DynamoDB::Table",
        "Arn",
        DYNAMODB_TABLE,
        "a DynamoDB table",
    ),
    arn("AWS::KMS::Key", "Arn", KMS_KEY, "a KMS key"),
    arn("AWS::IAM::Role", "Arn", IAM_ROLE, "an IAM role"),
    arn("AWS::IAM::User", "Arn", IAM_USER, "an IAM user"),
    arn("AWS::IAM::ManagedPolicy", "", IAM_POLICY, "an IAM policy"),
    arn(
        "AWS::ECR::Repository",
        "Arn",
        ECR_REPOSITORY,
        "an ECR repository",
    ),
    arn(
        "AWS::Kinesis::Stream",
        "Arn",
        KINESIS_STREAM,
        "a Kinesis stream",
    ),
    arn(
        "AWS::StepFunctions::StateMachine",
        "",
        STATE_MACHINE,
        "a Step Functions state machine",
    ),
    arn(
        "AWS::StepFunctions::StateMachine",
        "Arn",
        STATE_MACHINE,
        "a Step Functions state machine",
    ),
    arn(
        "AWS::SecretsManager::Secret",
        "",
        SECRET,
        "a Secrets Manager secret",
    ),
];

/// The ARN of a resource referenced by type and attribute, as resource pattern pieces, and
/// what the resource is; `None` when the attribute is not a known ARN of the type.
pub fn resource_arn(
    resource_type: &str,
    attribute: &str,
) -> Option<(Vec<ArnPiece<'static>>, &'static str)> {
    let entry = RESOURCE_ARNS
        .iter()
        .find(|e| e.resource_type == resource_type && e.attribute == attribute)?;
    let mut pieces = Vec::new();
    let mut rest = entry.shape;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(ArnPiece::Literal(&rest[..open]));
        }
        let close = open + rest[open..].find('}').unwrap_or(0);
        pieces.push(if &rest[open..=close] == "{/}" {
            ArnPiece::Hole
        } else {
            ArnPiece::Field
        });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(ArnPiece::Literal(rest));
    }
    Some((pieces, entry.what))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, Match};

    /// Every shape is an ARN of a resource type its service documents: a typo in the table
    /// would make every use of that resource a finding.
    #[test]
    fn every_shape_fits_a_resource_type_of_its_service() {
        let catalog = Catalog::get();
        for entry in RESOURCE_ARNS {
            let sample = entry.shape.replace("{/}", "path/name").replace("{}", "x1");
            let service = entry.shape.split(':').nth(2).unwrap();
            let fits = catalog
                .service(service)
                .unwrap_or_else(|| panic!("no service {service}"))
                .resource_types()
                .any(|rt| catalog.fits_resource_type(&sample, &rt));
            assert!(
                fits,
                "{} {}: {sample}",
                entry.resource_type, entry.attribute
            );
            assert!(resource_arn(entry.resource_type, entry.attribute).is_some());
        }
    }

    #[test]
    fn a_bucket_is_not_its_objects() {
        let catalog = Catalog::get();
        let action = |name| catalog.action(name).unwrap();
        let (bucket, what) = resource_arn("aws_s3_bucket", "arn").unwrap();
        assert_eq!(what, "an S3 bucket");
        let objects = [bucket.clone(), vec![ArnPiece::Literal("/*")]].concat();
        assert_eq!(
            catalog.match_resource(action("s3:GetObject"), &bucket),
            Match::No
        );
        assert_eq!(
            catalog.match_resource(action("s3:ListBucket"), &objects),
            Match::No
        );
        assert_eq!(
            catalog.match_resource(action("s3:GetObject"), &objects),
            Match::Unknown
        );
        // A role name may hold a path.
        let (role, _) = resource_arn("AWS::IAM::Role", "Arn").unwrap();
        assert_eq!(
            catalog.match_resource(action("iam:PassRole"), &role),
            Match::Unknown
        );
        assert!(resource_arn("aws_s3_bucket", "id").is_none());
    }
}
