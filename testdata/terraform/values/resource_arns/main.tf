# Resources named through attributes of the resources of the module: known ARNs of the
# right type, never `*` and never text that is not an ARN.
resource "aws_s3_bucket" "reports" {
  bucket = "reports"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_iam_role" "worker" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "worker" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [aws_s3_bucket.reports.arn, "${aws_s3_bucket.reports.arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = "sqs:ReceiveMessage"
        Resource = aws_sqs_queue.jobs.arn
      },
    ]
  })
}
