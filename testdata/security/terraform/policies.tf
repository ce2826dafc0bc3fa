# passrole-service across two policies of the CI role.
resource "aws_iam_role_policy" "ci_pass" {
  name = "pass"
  role = aws_iam_role.ci.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iam:PassRole"
      Resource = "*"
    }]
  })
}

resource "aws_iam_policy" "deploy_functions" {
  name   = "deploy-functions"
  policy = data.aws_iam_policy_document.deploy_functions.json
}

data "aws_iam_policy_document" "deploy_functions" {
  statement {
    actions   = ["lambda:CreateFunction", "lambda:InvokeFunction"]
    resources = ["arn:aws:lambda:*:123456789012:function:*"]
  }
  statement {
    actions   = ["sts:AssumeRole"]
    resources = [aws_iam_role.ops.arn]
  }
}

resource "aws_iam_role_policy_attachment" "ci_deploy" {
  role       = aws_iam_role.ci.name
  policy_arn = aws_iam_policy.deploy_functions.arn
}

# The ops role: a tag gate in one policy, the tag writer in another; and self-modification.
resource "aws_iam_role_policy" "ops_terminate" {
  name = "terminate"
  role = aws_iam_role.ops.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Action": "ec2:TerminateInstances",
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:ResourceTag/team": "ops"}}
      }]
    }
  EOT
}

resource "aws_iam_role_policy" "ops_tagging" {
  name = "tagging"
  role = aws_iam_role.ops.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "ec2:CreateTags", Resource = "*" },
      { Effect = "Allow", Action = "iam:PutRolePolicy", Resource = "arn:aws:iam::123456789012:role/*" },
    ]
  })
}
