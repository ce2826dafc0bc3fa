variable "role" {
  type = string
}

variable "actions" {
  type = list(string)
}

resource "aws_iam_role_policy" "deploy" {
  count = 1
  name  = "deploy"
  role  = var.role
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Deploy"
      Effect   = "Allow"
      Action   = var.actions
      Resource = "*"
      }, {
      Sid      = "Read"
      Effect   = "Allow"
      Action   = "s3:GetObjct"
      Resource = "arn:aws:s3:::artifacts/*"
    }]
  })
}
