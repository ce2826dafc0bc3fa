module "admin" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-assumable-role"
  version = "5.39.1"

  create_role             = true
  role_name               = "platform-admin"
  trusted_role_services   = ["lambda.amazonaws.com"]
  custom_role_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_user_policy" "ci" {
  name = "deploy-functions"
  user = aws_iam_user.ci.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "PassAdmin"
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = "arn:aws:iam::123456789012:role/${module.admin.iam_role_name}"
      },
      {
        Sid      = "Functions"
        Effect   = "Allow"
        Action   = ["lambda:CreateFunction", "lambda:InvokeFunction"]
        Resource = "arn:aws:lambda:eu-west-1:123456789012:function:deploy-*"
      },
    ]
  })
}
