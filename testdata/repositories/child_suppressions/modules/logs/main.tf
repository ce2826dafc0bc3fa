variable "name" {
  type = string
}

resource "aws_iam_role_policy" "logs" {
  role = var.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        # iamlint: ignore[wildcard-action] the log shipper manages its own log groups
        Action   = "logs:*"
        Resource = ["arn:aws:logs:*:*:log-group:/${var.name}/*", "*"]
      },
      {
        # Not suppressed: reported, naming the call whose input names the roles.
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = "arn:aws:iam::*:role/${var.name}-*"
      },
    ]
  })
}
