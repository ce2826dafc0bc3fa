resource "aws_iam_policy" "latin1" {
  policy = file("${path.module}/included/latin1.txt")
}
