# `dp_app` reads the database password, but `dp_ci`, which can assume it, reads it already (by a
# pattern on the name): nothing is gained.
resource "aws_iam_user" "dp_ci" {
  name = "dp_ci"
}

resource "aws_iam_user_policy" "dp_ci" {
  user = aws_iam_user.dp_ci.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.dp_app.arn },
    { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "arn:aws:secretsmanager:*:*:secret:dp-db-password-??????" },
  ] })
}

resource "aws_iam_role" "dp_app" {
  name = "dp_app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_user.dp_ci.arn } }] })
}

resource "aws_iam_role_policy" "dp_app" {
  role = aws_iam_role.dp_app.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.dp_db_password.arn },
  ] })
}

resource "aws_secretsmanager_secret" "dp_db_password" {
  name = "dp-db-password"
}
