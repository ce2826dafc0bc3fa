# Deployers get their permissions through a group; a contractor's own policy adds the rest.
resource "aws_iam_group" "deployers" {
  name = "deployers"
}

resource "aws_iam_group_policy" "deploy_functions" {
  name  = "deploy-functions"
  group = aws_iam_group.deployers.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["lambda:CreateFunction", "lambda:InvokeFunction"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_user" "contractor" {
  name = "contractor"
}

resource "aws_iam_user_policy" "contractor_roles" {
  name = "pass-roles"
  user = aws_iam_user.contractor.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "iam:PassRole"
      Resource = "arn:aws:iam::123456789012:role/*"
    }]
  })
}

resource "aws_iam_user_group_membership" "contractor" {
  user   = aws_iam_user.contractor.name
  groups = [aws_iam_group.deployers.name]
}
