resource "aws_iam_user" "po_start" {
  name = "po-start"
}

resource "aws_iam_user_policy" "po_start" {
  user = aws_iam_user.po_start.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "iam:PutUserPolicy", Resource = aws_iam_user.po_other.arn },
  ] })
}

resource "aws_iam_user" "po_other" {
  name = "po-other"
}
