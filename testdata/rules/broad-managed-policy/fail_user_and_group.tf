# Users and groups are reached directly: IAMFullAccess (it can grant itself anything) is an
# error, SecretsManagerReadWrite (every secret) a warning.
resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy_attachment" "ci_iam" {
  user       = aws_iam_user.ci.name
  policy_arn = "arn:aws:iam::aws:policy/IAMFullAccess"
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_group_policy_attachment" "ops_secrets" {
  group      = aws_iam_group.ops.name
  policy_arn = "arn:aws:iam::aws:policy/SecretsManagerReadWrite"
}
