resource "aws_iam_user" "pe_start" {
  name = "pe-start"
}

resource "aws_iam_user_policy" "pe_start" {
  user = aws_iam_user.pe_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = ["iam:PassRole"], Resource = aws_iam_role.pe_admin.arn },
    { Effect = "Allow", Action = ["ec2:RunInstances", "ec2:CreateTags"], Resource = "*" },
  ] })
}

resource "aws_iam_role" "pe_admin" {
  name = "pe-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}

resource "aws_iam_role_policy_attachment" "pe_admin" {
  role       = aws_iam_role.pe_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
