# iamlint: ignore[admin-access] break-glass role, reviewed 2026-10
resource "aws_iam_policy" "break_glass" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*" }, { Effect = "Allow", Action = "iam:PassRole", Resource = "*" // iamlint: ignore[passrole-unscoped] the break-glass role passes roles
    }]
  })
}

resource "aws_iam_policy" "deployer" { # iamlint: ignore[passrole-unscoped] passes only its own roles
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}
EOF
}

resource "aws_iam_policy" "other" {
  policy = <<EOF
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}
EOF
}
