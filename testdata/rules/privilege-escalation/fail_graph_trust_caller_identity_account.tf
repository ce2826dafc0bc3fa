data "aws_caller_identity" "current" {}
resource "aws_iam_user" "ci_start" {
  name = "ci-start"
}
resource "aws_iam_user_policy" "ci_start" {
  user = aws_iam_user.ci_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.ci_admin.arn },
  ] })
}
resource "aws_iam_role" "ci_admin" {
  name = "ci-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = data.aws_caller_identity.current.account_id } }] })
}
resource "aws_iam_role_policy_attachment" "ci_admin" {
  role       = aws_iam_role.ci_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
