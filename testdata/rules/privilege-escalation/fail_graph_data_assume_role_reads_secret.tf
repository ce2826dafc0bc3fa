# `ds_ci` cannot read the database password, but it can assume `ds_app`, which can.
resource "aws_iam_user" "ds_ci" {
  name = "ds_ci"
}

resource "aws_iam_user_policy" "ds_ci" {
  user = aws_iam_user.ds_ci.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.ds_app.arn },
  ] })
}

resource "aws_iam_role" "ds_app" {
  name = "ds_app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_user.ds_ci.arn } }] })
}

resource "aws_iam_role_policy" "ds_app" {
  role = aws_iam_role.ds_app.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.ds_db_password.arn },
  ] })
}

resource "aws_secretsmanager_secret" "ds_db_password" {
  name = "ds-db-password"
}
