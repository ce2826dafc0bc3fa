//! The limits that bound what one file may cost (README "Limits"): file size, documents per
//! file, findings per file in the human format, `Fn::ForEach` expansion, and invalid values
//! in `[limits]`. Nesting depth and the YAML alias budget are tested with their parsers
//! (cli.rs, terraform_cli.rs, cloudformation_cli.rs).

use crate::support::{run_in, write};

/// A policy with `count` misspelled actions: one `unknown-action` error each (each close to
/// `s3:GetObject`, so a typo rather than an action newer than the catalog).
fn policy_with_unknown_actions(count: usize) -> String {
    let actions: Vec<String> = (0..count).map(|i| format!("\"s3:GetObject{i}\"")).collect();
    format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [{}], \"Resource\": \"arn:aws:s3:::b/*\"}}]}}",
        actions.join(",\n")
    )
}

#[test]
fn human_output_shows_fifty_findings_per_file_then_a_count() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "many.json", policy_with_unknown_actions(60));
    write(dir.path(), "few.json", policy_with_unknown_actions(2));
    let (code, stdout, _) = run_in(dir.path(), &["check", "--no-config", "."]);
    assert_eq!(code, 1);
    assert_eq!(stdout.matches("[unknown-action]").count(), 52, "{stdout}");
    assert!(
        stdout.contains(
            "… 10 more findings in many.json not shown (--max-findings-per-file; --format compact lists every finding)"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("more findings in few.json"), "{stdout}");
    // The summary counts every finding, shown or not.
    assert!(stdout.contains("found 62 errors"), "{stdout}");

    let (_, all, _) = run_in(
        dir.path(),
        &["check", "--no-config", "--max-findings-per-file", "0", "."],
    );
    assert_eq!(all.matches("[unknown-action]").count(), 62);
    assert!(!all.contains("not shown"));

    // Other formats list every finding whatever the limit.
    let (_, compact, _) = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "-f",
            "compact",
            "--max-findings-per-file",
            "1",
            ".",
        ],
    );
    assert_eq!(compact.lines().count(), 62);
}

#[test]
fn the_configuration_sets_the_human_limit_and_the_flag_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "many.json", policy_with_unknown_actions(8));
    write(
        dir.path(),
        "iamlint.toml",
        "[limits]\nmax-findings-per-file = 3\n",
    );
    let (_, stdout, _) = run_in(dir.path(), &["check", "."]);
    assert_eq!(stdout.matches("[unknown-action]").count(), 3, "{stdout}");
    assert!(
        stdout.contains("… 5 more findings in many.json"),
        "{stdout}"
    );
    let (_, stdout, _) = run_in(dir.path(), &["check", "--max-findings-per-file", "7", "."]);
    assert_eq!(stdout.matches("[unknown-action]").count(), 7, "{stdout}");
    assert!(stdout.contains("… 1 more finding in many.json"), "{stdout}");
}

#[test]
fn the_configuration_sets_the_file_size_limit_and_the_flag_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policy.json", policy_with_unknown_actions(1));
    write(
        dir.path(),
        "iamlint.toml",
        "[limits]\nmax-file-size = 100\n",
    );
    // Found by walking: not read, a `limit-exceeded` finding at the file (it could hide a
    // policy), and said so in the JSON report's `skipped`.
    let (code, stdout, _) = run_in(dir.path(), &["check", "-f", "json", "."]);
    assert_eq!(code, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["skipped"][0]["path"], "policy.json");
    assert_eq!(report["skipped"][0]["reason"], "larger than 100 bytes");
    assert_eq!(report["findings"][0]["rule"], "limit-exceeded");
    assert_eq!(report["findings"][0]["path"], "policy.json");
    // Named: an error.
    let (code, stdout, _) = run_in(dir.path(), &["check", "-f", "compact", "policy.json"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("larger than the limit of 100 bytes"),
        "{stdout}"
    );
    let (code, stdout, _) = run_in(
        dir.path(),
        &[
            "check",
            "-f",
            "compact",
            "--max-file-size",
            "1000",
            "policy.json",
        ],
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("[unknown-action]"), "{stdout}");
}

#[test]
fn invalid_limits_are_configuration_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (text, message) in [
        (
            "[limits]\nmax-documents-per-file = 0\n",
            "iamlint.toml:2:26: `max-documents-per-file` must be at least 1",
        ),
        ("[limits]\nmax-file-size = -5\n", "iamlint.toml:2:17:"),
        (
            "[limits]\nmax-finding-per-file = 5\n",
            "did you mean `max-findings-per-file`",
        ),
    ] {
        write(dir.path(), "iamlint.toml", text);
        let (code, _, stderr) = run_in(dir.path(), &["check", "."]);
        assert_eq!(code, 2, "{text}: {stderr}");
        assert!(stderr.contains(message), "{text}: {stderr}");
    }
    let (code, _, stderr) = run_in(
        dir.path(),
        &["check", "--no-config", "--max-file-size", "0"],
    );
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn documents_past_the_limit_are_left_out_with_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let mut template = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    for index in 0..5 {
        template.push_str(&format!(
            "  P{index}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: '*'\n            Resource: '*'\n"
        ));
    }
    write(dir.path(), "template.yaml", &template);
    write(
        dir.path(),
        "iamlint.toml",
        "[limits]\nmax-documents-per-file = 3\n",
    );
    let (code, stdout, _) = run_in(dir.path(), &["check", "-f", "compact", "."]);
    assert_eq!(code, 1);
    assert_eq!(stdout.matches("[admin-access]").count(), 3, "{stdout}");
    assert!(
        stdout.contains(
            "template.yaml:34:9: warning[limit-exceeded] this file holds 5 policy documents, more than `max-documents-per-file` (3); 2 of them, from this one on, are not checked"
        ),
        "{stdout}"
    );
}

#[test]
fn statements_past_ten_thousand_are_left_out_with_one_finding() {
    let dir = tempfile::tempdir().unwrap();
    let statement =
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
    let statements = vec![statement; 10_002].join(",\n");
    let policy = format!("{{\"Version\": \"2012-10-17\", \"Statement\": [\n{statements}]}}");
    write(dir.path(), "generated.json", policy);
    let (code, stdout, _) = run_in(dir.path(), &["check", "--no-config", "-f", "compact", "."]);
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(
        stdout.trim(),
        "generated.json:10002:1: warning[limit-exceeded] this policy holds 10002 statements, \
         more than the 10000 iamlint checks; the 2 from here on are not checked"
    );
}

#[test]
fn a_for_each_loop_past_its_budget_is_cut_with_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<String> = (0..2_500).map(|i| format!("R{i}")).collect();
    let actions: Vec<String> = (0..100).map(|i| format!("s3:Get{i}")).collect();
    let template = format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Roles:\n    - Name\n    - [{}]\n    - Policy${{Name}}:\n        Type: AWS::IAM::ManagedPolicy\n        Properties:\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              - Effect: Allow\n                Action: [{}]\n                Resource: '*'\n",
        items.join(", "),
        actions.join(", ")
    );
    write(dir.path(), "loop.yaml", &template);
    let started = std::time::Instant::now();
    let (code, stdout, _) = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "-f",
            "compact",
            "--select",
            "limit-exceeded",
            ".",
        ],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(
            "loop.yaml:4:3: warning[limit-exceeded] `Fn::ForEach` expands to more than 200000 nodes; the rest of the loop is not checked"
        ),
        "{stdout}"
    );
}

#[test]
fn a_run_keeps_only_the_text_of_files_it_reports_on() {
    // What keeps memory bounded on a large tree: the text of a file nothing points into is
    // dropped once the file is checked.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "finding.json", policy_with_unknown_actions(1));
    write(
        dir.path(),
        "clean.json",
        policy_with_unknown_actions(0).replace("[]", "\"s3:GetObject\""),
    );
    write(
        dir.path(),
        "package.json",
        "{\"name\": \"app\", \"version\": \"1.0.0\"}",
    );
    let run = iamlint::engine::run(&iamlint::engine::CheckOptions {
        paths: vec![dir.path().to_path_buf()],
        ..Default::default()
    });
    assert_eq!(run.findings.len(), 1, "{:?}", run.findings);
    let text_of = |name: &str| {
        let id = run.sources.find(&dir.path().join(name)).unwrap();
        run.sources.get(id).text().len()
    };
    assert!(text_of("finding.json") > 0);
    assert_eq!(text_of("clean.json"), 0);
    assert_eq!(text_of("package.json"), 0);
}

/// One input's did-you-mean searches stop after the first thousand, in file order, also when
/// its many documents are checked in parallel (each with the searches the input has left).
#[test]
fn did_you_mean_stops_after_a_thousand_per_input_at_any_thread_count() {
    // One character short of an action of `s3` each: every one gets a did-you-mean.
    const TYPOS: [&str; 15] = [
        "GetObjec",
        "PutObjec",
        "DeleteObjec",
        "ListBucke",
        "GetBucketPolic",
        "PutBucketPolic",
        "GetObjectAc",
        "PutObjectAc",
        "GetBucketAc",
        "PutBucketAc",
        "GetObjectTaggin",
        "PutObjectTaggin",
        "GetBucketLocatio",
        "ListAllMyBucket",
        "GetObjectVersio",
    ];
    let actions = TYPOS.map(|typo| format!("\"s3:{typo}\"")).join(", ");
    // 80 documents of 15 unknown actions: the 67th runs out of searches part way.
    let module: String = (0..80)
        .map(|index| {
            format!(
                "resource \"aws_iam_policy\" \"p{index}\" {{\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{ Effect = \"Allow\", Action = [{actions}], Resource = \"arn:aws:s3:::b/*\" }}]\n  }})\n}}\n"
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", &module);
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let (code, json, stderr) = run_in(
            dir.path(),
            &["check", "--no-config", "-j", jobs, "-f", "json", "."],
        );
        assert_eq!(code, 1, "{stderr}");
        outputs.push(json);
    }
    assert_eq!(
        outputs[0], outputs[1],
        "the thread count changed the findings"
    );
    let report: serde_json::Value = serde_json::from_str(&outputs[0]).unwrap();
    let suggested: Vec<bool> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["rule"] == "unknown-action")
        .map(|finding| {
            finding["help"]
                .as_str()
                .is_some_and(|help| help.starts_with("did you mean"))
        })
        .collect();
    assert_eq!(suggested.len(), 1200);
    assert!(suggested[..1000].iter().all(|&s| s), "{suggested:?}");
    assert!(!suggested[1000..].iter().any(|&s| s), "{suggested:?}");
}
