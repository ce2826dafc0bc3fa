resource "aws_iam_user" "sk_start" {
  name = "sk-start"
}

resource "aws_iam_user_policy" "sk_start" {
  user = aws_iam_user.sk_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "cloudformation:UpdateStack", Resource = aws_cloudformation_stack.sk_stack.id },
  ] })
}

resource "aws_iam_role" "sk_admin" {
  name = "sk-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "cloudformation.amazonaws.com" } }] })
}

resource "aws_iam_role_policy_attachment" "sk_admin" {
  role       = aws_iam_role.sk_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_cloudformation_stack" "sk_stack" {
  name         = "sk-stack"
  iam_role_arn = aws_iam_role.sk_admin.arn
  template_url = "https://example.com/template.yaml"
}
