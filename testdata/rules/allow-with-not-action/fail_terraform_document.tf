data "aws_iam_policy_document" "not_action" {
  statement {
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
}
