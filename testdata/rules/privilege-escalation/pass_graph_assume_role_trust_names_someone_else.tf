resource "aws_iam_user" "cn_start" {
  name = "cn-start"
}

resource "aws_iam_user_policy" "cn_start" {
  user = aws_iam_user.cn_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.cn_hop1.arn },
  ] })
}

resource "aws_iam_role" "cn_hop1" {
  name = "cn-hop1"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::123456789012:user/someone-else" } }] })
}

resource "aws_iam_role_policy_attachment" "cn_hop1" {
  role       = aws_iam_role.cn_hop1.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
