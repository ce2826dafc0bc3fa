resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_policy" "home" {
  name = "home-folder"
  user = aws_iam_user.alice.name

  policy = <<EOF
{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::${var.bucket}/home/$${aws:username}/*"
    }
  ]
}
EOF
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_group_policy" "ops" {
  name  = "ops"
  group = aws_iam_group.ops.name

  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "Logs",
          "Effect": "Allow",
          "Action": "logs:*",
          "Resource": "*"
        },
        {
          "Sid": "Tagging",
          "Effect": "Allow",
          "Action": ${jsonencode(var.tag_actions)},
          "Resource": "arn:aws:ec2:${var.region}:${var.account_id}:instance/*"
        }
      ]
    }
  POLICY
}

resource "aws_iam_policy" "quoted" {
  name   = "quoted"
  policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}]}"
}

resource "aws_iam_policy" "broken_json" {
  name   = "broken"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}
  ]
}
EOF
}
