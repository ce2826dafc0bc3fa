# A role whose trust names user `analyst` of the code, read-only on its own: the user
# becomes an administrator through the role (sts-001), an error.

resource "aws_iam_user" "analyst" {
  name = "analyst"
}

resource "aws_iam_user_policy_attachment" "analyst" {
  user       = aws_iam_user.analyst.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role" "analyst_admin" {
  name = "analyst_admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = aws_iam_user.analyst.arn }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "analyst_admin" {
  role       = aws_iam_role.analyst_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
