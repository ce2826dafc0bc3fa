resource "aws_iam_policy" "passrole_scoped" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iam:PassRole"
      Resource = "arn:aws:iam::${var.account_id}:role/${var.role_name}"
    }]
  })
}
