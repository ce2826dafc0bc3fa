# The provider writes "Version": "2012-10-17" when `version` is not set.
data "aws_iam_policy_document" "default_version" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::reports"]
  }
}
