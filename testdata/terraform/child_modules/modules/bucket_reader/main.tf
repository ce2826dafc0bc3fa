variable "bucket" {
  type = string
}

variable "actions" {
  type = list(string)
}

resource "aws_iam_policy" "reader" {
  name = "${var.bucket}-reader"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = var.actions
      Resource = ["arn:aws:s3:::${var.bucket}", "arn:aws:s3:::${var.bucket}/*", "*"]
    }]
  })
}
