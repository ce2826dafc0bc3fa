# Values a module computes from literals: each policy below is evaluated as Terraform
# evaluates it, so what is wrong in the computed value is reported.
locals {
  service     = "s3"
  bucket      = "reports"
  read        = ["GetObject", "ListBucket"]
  environment = "PROD"
  tags        = { team = "data", tier = "gold" }
  defaults    = { effect = "Allow" }
  overrides   = { resource = "arn:aws:s3:::reports/*" }
  settings    = merge(local.defaults, local.overrides)
  nested      = [["sqs:SendMessage"], ["sqs:ReceiveMessage", "sqs:SendMessage"]]
  queues      = { jobs = "eu-west-1", mail = "" }
  queue_arns  = { for name, region in local.queues : name => "arn:aws:sqs:${region}:123456789012:${name}" if region != "" }
}

resource "aws_iam_policy" "computed" {
  name = "computed"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = lookup(local.settings, "effect", "Deny")
        Action   = [for name in local.read : format("%s:%s", local.service, name)]
        Resource = [local.settings.resource, "arn:aws:s3:::${lower(local.environment)}-${local.bucket}"]
      },
      {
        Effect   = coalesce(null, "", "Allow")
        Action   = distinct(flatten(local.nested))
        Resource = join(":", ["arn:aws:sqs:eu-west-1:123456789012", element(split(",", "jobs,mail"), 0)])
      },
      {
        Effect   = try(local.settings.missing, "Allow")
        Action   = concat(["kms:Decrypt"], compact(["", upper("kms:encrypt") == "KMS:ENCRYPT" ? "kms:Encryptt" : ""]))
        Resource = replace("arn:aws:kms:eu-west-1:123456789012:key/KEY", "KEY", "1234abcd-12ab-34cd-56ef-1234567890ab")
      },
      {
        # `var.extra` is only known at deploy time: the conditional stays unknown.
        Effect   = can(local.settings.effect) ? "Allow" : "Deny"
        Action   = var.extra ? ["sqs:*"] : ["sqs:SendMessage"]
        Resource = values(local.queue_arns)
      },
    ]
  })
}
