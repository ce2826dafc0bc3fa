resource "aws_iam_role_policy" "malformed" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}
