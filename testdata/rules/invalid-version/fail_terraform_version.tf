data "aws_iam_policy_document" "invalid_version" {
  version = "2012-10-18"

  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
  }
}
