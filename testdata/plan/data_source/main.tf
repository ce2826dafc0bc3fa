data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["logs:PutLogEvnts"]
    resources = ["arn:aws:logs:*:*:log-group:app:*"]
  }
}

resource "aws_iam_role_policy" "logs" {
  name   = "logs"
  role   = "app"
  policy = data.aws_iam_policy_document.logs.json
}

data "aws_iam_policy_document" "broad" {
  statement {
    actions   = ["s3:*"]
    resources = ["*"]
  }
}
