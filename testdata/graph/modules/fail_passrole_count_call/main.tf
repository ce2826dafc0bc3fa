# A call with count is read once; module.roles[0] names that instance.
module "roles" {
  source = "./modules/roles"
  count  = 1
}

resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy" "ci" {
  user = aws_iam_user.ci.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = ["iam:PassRole"], Resource = module.roles[0].admin_role_arn },
    { Effect = "Allow", Action = ["ec2:RunInstances"], Resource = "*" },
  ] })
}
