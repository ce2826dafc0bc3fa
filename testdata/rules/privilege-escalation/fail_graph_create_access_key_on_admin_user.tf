resource "aws_iam_user" "ak_start" {
  name = "ak-start"
}

resource "aws_iam_user_policy" "ak_start" {
  user = aws_iam_user.ak_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:CreateAccessKey", Resource = aws_iam_user.ak_admin.arn },
  ] })
}

resource "aws_iam_user" "ak_admin" {
  name = "ak-admin"
}

resource "aws_iam_user_policy_attachment" "ak_admin" {
  user       = aws_iam_user.ak_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
