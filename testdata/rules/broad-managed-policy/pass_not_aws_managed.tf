# A customer policy named like an AWS one, an AWS name under a path that is not its own (AWS
# has no such policy), and a name with a hole are not AWS managed policies iamlint can read.
variable "policy_name" {}

resource "aws_iam_user" "deployer" {
  name = "deployer"
}

resource "aws_iam_user_policy_attachment" "customer" {
  user       = aws_iam_user.deployer.name
  policy_arn = "arn:aws:iam::123456789012:policy/AdministratorAccess"
}

resource "aws_iam_user_policy_attachment" "wrong_path" {
  user       = aws_iam_user.deployer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AdministratorAccess"
}

resource "aws_iam_user_policy_attachment" "unknown" {
  user       = aws_iam_user.deployer.name
  policy_arn = "arn:aws:iam::aws:policy/${var.policy_name}"
}
