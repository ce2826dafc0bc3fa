"""Generates one Terraform module with many principals that reach each other, for timing the
access graph: half users, half roles; each principal's policy has ten statements naming other
principals of the module (PassRole, AssumeRole, CreateAccessKey, UpdateFunctionCode, ...), and
the last role is an administrator. Deterministic (seeded); writes main.tf under --out."""

import argparse
import os
import random


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--principals", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    half = args.principals // 2
    out = []
    for i in range(half):
        out.append(f'resource "aws_iam_user" "u{i}" {{\n  name = "u{i}"\n}}\n')
        trust = f'aws_iam_user.u{rng.randrange(half)}.arn'
        out.append(
            f'resource "aws_iam_role" "r{i}" {{\n  name = "r{i}"\n'
            f'  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [\n'
            f'    {{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ AWS = {trust}, Service = "lambda.amazonaws.com" }} }}] }})\n}}\n'
        )
        out.append(
            f'resource "aws_lambda_function" "f{i}" {{\n  function_name = "f{i}"\n'
            f'  role = aws_iam_role.r{i}.arn\n  handler = "h"\n  runtime = "python3.12"\n  filename = "f.zip"\n}}\n'
        )
    out.append(
        f'resource "aws_iam_role_policy_attachment" "admin" {{\n  role = aws_iam_role.r{half - 1}.name\n'
        f'  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"\n}}\n'
    )
    for kind, holder, attr in [("user", "u", "user"), ("role", "r", "role")]:
        for i in range(half):
            pick = lambda: rng.randrange(half)  # noqa: E731
            statements = [
                f'{{ Effect = "Allow", Action = "sts:AssumeRole", Resource = aws_iam_role.r{pick()}.arn }}',
                f'{{ Effect = "Allow", Action = "iam:PassRole", Resource = aws_iam_role.r{pick()}.arn }}',
                '{ Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource = "*" }',
                f'{{ Effect = "Allow", Action = "iam:CreateAccessKey", Resource = aws_iam_user.u{pick()}.arn }}',
                f'{{ Effect = "Allow", Action = "lambda:UpdateFunctionCode", Resource = aws_lambda_function.f{pick()}.arn }}',
                f'{{ Effect = "Allow", Action = "iam:PutUserPolicy", Resource = aws_iam_user.u{pick()}.arn }}',
                f'{{ Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = "arn:aws:iam::*:policy/p{pick()}" }}',
                f'{{ Effect = "Allow", Action = "codebuild:StartBuild", Resource = "arn:aws:codebuild:*:*:project/b{pick()}" }}',
                f'{{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::bucket-{pick()}/*" }}',
                f'{{ Effect = "Allow", Action = "iam:CreateLoginProfile", Resource = aws_iam_user.u{pick()}.arn }}',
            ]
            body = ",\n    ".join(statements)
            out.append(
                f'resource "aws_iam_{kind}_policy" "{holder}{i}" {{\n  {attr} = aws_iam_{kind}.{holder}{i}.name\n'
                f'  policy = jsonencode({{ Version = "2012-10-17", Statement = [\n    {body}] }})\n}}\n'
            )
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "main.tf"), "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
