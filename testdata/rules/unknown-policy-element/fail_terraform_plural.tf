resource "aws_iam_policy" "unknown_element" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Actions   = ["s3:GetObject"]
      Resources = ["arn:aws:s3:::reports/*"]
    }]
  })
}
