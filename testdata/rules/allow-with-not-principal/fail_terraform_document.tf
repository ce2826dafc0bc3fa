data "aws_iam_policy_document" "bucket" {
  statement {
    effect  = "Allow"
    actions = ["s3:GetObject"]
    not_principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/batch"]
    }
    resources = ["arn:aws:s3:::reports/*"]
  }
}
