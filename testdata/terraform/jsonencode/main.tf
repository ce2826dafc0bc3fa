locals {
  bucket_arn = "arn:aws:s3:::${var.bucket}"
  read_actions = ["s3:GetObject", "s3:ListBucket"]
}

data "aws_partition" "current" {}

resource "aws_iam_role" "ci" {
  name = "ci-deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_policy" "deploy" {
  name = "deploy"
  policy = jsonencode({
    "Version" : "2012-10-17",
    "Statement" : [
      {
        "Sid" : "ReadArtifacts",
        "Effect" : "Allow",
        "Action" : local.read_actions,
        "Resource" : [
          local.bucket_arn,
          "arn:${data.aws_partition.current.partition}:s3:::${var.bucket}/*",
        ]
      },
      {
        Sid      = "PassAnyRole"
        Effect   = "Allow"
        Action   = ["iam:PassRole"]
        Resource = "*"
      },
      {
        Sid      = "Generated"
        Effect   = "Allow"
        Action   = [for service in var.services : "${service}:Describe*"]
        Resource = "*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "deploy" {
  role       = aws_iam_role.ci.name
  policy_arn = aws_iam_policy.deploy.arn
}

resource "aws_iam_role_policy_attachment" "readonly" {
  role       = aws_iam_role.ci.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "admin" {
  count = var.enable_admin ? 1 : 0
  name  = "admin"
  role  = aws_iam_role.ci.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["*"], Resource = ["*"] }]
  })
}

resource "aws_iam_instance_profile" "ci" {
  name = "ci"
  role = aws_iam_role.ci.name
}

resource "aws_instance" "runner" {
  ami                  = var.ami
  instance_type        = "t3.micro"
  iam_instance_profile = aws_iam_instance_profile.ci.name
}
