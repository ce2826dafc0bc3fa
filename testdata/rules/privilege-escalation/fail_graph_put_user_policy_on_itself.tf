resource "aws_iam_user" "ps_start" {
  name = "ps-start"
}

resource "aws_iam_user_policy" "ps_start" {
  user = aws_iam_user.ps_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:PutUserPolicy", Resource = "arn:aws:iam::*:user/$${aws:username}" },
  ] })
}
