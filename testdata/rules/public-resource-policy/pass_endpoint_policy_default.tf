# A VPC endpoint policy filters what callers inside the VPC may do through the endpoint;
# `Principal: "*"` with `*` is AWS's default there, not a public grant.
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0123456789abcdef0"
  service_name = "com.amazonaws.eu-west-1.s3"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::artifacts/*"
    }]
  })
}
