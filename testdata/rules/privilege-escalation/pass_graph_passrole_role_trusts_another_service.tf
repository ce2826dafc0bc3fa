resource "aws_iam_user" "pt_start" {
  name = "pt-start"
}

resource "aws_iam_user_policy" "pt_start" {
  user = aws_iam_user.pt_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = ["iam:PassRole"], Resource = aws_iam_role.pt_admin.arn },
    { Effect = "Allow", Action = ["ec2:RunInstances", "ec2:CreateTags"], Resource = "*" },
  ] })
}

resource "aws_iam_role" "pt_admin" {
  name = "pt-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_iam_role_policy_attachment" "pt_admin" {
  role       = aws_iam_role.pt_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
