#!/usr/bin/env python3
"""Convert the pathfinding.cloud path catalogue into `paths.json`, which iamlint embeds.

Usage: python3 convert.py PATH/TO/pathfinding-cloud [VERSION-OR-DATE]

Reads `data/paths/**/*.yaml` (schema 1.6.0) of a checkout of
https://github.com/DataDog/pathfinding.cloud (Apache-2.0, see LICENSE and NOTICE beside this
script) and keeps, per path: id, name, category, parent, the required permissions with the
resource each must apply to, the service that assumes the passed role (PassRole paths) and
what is gained. The YAML says where a permission applies only in prose, so `APPLIES_TO`
below states it per action; the script fails on an action it does not know, so a new path
in the catalogue is looked at by a maintainer before it reaches the data.

`NOT_IN_GRAPH` lists the paths the access graph does not follow, with why; a test
(`src/rules/graph.rs`) checks that every other id has an edge and this list is exact.
"""
import glob
import json
import os
import sys

import yaml

# What the permission must be allowed on, by action. `new` = in a new-passrole path, the
# resource the principal creates or points at the passed role (any will do, so the
# statement may name any); `runner` = an existing resource running as a role;
# `passed-role` = the role handed to the service.
APPLIES_TO = {
    "iam:PassRole": "passed-role",
    "iam:CreatePolicyVersion": "target-policy",
    "iam:CreateAccessKey": "target-user",
    "iam:DeleteAccessKey": "target-user",
    "iam:CreateLoginProfile": "target-user",
    "iam:UpdateLoginProfile": "target-user",
    "iam:PutUserPolicy": "target-user",
    "iam:AttachUserPolicy": "target-user",
    "iam:PutRolePolicy": "target-role",
    "iam:AttachRolePolicy": "target-role",
    "iam:UpdateAssumeRolePolicy": "target-role",
    "sts:AssumeRole": "target-role",
    "iam:PutGroupPolicy": "target-group",
    "iam:AttachGroupPolicy": "target-group",
    "iam:AddUserToGroup": "target-group",
    "ec2:DescribeInstances": "any",
    # A lifecycle configuration is a new resource the stopped notebook is then pointed at.
    "sagemaker:CreateNotebookInstanceLifecycleConfig": "new",
    # The catalogue files these under new-passrole, but they change an existing stack or
    # stack set, which then runs as its own role.
    "cloudformation:CreateChangeSet": "runner",
    "cloudformation:ExecuteChangeSet": "runner",
    "cloudformation:UpdateStackSet": "runner",
}
RUNNER_ACTIONS = {
    "apprunner:UpdateService", "bedrock-agentcore:StartCodeInterpreterSession",
    "bedrock-agentcore:InvokeCodeInterpreter", "cloudformation:UpdateStack",
    "cloudformation:UpdateStackSet", "codebuild:StartBuild", "codebuild:StartBuildBatch",
    "ec2-instance-connect:SendSSHPublicKey", "ec2:ModifyInstanceAttribute", "ec2:StopInstances",
    "ec2:StartInstances", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate",
    "glue:UpdateDevEndpoint", "glue:UpdateJob", "lambda:UpdateFunctionCode",
    "lambda:InvokeFunction", "lambda:AddPermission",
    "sagemaker:CreatePresignedNotebookInstanceUrl", "sagemaker:StopNotebookInstance",
    "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance",
    "ssm:StartSession", "ssm:SendCommand",
}
# The service principal a new-passrole path hands the role to.
PASSED_TO = {
    "apprunner-001": "tasks.apprunner.amazonaws.com",
    "bedrock-001": "bedrock-agentcore.amazonaws.com",
    "cloudformation-001": "cloudformation.amazonaws.com",
    "cloudformation-003": "cloudformation.amazonaws.com",
    "cloudformation-004": "cloudformation.amazonaws.com",
    "codebuild-001": "codebuild.amazonaws.com",
    "codebuild-004": "codebuild.amazonaws.com",
    "datapipeline-001": "datapipeline.amazonaws.com",
    "ec2-001": "ec2.amazonaws.com",
    "ec2-003": "ec2.amazonaws.com",
    "ecs-001": "ecs-tasks.amazonaws.com",
    "ecs-002": "ecs-tasks.amazonaws.com",
    "ecs-003": "ecs-tasks.amazonaws.com",
    "ecs-004": "ecs-tasks.amazonaws.com",
    "ecs-005": "ecs-tasks.amazonaws.com",
    "glue-001": "glue.amazonaws.com",
    "glue-003": "glue.amazonaws.com",
    "glue-004": "glue.amazonaws.com",
    "glue-005": "glue.amazonaws.com",
    "glue-006": "glue.amazonaws.com",
    "lambda-001": "lambda.amazonaws.com",
    "lambda-002": "lambda.amazonaws.com",
    "lambda-006": "lambda.amazonaws.com",
    "sagemaker-001": "sagemaker.amazonaws.com",
    "sagemaker-002": "sagemaker.amazonaws.com",
    "sagemaker-003": "sagemaker.amazonaws.com",
}
GAINS = {
    "new-passrole": "the passed role's permissions",
    "existing-passrole": "the permissions of the role the resource runs as",
    "principal-access": "the target principal's permissions",
    "self-escalation": "any permission (the principal writes its own policy)",
}
# What a path gains when its category says otherwise.
GAINS_BY_ID = {
    "cloudformation-004": "the permissions of the stack set's execution role",
    "cloudformation-005": "the permissions of the stack's role",
}
# Paths the graph does not follow, and why (checked by a test in src/rules/graph.rs).
NOT_IN_GRAPH = {
    "ec2-002": "needs an instance stopped and restarted with new user data: runtime state of the instance",
    "ec2instanceconnect-003": "needs SSH reachability of the instance: network state outside the policy",
    "ecs-001": "found as ecs-003 (CreateCluster only removes the need for an existing cluster)",
    "ecs-002": "found as ecs-004 (CreateCluster only removes the need for an existing cluster)",
    "iam-003": "found as iam-002 (DeleteAccessKey only frees a key slot, a runtime state)",
    "lambda-004": "found as lambda-003 (InvokeFunction only runs the new code sooner)",
    "lambda-005": "found as lambda-003 (AddPermission only runs the new code sooner)",
    "sagemaker-005": "needs the notebook stopped and restarted with a lifecycle config: runtime state",
}


def applies_to(action, category):
    if action in APPLIES_TO:
        return APPLIES_TO[action]
    if category == "new-passrole":
        return "new"
    if action in RUNNER_ACTIONS:
        return "runner"
    sys.exit(f"convert.py: say what {action} applies to (APPLIES_TO)")


def convert(checkout):
    paths = []
    for file in sorted(glob.glob(os.path.join(checkout, "data", "paths", "**", "*.yaml"), recursive=True)):
        with open(file, encoding="utf-8") as handle:
            doc = yaml.safe_load(handle)
        category = doc["category"]
        entry = {
            "id": doc["id"],
            "name": doc["name"],
            "category": category,
            "permissions": [
                {"action": p["permission"], "applies_to": applies_to(p["permission"], category)}
                for p in doc["permissions"]["required"]
            ],
            "gains": GAINS_BY_ID.get(doc["id"], GAINS[category]),
        }
        if doc.get("parent"):
            entry["parent"] = doc["parent"]["id"]
        if doc["id"] in PASSED_TO:
            entry["passed_to_service"] = PASSED_TO[doc["id"]]
        if doc["id"] in NOT_IN_GRAPH:
            entry["not_in_graph"] = NOT_IN_GRAPH[doc["id"]]
        paths.append(entry)
    unknown = set(NOT_IN_GRAPH) - {p["id"] for p in paths}
    if unknown:
        sys.exit(f"convert.py: NOT_IN_GRAPH names ids not in the catalogue: {sorted(unknown)}")
    return paths


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    source = sys.argv[2] if len(sys.argv) == 3 else "unknown version"
    out = {
        "_comment": "Generated by convert.py from pathfinding.cloud (Apache-2.0, Datadog; see LICENSE and NOTICE). Do not edit by hand.",
        "source": f"https://github.com/DataDog/pathfinding.cloud data/paths, {source}",
        "paths": convert(sys.argv[1]),
    }
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "paths.json")
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(out, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
