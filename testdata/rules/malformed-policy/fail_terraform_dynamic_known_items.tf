# The items of the `dynamic` block are known: the second statement sets both `actions` and
# `not_actions`, which AWS rejects.
locals {
  statements = [
    { actions = ["s3:GetObject"], not_actions = null },
    { actions = ["sqs:SendMessage"], not_actions = ["sqs:DeleteQueue"] },
  ]
}

data "aws_iam_policy_document" "inline" {
  dynamic "statement" {
    for_each = local.statements
    content {
      actions     = statement.value.actions
      not_actions = statement.value.not_actions
      resources   = ["*"]
    }
  }
}

resource "aws_iam_policy" "inline" {
  name   = "inline"
  policy = data.aws_iam_policy_document.inline.json
}
