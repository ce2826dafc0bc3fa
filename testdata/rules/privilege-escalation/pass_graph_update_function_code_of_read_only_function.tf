resource "aws_iam_user" "lr_start" {
  name = "lr-start"
}

resource "aws_iam_user_policy" "lr_start" {
  user = aws_iam_user.lr_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "lambda:UpdateFunctionCode", Resource = aws_lambda_function.lr_fn.arn },
  ] })
}

resource "aws_iam_role" "lr_admin" {
  name = "lr-admin"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_iam_role_policy_attachment" "lr_admin" {
  role       = aws_iam_role.lr_admin.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_lambda_function" "lr_fn" {
  function_name = "lr-fn"
  role          = aws_iam_role.lr_admin.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
}
