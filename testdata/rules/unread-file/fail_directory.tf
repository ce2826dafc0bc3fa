resource "aws_iam_policy" "directory" {
  policy = file("${path.module}/included")
}
