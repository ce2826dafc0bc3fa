locals {
  override = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ReadConfig"
      Effect   = "Allow"
      Action   = "ssm:GetParameters"
      Resource = "arn:aws:ssm:us-east-1:123456789012:parameter/app/*"
    }]
  })
}

resource "aws_s3_bucket" "data" {
  bucket = "app-data"
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_policy" "app" {
  name   = "app"
  policy = data.aws_iam_policy_document.final.json
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.app.arn
}
