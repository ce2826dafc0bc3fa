resource "aws_iam_user" "vn_start" {
  name = "vn-start"
}

resource "aws_iam_user_policy" "vn_start" {
  user = aws_iam_user.vn_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = "arn:aws:iam::*:policy/vn-other-*" },
  ] })
}

resource "aws_iam_policy" "vn_deploy" {
  name = "vn-app-deploy"
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::vn-artifacts/*" }] })
}

resource "aws_iam_user_policy_attachment" "vn_deploy" {
  user       = aws_iam_user.vn_start.name
  policy_arn = aws_iam_policy.vn_deploy.arn
}
