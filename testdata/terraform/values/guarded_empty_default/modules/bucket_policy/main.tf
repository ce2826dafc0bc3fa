# The policy is only written when there are statements: the empty default is never
# substituted into a `Statement`.
resource "aws_s3_bucket_policy" "this" {
  count  = length(var.statements) > 0 ? 1 : 0
  bucket = var.bucket
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = var.statements
  })
}
