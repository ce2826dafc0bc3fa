resource "aws_iam_user" "c2_start" {
  name = "c2-start"
}

resource "aws_iam_user_policy" "c2_start" {
  user = aws_iam_user.c2_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.c2_hop1.arn },
  ] })
}

resource "aws_iam_role" "c2_hop1" {
  name = "c2-hop1"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_user.c2_start.arn } }] })
}

resource "aws_iam_role_policy" "c2_hop1" {
  role = aws_iam_role.c2_hop1.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.c2_hop2.arn },
  ] })
}

resource "aws_iam_role" "c2_hop2" {
  name = "c2-hop2"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_role.c2_hop1.arn } }] })
}

resource "aws_iam_role_policy_attachment" "c2_hop2" {
  role       = aws_iam_role.c2_hop2.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
