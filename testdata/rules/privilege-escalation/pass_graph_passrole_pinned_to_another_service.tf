resource "aws_iam_user" "pp_start" {
  name = "pp-start"
}

resource "aws_iam_user_policy" "pp_start" {
  user = aws_iam_user.pp_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = ["iam:PassRole"], Resource = aws_iam_role.pp_admin.arn,
      Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" } } },
    { Effect = "Allow", Action = ["ec2:RunInstances", "ec2:CreateTags"], Resource = "*" },
  ] })
}

resource "aws_iam_role" "pp_admin" {
  name = "pp-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}

resource "aws_iam_role_policy_attachment" "pp_admin" {
  role       = aws_iam_role.pp_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
