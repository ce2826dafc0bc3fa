variable "bucket" {
  type = string
}

variable "extra_actions" {
  type    = list(string)
  default = ["s3:GetObject"]
}

resource "aws_s3_bucket_policy" "this" {
  bucket = var.bucket
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "PublicRead"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:GetObject"]
        Resource  = "arn:aws:s3:::${var.bucket}/*"
      },
      {
        Sid       = "Partner"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = var.extra_actions
        Resource  = "arn:aws:s3:::${var.bucket}/*"
      },
    ]
  })
}
