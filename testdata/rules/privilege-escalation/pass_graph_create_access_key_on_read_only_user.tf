resource "aws_iam_user" "ar_start" {
  name = "ar-start"
}

resource "aws_iam_user_policy" "ar_start" {
  user = aws_iam_user.ar_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:CreateAccessKey", Resource = aws_iam_user.ar_admin.arn },
  ] })
}

resource "aws_iam_user" "ar_admin" {
  name = "ar-admin"
}

resource "aws_iam_user_policy_attachment" "ar_admin" {
  user       = aws_iam_user.ar_admin.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
