# A file a build step writes, and a path only known at deploy time: not reported.
resource "aws_iam_policy" "generated" {
  policy = file("${path.module}/generated/policy.json")
}

resource "aws_iam_policy" "unknown" {
  policy = file("${var.policy_dir}/policy.json")
}
