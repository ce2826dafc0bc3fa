//! CLI tests of CloudFormation and SAM templates, including hostile YAML.
//!
//! Findings of the foundation rules land at the exact node, also inside `!Sub` JSON strings.

use assert_cmd::Command;
use std::time::{Duration, Instant};

/// The built binary, run from the repository root (paths below are relative to it).
fn iamlint() -> Command {
    let mut command = Command::cargo_bin("iamlint").unwrap();
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}

/// `iamlint check --format compact --select all`: every rule, so every span is seen.
fn compact(args: &[&str]) -> (i32, String, String) {
    let output = iamlint()
        .args(["check", "--format", "compact", "--select", "all"])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn write(dir: &tempfile::TempDir, name: &str, content: impl AsRef<[u8]>) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn findings_point_into_sub_json_and_yaml_nodes() {
    let (code, stdout, _) = compact(&[
        "testdata/cloudformation/json-strings.yaml",
        "testdata/cloudformation/iam-roles.yaml",
        "testdata/cloudformation/cdk-app.template.json",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout, @r"
    testdata/cloudformation/cdk-app.template.json:75:20: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service
    testdata/cloudformation/cdk-app.template.json:144:116: warning[confused-deputy] `delivery.logs.amazonaws.com` may act here for any account: no `aws:SourceArn` or `aws:SourceAccount` condition
    testdata/cloudformation/cdk-app.template.json:152:110: warning[confused-deputy] `es.amazonaws.com` may act here for any account: no `aws:SourceArn` or `aws:SourceAccount` condition
    testdata/cloudformation/iam-roles.yaml:101:21: error[admin-access] this statement allows every action on every resource
    testdata/cloudformation/json-strings.yaml:35:109: warning[confused-deputy] `es.amazonaws.com` may act here for any account: no `aws:SourceArn` or `aws:SourceAccount` condition
    testdata/cloudformation/json-strings.yaml:43:38: warning[confused-deputy] `route53.amazonaws.com` may act here for any account: no `aws:SourceArn` or `aws:SourceAccount` condition
    testdata/cloudformation/json-strings.yaml:53:56: error[public-resource-policy] anyone can use this statement
    testdata/cloudformation/json-strings.yaml:62:97: warning[confused-deputy] `events.amazonaws.com` may act here for any account: no `aws:SourceArn` or `aws:SourceAccount` condition
    testdata/cloudformation/json-strings.yaml:76:99: warning[confused-deputy] `vpc-flow-logs.amazonaws.com` may act here for any account: no `aws:SourceArn` or `aws:SourceAccount` condition
    testdata/cloudformation/json-strings.yaml:89:80: error[parse-error] invalid JSON in the policy document: trailing commas are not allowed
    testdata/cloudformation/json-strings.yaml:101:73: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service
    ");
}

#[test]
fn unquoted_version_date_is_the_string_cloudformation_sees() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "t.yaml",
        "AWSTemplateFormatVersion: 2010-09-09\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: 2012-10-17\n        Statement:\n          - {Effect: Allow, Action: s3:GetObject, Resource: 'arn:aws:s3:::b/*'}\n",
    );
    let (code, stdout, _) = compact(&[&path]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn non_template_yaml_is_skipped_quietly_even_when_named() {
    let (code, stdout, stderr) = compact(&[
        "testdata/cloudformation/kubernetes.yaml",
        "testdata/cloudformation/github-workflow.yml",
    ]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
}

#[test]
fn broken_yaml_template_is_a_parse_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        &dir,
        "broken.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::IAM::Role\n   Properties: [\n",
    );
    let (code, stdout, _) = compact(&[&path]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("error[parse-error] invalid YAML"),
        "{stdout}"
    );
}

#[test]
fn alias_bomb_is_a_bounded_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let mut previous = 'a';
    for name in 'b'..='i' {
        let aliases = vec![format!("*{previous}"); 9].join(", ");
        text.push_str(&format!("{name}: &{name} [{aliases}]\n"));
        previous = name;
    }
    text.push_str("Resources: {R: {Type: AWS::SNS::Topic, Properties: {Tags: *i}}}\n");
    let path = write(&dir, "bomb.yaml", text);
    let started = Instant::now();
    let (code, stdout, _) = compact(&[&path]);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(code, 1);
    assert!(stdout.contains("aliases expand to more than"), "{stdout}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let flow = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties: {}\n",
        "[".repeat(100_000)
    );
    let block: String = std::iter::once(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::SNS::Topic\n    Properties:\n".to_string(),
    )
    .chain((0..5_000).map(|depth| format!("{}- \n", " ".repeat(6 + depth))))
    .collect();
    let json = format!(
        "{{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}}}",
        "[".repeat(100_000)
    );
    let paths = [
        write(&dir, "flow.yaml", flow),
        write(&dir, "block.yaml", block),
        write(&dir, "deep.json", json),
    ];
    for path in &paths {
        let (code, stdout, _) = compact(&[path]);
        assert_eq!(code, 1, "{path}: {stdout}");
        assert!(stdout.contains("error[parse-error]"), "{path}: {stdout}");
    }
}

#[test]
fn duplicate_keys_are_reported() {
    let (_, stdout, _) = compact(&["testdata/cloudformation/yaml-hazards.yml"]);
    insta::assert_snapshot!(stdout, @r"
    testdata/cloudformation/yaml-hazards.yml:25:17: error[malformed-policy] duplicate key `Action`
    testdata/cloudformation/yaml-hazards.yml:28:7: error[parse-error] duplicate key `Description` in the template
    testdata/cloudformation/yaml-hazards.yml:37:3: error[parse-error] duplicate key `WriterRole` in the template
    ");
}

#[test]
fn binary_junk_with_a_yaml_extension() {
    let dir = tempfile::tempdir().unwrap();
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let named = write(&dir, "junk.yaml", &junk);
    // Named on the command line: one diagnostic; found while walking: skipped.
    let (code, stdout, _) = compact(&[&named]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let (code, stdout, _) = compact(&[dir.path().to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    // Text junk that is valid UTF-8 but not YAML, with template words in it.
    let text = write(
        &dir,
        "text.yaml",
        "Resources: AWS:: {{ ]] :: - ! & * %%\n\t\u{0}",
    );
    let (code, _, _) = compact(&[&text]);
    assert!(code == 0 || code == 1);
}

#[test]
fn stdin_is_read_as_yaml_by_its_name() {
    let output = iamlint()
        .args([
            "check",
            "--format",
            "compact",
            "--stdin-filename",
            "stack.yaml",
            "-",
        ])
        .write_stdin(
            "Resources:\n  U:\n    Type: AWS::IAM::User\n    Properties:\n      Policies:\n        - PolicyName: all\n          PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}\n",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("stack.yaml:7:"), "{stdout}");
    assert!(stdout.contains("admin-access"), "{stdout}");
}

/// A template of about 5 MB: 4,000 roles with inline policies and a few findings.
fn large_template() -> String {
    let mut text = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    let mut index = 0;
    while text.len() < 5_000_000 {
        let resource = if index % 1000 == 0 {
            "\"*\""
        } else {
            "!GetAtt Target.Arn"
        };
        text.push_str(&format!(
            "  Role{index}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {{Service: lambda.amazonaws.com}}\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: p{index}\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              - Effect: Allow\n                Action: [s3:GetObject, s3:PutObject, dynamodb:Query, dynamodb:GetItem]\n                Resource: !Sub 'arn:${{AWS::Partition}}:s3:::bucket-{index}/*'\n              - Effect: Allow\n                Action: iam:PassRole\n                Resource: {resource}\n              - Effect: Allow\n                Action: logs:PutLogEvents\n                Resource: !Sub 'arn:aws:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:/app/{index}:*'\n"
        ));
        index += 1;
    }
    text
}

#[test]
fn a_five_megabyte_template_is_handled() {
    let dir = tempfile::tempdir().unwrap();
    let text = large_template();
    assert!(text.len() >= 5_000_000);
    let path = write(&dir, "large.yaml", &text);
    let (code, stdout, _) = compact(&[&path]);
    assert_eq!(code, 1);
    let passrole = stdout.matches("passrole-unscoped").count();
    assert_eq!(
        passrole,
        text.matches("Resource: \"*\"").count(),
        "{stdout}"
    );
}

#[test]
fn get_att_with_arguments_of_the_wrong_shape_is_an_unknown_value() {
    // Found by the cloudformation_yaml fuzz target: these recursed without end.
    let (code, stdout, _) = compact(&["testdata/fuzz/getatt-wrong-shape.yaml"]);
    assert_eq!(code, 0, "{stdout}");
}

#[test]
fn a_mapping_that_names_itself_is_an_unknown_value() {
    // `Mappings` holding `!FindInMap` of themselves overflowed the stack.
    let (code, stdout, _) = compact(&["testdata/fuzz/find-in-map-names-itself.yaml"]);
    assert_eq!(code, 0, "{stdout}");
}

/// `iamlint paths` prints what each principal of a template reaches and how, draws it (Mermaid,
/// DOT), or writes it as JSON.
#[test]
fn paths_print_and_draw_what_a_principal_reaches() {
    let template =
        "testdata/rules/privilege-escalation/fail_graph_passrole_ec2_admin_role_template.yaml";
    let run = |format: &str| {
        let output = iamlint()
            .args(["paths", "--format", format, template])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    insta::assert_snapshot!("paths_text", run("text"));
    insta::assert_snapshot!("paths_mermaid", run("mermaid"));
    insta::assert_snapshot!("paths_dot", run("dot"));
    let json = run("json");
    insta::assert_snapshot!("paths_json", json);
    // The documented shape: a version, then per input its nodes, each with its edges and reach.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["graphs"][0]["input"], template);
    let user = &value["graphs"][0]["nodes"][1];
    assert_eq!(user["name"], "user `StartingUser`");
    assert_eq!(user["can_become_admin"], true);
    assert_eq!(user["reaches"][0]["hops"][0]["path"], "ec2-001");
}

#[test]
fn paths_show_the_data_targets_a_principal_reads_and_gains() {
    let template = "testdata/rules/privilege-escalation/fail_graph_cfn_data_update_function_code_reads_bucket.yaml";
    let run = |format: &str| {
        let output = iamlint()
            .args(["paths", "--format", format, template])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let text = run("text");
    assert!(
        text.contains("reaches role `ExporterRole` (reads bucket `Reports`)"),
        "{text}"
    );
    assert!(
        text.contains("can read what it cannot read itself: bucket `Reports`"),
        "{text}"
    );
    assert!(run("mermaid").contains("i0t0[(\"bucket Reports\")]"));
    assert!(run("dot").contains("[label=\"read\", style=dotted]"));
    let value: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let nodes = &value["graphs"][0]["nodes"];
    assert_eq!(nodes[0]["can_read_more"][0], "bucket `Reports`");
    assert_eq!(nodes[1]["reads"][0]["action"], "s3:GetObject");
}
