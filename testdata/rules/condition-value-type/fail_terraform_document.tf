data "aws_iam_policy_document" "condition_type" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::reports/*"]

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["no"]
    }
  }
}
