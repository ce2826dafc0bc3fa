# Resource attributes are ARNs of a known shape: the bucket, not its objects; a user, not a role.
resource "aws_s3_bucket" "reports" {
  bucket = "reports"
}

resource "aws_iam_user" "ci" {
  name = "ci"
}

data "aws_iam_policy_document" "worker" {
  statement {
    actions   = ["s3:GetObject"]
    resources = [aws_s3_bucket.reports.arn]
  }

  statement {
    actions   = ["s3:ListBucket"]
    resources = ["${aws_s3_bucket.reports.arn}/*"]
  }

  statement {
    actions   = ["iam:PassRole"]
    resources = [aws_iam_user.ci.arn]
  }
}

resource "aws_iam_policy" "worker" {
  name   = "worker"
  policy = data.aws_iam_policy_document.worker.json
}
