resource "aws_iam_user" "vp_start" {
  name = "vp-start"
}

resource "aws_iam_user_policy" "vp_start" {
  user = aws_iam_user.vp_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = "arn:aws:iam::*:policy/vp-app-*" },
  ] })
}

resource "aws_iam_policy" "vp_deploy" {
  name = "vp-app-deploy"
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::vp-artifacts/*" }] })
}

resource "aws_iam_user_policy_attachment" "vp_deploy" {
  user       = aws_iam_user.vp_start.name
  policy_arn = aws_iam_policy.vp_deploy.arn
}
