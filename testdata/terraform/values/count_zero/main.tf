# Resources and blocks that Terraform never creates: `count = 0`, a `count` whose condition
# is known false, a `for_each` over nothing, a `dynamic` block over an empty list.
locals {
  legacy_enabled = false
  extra_grants   = []
}

resource "aws_iam_policy" "never" {
  count = 0
  name  = "never"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "legacy" {
  count = local.legacy_enabled ? 1 : 0
  name  = "legacy"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "per_grant" {
  for_each = toset(local.extra_grants)
  name     = each.key
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = "iam:*", Resource = "*" }]
  })
}

data "aws_iam_policy_document" "reader" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
  }

  dynamic "statement" {
    for_each = local.extra_grants
    content {
      actions     = ["*"]
      not_actions = ["iam:*"]
      resources   = ["*"]
    }
  }
}

resource "aws_iam_policy" "reader" {
  name   = "reader"
  policy = data.aws_iam_policy_document.reader.json
}
