# The same service role, but user `worker_dev` of the code, no administrator itself, can
# change the function that runs as it (lambda-003): an error, naming the chain.

resource "aws_iam_role" "dev_worker" {
  name = "dev_worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "dev_worker" {
  role       = aws_iam_role.dev_worker.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_lambda_function" "dev_worker" {
  function_name = "dev_worker"
  role          = aws_iam_role.dev_worker.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
}

resource "aws_iam_user" "worker_dev" {
  name = "worker_dev"
}

resource "aws_iam_user_policy" "worker_dev" {
  user = aws_iam_user.worker_dev.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "lambda:UpdateFunctionCode", Resource = aws_lambda_function.dev_worker.arn }
  ] })
}
