# The caller gives the child literal statements: one names both `actions` and
# `not_actions`, which AWS rejects, and one names an action that does not exist. Both are
# reported where the caller writes them.
module "worker" {
  source = "./modules/role"

  policy_statements = {
    Read = {
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::reports/*"]
    }
    Broken = {
      actions     = ["sqs:SendMessage"]
      not_actions = ["sqs:DeleteQueue"]
      resources   = ["arn:aws:sqs:eu-west-1:123456789012:jobs"]
    }
    Typo = {
      actions   = ["s3:HeadObject"]
      resources = ["arn:aws:s3:::reports/*"]
    }
  }
}
