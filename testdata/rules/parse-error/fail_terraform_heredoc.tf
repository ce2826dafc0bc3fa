resource "aws_iam_policy" "parse_error" {
  name   = "broken"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject" "Resource": "*"}
      ]
    }
  EOF
}
