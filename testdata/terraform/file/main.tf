resource "aws_iam_role" "worker" {
  name               = "worker"
  assume_role_policy = file("${path.module}/policies/trust.json")
}

resource "aws_iam_role_policy" "worker" {
  name = "worker"
  role = aws_iam_role.worker.id
  policy = templatefile("${path.module}/policies/worker.json.tpl", {
    bucket = "reports"
    queue  = aws_sqs_queue.jobs.arn
  })
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}
