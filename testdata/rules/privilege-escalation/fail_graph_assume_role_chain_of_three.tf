resource "aws_iam_user" "c3_start" {
  name = "c3-start"
}

resource "aws_iam_user_policy" "c3_start" {
  user = aws_iam_user.c3_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.c3_hop1.arn },
  ] })
}

resource "aws_iam_role" "c3_hop1" {
  name = "c3-hop1"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_user.c3_start.arn } }] })
}

resource "aws_iam_role_policy" "c3_hop1" {
  role = aws_iam_role.c3_hop1.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.c3_hop2.arn },
  ] })
}

resource "aws_iam_role" "c3_hop2" {
  name = "c3-hop2"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_role.c3_hop1.arn } }] })
}

resource "aws_iam_role_policy" "c3_hop2" {
  role = aws_iam_role.c3_hop2.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.c3_hop3.arn },
  ] })
}

resource "aws_iam_role" "c3_hop3" {
  name = "c3-hop3"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_role.c3_hop2.arn } }] })
}

resource "aws_iam_role_policy_attachment" "c3_hop3" {
  role       = aws_iam_role.c3_hop3.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
