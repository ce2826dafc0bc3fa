# An absolute path: outside the repository, whether the file exists or not.
resource "aws_iam_policy" "absolute" {
  policy = file("/etc/iam/policy.json")
}

resource "aws_iam_role_policy" "template" {
  role   = "ci"
  policy = templatefile("/etc/hostname", { bucket = "b" })
}
