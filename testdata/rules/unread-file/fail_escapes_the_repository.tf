# Three levels up is the repository root; a fourth leaves it.
resource "aws_iam_policy" "escape" {
  policy = file("${path.module}/../../../../outside.json")
}

module "shared" {
  source = "../../../../shared/modules/admin"
}
