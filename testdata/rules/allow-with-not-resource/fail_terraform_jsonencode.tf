resource "aws_iam_role_policy" "not_resource" {
  role = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect      = "Allow"
      Action      = "s3:DeleteObject"
      NotResource = "arn:aws:s3:::backups/*"
    }]
  })
}
