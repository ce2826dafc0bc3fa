resource "aws_iam_user" "pr_start" {
  name = "pr-start"
}

resource "aws_iam_user_policy" "pr_start" {
  user = aws_iam_user.pr_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = ["iam:PassRole"], Resource = aws_iam_role.pr_admin.arn },
    { Effect = "Allow", Action = ["ec2:RunInstances", "ec2:CreateTags"], Resource = "*" },
  ] })
}

resource "aws_iam_role" "pr_admin" {
  name = "pr-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}

resource "aws_iam_role_policy_attachment" "pr_admin" {
  role       = aws_iam_role.pr_admin.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
