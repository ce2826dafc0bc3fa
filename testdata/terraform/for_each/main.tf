variable "buckets" {
  type = map(string)
}

data "aws_iam_policy_document" "bucket" {
  for_each = var.buckets

  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${each.value}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_s3_bucket_policy" "bucket" {
  for_each = var.buckets
  bucket   = each.value
  policy   = data.aws_iam_policy_document.bucket[each.key].json
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = "logs"
  policy = data.aws_iam_policy_document.bucket["logs"].json
}

resource "aws_iam_user" "deployers" {
  for_each = toset(["alice", "bob"])
  name     = each.key
}

resource "aws_iam_user_policy" "deploy" {
  for_each = aws_iam_user.deployers
  user     = each.value.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect      = "Allow"
      NotAction   = ["iam:*"]
      NotResource = ["arn:aws:s3:::prod/*"]
    }]
  })
}
