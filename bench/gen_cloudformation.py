#!/usr/bin/env python3
"""Generates a corpus of CloudFormation and SAM templates for benchmarking iamlint.

    python3 bench/gen_cloudformation.py --out /tmp/cfn-corpus --count 5000 --large-mb 5

Writes `count` templates (YAML CloudFormation, SAM, CDK-style JSON, in a fixed mix, 2-8 KB
each), `--noise` non-template YAML files (Kubernetes manifests, CI configs) that the
extractor must skip cheaply, and with `--large-mb` one template of about that size
(`large.yaml`). Deterministic for a given seed. Standard library only.
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
]
SAM_TEMPLATES = [
    ("S3ReadPolicy", "BucketName"), ("S3CrudPolicy", "BucketName"),
    ("DynamoDBCrudPolicy", "TableName"), ("DynamoDBReadPolicy", "TableName"),
    ("SQSPollerPolicy", "QueueName"), ("SQSSendMessagePolicy", "QueueName"),
    ("SNSPublishMessagePolicy", "TopicName"), ("LambdaInvokePolicy", "FunctionName"),
]


def role_yaml(rng, name):
    actions = rng.sample(ACTIONS, rng.randint(2, 6))
    resource = rng.choice([
        '!Sub "arn:${AWS::Partition}:s3:::%s-${AWS::AccountId}/*"' % name.lower(),
        "!GetAtt Bucket.Arn",
        '"*"',
        "!Sub |\n                  arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/%s" % name,
    ])
    lines = [
        f"  {name}:",
        "    Type: AWS::IAM::Role",
        "    Properties:",
        "      AssumeRolePolicyDocument:",
        "        Version: 2012-10-17",
        "        Statement:",
        "          - Effect: Allow",
        "            Principal:",
        f"              Service: {rng.choice(['lambda', 'ecs-tasks', 'ec2', 'codebuild'])}.amazonaws.com",
        "            Action: sts:AssumeRole",
        "      ManagedPolicyArns:",
        "        - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "      Policies:",
        f"        - PolicyName: {name.lower()}-inline",
        "          PolicyDocument:",
        '            Version: "2012-10-17"',
        "            Statement:",
        "              - Effect: Allow",
        "                Action:",
    ]
    lines += [f"                  - {a}" for a in actions]
    lines.append(f"                Resource: {resource}")
    if rng.random() < 0.3:
        lines += [
            "              - !If",
            "                - IsProd",
            "                - Effect: Allow",
            "                  Action: iam:PassRole",
            "                  Resource: !GetAtt Bucket.Arn",
            "                - !Ref AWS::NoValue",
        ]
    return lines


def bucket_policy_yaml(rng, name):
    return [
        f"  {name}Policy:",
        "    Type: AWS::S3::BucketPolicy",
        "    Properties:",
        "      Bucket: !Ref Bucket",
        "      PolicyDocument:",
        '        Version: "2012-10-17"',
        "        Statement:",
        "          - Sid: DenyInsecure",
        "            Effect: Deny",
        '            Principal: "*"',
        "            Action: s3:*",
        "            Resource:",
        "              - !GetAtt Bucket.Arn",
        '              - !Sub "${Bucket.Arn}/*"',
        "            Condition:",
        "              Bool:",
        "                aws:SecureTransport: false",
    ]


def logs_policy_yaml(rng, name):
    return [
        f"  {name}Logs:",
        "    Type: AWS::Logs::ResourcePolicy",
        "    Properties:",
        f"      PolicyName: {name.lower()}",
        "      PolicyDocument: !Sub |",
        "        {",
        '          "Version": "2012-10-17",',
        '          "Statement": [{"Effect": "Allow", "Principal": {"Service": "delivery.logs.amazonaws.com"},',
        '            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],',
        '            "Resource": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/%s/*"}]' % name.lower(),
        "        }",
    ]


def cloudformation_yaml(rng, index):
    lines = [
        'AWSTemplateFormatVersion: "2010-09-09"',
        f"Description: generated stack {index}",
        "Parameters:",
        "  Env: {Type: String, Default: dev}",
        "Conditions:",
        "  IsProd: !Equals [!Ref Env, prod]",
        "Resources:",
        "  Bucket:",
        "    Type: AWS::S3::Bucket",
    ]
    for n in range(rng.randint(1, 4)):
        lines += role_yaml(rng, f"Role{index}x{n}")
    lines += bucket_policy_yaml(rng, f"Data{index}")
    if rng.random() < 0.5:
        lines += logs_policy_yaml(rng, f"App{index}")
    return "\n".join(lines) + "\n"


def sam_yaml(rng, index):
    lines = [
        'AWSTemplateFormatVersion: "2010-09-09"',
        "Transform: AWS::Serverless-2016-10-31",
        "Resources:",
        "  Table:",
        "    Type: AWS::DynamoDB::Table",
        "  Queue:",
        "    Type: AWS::SQS::Queue",
    ]
    for n in range(rng.randint(1, 5)):
        lines += [
            f"  Fn{index}x{n}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            f"      Handler: app.handler{n}",
            "      Runtime: python3.12",
            "      CodeUri: src/",
            "      Policies:",
            "        - AWSXRayDaemonWriteAccess",
        ]
        for template, parameter in rng.sample(SAM_TEMPLATES, rng.randint(1, 3)):
            value = "!Ref Table" if "Table" in parameter else "!GetAtt Queue.QueueName"
            lines += [f"        - {template}:", f"            {parameter}: {value}"]
        lines += [
            "        - Version: '2012-10-17'",
            "          Statement:",
            "            - Effect: Allow",
            f"              Action: {rng.choice(ACTIONS)}",
            "              Resource: '*'",
        ]
    return "\n".join(lines) + "\n"


def cdk_json(rng, index):
    resources = {}
    for n in range(rng.randint(1, 4)):
        role = f"HandlerServiceRole{index:05d}{n}"
        resources[role] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                                   "Principal": {"Service": "lambda.amazonaws.com"}}],
                    "Version": "2012-10-17",
                },
                "ManagedPolicyArns": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
                                       ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]]}],
            },
        }
        resources[role + "DefaultPolicy"] = {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyDocument": {
                    "Statement": [{
                        "Action": rng.sample(ACTIONS, rng.randint(1, 5)),
                        "Effect": "Allow",
                        "Resource": [{"Fn::GetAtt": ["Bucket83908E77", "Arn"]},
                                     {"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket83908E77", "Arn"]}, "/*"]]}],
                    }],
                    "Version": "2012-10-17",
                },
                "PolicyName": role + "DefaultPolicy",
                "Roles": [{"Ref": role}],
            },
        }
    resources["Bucket83908E77"] = {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}
    return json.dumps({"Resources": resources, "Parameters": {"BootstrapVersion": {
        "Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/hnb659fds/version"}}},
        indent=1) + "\n"


def noise_yaml(rng, index):
    if index % 2:
        return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{index}\nspec:\n"
                f"  replicas: {rng.randint(1, 5)}\n  template:\n    spec:\n      containers:\n"
                f"        - name: app\n          image: app:{index}\n---\napiVersion: v1\nkind: Service\n"
                f"metadata:\n  name: app{index}\n")
    return (f"name: ci-{index}\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - run: make test\n")


def large_yaml(rng, megabytes):
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Conditions:",
             "  IsProd: !Equals [!Ref 'AWS::StackName', prod]", "Resources:",
             "  Bucket:", "    Type: AWS::S3::Bucket"]
    size = 0
    index = 0
    while size < megabytes * 1_000_000:
        chunk = role_yaml(rng, f"Role{index}") + bucket_policy_yaml(rng, f"Data{index}")
        size += sum(len(line) + 1 for line in chunk)
        lines += chunk
        index += 1
    return "\n".join(lines) + "\n"


def generate(out, count, noise=0, large_mb=0, seed=7, quiet=False):
    """Writes the corpus under `out`; returns the number of files and bytes written."""
    rng = random.Random(seed)
    out = pathlib.Path(out)
    (out / "templates").mkdir(parents=True, exist_ok=True)
    total = 0
    for index in range(count):
        kind = index % 10
        if kind < 6:
            name, text = f"stack-{index:05d}.yaml", cloudformation_yaml(rng, index)
        elif kind < 8:
            name, text = f"sam-{index:05d}.yaml", sam_yaml(rng, index)
        else:
            name, text = f"cdk-{index:05d}.template.json", cdk_json(rng, index)
        (out / "templates" / name).write_text(text)
        total += len(text)
    if not quiet:
        print(f"wrote {count} templates ({total / 1e6:.1f} MB) to {out / 'templates'}")
    files = count
    if noise:
        (out / "noise").mkdir(exist_ok=True)
        for index in range(noise):
            text = noise_yaml(rng, index)
            (out / "noise" / f"other-{index:05d}.yml").write_text(text)
            total += len(text)
        files += noise
    if large_mb:
        text = large_yaml(rng, large_mb)
        (out / "large.yaml").write_text(text)
        total += len(text)
        files += 1
    return files, total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--noise", type=int, default=0)
    parser.add_argument("--large-mb", type=float, default=0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.count, args.noise, args.large_mb, args.seed)


if __name__ == "__main__":
    main()
