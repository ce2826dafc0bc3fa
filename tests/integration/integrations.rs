//! Configuration, suppressions and baselines through the built binary, in scratch
//! repositories (each with a `.git` directory, where configuration discovery stops).

use crate::support;

use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A scratch repository with the given files.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    dir
}

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn iamlint_in(dir: &Path) -> assert_cmd::Command {
    let mut command = support::iamlint();
    command.current_dir(dir);
    command
}

fn compact(dir: &Path, args: &[&str]) -> (String, i32) {
    let output = iamlint_in(dir)
        .args(["check", "-f", "compact"])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code().unwrap(),
    )
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let output = iamlint_in(dir)
        .args(["check", "-f", "json"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The rules these tests are about: exact outputs below select them, so that rules added
/// later do not change them.
const RULES: &str = "passrole-unscoped,admin-access,missing-version,forbidden-action,unused-suppression,unknown-rule-in-suppression,invalid-suppression";

const PASSROLE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Deployer", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
  ]
}
"#;

const BAD_SID: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "read logs", "Effect": "Allow", "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::logs/*"}
  ]
}
"#;

const NO_VERSION: &str = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}]}
"#;

const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  # iamlint: ignore[admin-access] break-glass role, reviewed by security 2026-10
  BreakGlass:
    Type: AWS::IAM::ManagedPolicy
    Metadata:
      iamlint:
        ignore:
          - rule: passrole-unscoped
            reason: the break-glass role may pass any role
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: '*'
            Resource: '*'
          - Effect: Allow
            Action: iam:PassRole
            Resource: '*'
  Deployer:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: iam:PassRole
            Resource: '*'  # iamlint: ignore[passrole-unscoped] passes the roles of this stack only
          - Effect: Allow
            Action: iam:PassRole
            Resource: '*'
";

#[test]
fn configuration_is_found_by_walking_up_and_applied() {
    // Policies that only these rules have anything to say about, so that rules added later
    // do not change the exit codes checked here.
    let dir = repo(&[
        (
            "iamlint.toml",
            "fail-on = \"error\"\nexclude = [\"vendor\"]\n[rules]\nmissing-version = \"off\"\ninvalid-sid = \"warning\"\n",
        ),
        ("policies/reader.json", BAD_SID),
        ("policies/old.json", NO_VERSION),
        ("vendor/module/policy.json", PASSROLE),
    ]);
    // From a subdirectory and from the root: the same file applies.
    for (cwd, path) in [
        (dir.path().to_path_buf(), "policies"),
        (dir.path().join("policies"), "."),
    ] {
        let (out, code) = compact(&cwd, &[path]);
        assert!(
            out.contains("reader.json:4:13: warning[invalid-sid]"),
            "{out}"
        );
        assert!(!out.contains("missing-version"), "{out}");
        // Only a warning left, and `fail-on = "error"`.
        assert_eq!(code, 0, "{out}");
    }
    // Excluded even when named, as pre-commit does.
    let (out, code) = compact(dir.path(), &["vendor/module/policy.json", "."]);
    assert!(!out.contains("vendor"), "{out}");
    assert_eq!(code, 0);
    let report = json(dir.path(), &["vendor/module/policy.json"]);
    assert_eq!(
        report["skipped"][0]["reason"], "excluded by the configuration",
        "{report}"
    );
    // --fail-on beats the file; --select runs a rule the file turns off.
    assert_eq!(compact(dir.path(), &["--fail-on", "warning"]).1, 1);
    let (out, _) = compact(dir.path(), &["--select", "missing-version"]);
    assert!(
        out.contains("old.json:1:1: warning[missing-version]"),
        "{out}"
    );
    // --no-config and --config.
    // `missing-version` is of the opt-in suggestions group: a group entry turns it on.
    let (out, code) = compact(dir.path(), &["--no-config", "policies"]);
    assert!(out.contains("error[invalid-sid]") && !out.contains("missing-version"));
    assert_eq!(code, 1);
    write(
        dir.path(),
        "other.toml",
        "[rules]\ninvalid-sid = \"off\"\nsuggestions = \"on\"\n",
    );
    let (out, _) = compact(dir.path(), &["--config", "other.toml", "policies"]);
    assert!(!out.contains("invalid-sid") && out.contains("missing-version"));
}

#[test]
fn configuration_errors_exit_2_with_a_position_and_a_suggestion() {
    let dir = repo(&[
        (
            "iamlint.toml",
            "[rules]\nadmin-access = \"off\"\n\n[trust]\nallowed-acounts = [\"123456789012\"]\n",
        ),
        ("policy.json", PASSROLE),
    ]);
    iamlint_in(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: iamlint.toml:5:1: unknown key `allowed-acounts` (did you mean `allowed-accounts`?)",
        ));
    iamlint_in(dir.path())
        .args(["check", "--config", "missing.toml", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing.toml: cannot read the configuration",
        ));
    write(
        dir.path(),
        "iamlint.toml",
        "[[ignore]]\npath = \"*.json\"\nrule = \"passrole-unscopd\"\nreason = \"x\"\n",
    );
    iamlint_in(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "iamlint.toml:3:8: unknown rule `passrole-unscopd` in [[ignore]] (did you mean `passrole-unscoped`?)",
        ));
}

#[test]
fn init_writes_a_commented_default_that_check_accepts() {
    let dir = repo(&[("policy.json", PASSROLE)]);
    iamlint_in(dir.path())
        .args(["init"])
        .assert()
        .code(0)
        .stderr("wrote iamlint.toml\n");
    let text = std::fs::read_to_string(dir.path().join("iamlint.toml")).unwrap();
    assert!(text.contains("# passrole-unscoped = \"error\""), "{text}");
    assert!(text.contains("[[forbidden-actions]]"));
    iamlint_in(dir.path())
        .args(["init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    iamlint_in(dir.path())
        .args(["init", "--force"])
        .assert()
        .code(0);
    assert_eq!(compact(dir.path(), &["."]).1, 1);
}

#[test]
fn every_suppression_form_is_applied_counted_and_listed() {
    let dir = repo(&[
        (
            "iamlint.toml",
            "[[ignore]]\npath = \"policies/*.json\"\nrule = \"passrole-unscoped\"\nsid = \"Deployer\"\nreason = \"the deployer passes roles it creates\"\n\n[[ignore]]\npath = \"policies/*.json\"\nrule = \"missing-version\"\nreason = \"legacy documents\"\n",
        ),
        ("policies/deployer.json", PASSROLE),
        (
            "policies/other.json",
            &PASSROLE.replace("Deployer", "Other"),
        ),
        ("stack.yaml", TEMPLATE),
    ]);
    let (out, code) = compact(dir.path(), &["--select", RULES, "."]);
    assert_eq!(
        out,
        "iamlint.toml:7:1: warning[unused-suppression] `[[ignore]]` entry for `missing-version` matches no finding in the files checked\n\
         policies/other.json:4:79: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service\n\
         stack.yaml:32:23: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service\n"
    );
    assert_eq!(code, 1);
    let human = iamlint_in(dir.path())
        .args(["check", "-q", "--select", RULES, "."])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(human.stdout).unwrap(),
        "found 2 errors, 1 warning (3 files scanned, 4 policy documents analyzed, 4 suppressed)\n"
    );
    let (shown, _) = compact(dir.path(), &["--show-suppressed", "."]);
    for line in [
        "policies/deployer.json:4:82: suppressed[passrole-unscoped] `iam:PassRole` allows passing any role to any service (reason: the deployer passes roles it creates)",
        "stack.yaml:16:21: suppressed[admin-access] this statement allows every action on every resource (reason: break-glass role, reviewed by security 2026-10)",
        "stack.yaml:20:23: suppressed[passrole-unscoped] `iam:PassRole` allows passing any role to any service (reason: the break-glass role may pass any role)",
        "stack.yaml:29:23: suppressed[passrole-unscoped] `iam:PassRole` allows passing any role to any service (reason: passes the roles of this stack only)",
    ] {
        assert!(shown.contains(line), "missing {line}\n{shown}");
    }
    let human = iamlint_in(dir.path())
        .args(["check", "--show-suppressed", "stack.yaml"])
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(
        human.contains("suppressed (metadata): stack.yaml:20:23: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service\n  reason: the break-glass role may pass any role\n"),
        "{human}"
    );
    // The terminal links each finding to its page of the rule reference.
    assert!(
        human.contains("error[passrole-unscoped] (https://github.com/iamlint/iamlint/blob/main/rules/passrole-unscoped.md)"),
        "{human}"
    );
    // Suppressions of rules that did not run are not judged.
    let (selected, _) = compact(
        dir.path(),
        &["--select", "admin-access,unused-suppression", "stack.yaml"],
    );
    assert_eq!(selected, "");
    let report = json(dir.path(), &["--show-suppressed", "."]);
    assert_eq!(report["summary"]["suppressed"], 4);
    let kinds: Vec<&str> = report["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["suppression"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["config", "comment", "metadata", "comment"]);
    assert!(json(dir.path(), &["."]).get("suppressed").is_none());
    // --no-suppressions: every finding, nothing about suppressions.
    let (all, _) = compact(dir.path(), &["--no-suppressions", "."]);
    assert_eq!(all.matches("passrole-unscoped").count(), 5, "{all}");
    assert!(
        all.contains("admin-access") && !all.contains("suppression"),
        "{all}"
    );
}

#[test]
fn suppressed_results_in_sarif_carry_their_justification() {
    let dir = repo(&[
        ("stack.yaml", TEMPLATE),
        (
            "iamlint.toml",
            "[[ignore]]\npath = \"stack.yaml\"\nrule = \"passrole-unscoped\"\nreason = \"all of them\"\n",
        ),
    ]);
    let output = iamlint_in(dir.path())
        .args(["check", "-f", "sarif", "--show-suppressed", "."])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<String> = sarif_schema()
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressions: Vec<(&str, &str)> = results
        .iter()
        .filter_map(|r| {
            let s = &r["suppressions"][0];
            Some((s["kind"].as_str()?, s["justification"].as_str()?))
        })
        .collect();
    assert_eq!(
        suppressions,
        [
            ("inSource", "break-glass role, reviewed by security 2026-10"),
            ("inSource", "the break-glass role may pass any role"),
            ("inSource", "passes the roles of this stack only"),
            ("external", "all of them"),
        ]
    );
}

pub(crate) fn sarif_schema() -> jsonschema::Validator {
    let path = support::root().join("testdata/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// The sample repository's policy, with `blank` lines and an unrelated statement added above
/// the findings so every line moves.
fn moved(text: &str, blank: usize) -> String {
    let mut moved = "\n".repeat(blank);
    moved.push_str(&text.replace(
        "\"Statement\": [\n",
        "\"Statement\": [\n    {\"Sid\": \"Read\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\",\n     \"Resource\": \"arn:aws:s3:::logs/*\"},\n",
    ));
    moved
}

#[test]
fn baseline_round_trip_survives_moved_lines() {
    let dir = repo(&[
        ("policies/deployer.json", PASSROLE),
        ("policies/reader.json", NO_VERSION),
        ("stack.yaml", TEMPLATE),
    ]);
    iamlint_in(dir.path())
        .args(["check", "-q", "--select", RULES, "."])
        .args(["--write-baseline", "baseline.json"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "wrote 3 finding(s) to the baseline baseline.json",
        ));
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(baseline["version"], 1);
    assert_eq!(baseline["findings"].as_array().unwrap().len(), 3);
    // Fingerprints are SARIF's.
    let sarif_fingerprints = |dir: &Path| -> Vec<String> {
        let output = iamlint_in(dir)
            .args(["check", "-f", "sarif", "--select", RULES, "."])
            .output()
            .unwrap();
        let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut prints: Vec<String> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                // The baseline's fingerprint, then `:n`, the occurrence of that text.
                let print = r["partialFingerprints"]["iamlint/v2"].as_str().unwrap();
                print.rsplit_once(':').unwrap().0.to_string()
            })
            .collect();
        prints.sort();
        prints
    };
    let mut recorded: Vec<String> = baseline["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect();
    recorded.sort();
    let before = sarif_fingerprints(dir.path());
    assert_eq!(recorded, before);
    // Nothing new yet; the baseline itself is not one of the files scanned.
    iamlint_in(dir.path())
        .args(["check", "--select", RULES, ".", "--baseline", "baseline.json"])
        .assert()
        .code(0)
        .stdout("no findings (3 files scanned, 4 policy documents analyzed, 3 suppressed, 3 in the baseline)\n");
    // Move every line: blank lines and a new statement above, a new resource above in YAML.
    write(dir.path(), "policies/deployer.json", &moved(PASSROLE, 3));
    write(
        dir.path(),
        "stack.yaml",
        &TEMPLATE.replace(
            "Resources:\n",
            "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n\n",
        ),
    );
    assert_eq!(
        sarif_fingerprints(dir.path()),
        before,
        "fingerprints moved with the lines"
    );
    iamlint_in(dir.path())
        .args(["check", "-f", "compact", "--select", RULES, "."])
        .args(["--baseline", "baseline.json"])
        .assert()
        .code(0)
        .stdout("");
    // A new problem is reported, and only it.
    write(dir.path(), "policies/new.json", PASSROLE);
    iamlint_in(dir.path())
        .args(["check", "-f", "compact", "--select", RULES, "."])
        .args(["--baseline", "baseline.json"])
        .assert()
        .code(1)
        .stdout("policies/new.json:4:82: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service\n");
    // A second identical finding in a baselined file is new too: each entry accepts one.
    write(
        dir.path(),
        "policies/deployer.json",
        &PASSROLE.replace(
            "\"Statement\": [\n",
            "\"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"iam:PassRole\", \"Resource\": \"*\"},\n",
        ),
    );
    let (out, _) = compact(
        dir.path(),
        &["--select", RULES, ".", "--baseline", "baseline.json"],
    );
    assert_eq!(out.matches("deployer.json").count(), 1, "{out}");
    iamlint_in(dir.path())
        .args(["check", ".", "--baseline", "nope.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read the baseline nope.json",
        ));
}

#[test]
fn a_sample_repository_gives_valid_sarif_with_stable_fingerprints() {
    let dir = repo(&[
        ("policies/deployer.json", PASSROLE),
        ("policies/reader.json", NO_VERSION),
        ("stack.yaml", TEMPLATE),
        (
            "iamlint.toml",
            "[[forbidden-actions]]\nactions = [\"iam:PassRole\"]\n",
        ),
    ]);
    let sarif_of = |dir: &Path| -> Value {
        let output = iamlint_in(dir)
            .args(["check", "-f", "sarif", "--select", RULES, "."])
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let validator = sarif_schema();
    let before = sarif_of(dir.path());
    assert!(validator.is_valid(&before));
    write(dir.path(), "policies/deployer.json", &moved(PASSROLE, 5));
    let after = sarif_of(dir.path());
    assert!(validator.is_valid(&after));
    let prints = |sarif: &Value| -> Vec<(String, String, u64)> {
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["iamlint/v2"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let (before, after) = (prints(&before), prints(&after));
    assert_eq!(before.len(), after.len());
    let forbidden = |list: &[(String, String, u64)]| {
        list.iter()
            .filter(|(rule, ..)| rule == "forbidden-action")
            .count()
    };
    assert_eq!(forbidden(&before), 5, "{before:?}");
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1));
    }
    // The lines did move.
    assert_ne!(
        before.iter().map(|p| p.2).collect::<Vec<_>>(),
        after.iter().map(|p| p.2).collect::<Vec<_>>()
    );
}

#[test]
fn editors_lint_an_unsaved_buffer_with_its_configuration_and_comments() {
    let dir = repo(&[
        ("iamlint.toml", "[rules]\npassrole-unscoped = \"info\"\n"),
        ("infra/stack.yaml", "on disk: not what is checked\n"),
    ]);
    let buffer = TEMPLATE.replace("        Version: '2012-10-17'\n", "");
    iamlint_in(dir.path())
        .args(["check", "-f", "compact", "--select", RULES])
        .args(["--stdin-filename", "infra/stack.yaml", "-"])
        .write_stdin(buffer.clone())
        .assert()
        .code(1)
        .stdout(
            "infra/stack.yaml:13:9: warning[missing-version] the policy has no `Version`\n\
             infra/stack.yaml:24:9: warning[missing-version] the policy has no `Version`\n\
             infra/stack.yaml:30:23: info[passrole-unscoped] `iam:PassRole` allows passing any role to any service\n",
        );
    // The configuration is found from the buffer's name, not the working directory.
    let elsewhere = tempfile::tempdir().unwrap();
    let name = dir.path().join("infra/stack.yaml");
    iamlint_in(elsewhere.path())
        .args(["check", "-f", "compact", "--select", "passrole-unscoped"])
        .arg("--stdin-filename")
        .arg(&name)
        .arg("-")
        .write_stdin(buffer)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("info[passrole-unscoped]"));
}

/// The Terraform fixture: a comment above a resource, a trailing `//` comment, and a comment
/// on a resource header.
#[test]
fn hcl_comments_suppress_terraform_findings() {
    let path = PathBuf::from("testdata/suppressions/terraform/main.tf");
    let report: Value = {
        let output = support::iamlint()
            .args(["check", "-f", "json", "--show-suppressed"])
            .arg(&path)
            .output()
            .unwrap();
        serde_json::from_slice(&output.stdout).unwrap()
    };
    assert_eq!(report["documents_analyzed"], 3, "{report}");
    // Only the rules of the suppressions: rules added later may have more to say.
    let rules = |key: &str| -> Vec<(String, u64)> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "admin-access" || f["rule"] == "passrole-unscoped")
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(
        rules("suppressed"),
        [
            ("admin-access".to_string(), 7),
            ("passrole-unscoped".to_string(), 8),
            ("passrole-unscoped".to_string(), 15),
        ],
        "{report}"
    );
    assert_eq!(
        rules("findings"),
        [("passrole-unscoped".to_string(), 22)],
        "{report}"
    );
}

/// A string value at `path` (mapping keys, or `[i]` for sequence items) of a YAML file.
pub(crate) fn yaml_lookup<'a>(
    node: &'a iamlint::extract::yaml::Node,
    path: &[&str],
) -> &'a iamlint::extract::yaml::Node {
    use iamlint::extract::yaml::{Kind, scalar_text};
    let mut node = node;
    for key in path {
        node = match (
            &node.kind,
            key.strip_prefix('[').and_then(|k| k.strip_suffix(']')),
        ) {
            (Kind::Sequence(items), Some(index)) => &items[index.parse::<usize>().unwrap()],
            (Kind::Mapping(entries), None) => {
                &entries
                    .iter()
                    .find(|(k, _)| scalar_text(k) == Some(key))
                    .unwrap_or_else(|| panic!("no key {key}"))
                    .1
            }
            _ => panic!("cannot follow {key}"),
        };
    }
    node
}

pub(crate) fn yaml_file(name: &str) -> iamlint::extract::yaml::Node {
    let text = std::fs::read_to_string(support::root().join(name)).unwrap();
    let mut documents = iamlint::extract::yaml::parse(
        iamlint::base::source::FileId(0),
        &text,
        iamlint::extract::yaml::Limits::default(),
    )
    .unwrap();
    documents.remove(0)
}

/// The step of a composite action's `runs.steps` with this `id`.
pub(crate) fn action_step<'a>(
    action: &'a iamlint::extract::yaml::Node,
    id: &str,
) -> &'a iamlint::extract::yaml::Node {
    use iamlint::extract::yaml::{Kind, scalar_text};
    let Kind::Sequence(steps) = &yaml_lookup(action, &["runs", "steps"]).kind else {
        panic!("runs.steps is not a list");
    };
    steps
        .iter()
        .find(|step| {
            matches!(&step.kind, Kind::Mapping(entries)
                if entries.iter().any(|(k, v)| scalar_text(k) == Some("id") && scalar_text(v) == Some(id)))
        })
        .unwrap_or_else(|| panic!("no step with id {id}"))
}

/// The composite action's check step, run as GitHub would, with the built binary on PATH.
#[test]
fn the_github_action_writes_sarif_and_fails_on_the_threshold() {
    use iamlint::extract::yaml::scalar_text;
    let action = yaml_file("action.yml");
    assert_eq!(
        scalar_text(yaml_lookup(&action, &["runs", "using"])),
        Some("composite")
    );
    for input in ["paths", "format", "fail-on", "sarif-file"] {
        yaml_lookup(&action, &["inputs", input, "description"]);
    }
    let install = scalar_text(yaml_lookup(action_step(&action, "resolve"), &["run"]))
        .unwrap()
        .to_string();
    let script = scalar_text(yaml_lookup(action_step(&action, "check"), &["run"]))
        .unwrap()
        .to_string();
    let binary = assert_cmd::cargo::cargo_bin("iamlint");
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let dir = repo(&[
        ("policies/deployer.json", PASSROLE),
        ("policies/reader.json", NO_VERSION),
        ("docs/not scanned.json", PASSROLE),
    ]);
    // An iamlint on PATH is not rebuilt.
    let installed = std::process::Command::new("bash")
        .arg("-c")
        .arg(&install)
        .env("PATH", &path)
        .env("GITHUB_ACTION_PATH", support::root())
        .env("GITHUB_OUTPUT", dir.path().join("github_output"))
        .output()
        .unwrap();
    assert!(installed.status.success());
    assert!(
        String::from_utf8(installed.stdout)
            .unwrap()
            .starts_with("using iamlint ")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("github_output")).unwrap(),
        "ready=true\n"
    );
    let run = |paths: &str, fail_on: &str, sarif: &str| {
        let outputs = dir.path().join("github_output");
        let _ = std::fs::remove_file(&outputs);
        let output = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("GITHUB_OUTPUT", &outputs)
            .env("INPUT_PATHS", paths)
            .env("INPUT_FORMAT", "github")
            .env("INPUT_FAIL_ON", fail_on)
            .env("INPUT_SARIF_FILE", sarif)
            .env("INPUT_ARGS", "--select passrole-unscoped,missing-version")
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
            std::fs::read_to_string(&outputs).unwrap_or_default(),
        )
    };
    let (code, log, outputs) = run(
        "policies/deployer.json\npolicies/reader.json",
        "",
        "out.sarif",
    );
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains("::error file=policies/deployer.json,line=4"),
        "{log}"
    );
    assert_eq!(outputs, "sarif-file=out.sarif\n");
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    assert!(sarif_schema().is_valid(&sarif));
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
    // Only the warning is left below an `error` threshold.
    assert_eq!(run("policies/reader.json", "error", "").0, 0);
    // A path that cannot be read fails even while writing SARIF.
    assert_eq!(run("missing.json", "never", "out.sarif").0, 2);
}

#[test]
fn pre_commit_hook_and_example_workflow_are_what_the_tools_expect() {
    use iamlint::extract::yaml::{Kind, scalar_text};
    let hooks = yaml_file(".pre-commit-hooks.yaml");
    let hook = yaml_lookup(&hooks, &["[0]"]);
    assert_eq!(scalar_text(yaml_lookup(hook, &["id"])), Some("iamlint"));
    assert_eq!(scalar_text(yaml_lookup(hook, &["language"])), Some("rust"));
    let entry = scalar_text(yaml_lookup(hook, &["entry"])).unwrap();
    // pre-commit appends the staged file names: the entry must not name a path itself.
    assert_eq!(entry, "iamlint check --skip-unrecognized");
    // Every name iamlint reads reaches the hook, `*.template` included (pre-commit's
    // `types` have no CloudFormation template); the regex is Python's.
    let files = scalar_text(yaml_lookup(hook, &["files"])).unwrap();
    assert_eq!(files, r"(?i)\.(tf|json|ya?ml|template|tpl)$");
    let workflow = yaml_file(".github/workflows/iamlint-example.yml");
    let steps = yaml_lookup(&workflow, &["jobs", "iamlint", "steps"]);
    let Kind::Sequence(steps) = &steps.kind else {
        panic!("steps is not a list");
    };
    let uses: Vec<_> = steps
        .iter()
        .map(|step| scalar_text(yaml_lookup(step, &["uses"])).unwrap())
        .collect();
    assert!(
        uses.contains(&"github/codeql-action/upload-sarif@v3"),
        "{uses:?}"
    );
    assert!(uses.contains(&"iamlint/iamlint@main"), "{uses:?}");
    // The project's own CI is still there.
    assert!(support::root().join(".github/workflows/ci.yml").is_file());
}

#[test]
fn skip_unrecognized_passes_over_files_that_hold_no_policy() {
    iamlint_in(&support::root())
        .args([
            "check",
            "--skip-unrecognized",
            "testdata/cli/package.json",
            "Cargo.toml",
            "testdata/cli/clean.json",
        ])
        .assert()
        .code(0)
        .stdout("no findings (2 files scanned, 1 policy document analyzed)\n");
    iamlint_in(&support::root())
        .args(["check", "testdata/cli/package.json"])
        .assert()
        .code(1);
    // The same for an editor's buffer.
    iamlint_in(&support::root())
        .args([
            "check",
            "-f",
            "compact",
            "--skip-unrecognized",
            "--stdin-filename",
            "package.json",
            "-",
        ])
        .write_stdin("{\"name\": \"web\"}")
        .assert()
        .code(0)
        .stdout("");
}

/// The Vim `errorformat` documented in README.md reads the compact format (when Vim is here).
#[test]
fn the_readme_vim_errorformat_reads_compact_output() {
    let readme = std::fs::read_to_string(support::root().join("README.md")).unwrap();
    let efm = readme
        .lines()
        .find_map(|line| line.strip_prefix("set errorformat="))
        .expect("README.md documents a Vim errorformat");
    if std::process::Command::new("vim")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("note: vim is not installed; the errorformat is not checked");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.txt");
    let result = dir.path().join("quickfix.txt");
    let output = support::iamlint()
        .args(["check", "-f", "compact", "testdata/examples"])
        .args([
            "--select",
            "passrole-unscoped,invalid-sid,unknown-condition-operator",
        ])
        .output()
        .unwrap();
    std::fs::write(&report, &output.stdout).unwrap();
    let status = std::process::Command::new("vim")
        .args(["-Nu", "NONE", "-n", "-es"])
        .arg("-c")
        .arg(format!("set errorformat={efm}"))
        .arg("-c")
        .arg(format!("cgetfile {}", report.display()))
        .arg("-c")
        .arg(format!(
            "call writefile(map(getqflist(), {{_, e -> join([bufname(e.bufnr), e.lnum, e.col, e.type, e.valid, e.text], '|')}}), '{}')",
            result.display()
        ))
        .arg("-c")
        .arg("qa!")
        .status()
        .unwrap();
    assert!(status.success());
    let entries = std::fs::read_to_string(&result).unwrap();
    assert_eq!(
        entries.lines().nth(1),
        Some(
            "testdata/examples/ci-user-policy.json|14|19|e|1|[passrole-unscoped] `iam:PassRole` allows passing any role to any service"
        ),
        "{entries}"
    );
    assert_eq!(entries.lines().count(), 3, "{entries}");
}

/// What pre-commit does with a Terraform change: one file named, its module read with it so
/// that references resolve, nothing else scanned.
#[test]
fn a_hook_run_on_one_terraform_file_resolves_its_module() {
    let dir = repo(&[
        (
            "infra/main.tf",
            "resource \"aws_iam_policy\" \"ci\" {\n  policy = jsonencode({\n    Version   = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = local.pass, Resource = \"*\" }]\n  })\n}\n",
        ),
        (
            "infra/locals.tf",
            "locals {\n  pass = \"iam:PassRole\"\n}\n",
        ),
        ("infra/terraform.tfvars", "region = \"eu-west-1\"\n"),
        (
            "infra/deployer.tf",
            "resource \"aws_iam_policy\" \"deployer\" {\n  policy = jsonencode({\n    Version   = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = \"*\" }]\n  })\n}\n",
        ),
        // About a sibling that is read, not checked: not judged unused in this run.
        (
            "iamlint.toml",
            "[[ignore]]\npath = \"infra/deployer.tf\"\nrule = \"passrole-unscoped\"\nreason = \"deploys its own roles\"\n",
        ),
        ("other/bad.json", PASSROLE),
    ]);
    iamlint_in(dir.path())
        .args(["check", "-f", "compact", "--skip-unrecognized", "--select", RULES])
        .args(["infra/main.tf", "infra/terraform.tfvars"])
        .assert()
        .code(1)
        .stdout(
            "infra/main.tf:4:70: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service\n",
        );
}

/// A statement in a `local` used by two policies is one finding, so one suppression counts once.
#[test]
fn a_finding_reached_twice_is_suppressed_once() {
    let dir = repo(&[(
        "main.tf",
        "locals {\n  # iamlint: ignore[passrole-unscoped] shared statement, reviewed\n  statement = { Effect = \"Allow\", Action = \"iam:PassRole\", Resource = \"*\" }\n}\nresource \"aws_iam_policy\" \"a\" {\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [local.statement] })\n}\nresource \"aws_iam_policy\" \"b\" {\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [local.statement] })\n}\n",
    )]);
    iamlint_in(dir.path())
        .args(["check", "-q", "--select", RULES, "main.tf"])
        .assert()
        .code(0)
        .stdout("no findings (1 file scanned, 2 policy documents analyzed, 1 suppressed)\n");
}
