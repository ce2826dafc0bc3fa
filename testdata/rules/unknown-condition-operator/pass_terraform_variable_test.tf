# `test = var.condition_test` is only known at deploy time: never reported.
data "aws_iam_policy_document" "variable_test" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = var.condition_test
      variable = "${replace(var.oidc_provider_arn, "/^(.*provider/)/", "")}:sub"
      values   = ["system:serviceaccount:kube-system:controller"]
    }
  }
}
