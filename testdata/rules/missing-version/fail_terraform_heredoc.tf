resource "aws_iam_user_policy" "missing_version" {
  user   = "alice"
  policy = <<EOF
{
  "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::reports"}]
}
EOF
}
