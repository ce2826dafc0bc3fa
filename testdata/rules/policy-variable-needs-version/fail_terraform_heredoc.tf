resource "aws_iam_user_policy" "home" {
  user   = "alice"
  policy = <<EOF
{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::home/$${aws:username}/*"
    }
  ]
}
EOF
}
