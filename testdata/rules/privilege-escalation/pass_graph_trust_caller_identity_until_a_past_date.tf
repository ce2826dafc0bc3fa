data "aws_caller_identity" "current" {}
resource "aws_iam_user" "pd_start" {
  name = "pd-start"
}
resource "aws_iam_user_policy" "pd_start" {
  user = aws_iam_user.pd_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.pd_admin.arn },
  ] })
}
resource "aws_iam_role" "pd_admin" {
  name = "pd-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = data.aws_caller_identity.current.account_id }, Condition = { DateLessThan = { "aws:CurrentTime" = "2020-01-01T00:00:00Z" } } }] })
}
resource "aws_iam_role_policy_attachment" "pd_admin" {
  role       = aws_iam_role.pd_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
