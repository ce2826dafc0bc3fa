resource "aws_iam_policy" "duplicate_sid" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Read", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::a/*" },
      { Sid = "Read", Effect = "Allow", Action = "s3:ListBucket", Resource = "arn:aws:s3:::a" },
    ]
  })
}
