resource "aws_iam_user" "ex_start" {
  name = "ex-start"
}
resource "aws_iam_user_policy" "ex_start" {
  user = aws_iam_user.ex_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.ex_admin.arn },
  ] })
}
resource "aws_iam_role" "ex_admin" {
  name = "ex-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_user.ex_start.arn }, Condition = { StringEquals = { "sts:ExternalId" = "abc" } } }] })
}
resource "aws_iam_role_policy_attachment" "ex_admin" {
  role       = aws_iam_role.ex_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
