# The trust names the account, not the user: the user needs a permission of its own.
resource "aws_iam_user" "tr_start" {
  name = "tr-start"
}

resource "aws_iam_role" "tr_admin" {
  name = "tr-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
  { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::123456789012:root" } }] })
}

resource "aws_iam_role_policy_attachment" "tr_admin" {
  role       = aws_iam_role.tr_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
