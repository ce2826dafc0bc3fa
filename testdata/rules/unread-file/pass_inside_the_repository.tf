# Inside the repository, also through `..` that stays inside it.
resource "aws_iam_policy" "inside" {
  policy = file("${path.module}/../unread-file/included/policy.json")
}
