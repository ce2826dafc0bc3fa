# A call with for_each is read once; module.roles["a"] names that instance.
module "roles" {
  source = "./modules/roles"
  for_each = toset(["a"])
}

resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy" "ci" {
  user = aws_iam_user.ci.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = ["iam:PassRole"], Resource = module.roles["a"].admin_role_arn },
    { Effect = "Allow", Action = ["ec2:RunInstances"], Resource = "*" },
  ] })
}
