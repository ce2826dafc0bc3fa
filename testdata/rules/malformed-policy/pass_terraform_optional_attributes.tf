# Every attribute may be null (left out by the provider): `actions` and `not_actions` are
# never both known to be set, and the principals only exist for some inputs.
variable "statements" {
  type    = any
  default = {}
}

data "aws_iam_policy_document" "inline" {
  dynamic "statement" {
    for_each = var.statements
    content {
      actions       = try(statement.value.actions, null)
      not_actions   = try(statement.value.not_actions, null)
      resources     = try(statement.value.resources, null)
      not_resources = try(statement.value.not_resources, null)

      dynamic "principals" {
        for_each = try(statement.value.principals, [])
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }
    }
  }
}

resource "aws_iam_policy" "inline" {
  name   = "inline"
  policy = data.aws_iam_policy_document.inline.json
}
