# References whose ARN fits the actions, and references whose ARN is not known.
resource "aws_s3_bucket" "reports" {
  bucket = "reports"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_lambda_function" "handler" {
  function_name = "handler"
  role          = aws_iam_role.worker.arn
}

resource "aws_glue_job" "etl" {
  name     = "etl"
  role_arn = aws_iam_role.worker.arn
}

resource "aws_iam_role" "worker" {
  name = "worker"
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

data "aws_iam_policy_document" "worker" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.reports.arn}/*"]
  }

  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.reports.arn]
  }

  statement {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.jobs.arn]
  }

  # A type whose ARN shape is not in the table: anything.
  statement {
    actions   = ["sqs:SendMessage"]
    resources = [aws_glue_job.etl.arn]
  }

  # Not the `arn` attribute: anything.
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.reports.id}"]
  }

  # Another hole beside the reference: anything.
  statement {
    actions   = ["s3:ListBucket"]
    resources = ["${aws_s3_bucket.reports.arn}${var.suffix}"]
  }

  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.handler.arn, "${aws_lambda_function.handler.arn}:*"]
  }

  # An ARN of another service than the actions' is where the reference lags most: not
  # judged, as for a written ARN.
  statement {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sns_topic.alerts.arn]
  }

  statement {
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.worker.arn]
  }
}

variable "suffix" {
  type = string
}

resource "aws_iam_policy" "worker" {
  name   = "worker"
  policy = data.aws_iam_policy_document.worker.json
}
