resource "aws_iam_policy" "deploy" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { # iamlint: ignore[passrole-unscoped] the statement's opening brace
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = "iam:PassRole" // iamlint: ignore[passrole-unscoped] on the Action line
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = "*"
      },
    ]
  })
}

data "aws_iam_policy_document" "deploy" {
  statement {
    actions   = ["iam:PassRole"] # iamlint: ignore[passrole-unscoped] in a policy document block
    resources = ["*"]
  }
  statement {
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
}
