data "aws_iam_policy_document" "invalid_arn" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:reports/*"]
  }
}
