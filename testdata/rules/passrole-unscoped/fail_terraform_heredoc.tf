resource "aws_iam_policy" "passrole" {
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ec2:RunInstances", "iam:PassRole"],
      "Resource": "*"
    }
  ]
}
POLICY
}
