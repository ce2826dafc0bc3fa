#!/usr/bin/env python3
"""Write a firing fixture (`<id>/fail/main.tf`) and a near miss (`<id>/pass/main.tf`) for every path of
rules/data/pathfinding-cloud/paths.json the access graph follows.

Each fixture is a small Terraform module (a directory of its own: a module is one graph): a starting user (or role) `start`, a target with
AdministratorAccess, and the permissions of the path on the named target. The near miss
changes one thing: the target has no more than the starter, the role is passed to another
service, or the trust names someone else. Re-run after the catalogue or the graph changes;
`tests/integration/graph_paths.rs` checks the files against the catalogue.
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOGUE = os.path.join(HERE, "..", "..", "..", "rules", "data", "pathfinding-cloud", "paths.json")

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"

# The runner an existing-passrole action works on: (resource type, its body with ROLE for the
# role's ARN, extra resources).
RUNNERS = {
    "lambda:UpdateFunctionCode": ("aws_lambda_function", 'function_name = "target"\n  role          = ROLE\n  handler       = "index.handler"\n  runtime       = "python3.12"\n  filename      = "fn.zip"'),
    "codebuild:StartBuild": ("aws_codebuild_project", 'name         = "target"\n  service_role = ROLE\n  artifacts {\n    type = "NO_ARTIFACTS"\n  }\n  environment {\n    compute_type = "BUILD_GENERAL1_SMALL"\n    image        = "aws/codebuild/standard:7.0"\n    type         = "LINUX_CONTAINER"\n  }\n  source {\n    type = "NO_SOURCE"\n  }'),
    "cloudformation:UpdateStack": ("aws_cloudformation_stack", 'name         = "target"\n  iam_role_arn = ROLE\n  template_body = jsonencode({ Resources = {} })'),
    "ssm:SendCommand": ("aws_instance", 'ami                  = "ami-12345678"\n  instance_type        = "t3.micro"\n  iam_instance_profile = aws_iam_instance_profile.target.name'),
    "ssm:StartSession": ("aws_instance", 'ami                  = "ami-12345678"\n  instance_type        = "t3.micro"\n  iam_instance_profile = aws_iam_instance_profile.target.name'),
    "glue:UpdateDevEndpoint": ("aws_glue_dev_endpoint", 'name     = "target"\n  role_arn = ROLE'),
    "sagemaker:CreatePresignedNotebookInstanceUrl": ("aws_sagemaker_notebook_instance", 'name          = "target"\n  role_arn      = ROLE\n  instance_type = "ml.t3.medium"'),
    "apprunner:UpdateService": ("aws_apprunner_service", 'service_name = "target"\n  source_configuration {\n    image_repository {\n      image_identifier      = "public.ecr.aws/nginx/nginx:latest"\n      image_repository_type = "ECR_PUBLIC"\n    }\n  }\n  instance_configuration {\n    instance_role_arn = ROLE\n  }'),
}
RUNNERS["codebuild:StartBuildBatch"] = RUNNERS["codebuild:StartBuild"]
RUNNERS["cloudformation:CreateChangeSet"] = RUNNERS["cloudformation:UpdateStack"]
RUNNERS["ec2:CreateLaunchTemplateVersion"] = ("aws_launch_template", 'name = "target"\n  iam_instance_profile {\n    name = aws_iam_instance_profile.target.name\n  }')
RUNNERS["bedrock-agentcore:StartCodeInterpreterSession"] = ("aws_bedrockagentcore_code_interpreter", 'name               = "target"\n  execution_role_arn = ROLE\n  network_configuration {\n    network_mode = "PUBLIC"\n  }')
RUNNER_SERVICE = {
    "aws_lambda_function": "lambda.amazonaws.com",
    "aws_codebuild_project": "codebuild.amazonaws.com",
    "aws_cloudformation_stack": "cloudformation.amazonaws.com",
    "aws_instance": "ec2.amazonaws.com",
    "aws_glue_dev_endpoint": "glue.amazonaws.com",
    "aws_sagemaker_notebook_instance": "sagemaker.amazonaws.com",
    "aws_apprunner_service": "tasks.apprunner.amazonaws.com",
    "aws_launch_template": "ec2.amazonaws.com",
    "aws_bedrockagentcore_code_interpreter": "bedrock-agentcore.amazonaws.com",
}


def statements(entries):
    lines = []
    for action, resource, extra in entries:
        actions = ", ".join(f'"{a}"' for a in action)
        line = f'    {{ Effect = "Allow", Action = [{actions}], Resource = {resource}{extra} }},'
        lines.append(line)
    return "\n".join(lines)


def user(name, entries):
    return f'''resource "aws_iam_user" "{name}" {{
  name = "{name}"
}}

resource "aws_iam_user_policy" "{name}" {{
  user = aws_iam_user.{name}.name
  policy = jsonencode({{ Version = "2012-10-17", Statement = [
{statements(entries)}
  ] }})
}}
'''


def role(name, trusted, managed):
    principal = trusted if trusted.startswith("{") else f'{{ Service = "{trusted}" }}'
    return f'''resource "aws_iam_role" "{name}" {{
  name = "{name}"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [
    {{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {principal} }}] }})
}}

resource "aws_iam_role_policy_attachment" "{name}" {{
  role       = aws_iam_role.{name}.name
  policy_arn = "{managed}"
}}
'''


def target_user(managed):
    return f'''resource "aws_iam_user" "target" {{
  name = "target"
}}

resource "aws_iam_user_policy_attachment" "target" {{
  user       = aws_iam_user.target.name
  policy_arn = "{managed}"
}}
'''


def target_group(managed):
    return f'''resource "aws_iam_group" "target" {{
  name = "target"
}}

resource "aws_iam_group_policy_attachment" "target" {{
  group      = aws_iam_group.target.name
  policy_arn = "{managed}"
}}
'''


def header(path, near_miss):
    what = f"near miss of {path['id']}: {near_miss}" if near_miss else f"{path['id']}: {path['name']}"
    return f"# pathfinding.cloud {what}\n# Generated by generate.py.\n\n"


def new_passrole(path, near_miss):
    service = path["passed_to_service"]
    creates = [p["action"] for p in path["permissions"] if p["applies_to"] == "new"]
    pinned = ""
    if near_miss:
        other = "lambda.amazonaws.com" if service != "lambda.amazonaws.com" else "ec2.amazonaws.com"
        pinned = f',\n      Condition = {{ StringEquals = {{ "iam:PassedToService" = "{other}" }} }}'
    # `codebuild:StartBuild` on every project is a path of its own (codebuild-002): the
    # build started is the one created, named by a pattern.
    started = [a for a in creates if a == "codebuild:StartBuild"]
    entries = [(["iam:PassRole"], "aws_iam_role.target.arn", pinned), ([a for a in creates if a not in started], '"*"', "")]
    if started:
        entries.append((started, '"arn:aws:codebuild:*:*:project/new-*"', ""))
    body = user("start", entries)
    return body + "\n" + role("target", service, ADMIN), "the role may only be passed to another service"


def existing_passrole(path, near_miss):
    """Every action of the path on the one resource (cloudformation-005 is filed under
    new-passrole, but changes an existing stack)."""
    actions = [p["action"] for p in path["permissions"] if p["applies_to"] == "runner"]
    resource_type, body = RUNNERS[actions[0]]
    managed = READ_ONLY if near_miss else ADMIN
    out = user("start", [(actions, f"{resource_type}.target.arn", "")])
    out += "\n" + role("target", RUNNER_SERVICE[resource_type], managed)
    if resource_type in ("aws_instance", "aws_launch_template"):
        out += '\nresource "aws_iam_instance_profile" "target" {\n  name = "target"\n  role = aws_iam_role.target.name\n}\n'
    out += f'\nresource "{resource_type}" "target" {{\n  {body.replace("ROLE", "aws_iam_role.target.arn")}\n}}\n'
    return out, "the resource runs as a read-only role"


def principal_access(path, near_miss):
    action = path["permissions"][0]["action"]
    if path["id"] == "sts-001":
        trusted = '{ AWS = "arn:aws:iam::111122223333:user/other" }' if near_miss else '{ AWS = aws_iam_user.start.arn }'
        out = user("start", [([action], "aws_iam_role.target.arn", "")])
        out += "\n" + role("target", trusted, ADMIN)
        return out, "the role's trust names a user of another account"
    managed = READ_ONLY if near_miss else ADMIN
    applies_to = path["permissions"][0]["applies_to"]
    if applies_to == "target-user":
        return user("start", [([action], "aws_iam_user.target.arn", "")]) + "\n" + target_user(managed), "the user is read-only"
    if applies_to == "target-group":
        return user("start", [([action], "aws_iam_group.target.arn", "")]) + "\n" + target_group(managed), "the group is read-only"
    return user("start", [([action], "aws_iam_role.target.arn", "")]) + "\n" + role("target", "ec2.amazonaws.com", managed), "the role is read-only"


def self_escalation(path, near_miss):
    """The starter changes its own permissions; the near miss changes a principal it does not
    reach."""
    permission = next(p for p in path["permissions"] if p["applies_to"] != "any")
    action, applies_to = permission["action"], permission["applies_to"]
    miss = "the principal changed is one it does not reach"
    if applies_to == "target-user":
        resource = "aws_iam_user.other.arn" if near_miss else "aws_iam_user.start.arn"
        return user("start", [([action], resource, "")]) + '\nresource "aws_iam_user" "other" {\n  name = "other"\n}\n', miss
    if applies_to == "target-role":
        resource = "aws_iam_role.other.arn" if near_miss else "aws_iam_role.start.arn"
        return f'''resource "aws_iam_role" "start" {{
  name = "start"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [
    {{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "ec2.amazonaws.com" }} }}] }})
}}

resource "aws_iam_role_policy" "start" {{
  role = aws_iam_role.start.name
  policy = jsonencode({{ Version = "2012-10-17", Statement = [
{statements([([action], resource, "")])}
  ] }})
}}

resource "aws_iam_role" "other" {{
  name = "other"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [
    {{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "ec2.amazonaws.com" }} }}] }})
}}
''', miss
    if applies_to == "target-group":
        resource = "aws_iam_group.other.arn" if near_miss else "aws_iam_group.start.arn"
        # The permission comes from the group the user is a member of.
        return f'''resource "aws_iam_user" "start" {{
  name = "start"
}}

resource "aws_iam_group" "start" {{
  name = "start"
}}

resource "aws_iam_group" "other" {{
  name = "other"
}}

resource "aws_iam_group_membership" "start" {{
  name  = "start"
  group = aws_iam_group.start.name
  users = [aws_iam_user.start.name]
}}

resource "aws_iam_group_policy" "start" {{
  group = aws_iam_group.start.name
  policy = jsonencode({{ Version = "2012-10-17", Statement = [
{statements([([action], resource, "")])}
  ] }})
}}
''', miss
    # target-policy: a customer managed policy attached to the starter (or to no one).
    attached = "" if near_miss else '''
resource "aws_iam_user_policy_attachment" "start" {
  user       = aws_iam_user.start.name
  policy_arn = aws_iam_policy.start.arn
}
'''
    return user("start", [([action], "aws_iam_policy.start.arn", "")]) + '''
resource "aws_iam_policy" "start" {
  name = "start"
  policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}
''' + attached, "the policy is attached to no principal it reaches"


def combined(path, near_miss):
    """A change of a principal and access to it, both by the starter (iam-014 to iam-021). The
    target has nothing of its own; the near miss gains another principal than the one it
    changes (or, for sts:AssumeRole, the target's trust names someone else)."""
    modify, access = (p["action"] for p in path["permissions"])
    kind = "user" if access == "iam:CreateAccessKey" else "role"
    if modify == "iam:CreatePolicyVersion":
        modified = "aws_iam_policy.target.arn"
    else:
        modified = f"aws_iam_{kind}.target.arn"
    reached = f"aws_iam_{kind}.target.arn"
    if near_miss and access != "sts:AssumeRole":
        reached = f"aws_iam_{kind}.other.arn"
    out = user("start", [([modify], modified, ""), ([access], reached, "")])
    if kind == "user":
        out += '\nresource "aws_iam_user" "target" {\n  name = "target"\n}\n'
        out += '\nresource "aws_iam_user" "other" {\n  name = "other"\n}\n'
        holder = "user = aws_iam_user.target.name"
    else:
        trusted = "ec2.amazonaws.com"
        if access == "sts:AssumeRole":
            trusted = '{ AWS = "arn:aws:iam::111122223333:user/other" }' if near_miss else "{ AWS = aws_iam_user.start.arn }"
        for name in ("target", "other"):
            principal = trusted if trusted.startswith("{") else f'{{ Service = "{trusted}" }}'
            if name == "other":
                principal = '{ Service = "ec2.amazonaws.com" }'
            out += f'''
resource "aws_iam_role" "{name}" {{
  name = "{name}"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [
    {{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {principal} }}] }})
}}
'''
        holder = "role = aws_iam_role.target.name"
    if modify == "iam:CreatePolicyVersion":
        out += f'''
resource "aws_iam_policy" "target" {{
  name = "target"
  policy = jsonencode({{ Version = "2012-10-17", Statement = [
    {{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }}] }})
}}

resource "aws_iam_{kind}_policy_attachment" "target" {{
  {holder}
  policy_arn = aws_iam_policy.target.arn
}}
'''
    if access == "sts:AssumeRole":
        return out, "the target's trust names a user of another account"
    return out, "the principal it gains is not the one it changes"


def stack_set_update(path, near_miss):
    """cloudformation-004: pass a role CloudFormation trusts as the administration role and
    update an existing stack set, whose template then runs as its execution role."""
    managed = READ_ONLY if near_miss else ADMIN
    out = user("start", [(["iam:PassRole"], "aws_iam_role.administration.arn", ""), (["cloudformation:UpdateStackSet"], "aws_cloudformation_stack_set.target.arn", "")])
    out += "\n" + role("administration", "cloudformation.amazonaws.com", READ_ONLY)
    out += "\n" + role("target", "{ AWS = aws_iam_role.administration.arn }", managed)
    out += '''
resource "aws_cloudformation_stack_set" "target" {
  name                    = "target"
  administration_role_arn = aws_iam_role.administration.arn
  execution_role_name     = aws_iam_role.target.name
  template_body           = jsonencode({ Resources = {} })
}
'''
    return out, "the stack set's execution role is read-only"


BUILDERS = {
    "new-passrole": new_passrole,
    "existing-passrole": existing_passrole,
    "principal-access": principal_access,
    "self-escalation": self_escalation,
}


def main():
    with open(CATALOGUE, encoding="utf-8") as handle:
        paths = json.load(handle)["paths"]
    for name in os.listdir(HERE):
        if os.path.isdir(os.path.join(HERE, name)):
            shutil.rmtree(os.path.join(HERE, name))
    for path in paths:
        if path.get("not_in_graph"):
            continue
        # Joining a group is access to the group's permissions, whatever the catalogue's category.
        if path.get("parent") and path["category"] == "principal-access" and len(path["permissions"]) == 2:
            build = combined
        elif path["permissions"][0]["action"] == "iam:AddUserToGroup":
            build = principal_access
        elif path["id"] == "cloudformation-004":
            build = stack_set_update
        elif all(p["applies_to"] == "runner" for p in path["permissions"]):
            build = existing_passrole
        else:
            build = BUILDERS[path["category"]]
        for near_miss, prefix in ((False, "fail"), (True, "pass")):
            text, why = build(path, near_miss)
            folder = os.path.join(HERE, path["id"], prefix)
            os.makedirs(folder)
            with open(os.path.join(folder, "main.tf"), "w", encoding="utf-8") as out:
                out.write(header(path, why if near_miss else None) + text)



# CloudFormation: the same paths as templates (`<id>/cfn-fail/template.yaml`, the near miss in
# `<id>/cfn-pass/`), for the ids whose resources CloudFormation declares. A template is one
# graph; the starter's permissions are an `AWS::IAM::Policy` attached to it (a policy of the
# user itself could not name the user's own ARN without a circular dependency).

CFN_IDS = [
    "ec2-001", "lambda-001", "lambda-002", "codebuild-001", "cloudformation-001", "glue-001",
    "sagemaker-001", "lambda-003", "codebuild-002", "sagemaker-004", "sts-001", "iam-002",
    "iam-012", "iam-013", "iam-005", "iam-007", "iam-001",
]

# The runner an existing-passrole action works on: (logical id, type, properties with ROLE for
# the role's ARN, how a statement names it).
CFN_RUNNERS = {
    "lambda:UpdateFunctionCode": ("TargetFunction", "AWS::Lambda::Function", "Role: ROLE\n      Handler: index.handler\n      Runtime: python3.12\n      Code:\n        ZipFile: \"def handler(event, context): pass\"", "!GetAtt TargetFunction.Arn", "lambda.amazonaws.com"),
    "codebuild:StartBuild": ("TargetProject", "AWS::CodeBuild::Project", "ServiceRole: ROLE\n      Artifacts:\n        Type: NO_ARTIFACTS\n      Environment:\n        ComputeType: BUILD_GENERAL1_SMALL\n        Image: aws/codebuild/standard:7.0\n        Type: LINUX_CONTAINER\n      Source:\n        Type: NO_SOURCE", "!GetAtt TargetProject.Arn", "codebuild.amazonaws.com"),
    "sagemaker:CreatePresignedNotebookInstanceUrl": ("TargetNotebook", "AWS::SageMaker::NotebookInstance", "RoleArn: ROLE\n      InstanceType: ml.t3.medium", "!Ref TargetNotebook", "sagemaker.amazonaws.com"),
}


def cfn_statements(entries):
    out = []
    for actions, resource, condition in entries:
        out.append(f"""          - Effect: Allow
            Action: [{", ".join(actions)}]
            Resource: {resource}{condition}""")
    return "\n".join(out)


def cfn_policy(holder, logical_id, entries):
    """An `AWS::IAM::Policy` attached to `holder` (`Users: [!Ref Start]`)."""
    return f"""  StartPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: start
      {holder}: [!Ref {logical_id}]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
{cfn_statements(entries)}
"""


def cfn_role(logical_id, principal, managed):
    return f"""  {logical_id}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: sts:AssumeRole
            Principal: {principal}
      ManagedPolicyArns: [{managed}]
"""


def cfn_principal(kind, logical_id, managed=None):
    managed = f"\n    Properties:\n      ManagedPolicyArns: [{managed}]" if managed else ""
    return f"  {logical_id}:\n    Type: AWS::IAM::{kind}{managed}\n"


def cfn_start_user(entries):
    return cfn_principal("User", "Start") + cfn_policy("Users", "Start", entries)


def cfn_new_passrole(path, near_miss):
    service = path["passed_to_service"]
    creates = [p["action"] for p in path["permissions"] if p["applies_to"] == "new"]
    condition = ""
    if near_miss:
        other = "lambda.amazonaws.com" if service != "lambda.amazonaws.com" else "ec2.amazonaws.com"
        condition = f"\n            Condition: {{StringEquals: {{iam:PassedToService: {other}}}}}"
    started = [a for a in creates if a == "codebuild:StartBuild"]
    entries = [(["iam:PassRole"], "!GetAtt Target.Arn", condition), ([a for a in creates if a not in started], '"*"', "")]
    if started:
        entries.append((started, '"arn:aws:codebuild:*:*:project/new-*"', ""))
    out = cfn_start_user(entries) + cfn_role("Target", f"{{Service: {service}}}", ADMIN)
    return out, "the role may only be passed to another service"


def cfn_existing_passrole(path, near_miss):
    action = next(p["action"] for p in path["permissions"] if p["applies_to"] == "runner")
    logical_id, resource_type, properties, named, service = CFN_RUNNERS[action]
    out = cfn_start_user([([action], named, "")])
    out += cfn_role("Target", f"{{Service: {service}}}", READ_ONLY if near_miss else ADMIN)
    out += f"  {logical_id}:\n    Type: {resource_type}\n    Properties:\n      {properties.replace('ROLE', '!GetAtt Target.Arn')}\n"
    return out, "the resource runs as a read-only role"


def cfn_principal_access(path, near_miss):
    action, applies_to = path["permissions"][0]["action"], path["permissions"][0]["applies_to"]
    managed = READ_ONLY if near_miss else ADMIN
    if path["id"] == "sts-001":
        trusted = "{AWS: arn:aws:iam::111122223333:user/other}" if near_miss else "{AWS: !GetAtt Start.Arn}"
        return cfn_start_user([([action], "!GetAtt Target.Arn", "")]) + cfn_role("Target", trusted, ADMIN), "the role's trust names a user of another account"
    if applies_to == "target-user":
        return cfn_start_user([([action], "!GetAtt Target.Arn", "")]) + cfn_principal("User", "Target", managed), "the user is read-only"
    if applies_to == "target-group":
        return cfn_start_user([([action], "!GetAtt Target.Arn", "")]) + cfn_principal("Group", "Target", managed), "the group is read-only"
    return cfn_start_user([([action], "!GetAtt Target.Arn", "")]) + cfn_role("Target", "{Service: ec2.amazonaws.com}", managed), "the role is read-only"


def cfn_self_escalation(path, near_miss):
    """The starter changes its own permissions; the near miss changes a principal it does not
    reach."""
    action, applies_to = path["permissions"][0]["action"], path["permissions"][0]["applies_to"]
    changed = "Other" if near_miss else "Start"
    miss = "the principal changed is one it does not reach"
    if applies_to == "target-user":
        return cfn_start_user([([action], f"!GetAtt {changed}.Arn", "")]) + cfn_principal("User", "Other"), miss
    if applies_to == "target-role":
        service = "{Service: ec2.amazonaws.com}"
        out = cfn_role("Start", service, READ_ONLY) + cfn_role("Other", service, READ_ONLY)
        return out + cfn_policy("Roles", "Start", [([action], f"!GetAtt {changed}.Arn", "")]), miss
    # target-policy: a customer managed policy attached to the starter (or to no one).
    users = "" if near_miss else "\n      Users: [!Ref Start]"
    return cfn_start_user([([action], "!Ref Deploy", "")]) + f"""  Deploy:
    Type: AWS::IAM::ManagedPolicy
    Properties:{users}
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "*"
""", "the policy is attached to no principal it reaches"


CFN_BUILDERS = {
    "new-passrole": cfn_new_passrole,
    "existing-passrole": cfn_existing_passrole,
    "principal-access": cfn_principal_access,
    "self-escalation": cfn_self_escalation,
}


def main_cloudformation():
    with open(CATALOGUE, encoding="utf-8") as handle:
        paths = {path["id"]: path for path in json.load(handle)["paths"]}
    for path_id in CFN_IDS:
        path = paths[path_id]
        # Joining a group is access to the group's permissions, as for Terraform.
        if path["permissions"][0]["action"] == "iam:AddUserToGroup":
            build = cfn_principal_access
        else:
            build = CFN_BUILDERS[path["category"]]
        for near_miss, prefix in ((False, "cfn-fail"), (True, "cfn-pass")):
            text, why = build(path, near_miss)
            folder = os.path.join(HERE, path_id, prefix)
            os.makedirs(folder)
            with open(os.path.join(folder, "template.yaml"), "w", encoding="utf-8") as out:
                out.write(header(path, why if near_miss else None) + 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n' + text)


if __name__ == "__main__":
    main()
    main_cloudformation()
