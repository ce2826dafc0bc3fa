data "aws_caller_identity" "current" {}
resource "aws_iam_user" "ca_start" {
  name = "ca-start"
}
resource "aws_iam_user_policy" "ca_start" {
  user = aws_iam_user.ca_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.ca_admin.arn },
  ] })
}
resource "aws_iam_role" "ca_admin" {
  name = "ca-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:user/ca-start" } }] })
}
resource "aws_iam_role_policy_attachment" "ca_admin" {
  role       = aws_iam_role.ca_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
