#!/usr/bin/env python3
"""Generates a corpus of Terraform modules for benchmarking iamlint.

    python3 bench/gen_terraform.py --out /tmp/tf-corpus --count 5000 --large-mb 1

Writes `count` `.tf` files grouped in module directories of five files (`main.tf`,
`iam.tf`, `policies.tf`, `variables.tf`, `outputs.tf`, 1-6 KB each; every 100th module has
a large `iam.tf` of about 60 KB), in a fixed mix of the forms real code uses:
`jsonencode({...})`, heredocs with `${}` and `$${}`, quoted JSON strings,
`data "aws_iam_policy_document"` with principals, conditions, source/override merging and
`dynamic "statement"`, `file()` of a JSON policy, locals, attachments, instance profiles,
and resources that hold no policy at all. With `--large-mb`, one module `large/` whose
`main.tf` is about that size with hundreds of statements. Deterministic for a given seed.
Standard library only.
"""

import argparse
import json
import pathlib
import random

ACTIONS = [
    "s3:GetObject", "s3:PutObject", "s3:ListBucket", "dynamodb:Query", "dynamodb:GetItem",
    "dynamodb:PutItem", "sqs:SendMessage", "sqs:ReceiveMessage", "sns:Publish",
    "logs:CreateLogStream", "logs:PutLogEvents", "kms:Decrypt", "ssm:GetParameter",
    "secretsmanager:GetSecretValue", "lambda:InvokeFunction", "ec2:Describe*", "s3:*",
    "iam:PassRole", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
]
SERVICES = ["lambda.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com"]


def actions(rng, low=1, high=4):
    return json.dumps(rng.sample(ACTIONS, rng.randint(low, high)))


def resource_expr(rng, name):
    return rng.choice([
        f'"arn:${{data.aws_partition.current.partition}}:s3:::${{var.bucket}}-{name}/*"',
        "aws_sqs_queue.queue.arn",
        '"*"',
        f'"${{aws_s3_bucket.data.arn}}/{name}/*"',
        f'"arn:aws:dynamodb:${{var.region}}:${{data.aws_caller_identity.current.account_id}}:table/{name}"',
    ])


def document_block(rng, name, statements):
    lines = [f'data "aws_iam_policy_document" "{name}" {{']
    for i in range(statements):
        lines += [
            "  statement {",
            f'    sid       = "S{i}{name.title().replace("_", "")}"',
            f"    actions   = {actions(rng)}",
            f"    resources = [{resource_expr(rng, name)}]",
        ]
        if rng.random() < 0.3:
            lines += [
                "    condition {",
                '      test     = "StringEquals"',
                '      variable = "aws:PrincipalTag/team"',
                "      values   = [var.team]",
                "    }",
            ]
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines)


def assume_block(rng, name):
    return f'''data "aws_iam_policy_document" "{name}_assume" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["{rng.choice(SERVICES)}"]
    }}
  }}
}}'''


def main_tf(rng, index):
    name = f"svc{index}"
    form = index % 4
    if form == 0:
        policy = f'''jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid      = "Main"
        Effect   = "Allow"
        Action   = {actions(rng)}
        Resource = [{resource_expr(rng, name)}]
      }},
      {{
        "Sid" : "Logs",
        "Effect" : "Allow",
        "Action" : ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource" : "arn:aws:logs:*:*:log-group:/aws/{name}:*"
      }},
    ]
  }})'''
    elif form == 1:
        policy = f'''<<-EOF
    {{
      "Version": "2012-10-17",
      "Statement": [
        {{
          "Effect": "Allow",
          "Action": {actions(rng)},
          "Resource": "arn:aws:s3:::${{var.bucket}}/home/$${{aws:username}}/*"
        }}
      ]
    }}
  EOF'''
    elif form == 2:
        policy = "data.aws_iam_policy_document.main.json"
    else:
        policy = 'file("${path.module}/policy.json")'
    return f'''terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }}
  }}
}}

data "aws_partition" "current" {{}}
data "aws_caller_identity" "current" {{}}

locals {{
  name = "{name}"
  tags = {{
    Service = "{name}"
    Team    = var.team
  }}
}}

resource "aws_s3_bucket" "data" {{
  bucket = "${{var.bucket}}-{name}"
  tags   = local.tags
}}

resource "aws_sqs_queue" "queue" {{
  name                       = "{name}-jobs"
  visibility_timeout_seconds = {rng.randint(30, 300)}
  tags                       = local.tags
}}

resource "aws_iam_role" "this" {{
  name               = local.name
  assume_role_policy = data.aws_iam_policy_document.{name}_assume.json
  tags               = local.tags
}}

resource "aws_iam_policy" "this" {{
  name   = "${{local.name}}-policy"
  policy = {policy}
}}

resource "aws_iam_role_policy_attachment" "this" {{
  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.this.arn
}}

resource "aws_iam_instance_profile" "this" {{
  name = local.name
  role = aws_iam_role.this.name
}}

resource "aws_instance" "worker" {{
  count                = var.instances
  ami                  = var.ami
  instance_type        = "t3.small"
  iam_instance_profile = aws_iam_instance_profile.this.name
  tags                 = local.tags
}}
'''


def iam_tf(rng, index, large):
    name = f"svc{index}"
    parts = [assume_block(rng, name), document_block(rng, "base", rng.randint(1, 3))]
    parts.append(f'''data "aws_iam_policy_document" "main" {{
  source_policy_documents = [data.aws_iam_policy_document.base.json]

  statement {{
    sid       = "Queue"
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage"]
    resources = [aws_sqs_queue.queue.arn]
  }}

  dynamic "statement" {{
    for_each = var.extra_statements
    content {{
      actions   = statement.value.actions
      resources = statement.value.resources
    }}
  }}
}}''')
    if large:
        for i in range(120):
            parts.append(document_block(rng, f"extra{i}", rng.randint(2, 5)))
    return "\n\n".join(parts) + "\n"


def policies_tf(rng, index):
    name = f"svc{index}"
    quoted = json.dumps(json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": rng.sample(ACTIONS, 2), "Resource": "*"}],
    }))
    return f'''resource "aws_iam_role_policy" "inline" {{
  name   = "{name}-inline"
  role   = aws_iam_role.this.id
  policy = {quoted}
}}

resource "aws_sqs_queue_policy" "queue" {{
  queue_url = aws_sqs_queue.queue.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "sns.amazonaws.com" }}
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.queue.arn
      Condition = {{ ArnEquals = {{ "aws:SourceArn" = var.topic_arn }} }}
    }}]
  }})
}}

resource "aws_security_group" "worker" {{
  name   = "{name}"
  vpc_id = var.vpc_id
  ingress {{
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }}
}}
'''


VARIABLES = '''variable "bucket" {
  type = string
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "team" {
  type = string
}

variable "ami" {
  type = string
}

variable "instances" {
  type    = number
  default = 1
}

variable "vpc_id" {
  type = string
}

variable "topic_arn" {
  type = string
}

variable "extra_statements" {
  type    = list(object({ actions = list(string), resources = list(string) }))
  default = []
}
'''

OUTPUTS = '''output "role_arn" {
  value = aws_iam_role.this.arn
}

output "policy_arn" {
  value = aws_iam_policy.this.arn
}

output "queue_url" {
  value = aws_sqs_queue.queue.id
}
'''


def large_tf(rng, megabytes):
    parts, size, index = [], 0, 0
    while size < megabytes * 1024 * 1024:
        block = document_block(rng, f"doc{index}", rng.randint(3, 8))
        block += f'''

resource "aws_iam_policy" "p{index}" {{
  name   = "p{index}"
  policy = data.aws_iam_policy_document.doc{index}.json
}}

resource "aws_iam_role_policy" "r{index}" {{
  name = "r{index}"
  role = "role-{index}"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = {actions(rng)}, Resource = "*" }}]
  }})
}}'''
        parts.append(block)
        size += len(block) + 2
        index += 1
    return "\n\n".join(parts) + "\n", index


def generate(out, count, large_mb=0, seed=11, quiet=False):
    """Writes the corpus under `out`; returns the number of files and bytes written."""
    rng = random.Random(seed)
    out = pathlib.Path(out)
    files = 0
    written = 0
    index = 0
    while files < count:
        module = out / f"module{index:05d}"
        module.mkdir(parents=True, exist_ok=True)
        contents = {
            "main.tf": main_tf(rng, index),
            "iam.tf": iam_tf(rng, index, large=index % 100 == 99),
            "policies.tf": policies_tf(rng, index),
            "variables.tf": VARIABLES,
            "outputs.tf": OUTPUTS,
        }
        for name, text in contents.items():
            if files < count:
                (module / name).write_text(text)
                files += 1
                written += len(text)
        if index % 4 == 3:
            text = json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": rng.sample(ACTIONS, 3),
                               "Resource": "*"}],
            }, indent=2) + "\n"
            (module / "policy.json").write_text(text)
            written += len(text)
        index += 1
    if large_mb:
        large = out / "large"
        large.mkdir(parents=True, exist_ok=True)
        text, documents = large_tf(rng, large_mb)
        (large / "main.tf").write_text(text)
        written += len(text)
        if not quiet:
            print(f"large/main.tf: {len(text)} bytes, {documents} data sources, "
                  f"{documents * 2} resources")
    if not quiet:
        print(f"{files} .tf files in {index} modules under {out}")
    return files, written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--large-mb", type=float, default=0)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    generate(args.out, args.count, args.large_mb, args.seed)


if __name__ == "__main__":
    main()
