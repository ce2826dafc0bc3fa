# The principal type comes from the module's input: only known at deploy time, it is not
# the text `${principals.value.type}`.
variable "trusted" {
  type    = any
  default = []
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    dynamic "principals" {
      for_each = var.trusted
      content {
        type        = principals.value.type
        identifiers = principals.value.identifiers
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "trusted"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
