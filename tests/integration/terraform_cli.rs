//! CLI tests of Terraform modules: a directory, a single named file whose siblings are read
//! only for references, `iamlint documents`, standard input, and hostile input.

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

fn run(args: &[&str]) -> (i32, String, String) {
    let output = iamlint().args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `iamlint check --format compact --select all`: every rule, so every span is seen.
fn compact(paths: &[&str]) -> (i32, String) {
    let mut args = vec!["check", "--format", "compact", "--select", "all"];
    args.extend_from_slice(paths);
    let (code, stdout, _) = run(&args);
    (code, stdout)
}

fn write(dir: &tempfile::TempDir, name: &str, content: impl AsRef<[u8]>) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn findings_point_at_the_element_in_hcl_heredocs_and_json_strings() {
    let (code, stdout) = compact(&[
        "testdata/terraform/jsonencode",
        "testdata/terraform/heredoc",
        "testdata/terraform/tf_json",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(stdout, @r#"
    testdata/terraform/heredoc/main.tf:10:1: warning[missing-version] the policy has no `Version`
    testdata/terraform/heredoc/main.tf:15:19: error[policy-variable-needs-version] policy variable `${aws:username}` is taken literally: the policy has no `Version`
    testdata/terraform/heredoc/main.tf:37:21: warning[wildcard-action] `logs:*` allows all 133 actions of `logs` on every resource
    testdata/terraform/heredoc/main.tf:53:83: warning[allow-with-not-action] `Allow` with `NotAction` allows every action except the ones listed
    testdata/terraform/heredoc/main.tf:53:83: error[privilege-escalation] `NotAction` allows privilege escalation: replace the code of a Lambda function that has a privileged role (`lambda:UpdateFunctionCode`); 6 more paths: glue-update-dev-endpoint, ssm-send-command, ssm-start-session, ...
    testdata/terraform/heredoc/main.tf:62:66: error[parse-error] invalid JSON in the policy document: trailing commas are not allowed
    testdata/terraform/jsonencode/main.tf:38:20: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service
    testdata/terraform/jsonencode/main.tf:66:48: error[admin-access] this statement allows every action on every resource
    testdata/terraform/tf_json/main.tf.json:14:103: error[admin-access] this statement allows every action on every resource
    testdata/terraform/tf_json/main.tf.json:25:27: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service
    "#);
}

/// `actions = ["*"]` underlines the `"*"`; a heredoc's `"Resource": "*"` its line.
#[test]
fn the_star_in_a_block_and_the_heredoc_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir,
        "main.tf",
        "data \"aws_iam_policy_document\" \"admin\" {\n  statement {\n    actions   = [\"*\"]\n    resources = [\"*\"]\n  }\n}\n\nresource \"aws_iam_policy\" \"pass\" {\n  policy = <<EOF\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Action\": \"iam:PassRole\",\n    \"Resource\": \"*\"\n  }]\n}\nEOF\n}\n",
    );
    let output = iamlint()
        .current_dir(dir.path())
        .args(["check", "--format", "compact", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    insta::assert_snapshot!(stdout, @r"
    main.tf:3:18: error[admin-access] this statement allows every action on every resource
    main.tf:15:17: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service
    ");
}

fn module_with_siblings() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir, "locals.tf", "locals {\n  bucket = \"logs\"\n}\n");
    write(
        &dir,
        "iam.tf",
        "data \"aws_iam_policy_document\" \"unused\" {\n  statement {\n    actions   = [\"*\"]\n    resources = [\"*\"]\n  }\n}\n",
    );
    write(
        &dir,
        "main.tf",
        "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [\n      { Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"arn:aws:s3:::${local.bucket}/*\" },\n      { Effect = \"Allow\", Action = \"*\", Resource = \"*\" },\n    ]\n  })\n}\n",
    );
    dir
}

#[test]
fn a_named_file_reads_its_siblings_but_reports_only_itself() {
    let dir = module_with_siblings();
    let main = dir.path().join("main.tf");
    let main = main.to_str().unwrap();
    let (code, stdout) = compact(&[main]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.lines().all(|l| l.contains("main.tf:6:")), "{stdout}");
    // The local of the sibling file resolved.
    let (_, documents, _) = run(&["documents", "--format", "json", main]);
    let documents: serde_json::Value = serde_json::from_str(&documents).unwrap();
    assert_eq!(documents.as_array().unwrap().len(), 1);
    assert_eq!(
        documents[0]["policy"]["Statement"][0]["Resource"],
        "arn:aws:s3:::logs/*"
    );
    // The whole directory reports the sibling too.
    let (_, stdout) = compact(&[dir.path().to_str().unwrap()]);
    assert!(
        stdout.contains("iam.tf:3:18: error[admin-access]"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
}

#[test]
fn documents_show_origins_and_attachments() {
    let (code, stdout, _) = run(&["documents", "testdata/terraform/jsonencode"]);
    assert_eq!(code, 0);
    let headers: Vec<&str> = stdout.lines().filter(|l| l.starts_with('#')).collect();
    insta::assert_snapshot!(headers.join("\n"), @r"
    # testdata/terraform/jsonencode/main.tf:10:35 aws_iam_role.ci.assume_role_policy (trust)
    #   attached to role aws_iam_role.ci
    # testdata/terraform/jsonencode/main.tf:22:23 aws_iam_policy.deploy.policy (identity)
    #   attached to role aws_iam_role.ci
    #   attached to instance-profile aws_iam_instance_profile.ci
    # testdata/terraform/jsonencode/main.tf:64:23 aws_iam_role_policy.admin.policy (identity)
    #   attached to role aws_iam_role.ci
    #   attached to instance-profile aws_iam_instance_profile.ci
    ");
    let (_, json, _) = run(&[
        "documents",
        "--format",
        "json",
        "testdata/terraform/policy_document",
    ]);
    let documents: serde_json::Value = serde_json::from_str(&json).unwrap();
    let last = documents.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["origin"], "data.aws_iam_policy_document.final");
    assert_eq!(
        last["origin_notes"][1],
        "used by `aws_iam_policy.app.policy`"
    );
    assert_eq!(last["attachments"][0]["principal"], "aws_iam_role.app");
}

#[test]
fn standard_input_under_a_terraform_name() {
    let output = iamlint()
        .args(["check", "--format", "compact", "--stdin-filename", "main.tf", "-"])
        .write_stdin("resource \"aws_iam_role_policy\" \"x\" {\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = [\"*\"], Resource = [\"*\"] }] })\n}\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("main.tf:2:92: error[admin-access]"),
        "{stdout}"
    );
}

#[test]
fn hostile_terraform_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir,
        "truncated.tf",
        "resource \"aws_iam_policy\" \"x\" {\n  policy = jsonencode({\n    Statement = [{ Action = ",
    );
    write(&dir, "binary.tf", b"\x00\x01\x02resource\xff\xfe");
    write(&dir, "latin1.tf", b"locals {\n  x = \"caf\xe9\"\n}\n");
    write(&dir, "empty.tf", "");
    write(
        &dir,
        "deep.tf",
        format!("locals {{\n  x = {}\n}}\n", "[".repeat(100_000)),
    );
    write(
        &dir,
        "deep_json.tf",
        format!(
            "resource \"aws_iam_policy\" \"d\" {{\n  policy = <<EOF\n{{\"Statement\": {}\nEOF\n}}\n",
            "[".repeat(100_000)
        ),
    );
    write(
        &dir,
        "operators.tf",
        format!("locals {{\n  y = 1{}\n}}\n", " + 1".repeat(50_000)),
    );
    // Locals that use each other many times grow exponentially; a cycle never ends.
    let mut fan = String::from("locals {\n  l0 = [\"s3:GetObject\"]\n");
    for level in 1..24 {
        let previous = format!("local.l{}", level - 1);
        fan.push_str(&format!(
            "  l{level} = concat({previous}, {previous}, {previous}, {previous})\n"
        ));
    }
    fan.push_str("  a = local.b\n  b = local.a\n}\n");
    write(&dir, "fan.tf", fan);
    write(
        &dir,
        "use.tf",
        "resource \"aws_iam_policy\" \"fan\" {\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = local.l23, Resource = local.a }] })\n}\nresource \"aws_iam_role\" \"r\" {\n  managed_policy_arns = local.a\n  assume_role_policy  = local.b\n}\n",
    );
    let started = Instant::now();
    let (code, stdout) = compact(&[dir.path().to_str().unwrap()]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(code, 1, "{stdout}");
    for name in ["truncated.tf", "deep.tf", "deep_json.tf", "operators.tf"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(name) && l.contains("error[parse-error]")),
            "{name}: {stdout}"
        );
    }
    // Named explicitly, a binary file is reported rather than skipped.
    let (code, stdout) = compact(&[&dir.path().join("binary.tf").to_string_lossy()]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("binary.tf:1:1: error[parse-error] binary file"),
        "{stdout}"
    );
}

/// `iamlint paths --format json` says which module each graph comes from, as locations name
/// files, and names principals by their resource label; the text names confidence in lower
/// case like the rest of the human output.
#[test]
fn paths_name_the_module_of_each_graph_and_principals_by_label() {
    let module = "testdata/graph/paths/ec2-001/fail";
    let (code, stdout, _) = run(&["paths", "--format", "json", module]);
    assert_eq!(code, 0, "{stdout}");
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let graph = &value["graphs"][0];
    assert_eq!(graph["input"], module);
    let names: Vec<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| node["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["role `target`", "user `start`"]);
    assert_eq!(graph["nodes"][1]["address"], "aws_iam_user.start");
    let (_, text, _) = run(&["paths", module]);
    assert!(
        text.contains("(pathfinding.cloud ec2-001, high confidence)"),
        "{text}"
    );
}
