# Near miss: the child's admin role trusts another user (of another account), not `ci`.
module "roles" {
  source      = "./modules/roles"
  trusted_arn = "arn:aws:iam::111122223333:user/auditor"
}

resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy" "ci" {
  user = aws_iam_user.ci.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = ["sts:AssumeRole"], Resource = module.roles.admin_role_arn },
  ] })
}
