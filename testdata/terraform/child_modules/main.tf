module "reader" {
  source  = "./modules/bucket_reader"
  bucket  = "reports"
  actions = ["s3:*"]
}

data "aws_iam_policy_document" "list_buckets" {
  statement {
    sid       = "ListAll"
    actions   = ["s3:ListAllMyBuckets"]
    resources = ["*"]
  }
}

# Policies handed to a module (the terraform-aws-modules style) are read where they are
# written; what the module does with them is not followed.
module "iam_policy" {
  source = "terraform-aws-modules/iam/aws//modules/iam-policy"

  name   = "example"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Action": ["ec2:Describe*", "iam:PassRole"],
      "Effect": "Allow",
      "Resource": "*"
    }
  ]
}
EOF
}

module "iam_policy_from_data_source" {
  source = "terraform-aws-modules/iam/aws//modules/iam-policy"

  name   = "from-data-source"
  policy = data.aws_iam_policy_document.list_buckets.json
}
