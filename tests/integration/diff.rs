//! `iamlint diff BASE [HEAD]` on small git repositories made here, two commits each: each
//! kind of new access, the refactors that add none, removed access, the formats and the
//! exit codes.

use crate::support;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A repository in a temporary directory, with fixed dates so commit ids do not change.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "-q"]);
        repo.git(&["config", "user.name", "iamlint tests"]);
        repo.git(&["config", "user.email", "tests@iamlint.invalid"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .current_dir(self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
            .args(args)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn remove(&self, name: &str) {
        std::fs::remove_file(self.path().join(name)).unwrap();
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
    }

    /// `iamlint diff HEAD~1 HEAD` and the extra arguments: exit code, output, errors.
    fn diff(&self, args: &[&str]) -> (i32, String, String) {
        let mut all = vec!["diff", "HEAD~1", "HEAD"];
        all.extend_from_slice(args);
        support::run_in(self.path(), &all)
    }

    /// The changes of `HEAD~1..HEAD` as JSON.
    fn changes(&self) -> Vec<Value> {
        let (code, out, err) = self.diff(&["--format", "json"]);
        assert_eq!(code, 0, "{err}");
        let report: Value = serde_json::from_str(&out).unwrap();
        report["changes"].as_array().unwrap().clone()
    }

    /// Commits `base`, then `head` (file name → text; `None` removes the file).
    fn two_commits(base: &[(&str, &str)], head: &[(&str, Option<&str>)]) -> Repo {
        let repo = Repo::new();
        for (name, text) in base {
            repo.write(name, text);
        }
        repo.commit("base");
        for (name, text) in head {
            match text {
                Some(text) => repo.write(name, text),
                None => repo.remove(name),
            }
        }
        repo.commit("head");
        repo
    }
}

fn kinds(changes: &[Value]) -> Vec<String> {
    changes
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_string())
        .collect()
}

fn actions(change: &Value) -> Vec<String> {
    change["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

/// A role trusted by Lambda with one inline policy of `statements`.
fn role(statements: &str) -> String {
    format!(
        r#"resource "aws_iam_role" "app" {{
  name = "app"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "lambda.amazonaws.com" }} }}]
  }})
}}

resource "aws_iam_role_policy" "app" {{
  role = aws_iam_role.app.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
{statements}
    ]
  }})
}}
"#
    )
}

const GET_PUT: &str = r#"      { Sid = "Objects", Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "arn:aws:s3:::bucket/*" },"#;

#[test]
fn a_broader_pattern_reports_exactly_the_actions_that_are_new() {
    let broader = role(
        r#"      { Sid = "Objects", Effect = "Allow", Action = ["s3:*Object"], Resource = "arn:aws:s3:::bucket/*" },"#,
    );
    let repo = Repo::two_commits(&[("iam.tf", &role(GET_PUT))], &[("iam.tf", Some(&broader))]);
    let changes = repo.changes();
    let added: Vec<&Value> = changes
        .iter()
        .filter(|c| c["kind"] == "new-access")
        .collect();
    assert_eq!(added.len(), 1, "{changes:#?}");
    let catalog = iamlint::catalog::Catalog::get();
    let mut expected: Vec<String> = catalog
        .expand("s3:*Object")
        .iter()
        .map(|id| catalog.qualified_name(id))
        .filter(|name| name != "s3:GetObject" && name != "s3:PutObject")
        .collect();
    expected.sort();
    assert_eq!(actions(added[0]), expected);
    assert_eq!(added[0]["resource"], "arn:aws:s3:::bucket/*");
    assert_eq!(added[0]["location"]["path"], "iam.tf");
    assert!(kinds(&changes).iter().all(|k| k == "new-access"));
}

#[test]
fn refactors_report_nothing() {
    // Statements moved to a second policy of the same role in another file, a Sid renamed,
    // actions reordered.
    let split = role(
        r#"      { Sid = "Renamed", Effect = "Allow", Action = ["s3:PutObject"], Resource = "arn:aws:s3:::bucket/*" },"#,
    );
    let other = r#"resource "aws_iam_role_policy" "more" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::bucket/*"] }]
  })
}
"#;
    let repo = Repo::two_commits(
        &[("iam.tf", &role(GET_PUT))],
        &[("iam.tf", Some(&split)), ("more.tf", Some(other))],
    );
    let (code, out, err) = repo.diff(&["--fail-on-new-access", "--format", "json"]);
    assert_eq!(code, 0, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["changes"], Value::Array(Vec::new()), "{out}");
    let reordered = role(
        r#"      { Sid = "Other", Effect = "Allow", Action = ["s3:PutObject", "s3:GetObject"], Resource = "arn:aws:s3:::bucket/*" },"#,
    );
    let repo = Repo::two_commits(
        &[("iam.tf", &role(GET_PUT))],
        &[("iam.tf", Some(&reordered))],
    );
    assert!(repo.changes().is_empty());
}

#[test]
fn a_narrower_resource_is_no_new_access_and_a_broader_one_is() {
    let narrower = role(GET_PUT).replace("bucket/*", "bucket/logs/*");
    let repo = Repo::two_commits(
        &[("iam.tf", &role(GET_PUT))],
        &[("iam.tf", Some(&narrower))],
    );
    let changes = repo.changes();
    assert!(!changes.is_empty());
    assert!(
        kinds(&changes).iter().all(|k| k == "removed-access"),
        "{changes:#?}"
    );
    let broader = role(GET_PUT).replace("arn:aws:s3:::bucket/*", "arn:aws:s3:::*");
    let repo = Repo::two_commits(&[("iam.tf", &role(GET_PUT))], &[("iam.tf", Some(&broader))]);
    let changes = repo.changes();
    // One change per action entry, each at its entry.
    let added: Vec<&Value> = changes
        .iter()
        .filter(|c| c["kind"] == "new-access")
        .collect();
    let new: Vec<String> = added.iter().flat_map(|c| actions(c)).collect();
    assert_eq!(new, ["s3:GetObject", "s3:PutObject"], "{changes:#?}");
    assert!(added.iter().all(|c| c["resource"] == "arn:aws:s3:::*"));
}

#[test]
fn a_removed_condition_is_reported() {
    let conditioned = role(
        r#"      { Effect = "Allow", Action = ["s3:GetObject"], Resource = "*", Condition = { StringEquals = { "aws:SourceVpc" = "vpc-1" } } },"#,
    );
    let open = role(r#"      { Effect = "Allow", Action = ["s3:GetObject"], Resource = "*" },"#);
    let repo = Repo::two_commits(&[("iam.tf", &conditioned)], &[("iam.tf", Some(&open))]);
    let changes = repo.changes();
    assert_eq!(kinds(&changes), ["condition-removed"], "{changes:#?}");
    assert!(
        changes[0]["message"]
            .as_str()
            .unwrap()
            .contains("StringEquals aws:SourceVpc"),
        "{changes:#?}"
    );
    // A second value broadens the condition; the same condition again changes nothing.
    let broader = conditioned.replace(r#""vpc-1""#, r#"["vpc-1", "vpc-2"]"#);
    let repo = Repo::two_commits(&[("iam.tf", &conditioned)], &[("iam.tf", Some(&broader))]);
    assert_eq!(kinds(&repo.changes()), ["condition-removed"]);
}

#[test]
fn a_new_trusted_principal_is_reported() {
    let trusting = role(GET_PUT).replace(
        r#"Principal = { Service = "lambda.amazonaws.com" }"#,
        r#"Principal = { Service = "lambda.amazonaws.com", AWS = "arn:aws:iam::111122223333:root" }"#,
    );
    let repo = Repo::two_commits(
        &[("iam.tf", &role(GET_PUT))],
        &[("iam.tf", Some(&trusting))],
    );
    let changes = repo.changes();
    assert_eq!(kinds(&changes), ["new-trust"], "{changes:#?}");
    assert_eq!(changes[0]["resource"], "AWS arn:aws:iam::111122223333:root");
}

#[test]
fn a_resource_policy_opened_to_anyone_is_reported() {
    let bucket = |principal: &str| {
        format!(
            r#"resource "aws_s3_bucket_policy" "b" {{
  bucket = "b"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {principal}, Action = "s3:GetObject", Resource = "arn:aws:s3:::b/*" }}]
  }})
}}
"#
        )
    };
    let repo = Repo::two_commits(
        &[(
            "bucket.tf",
            &bucket(r#"{ AWS = "arn:aws:iam::111122223333:root" }"#),
        )],
        &[("bucket.tf", Some(&bucket(r#""*""#)))],
    );
    let changes = repo.changes();
    let kinds = kinds(&changes);
    assert!(kinds.contains(&"new-exposure".to_string()), "{changes:#?}");
    assert!(
        kinds.contains(&"removed-access".to_string()),
        "{changes:#?}"
    );
}

#[test]
fn a_new_escalation_chain_across_two_files_is_reported_with_its_chain() {
    let user = |statements: &str| {
        format!(
            r#"resource "aws_iam_user" "start" {{
  name = "start"
}}

resource "aws_iam_user_policy" "start" {{
  user = aws_iam_user.start.name
  policy = jsonencode({{ Version = "2012-10-17", Statement = [
    {{ Effect = "Allow", Action = ["iam:PassRole"], Resource = aws_iam_role.target.arn }},
{statements}
  ] }})
}}
"#
        )
    };
    let target = r#"resource "aws_iam_role" "target" {
  name = "target"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [
    { Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "tasks.apprunner.amazonaws.com" } }] })
}

resource "aws_iam_role_policy_attachment" "target" {
  role       = aws_iam_role.target.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"#;
    let repo = Repo::two_commits(
        &[("user.tf", &user("")), ("target.tf", target)],
        &[(
            "user.tf",
            Some(&user(
                r#"    { Effect = "Allow", Action = ["apprunner:CreateService"], Resource = "*" },"#,
            )),
        )],
    );
    let changes = repo.changes();
    let chains: Vec<&Value> = changes
        .iter()
        .filter(|c| c["kind"] == "new-escalation-path")
        .collect();
    assert_eq!(chains.len(), 1, "{changes:#?}");
    let chain = chains[0]["chain"].as_array().unwrap();
    assert_eq!(chain.len(), 1, "{changes:#?}");
    assert_eq!(chain[0]["path"], "apprunner-001");
    assert_eq!(chain[0]["from"], "user `start`");
    assert_eq!(chain[0]["to"], "role `target`");
    assert_eq!(chains[0]["location"]["path"], "user.tf");
    // The new action is new access too.
    assert!(changes.iter().any(|c| c["kind"] == "new-access"));
}

#[test]
fn cloudformation_roles_are_compared_by_logical_id() {
    let template = |actions: &str| {
        format!(
            r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{ Service: lambda.amazonaws.com }}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [{actions}]
                Resource: "arn:aws:sqs:us-east-1:111122223333:queue"
"#
        )
    };
    let repo = Repo::two_commits(
        &[("stack.yaml", &template("sqs:SendMessage"))],
        &[(
            "stack.yaml",
            Some(&template("sqs:SendMessage, sqs:DeleteQueue")),
        )],
    );
    let changes = repo.changes();
    assert_eq!(kinds(&changes), ["new-access"], "{changes:#?}");
    assert_eq!(actions(&changes[0]), ["sqs:DeleteQueue"]);
    assert_eq!(changes[0]["subject"], "role `AppRole` (stack.yaml)");
}

#[test]
fn removed_access_is_information_and_does_not_fail_the_gate() {
    let repo = Repo::two_commits(
        &[("iam.tf", &role(GET_PUT))],
        &[(
            "iam.tf",
            Some(&role(GET_PUT).replace(r#""s3:GetObject", "#, "")),
        )],
    );
    let (code, out, err) = repo.diff(&["--fail-on-new-access", "--format", "compact"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out.trim(),
        "iam.tf:1:1: info[removed-access] role `app` (.): access removed: `s3:GetObject` on `arn:aws:s3:::bucket/*`"
    );
}

#[test]
fn the_gate_fails_on_new_access_from_the_flag_or_the_base_configuration() {
    let broader = role(GET_PUT).replace("s3:PutObject", "s3:DeleteObject");
    let repo = Repo::two_commits(&[("iam.tf", &role(GET_PUT))], &[("iam.tf", Some(&broader))]);
    assert_eq!(repo.diff(&[]).0, 0);
    assert_eq!(repo.diff(&["--fail-on-new-access"]).0, 1);
    // The gate is BASE's: HEAD cannot turn it on or off for itself.
    let gated = Repo::two_commits(
        &[
            ("iam.tf", &role(GET_PUT)),
            ("iamlint.toml", "fail-on-new-access = true\n"),
        ],
        &[
            ("iam.tf", Some(&broader)),
            ("iamlint.toml", Some("fail-on-new-access = false\n")),
        ],
    );
    assert_eq!(gated.diff(&[]).0, 1);
    let ungated = Repo::two_commits(
        &[("iam.tf", &role(GET_PUT))],
        &[
            ("iam.tf", Some(&broader)),
            ("iamlint.toml", Some("fail-on-new-access = true\n")),
        ],
    );
    assert_eq!(ungated.diff(&[]).0, 0);
    let (code, _, err) = support::run_in(repo.path(), &["diff", "no-such-revision"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a commit"), "{err}");
    let (code, _, err) = support::run_in(repo.path(), &["diff", "--", "--output=x"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn base_exclude_applies_to_both_revisions() {
    let broader = role(GET_PUT).replace("s3:PutObject", "s3:DeleteObject");
    let repo = Repo::two_commits(
        &[
            ("vendor/iam.tf", &role(GET_PUT)),
            ("iamlint.toml", "exclude = [\"vendor/**\"]\n"),
        ],
        &[("vendor/iam.tf", Some(&broader))],
    );
    assert!(repo.changes().is_empty());
}

#[test]
fn an_exclude_added_by_the_change_does_not_hide_the_access_it_adds() {
    let broader = role(GET_PUT).replace("s3:PutObject", "s3:DeleteObject");
    let repo = Repo::two_commits(
        &[("vendor/iam.tf", &role(GET_PUT))],
        &[
            ("vendor/iam.tf", Some(&broader)),
            ("iamlint.toml", Some("exclude = [\"vendor/**\"]\n")),
        ],
    );
    let changes = repo.changes();
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "new-access"
                && c["actions"].to_string().contains("s3:DeleteObject")),
        "{changes:?}"
    );
}

#[test]
fn markdown_is_a_table_per_principal_with_a_chart_per_new_chain() {
    let repo = Repo::two_commits(
        &[("iam.tf", &role(GET_PUT))],
        &[(
            "iam.tf",
            Some(&role(
                r#"      { Effect = "Allow", Action = ["s3:PutObject", "s3:DeleteObject"], Resource = "arn:aws:s3:::bucket/*" },
      { Effect = "Allow", Action = ["iam:PutRolePolicy"], Resource = "*" },"#,
            )),
        )],
    );
    let (code, out, err) = repo.diff(&["--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("diff_markdown", out);
}

#[test]
fn every_format_writes_the_same_changes_at_any_thread_count() {
    let broader = role(GET_PUT).replace("s3:PutObject", "s3:DeleteObject*");
    let repo = Repo::two_commits(&[("iam.tf", &role(GET_PUT))], &[("iam.tf", Some(&broader))]);
    for format in [
        "human", "compact", "json", "sarif", "github", "gitlab", "junit", "markdown",
    ] {
        let one = repo.diff(&["--format", format, "-j", "1"]);
        let two = repo.diff(&["--format", format, "-j", "2"]);
        assert_eq!(one, two, "{format}");
        assert_eq!(one.0, 0, "{format}: {}", one.2);
        assert!(one.1.contains("s3:DeleteObject"), "{format}: {}", one.1);
    }
    let (_, sarif, _) = repo.diff(&["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    assert!(
        crate::integrations::sarif_schema().is_valid(&sarif),
        "{sarif:#}"
    );
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "new-access");
    let (_, gitlab, _) = repo.diff(&["--format", "gitlab"]);
    let gitlab: Value = serde_json::from_str(&gitlab).unwrap();
    assert!(
        crate::formats::gitlab_schema().is_valid(&gitlab),
        "{gitlab:#}"
    );
    assert_eq!(gitlab[0]["check_name"], "new-access");
    let (_, junit, _) = repo.diff(&["--format", "junit"]);
    crate::formats::assert_valid_junit(&junit);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_repository_is_not_read() {
    let repo = Repo::new();
    repo.write("iam.tf", &role(GET_PUT));
    repo.commit("base");
    std::os::unix::fs::symlink("/etc/passwd", repo.path().join("passwd.json")).unwrap();
    std::os::unix::fs::symlink("../../outside.tf", repo.path().join("up.tf")).unwrap();
    repo.commit("head");
    let (code, out, err) = repo.diff(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("root:"), "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["changes"], Value::Array(Vec::new()), "{out}");
}

/// The action's diff step, run as GitHub would on a pull request, with the built binary on
/// PATH: annotations in the log, the Markdown report in the job summary, the gate.
#[test]
fn the_github_action_diff_mode_annotates_summarises_and_gates() {
    use crate::integrations::{action_step, yaml_file, yaml_lookup};
    use iamlint::extract::yaml::scalar_text;
    let action = yaml_file("action.yml");
    for input in ["mode", "base", "fail-on-new-access"] {
        yaml_lookup(&action, &["inputs", input, "description"]);
    }
    let script = scalar_text(yaml_lookup(action_step(&action, "diff"), &["run"]))
        .unwrap()
        .to_string();
    let binary = assert_cmd::cargo::cargo_bin("iamlint");
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let broader = role(GET_PUT).replace("s3:PutObject", "s3:DeleteObject");
    let repo = Repo::two_commits(&[("iam.tf", &role(GET_PUT))], &[("iam.tf", Some(&broader))]);
    let summary = repo.path().join("summary.md");
    let run = |gate: &str, base: &str| {
        let _ = std::fs::remove_file(&summary);
        let output = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(repo.path())
            .env("PATH", &path)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("INPUT_BASE", "")
            .env("PULL_REQUEST_BASE", base)
            .env("INPUT_FORMAT", "github")
            .env("INPUT_FAIL_ON_NEW_ACCESS", gate)
            .env("INPUT_ARGS", "")
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
            std::fs::read_to_string(&summary).unwrap_or_default(),
        )
    };
    let (code, log, markdown) = run("false", "HEAD~1");
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("::warning file=iam.tf,line=14") && log.contains("s3:DeleteObject"),
        "{log}"
    );
    assert!(markdown.starts_with("## iamlint diff"), "{markdown}");
    assert_eq!(run("true", "HEAD~1").0, 1);
    assert_eq!(run("true", "").0, 2);
}

#[test]
fn the_working_tree_can_be_the_head() {
    let repo = Repo::two_commits(&[("iam.tf", &role(GET_PUT))], &[]);
    let broader = role(GET_PUT).replace("s3:PutObject", "s3:DeleteObject");
    repo.write("iam.tf", &broader);
    repo.write(
        "new/extra.tf",
        &role(GET_PUT).replace("\"app\"", "\"other\""),
    );
    let (code, out, err) = support::run_in(
        repo.path(),
        &["diff", "HEAD", "--worktree", "-f", "compact"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("warning[new-access] role `app` (.): new access: `s3:DeleteObject`"),
        "{out}"
    );
    assert!(out.contains("role `other` (new)"), "{out}");
    // Nothing changed: nothing to report.
    let clean = Repo::two_commits(&[("iam.tf", &role(GET_PUT))], &[]);
    let (code, out, _) = support::run_in(clean.path(), &["diff", "HEAD", "--worktree"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("0 change(s) adding access, 0 removing it"),
        "{out}"
    );
}

#[test]
fn two_plan_files_are_compared_as_one_plan_before_and_after() {
    let plan =
        std::fs::read_to_string(support::root().join("testdata/plan/registry_module/plan.json"))
            .unwrap()
            .replace("s3:GetObjct", "s3:GetObject");
    let dir = tempfile::tempdir().unwrap();
    for sub in ["old", "new", "same"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
    }
    support::write(dir.path(), "old/plan.json", &plan);
    support::write(
        dir.path(),
        "new/plan.json",
        plan.replace("s3:GetObject", "s3:*Object"),
    );
    support::write(dir.path(), "same/plan.json", &plan);
    let (code, out, err) = support::run_in(
        dir.path(),
        &["diff", "old/plan.json", "new/plan.json", "-f", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["base"], "old/plan.json");
    let changes = report["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["kind"], "new-access");
    assert_eq!(
        changes[0]["actions"],
        serde_json::json!([
            "s3:DeleteObject",
            "s3:PutObject",
            "s3:ReplicateObject",
            "s3:RestoreObject"
        ])
    );
    assert_eq!(changes[0]["location"]["path"], "new/plan.json");
    let (code, out, err) = support::run_in(
        dir.path(),
        &["diff", "old/plan.json", "same/plan.json", "-f", "json"],
    );
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["changes"], serde_json::json!([]), "{out}");
}

#[test]
fn a_childs_role_changed_is_reported_once_and_the_chain_it_opens_in_the_caller_too() {
    let child = |policy: &str| {
        std::fs::read_to_string(
            support::root()
                .join("testdata/graph/modules/pass_passrole_child_read_only/modules/roles/main.tf"),
        )
        .unwrap()
        .replace("ReadOnlyAccess", policy)
    };
    let root = std::fs::read_to_string(
        support::root().join("testdata/graph/modules/pass_passrole_child_read_only/main.tf"),
    )
    .unwrap();
    let repo = Repo::two_commits(
        &[
            ("main.tf", &root),
            ("modules/roles/main.tf", &child("ReadOnlyAccess")),
        ],
        &[("modules/roles/main.tf", Some(&child("AdministratorAccess")))],
    );
    let changes = repo.changes();
    let new_access: Vec<&Value> = changes
        .iter()
        .filter(|c| c["kind"] == "new-access")
        .collect();
    // The child's role, named as the child names it, not again as `module.roles.<...>`.
    assert_eq!(new_access.len(), 1, "{changes:#?}");
    let chains: Vec<&Value> = changes
        .iter()
        .filter(|c| c["kind"] == "new-escalation-path")
        .collect();
    assert_eq!(chains.len(), 1, "{changes:#?}");
    assert_eq!(
        chains[0]["chain"][0]["to"],
        "role `admin` in module `roles`"
    );
}
