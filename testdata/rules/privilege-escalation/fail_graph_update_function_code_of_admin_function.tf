resource "aws_iam_user" "lf_start" {
  name = "lf-start"
}

resource "aws_iam_user_policy" "lf_start" {
  user = aws_iam_user.lf_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "lambda:UpdateFunctionCode", Resource = aws_lambda_function.lf_fn.arn },
  ] })
}

resource "aws_iam_role" "lf_admin" {
  name = "lf-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_iam_role_policy_attachment" "lf_admin" {
  role       = aws_iam_role.lf_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_function" "lf_fn" {
  function_name = "lf-fn"
  role          = aws_iam_role.lf_admin.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
}
