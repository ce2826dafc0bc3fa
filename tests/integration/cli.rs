//! The built binary, end to end: commands, formats, exit codes, and hostile input.

use predicates::prelude::*;
use std::path::Path;

use crate::support::{self, iamlint};

fn stdout_of(args: &[&str]) -> String {
    let output = iamlint().args(args).output().unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn compact_points_at_the_exact_node() {
    iamlint()
        .args(["check", "testdata/examples/ci-user-policy.json", "--format", "compact"])
        .assert()
        .code(1)
        .stdout(
            "testdata/examples/ci-user-policy.json:5:14: error[invalid-sid] statement id `deploy artifacts` has characters IAM rejects\n\
             testdata/examples/ci-user-policy.json:14:19: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service\n\
             testdata/examples/ci-user-policy.json:21:21: error[unknown-condition-operator] unknown condition operator `IpAddres`\n",
        );
}

#[test]
fn human_output_underlines_and_summarises_without_colour_when_piped() {
    let output = stdout_of(&["check", "testdata/examples/ci-user-policy.json"]);
    assert!(
        output.contains("testdata/examples/ci-user-policy.json:14:19"),
        "{output}"
    );
    assert!(output.contains("passrole-unscoped"), "{output}");
    assert!(output.contains("help: name the roles"), "{output}");
    assert!(
        output.ends_with("found 3 errors (1 file scanned, 1 policy document analyzed)\n"),
        "{output}"
    );
    assert!(
        !output.contains('\u{1b}'),
        "colour codes on a pipe: {output}"
    );
    let forced = stdout_of(&[
        "check",
        "testdata/examples/ci-user-policy.json",
        "--color",
        "always",
    ]);
    assert!(forced.contains('\u{1b}'));
}

#[test]
fn exit_codes() {
    iamlint()
        .args(["check", "testdata/cli/clean.json"])
        .assert()
        .code(0);
    iamlint()
        .args(["check", "testdata/cli/only_warning.json"])
        .assert()
        .code(1);
    iamlint()
        .args([
            "check",
            "testdata/cli/only_warning.json",
            "--fail-on",
            "error",
        ])
        .assert()
        .code(0);
    iamlint()
        .args(["check", "testdata/examples", "--fail-on", "never"])
        .assert()
        .code(0);
    iamlint().args(["check", "--no-such-flag"]).assert().code(2);
    iamlint()
        .args(["check", "does/not/exist.json", "testdata/cli/clean.json"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("does/not/exist.json"));
    iamlint()
        .args(["check", "testdata/examples", "--select", "passrole-unscopd"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `passrole-unscoped`?",
        ));
}

/// A finding its rule is unsure of is reported, marked, and fails the run only when the
/// confidence floor lets it (README "Usage": `--min-confidence`, `min-confidence`).
#[test]
fn low_confidence_findings_do_not_fail_the_default_gate() {
    let file = "testdata/cli/only_low_confidence.json";
    iamlint()
        .args(["check", file, "--no-config"])
        .env("NO_COLOR", "1")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "error[passrole-unscoped] (low confidence)",
        ));
    iamlint()
        .args(["check", file, "--no-config", "--min-confidence", "low"])
        .assert()
        .code(1);
    iamlint()
        .args(["check", file, "--no-config", "--min-confidence", "certain"])
        .assert()
        .code(2);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("iamlint.toml");
    std::fs::write(&config, "min-confidence = \"low\"\n").unwrap();
    iamlint()
        .args(["check", file, "--config"])
        .arg(&config)
        .assert()
        .code(1);
    // The flag overrides the configuration; high-confidence findings fail at any floor.
    iamlint()
        .args(["check", file, "--min-confidence", "medium", "--config"])
        .arg(&config)
        .assert()
        .code(0);
    iamlint()
        .args([
            "check",
            "testdata/cli/only_warning.json",
            "--min-confidence",
            "high",
        ])
        .assert()
        .code(1);
}

#[test]
fn select_and_ignore() {
    let only = stdout_of(&[
        "check",
        "testdata/examples",
        "-f",
        "compact",
        "--select",
        "passrole-unscoped",
    ]);
    assert_eq!(only.lines().count(), 1, "{only}");
    let without = stdout_of(&[
        "check",
        "testdata/examples",
        "-f",
        "compact",
        "--select",
        "all",
        "--ignore",
        "passrole-unscoped,invalid-sid",
    ]);
    // With `passrole-unscoped` off, `iam:PassRole` on `"*"` is `wildcard-resource`'s again.
    assert_eq!(without.lines().count(), 2, "{without}");
    assert!(without.contains("warning[wildcard-resource] `iam:PassRole`"));
    assert!(without.contains("unknown-condition-operator"));
    // `wildcard-resource` is of the opt-in least-privilege group: not in a default run.
    let default = stdout_of(&[
        "check",
        "testdata/examples",
        "-f",
        "compact",
        "--ignore",
        "passrole-unscoped,invalid-sid",
    ]);
    assert_eq!(default.lines().count(), 1, "{default}");
    assert!(default.contains("unknown-condition-operator"));
}

/// `--select` and `--ignore` take group names and `all`; a typo gets a did-you-mean.
#[test]
fn select_and_ignore_take_groups() {
    let fixture = "testdata/rules/wildcard-resource/fail_scopable_actions.json";
    let least = stdout_of(&[
        "check",
        fixture,
        "-f",
        "compact",
        "--select",
        "least-privilege",
    ]);
    assert!(least.contains("warning[wildcard-resource]"), "{least}");
    assert!(
        least.lines().all(|line| !line.contains("error[")),
        "{least}"
    );
    let default = stdout_of(&["check", fixture, "-f", "compact", "--no-config"]);
    assert!(!default.contains("[wildcard-resource]"), "{default}");
    let none = stdout_of(&[
        "check",
        fixture,
        "-f",
        "compact",
        "--select",
        "all",
        "--ignore",
        "least-privilege,correctness,security,suggestions",
    ]);
    assert_eq!(none, "", "{none}");
    iamlint()
        .args(["check", fixture, "--select", "least-privlege"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown rule or group `least-privlege` (did you mean `least-privilege`?)",
        ));
}

#[test]
fn wildcard_resource_leaves_writes_to_write_without_constraints_unless_it_is_off() {
    let fixture =
        "testdata/rules/wildcard-resource/pass_write_left_to_write_without_constraints.json";
    let default = stdout_of(&[
        "check",
        fixture,
        "-f",
        "compact",
        "--fail-on",
        "never",
        "--select",
        "least-privilege",
    ]);
    assert!(default.contains("[write-without-constraints]"), "{default}");
    assert!(!default.contains("[wildcard-resource]"), "{default}");
    let ignored = stdout_of(&[
        "check",
        fixture,
        "-f",
        "compact",
        "--fail-on",
        "never",
        "--select",
        "least-privilege",
        "--ignore",
        "write-without-constraints",
    ]);
    assert_eq!(
        ignored,
        format!(
            "{fixture}:4:81: warning[wildcard-resource] `s3:PutObject` can be scoped to resources, but is granted on every resource\n"
        )
    );
    // Turned off in the configuration, the same.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        support::root().join(fixture),
        dir.path().join("policy.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("iamlint.toml"),
        "[rules]\nleast-privilege = \"on\"\nwrite-without-constraints = \"off\"\n",
    )
    .unwrap();
    let off = iamlint()
        .args(["check", "-f", "compact", "--fail-on", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    let off = String::from_utf8(off.stdout).unwrap();
    assert!(
        off.contains("warning[wildcard-resource] `s3:PutObject`"),
        "{off}"
    );
    assert!(!off.contains("[write-without-constraints]"), "{off}");
}

#[test]
fn wrappers_are_recognised_and_other_json_skipped() {
    let output = stdout_of(&[
        "check",
        "testdata/cli",
        "-f",
        "compact",
        "--fail-on",
        "never",
    ]);
    assert!(
        output.contains("testdata/cli/wrapped_policy_document.json:7:65: error[passrole-unscoped]"),
        "{output}"
    );
    // The document inside a JSON string still points at the right place of the file.
    assert!(
        output.contains("testdata/cli/get_policy_version.json:3:98: error[admin-access]"),
        "{output}"
    );
    assert!(!output.contains("package.json"), "{output}");
    iamlint()
        .args(["check", "testdata/cli/package.json", "-f", "compact"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[parse-error] no IAM policy found",
        ));
}

#[test]
fn bom_and_crlf_keep_columns_right() {
    let output = stdout_of(&[
        "check",
        "testdata/cli/bom.json",
        "testdata/cli/crlf.json",
        "-f",
        "compact",
    ]);
    assert_eq!(
        output,
        "testdata/cli/bom.json:1:99: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service\n\
         testdata/cli/crlf.json:4:63: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service\n"
    );
}

#[test]
fn stdin_with_a_file_name() {
    let policy = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/examples/ci-user-policy.json"),
    )
    .unwrap();
    iamlint()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "policies/ci.json",
            "-f",
            "compact",
        ])
        .write_stdin(policy)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "policies/ci.json:5:14: error[invalid-sid]",
        ));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    for format in ["human", "compact", "json", "sarif", "github"] {
        let one = stdout_of(&["check", "testdata", "-f", format, "--jobs", "1"]);
        let eight = stdout_of(&["check", "testdata", "-f", format, "--jobs", "8"]);
        assert!(!one.is_empty());
        assert_eq!(
            one, eight,
            "{format} output differs between --jobs 1 and --jobs 8"
        );
    }
}

/// A run with more findings than are sorted on one thread (a thousand and more), in files
/// that sort apart from the order they are read in, prints the same on any number of threads.
#[test]
fn many_findings_come_in_the_same_order_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let statements: Vec<String> = (0..12)
        .map(|i| {
            format!(
                r#"{{"Sid": "S {i}", "Effect": "Allow", "Action": ["s3:GetObjekt", "iam:PassRole"], "Resource": "*"}}"#
            )
        })
        .collect();
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        statements.join(",")
    );
    for i in 0..40 {
        let sub = dir.path().join(format!("d{}", i % 7));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("p{}.json", 97 - i)), &policy).unwrap();
    }
    let path = dir.path().to_str().unwrap();
    let one = stdout_of(&["check", path, "-f", "compact", "--jobs", "1"]);
    assert!(one.lines().count() > 1024, "{}", one.lines().count());
    for jobs in ["2", "5"] {
        let many = stdout_of(&["check", path, "-f", "compact", "--jobs", jobs]);
        assert_eq!(one, many, "--jobs {jobs}");
    }
}

#[test]
fn every_fixture_through_every_format() {
    let compact = stdout_of(&["check", "testdata/rules", "-f", "compact"]);
    let count = compact.lines().count();
    assert!(count > 20, "{compact}");

    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["check", "testdata/rules", "-f", "json"])).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["tool"]["name"], "iamlint");
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), count);
    for finding in findings {
        for key in [
            "rule",
            "severity",
            "confidence",
            "category",
            "message",
            "path",
            "origin",
            "fingerprint",
        ] {
            assert!(finding[key].is_string(), "{key} missing in {finding}");
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(
                finding[key].as_u64().is_some_and(|n| n >= 1),
                "{key} in {finding}"
            );
        }
    }

    let sarif: serde_json::Value =
        serde_json::from_str(&stdout_of(&["check", "testdata/rules", "-f", "sarif"])).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), count);

    let github = stdout_of(&["check", "testdata/rules", "-f", "github"]);
    assert_eq!(
        github.lines().filter(|l| l.starts_with("::")).count(),
        count
    );

    let human = stdout_of(&["check", "testdata/rules"]);
    assert!(
        human.contains(&format!("({} files scanned", json["files_scanned"])),
        "{human}"
    );
}

#[test]
fn output_file() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.sarif");
    iamlint()
        .args(["check", "testdata/examples", "-f", "sarif", "-o"])
        .arg(&report)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("found 3 errors"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

/// What `iamlint rules` shows (each rule's group, whether it is on by default, the groups)
/// and what `--help` says of `--select` and `--ignore`, as the user sees them.
#[test]
fn rules_list_and_help_show_the_groups() {
    insta::assert_snapshot!("rules_list", stdout_of(&["rules"]));
    let help = stdout_of(&["check", "--help"]);
    let selection: String = help
        .lines()
        .skip_while(|line| !line.contains("--select"))
        .take_while(|line| !line.contains("--quiet"))
        .map(|line| format!("{}\n", line.trim_end()))
        .collect();
    insta::assert_snapshot!("check_help_select_ignore", selection);
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["rules", "--format", "json"])).unwrap();
    let wildcard = json
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["id"] == "wildcard-resource")
        .unwrap();
    assert_eq!(wildcard["group"], "least-privilege");
    assert_eq!(wildcard["default"], false);
}

#[test]
fn rules_explain_and_documents() {
    let rules = stdout_of(&["rules"]);
    assert!(
        rules
            .lines()
            .any(|l| l.starts_with("passrole-unscoped") && l.contains("security"))
    );
    let explained = stdout_of(&["explain", "invalid-version"]);
    assert!(explained.starts_with("# `invalid-version`"));
    assert!(explained.contains("## Why is this bad?"));
    iamlint()
        .args(["explain", "invalid-verison"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid-version"));

    let documents: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "documents",
        "testdata/cli/get_policy_version.json",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        documents[0]["origin"],
        "testdata/cli/get_policy_version.json"
    );
    assert_eq!(documents[0]["kind"]["kind"], "unknown");
    assert_eq!(documents[0]["policy"]["Statement"][0]["Action"], "*");
    let trust: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "documents",
        "testdata/cli/trust_policy.json",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(trust[0]["kind"]["kind"], "trust");
    let text = stdout_of(&["documents", "testdata/cli/wrapped_policy_document.json"]);
    assert!(text.starts_with("# testdata/cli/wrapped_policy_document.json:3:21 testdata/cli/wrapped_policy_document.json (unknown)\n{"), "{text}");
}

mod hostile_input {
    use super::*;

    fn check_dir(dir: &Path) -> std::process::Output {
        iamlint()
            .args(["check", "-f", "compact", "--fail-on", "never"])
            .arg(dir)
            .output()
            .unwrap()
    }

    #[test]
    fn deep_nesting_invalid_utf8_empty_and_binary() {
        let dir = tempfile::tempdir().unwrap();
        let deep = format!(
            "{{\"Statement\": {}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        std::fs::write(dir.path().join("deep.json"), deep).unwrap();
        std::fs::write(
            dir.path().join("latin1.json"),
            b"{\"Statement\": [{\"Sid\": \"caf\xe9\"}]}",
        )
        .unwrap();
        std::fs::write(dir.path().join("empty.json"), b"").unwrap();
        std::fs::write(dir.path().join("binary.json"), b"\x00\x01\x02\xff\xfe").unwrap();
        std::fs::write(dir.path().join("ok.json"), br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#).unwrap();
        let output = check_dir(dir.path());
        assert_eq!(output.status.code(), Some(0));
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            stdout.contains(
                "deep.json:1:525: error[parse-error] invalid JSON: maximum nesting depth exceeded"
            ),
            "{stdout}"
        );
        assert!(
            stdout.contains("latin1.json:1:28: error[parse-error] the file is not valid UTF-8"),
            "{stdout}"
        );
        assert!(
            stdout.contains("ok.json:1:71: error[admin-access]"),
            "{stdout}"
        );
        assert!(
            !stdout.contains("empty.json") && !stdout.contains("binary.json"),
            "{stdout}"
        );
        // Named explicitly, an empty or binary file is worth a word.
        let named = iamlint()
            .args(["check", "-f", "compact"])
            .arg(dir.path().join("empty.json"))
            .arg(dir.path().join("binary.json"))
            .output()
            .unwrap();
        let stdout = String::from_utf8(named.stdout).unwrap();
        assert!(
            stdout.contains("empty.json:1:1: error[parse-error] the file is empty"),
            "{stdout}"
        );
        assert!(
            stdout.contains("binary.json:1:1: error[parse-error] binary file"),
            "{stdout}"
        );
    }

    #[test]
    fn huge_file_is_refused_with_a_message_and_the_run_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let huge = dir.path().join("huge.json");
        let statement =
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},"#;
        // The finding is in the first statement: only the first 10,000 of a document are
        // checked (README "Limits").
        let mut text = String::from(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},"#,
        );
        while text.len() < 50 * 1024 * 1024 {
            text.push_str(statement);
        }
        text.push_str(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#);
        std::fs::write(&huge, &text).unwrap();
        std::fs::write(dir.path().join("small.json"), r#"{"Statement": []}"#).unwrap();
        // Found while walking: skipped, and said so in the JSON report.
        let walked = iamlint()
            .args(["check", "-f", "json", "--fail-on", "never"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(walked.status.code(), Some(0));
        let report: serde_json::Value = serde_json::from_slice(&walked.stdout).unwrap();
        assert_eq!(report["skipped"][0]["reason"], "larger than 16777216 bytes");
        assert_eq!(report["files_scanned"], 1);
        // Named explicitly: an error, exit 2, the other file still checked.
        let named = iamlint()
            .args(["check", "-f", "compact"])
            .arg(&huge)
            .arg(dir.path().join("small.json"))
            .output()
            .unwrap();
        assert_eq!(named.status.code(), Some(2));
        let stdout = String::from_utf8(named.stdout).unwrap();
        assert!(
            stdout.contains("small.json:1:15: error[malformed-policy]"),
            "{stdout}"
        );
        assert!(stdout.contains("larger than the limit"), "{stdout}");
        // Raised limit: read and analysed.
        let raised = iamlint()
            .args([
                "check",
                "-f",
                "compact",
                "--max-file-size",
                "100000000",
                "--select",
                "admin-access",
            ])
            .arg(&huge)
            .output()
            .unwrap();
        assert_eq!(raised.status.code(), Some(1));
        assert_eq!(String::from_utf8(raised.stdout).unwrap().lines().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_dangling_links_and_fifos() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        std::os::unix::fs::symlink(dir.path(), nested.join("loop")).unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("missing.json"),
            dir.path().join("dangling.json"),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("dir.json")).unwrap();
        std::fs::write(nested.join("p.json"), br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#).unwrap();
        let fifo = dir.path().join("fifo.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        let output = check_dir(dir.path());
        assert_eq!(output.status.code(), Some(0));
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        assert!(
            stdout.contains("a/b/p.json:1:71: error[admin-access]"),
            "{stdout}"
        );
        let named = iamlint()
            .args(["check", "-f", "compact"])
            .arg(dir.path().join("dangling.json"))
            .output()
            .unwrap();
        assert_eq!(named.status.code(), Some(2));
        assert!(
            String::from_utf8(named.stdout)
                .unwrap()
                .contains("cannot read path")
        );
        if made {
            let named = iamlint()
                .args(["check", "-f", "compact"])
                .arg(&fifo)
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .unwrap();
            assert_eq!(named.status.code(), Some(2));
            assert!(
                String::from_utf8(named.stdout)
                    .unwrap()
                    .contains("not a regular file")
            );
        }
    }
}

#[test]
fn managed_policy_prints_an_embedded_policy() {
    let text = stdout_of(&["managed-policy", "AdministratorAccess"]);
    assert!(
        text.starts_with(
            "AdministratorAccess\n  arn:      arn:aws:iam::aws:policy/AdministratorAccess\n  version:  v1, updated 2015-02-06\n"
        ),
        "{text}"
    );
    assert!(text.contains("\"Action\": \"*\""), "{text}");
    // An ARN with its path and another partition, and a name in the wrong case, are found.
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "managed-policy",
        "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        json["arn"],
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    );
    assert!(json["version"].as_str().unwrap().starts_with('v'));
    assert!(json["document"]["Statement"].is_array());
    assert!(stdout_of(&["managed-policy", "iamfullaccess"]).starts_with("IAMFullAccess\n"));
    assert!(stdout_of(&["--version"]).contains(", managed policies 20"));
    iamlint()
        .args(["managed-policy", "AdministratorAcess"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `AdministratorAccess`?",
        ));
}

#[test]
fn actions_expands_patterns_from_the_catalog() {
    let text = stdout_of(&["actions", "iam:Pass*"]);
    assert!(
        text.starts_with("iam:Pass*: 1 action\n\niam:PassRole  [Write]\n"),
        "{text}"
    );
    assert!(text.contains(
        "resource role (required): arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
    ));
    assert!(text.contains("iam:PassedToService"));
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["actions", "s3:Get*", "--format", "json"])).unwrap();
    let actions = json["patterns"][0]["actions"].as_array().unwrap();
    assert!(actions.len() > 30);
    assert!(actions.iter().any(|a| a["action"] == "s3:GetObject"));
    iamlint()
        .args(["actions", "s3:ListBuckets"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "did you mean `s3:ListAllMyBuckets`",
        ));
    iamlint()
        .args(["actions", "codestar:*"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("`codestar` is retired"));
}
