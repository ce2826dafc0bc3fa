//! Terraform plan JSON (`terraform show -json`), written by hand from the documented format
//! under `testdata/plan/`: registry modules, unknown values, a module nested two deep whose
//! configuration is in the tree, data-source documents, a plan checked with its
//! configuration, escalation across a registry module, and broken plans.

use assert_cmd::Command;

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

/// A registry module has no local source: its findings stay in the plan, at the element
/// inside the policy string, and name the resource's address.
#[test]
fn a_registry_module_is_reported_in_the_plan_with_its_address() {
    let (code, stdout) = compact(&["testdata/plan/registry_module/plan.json"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("registry_module_compact", stdout);
    let (_, human, _) = run(&["check", "testdata/plan/registry_module/plan.json"]);
    insta::assert_snapshot!("registry_module_human", human);
}

/// What the plan only knows after apply (`after_unknown`) is not read: no document, no `*`,
/// no finding; what it knows is.
#[test]
fn unknown_values_are_neither_star_nor_present() {
    let (code, stdout) = compact(&["testdata/plan/unknown_values/plan.json"]);
    assert_eq!(code, 0, "{stdout}");
    insta::assert_snapshot!(stdout, @"");
    let (_, documents, _) = run(&["documents", "testdata/plan/unknown_values/plan.json"]);
    insta::assert_snapshot!("unknown_values_documents", documents);
}

/// `module.platform.module.deployer.aws_iam_role_policy.deploy[0]`: both calls have local
/// sources, so the findings are at the `policy` argument of the block, the planned value
/// a related location.
#[test]
fn a_module_nested_two_deep_maps_to_the_tf_line() {
    let (code, stdout) = compact(&["testdata/plan/nested/plan.json"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("nested_compact", stdout);
    let (_, human, _) = run(&[
        "check",
        "--select",
        "unknown-action",
        "testdata/plan/nested/plan.json",
    ]);
    insta::assert_snapshot!("nested_human", human);
}

/// The plan and its configuration checked together: the static reading's finding on the
/// `policy` argument gives way to the plan's, which knows `var.actions`; nothing twice.
#[test]
fn a_plan_with_its_configuration_reports_each_finding_once() {
    let (_, alone) = compact(&["testdata/plan/nested/modules/deployer"]);
    insta::assert_snapshot!(alone, @"testdata/plan/nested/modules/deployer/main.tf:23:18: error[unknown-action] unknown action `s3:GetObjct`");
    let (code, together) = compact(&["testdata/plan/nested"]);
    assert_eq!(code, 1);
    let (_, plan_only) = compact(&["testdata/plan/nested/plan.json"]);
    assert_eq!(together, plan_only);
}

/// A data source read while planning sits in `prior_state` with its `json`: its document
/// is analysed there when nothing else holds that text, at the carrier (with its kind and
/// role) when one does. With the configuration, findings are at the `statement` block's
/// element, through the `policy = data.aws_iam_policy_document.logs.json` argument; without
/// it, in the plan with the address.
#[test]
fn data_source_documents_as_a_plan_holds_them() {
    let (code, stdout) = compact(&["testdata/plan/data_source/plan.json"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("data_source_compact", stdout);
    let (_, together) = compact(&["testdata/plan/data_source"]);
    assert_eq!(together, stdout);
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "testdata/plan/data_source/plan.json",
        dir.path().join("plan.json"),
    )
    .unwrap();
    let output = iamlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "compact",
            "--select",
            "all",
            "plan.json",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout), @r"
    plan.json:17:100: error[unknown-action] unknown action `logs:PutLogEvnts` (in `aws_iam_role_policy.logs`)
    plan.json:93:100: warning[wildcard-action] `s3:*` allows all 180 actions of `s3` on every resource (in `data.aws_iam_policy_document.broad`)
    ");
}

/// A registry module creates an administrator role that Lambda may assume; a user of the
/// root module may pass it to a function it creates: the access graph is built from the
/// plan, across the module. The static reading cannot see the role; the plan's finding is
/// at the root module's `iam:PassRole`, the registry module's attachment in the plan.
#[test]
fn escalation_across_a_registry_module() {
    let (_, static_only) = compact(&["testdata/plan/escalation/main.tf"]);
    assert!(
        !static_only.contains("privilege-escalation"),
        "{static_only}"
    );
    let (code, stdout) = compact(&["testdata/plan/escalation/plan.json"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("escalation_compact", stdout);
    let (_, paths, _) = run(&["paths", "testdata/plan/escalation/plan.json"]);
    insta::assert_snapshot!("escalation_paths", paths);
}

/// A truncated plan is one parse error, a plan of an unknown major format version one
/// clear error, a plan over the size limit is not read: the other files are still checked.
#[test]
fn broken_plans_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let future = dir.path().join("future.json");
    std::fs::write(
        &future,
        r#"{"format_version": "2.0", "planned_values": {"root_module": {}}}"#,
    )
    .unwrap();
    let huge = dir.path().join("huge.json");
    let padding = " ".repeat(4096);
    std::fs::write(
        &huge,
        format!(r#"{{"format_version": "1.2", {padding}"planned_values": {{}}}}"#),
    )
    .unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(
        &good,
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
  {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p",
   "values": {"name": "p", "policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObjct\",\"Resource\":\"*\"}]}"}}
]}}}"#,
    )
    .unwrap();
    let (code, stdout, stderr) = run(&[
        "check",
        "--format",
        "compact",
        "--max-file-size",
        "4000",
        "testdata/plan/malformed/plan.json",
        future.to_str().unwrap(),
        huge.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    let shown = format!("{stdout}{stderr}").replace(dir.path().to_str().unwrap(), "<tmp>");
    insta::assert_snapshot!("broken_plans", shown);
}

/// A suppression comment on the `.tf` line holds for the plan's finding moved there, also
/// when only the plan is named, and is not then reported unused.
#[test]
fn suppression_comments_of_the_configuration_hold_for_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "plan.json",
        "main.tf",
        "modules/platform/main.tf",
        "modules/deployer/main.tf",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        let text = std::fs::read_to_string(format!("testdata/plan/nested/{file}")).unwrap();
        let text = text.replace(
            "      Action   = \"s3:GetObjct\"",
            "      # iamlint: ignore[unknown-action] kept for the test\n      Action   = \"s3:GetObjct\"",
        );
        std::fs::write(to, text).unwrap();
    }
    for paths in [&["plan.json"][..], &["."][..]] {
        let output = iamlint()
            .current_dir(dir.path())
            .args(["check", "--format", "compact", "--select", "all"])
            .args(paths)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!stdout.contains("s3:GetObjct"), "{stdout}");
        assert!(!stdout.contains("unused-suppression"), "{stdout}");
        assert!(stdout.contains("privilege-escalation"), "{stdout}");
    }
    // An `[[ignore]]` entry for the `.tf` file holds for the plan's findings there too.
    std::fs::write(
        dir.path().join("iamlint.toml"),
        "[[ignore]]\npath = \"modules/deployer/main.tf\"\nrule = \"privilege-escalation\"\nreason = \"reviewed\"\n",
    )
    .unwrap();
    let output = iamlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "compact",
            "--select",
            "all",
            "plan.json",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stdout.contains("privilege-escalation"), "{stdout}");
    assert!(!stdout.contains("unused-suppression"), "{stdout}");
}

/// `terraform show -json` of a state (no plan file): `values` holds what is deployed, read
/// like a plan's `planned_values`; other JSON with a `format_version` is not a plan.
#[test]
fn a_state_is_read_like_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("state.json"),
        r#"{"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
  {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p",
   "values": {"arn": "arn:aws:iam::123456789012:policy/p", "name": "p", "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObjct\",\"Resource\":\"*\"}]}"}}
]}}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("other.json"),
        r#"{"format_version": "1.0", "values": [1, 2]}"#,
    )
    .unwrap();
    let output = iamlint()
        .current_dir(dir.path())
        .args(["check", "--format", "compact", "state.json", "other.json"])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout), @r"
    other.json:1:1: error[parse-error] no IAM policy found: expected an object with `Statement`, `PolicyDocument` or `PolicyVersion.Document`
    state.json:3:160: error[unknown-action] unknown action `s3:GetObjct` (in `aws_iam_policy.p`)
    ");
}
