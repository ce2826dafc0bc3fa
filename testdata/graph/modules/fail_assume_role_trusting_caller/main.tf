# The child's admin role trusts the user the caller passes; that user may assume it.
module "roles" {
  source      = "./modules/roles"
  trusted_arn = aws_iam_user.ci.arn
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
