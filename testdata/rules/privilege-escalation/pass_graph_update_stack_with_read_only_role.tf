resource "aws_iam_user" "sr_start" {
  name = "sr-start"
}

resource "aws_iam_user_policy" "sr_start" {
  user = aws_iam_user.sr_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "cloudformation:UpdateStack", Resource = aws_cloudformation_stack.sr_stack.id },
  ] })
}

resource "aws_iam_role" "sr_admin" {
  name = "sr-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "cloudformation.amazonaws.com" } }] })
}

resource "aws_iam_role_policy_attachment" "sr_admin" {
  role       = aws_iam_role.sr_admin.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_cloudformation_stack" "sr_stack" {
  name         = "sr-stack"
  iam_role_arn = aws_iam_role.sr_admin.arn
  template_url = "https://example.com/template.yaml"
}
