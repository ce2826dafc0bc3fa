# The function's ARN is only known at deploy time: the chain from `lowconf_dev` is low
# confidence, and does not raise the role's warning to an error.

resource "aws_iam_role" "lowconf_worker" {
  name = "lowconf_worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "lowconf_worker" {
  role       = aws_iam_role.lowconf_worker.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_function" "lowconf_worker" {
  function_name = "lowconf_worker"
  role          = aws_iam_role.lowconf_worker.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
}

variable "function_arn" {
  type = string
}

resource "aws_iam_user" "lowconf_dev" {
  name = "lowconf_dev"
}

resource "aws_iam_user_policy" "lowconf_dev" {
  user = aws_iam_user.lowconf_dev.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "lambda:UpdateFunctionCode", Resource = var.function_arn }
  ] })
}
