# `var.actions` is only known at deploy time: never taken for "*".
data "aws_iam_policy_document" "unknown_actions" {
  statement {
    actions   = var.actions
    resources = ["*"]
  }
}
