variable "expires" {
  type = string
}

data "aws_iam_policy_document" "temporary" {
  statement {
    sid       = "UntilFarFuture"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::reports/*"]
    condition {
      test     = "DateLessThan"
      variable = "aws:CurrentTime"
      values   = ["2999-01-01T00:00:00Z"]
    }
  }

  statement {
    sid       = "UntilDeployTimeDate"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::archive/*"]
    condition {
      test     = "DateLessThan"
      variable = "aws:CurrentTime"
      values   = [var.expires]
    }
  }

  statement {
    sid       = "OneValueStillAhead"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::reports"]
    condition {
      test     = "DateLessThan"
      variable = "aws:CurrentTime"
      values   = ["2001-01-01T00:00:00Z", "2999-01-01T00:00:00Z"]
    }
  }
}
