# A root user passes the child's admin role (a module output) to a new instance.
module "roles" {
  source = "./modules/roles"
}

resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy" "ci" {
  user = aws_iam_user.ci.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = ["iam:PassRole"], Resource = module.roles.admin_role_arn },
    { Effect = "Allow", Action = ["ec2:RunInstances"], Resource = "*" },
  ] })
}
