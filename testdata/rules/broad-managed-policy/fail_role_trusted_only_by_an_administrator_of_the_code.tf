# A role whose trust names only user `breakglass` of the code, an administrator already: the
# user gains nothing by the role, so the role is a warning (the user itself is an error).

resource "aws_iam_user" "breakglass" {
  name = "breakglass"
}

resource "aws_iam_user_policy_attachment" "breakglass" {
  user       = aws_iam_user.breakglass.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role" "breakglass_admin" {
  name = "breakglass_admin"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = aws_iam_user.breakglass.arn }
    }]
  })
}

resource "aws_iam_role_policy_attachment" "breakglass_admin" {
  role       = aws_iam_role.breakglass_admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
