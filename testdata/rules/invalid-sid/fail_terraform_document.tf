data "aws_iam_policy_document" "invalid_sid" {
  statement {
    sid       = "read reports"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
  }
}
