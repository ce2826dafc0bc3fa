# The user has no policy of its own: in the same account, a trust that names it is enough.
resource "aws_iam_user" "tn_start" {
  name = "tn-start"
}

resource "aws_iam_role" "tn_admin" {
  name = "tn-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
  { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_user.tn_start.arn } }] })
}

resource "aws_iam_role_policy_attachment" "tn_admin" {
  role       = aws_iam_role.tn_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
