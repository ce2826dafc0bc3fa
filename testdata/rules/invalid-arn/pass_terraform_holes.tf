data "aws_iam_policy_document" "arn_with_holes" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:${data.aws_partition.current.partition}:s3:::${var.bucket}/*"]
  }
}
