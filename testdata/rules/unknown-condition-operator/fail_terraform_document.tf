data "aws_iam_policy_document" "unknown_operator" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]

    condition {
      test     = "StringEqual"
      variable = "aws:PrincipalTag/team"
      values   = ["data"]
    }
  }
}
