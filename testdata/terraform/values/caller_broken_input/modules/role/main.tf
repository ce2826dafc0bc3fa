# The same optional-attribute module, quiet on its own.
variable "policy_statements" {
  type    = any
  default = {}
}

resource "aws_iam_role" "this" {
  name = "worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

data "aws_iam_policy_document" "inline" {
  dynamic "statement" {
    for_each = var.policy_statements

    content {
      sid         = statement.key
      effect      = try(statement.value.effect, null)
      actions     = try(statement.value.actions, null)
      not_actions = try(statement.value.not_actions, null)
      resources   = try(statement.value.resources, null)
    }
  }
}

resource "aws_iam_role_policy" "inline" {
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.inline.json
}
