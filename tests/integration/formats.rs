//! The CI formats: GitLab Code Quality and JUnit XML against their schemas (vendored in
//! testdata/gitlab and testdata/junit), and paths relative to the repository root in them
//! and in SARIF whatever the working directory.

use crate::support;
use std::path::Path;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Standard output of `iamlint check -f <format> <args>` run in `dir`.
fn output_in(dir: &Path, format: &str, args: &[&str]) -> String {
    let (code, stdout, stderr) =
        support::run_in(dir, &[&["check", "-f", format][..], args].concat());
    // 2 when a file could not be read.
    assert!((0..=2).contains(&code), "exit {code}: {stderr}");
    stdout
}

fn json_schema(path: &str) -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest_dir().join(path)).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, value: &serde_json::Value) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// A git repository (a `.git` directory is what iamlint looks for) with a policy in a
/// subfolder and a clean file beside it.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("infra/iam")).unwrap();
    std::fs::copy(
        manifest_dir().join("testdata/examples/ci-user-policy.json"),
        dir.path().join("infra/iam/ci-user-policy.json"),
    )
    .unwrap();
    dir
}

// --- GitLab Code Quality ------------------------------------------------------------------

pub(crate) fn gitlab_schema() -> jsonschema::Validator {
    json_schema("testdata/gitlab/codequality-report.schema.json")
}

#[test]
fn gitlab_output_validates_against_the_schema_with_unique_fingerprints() {
    let validator = gitlab_schema();
    // Every fixture, plus a path that does not exist (an issue too: the run failed on it).
    let text = output_in(manifest_dir(), "gitlab", &["testdata", "no/such/file.json"]);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid(&validator, &report);
    let issues = report.as_array().unwrap();
    assert!(issues.len() > 100, "{}", issues.len());
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|issue| issue["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort_unstable();
    let total = fingerprints.len();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), total, "fingerprints are not unique");
    assert!(issues.iter().any(|issue| issue["check_name"] == "io-error"
        && issue["location"]["path"] == "no/such/file.json"));
    // The schema really is enforced: an unknown severity, a path from `/` or a line 0.
    for (pointer, value) in [
        ("/0/severity", serde_json::json!("fatal")),
        ("/0/location/path", serde_json::json!("/abs/policy.json")),
        ("/0/location/lines/begin", serde_json::json!(0)),
    ] {
        let mut broken = report.clone();
        *broken.pointer_mut(pointer).unwrap() = value;
        assert!(!validator.is_valid(&broken), "{pointer}");
    }
}

#[test]
fn gitlab_issues_map_severity_and_locate_from_the_repository_root() {
    let repo = repository();
    // Run from the policy's own folder: the path is still from the repository root.
    let text = output_in(&repo.path().join("infra/iam"), "gitlab", &["."]);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid(&gitlab_schema(), &report);
    let passrole = report
        .as_array()
        .unwrap()
        .iter()
        .find(|issue| issue["check_name"] == "passrole-unscoped")
        .unwrap();
    assert_eq!(
        passrole["location"]["path"],
        "infra/iam/ci-user-policy.json"
    );
    assert_eq!(passrole["location"]["lines"]["begin"], 14);
    assert_eq!(passrole["severity"], "critical");
    assert_eq!(passrole["categories"][0], "Security");
    assert_eq!(
        passrole["description"],
        "`iam:PassRole` allows passing any role to any service"
    );
    // The SARIF fingerprint of the same finding, so both name one finding the same way.
    let sarif: serde_json::Value =
        serde_json::from_str(&output_in(repo.path(), "sarif", &["."])).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| result["ruleId"] == "passrole-unscoped")
        .unwrap();
    assert_eq!(
        passrole["fingerprint"],
        result["partialFingerprints"]["iamlint/v2"]
    );
    // A clean run is an empty array, which GitLab reads as no issues.
    let clean = repo.path().join("clean");
    std::fs::create_dir(&clean).unwrap();
    std::fs::write(
        clean.join("policy.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}"#,
    )
    .unwrap();
    assert_eq!(output_in(&clean, "gitlab", &["."]).trim(), "[]");
}

#[test]
fn gitlab_example_output() {
    insta::assert_snapshot!(
        "gitlab_example",
        output_in(manifest_dir(), "gitlab", &["testdata/examples"])
    );
}

// --- JUnit XML -----------------------------------------------------------------------------

/// Validates `xml` against the Jenkins xunit plugin's JUnit schema with `xmllint`. Without
/// xmllint the check is skipped on a developer's machine, but fails in CI (`CI` set) or with
/// `IAMLINT_REQUIRE_XMLLINT=1`, so that it cannot pass silently where it must run.
pub(crate) fn assert_valid_junit(xml: &str) {
    let required = std::env::var_os("CI").is_some_and(|v| !v.is_empty())
        || std::env::var_os("IAMLINT_REQUIRE_XMLLINT").is_some_and(|v| v == "1");
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.xml");
    std::fs::write(&report, xml).unwrap();
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(manifest_dir().join("testdata/junit/junit-10.xsd"))
        .arg(&report)
        .output();
    match output {
        Ok(output) => assert!(
            output.status.success(),
            "{}\n{xml}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && !required => {
            eprintln!("xmllint not found (Debian: libxml2-utils): JUnit schema check skipped");
        }
        Err(error) => panic!("xmllint is required to check the JUnit report: {error}"),
    }
}

/// A test case as a CI reads it (parsed with quick-xml): its suite, name and class, and its
/// failure, skipped, error or output element with the element's attributes and text.
#[derive(Debug)]
struct Case {
    suite: String,
    name: String,
    classname: String,
    outcome: Option<Outcome>,
}

/// An outcome element: its name, attributes and text.
type Outcome = (String, Vec<(String, String)>, String);

fn junit_cases(xml: &str) -> Vec<Case> {
    use quick_xml::XmlVersion::Explicit1_0;
    use quick_xml::events::{BytesStart, Event};
    let attributes = |element: &BytesStart| -> Vec<(String, String)> {
        element
            .attributes()
            .map(|attribute| {
                let attribute = attribute.unwrap();
                (
                    attribute.key.as_ref().to_string(),
                    attribute
                        .normalized_value(Explicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect()
    };
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases: Vec<Case> = Vec::new();
    let mut suite = String::new();
    let mut text = String::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(element) | Event::Empty(element) => {
                let name = element.name().as_ref().to_string();
                let attrs = attributes(&element);
                let get = |key: &str| attribute(&attrs, key).to_string();
                match name.as_str() {
                    "testsuite" => suite = get("name"),
                    "testcase" => cases.push(Case {
                        suite: suite.clone(),
                        name: get("name"),
                        classname: get("classname"),
                        outcome: None,
                    }),
                    "failure" | "skipped" | "error" | "system-out" => {
                        text.clear();
                        cases.last_mut().unwrap().outcome = Some((name, attrs, String::new()));
                    }
                    _ => {}
                }
            }
            Event::Text(content) => text.push_str(&content.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = match &*reference {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => reference.resolve_char_ref().unwrap().unwrap(),
                };
                text.push(resolved);
            }
            Event::End(element) => {
                let closes_outcome = matches!(
                    element.name().as_ref(),
                    "failure" | "skipped" | "error" | "system-out"
                );
                if let Some(outcome) = cases
                    .last_mut()
                    .and_then(|case| case.outcome.as_mut())
                    .filter(|_| closes_outcome)
                {
                    outcome.2 = std::mem::take(&mut text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    cases
}

fn attribute<'a>(attributes: &'a [(String, String)], key: &str) -> &'a str {
    attributes
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

#[test]
fn junit_output_validates_against_the_jenkins_schema() {
    let xml = output_in(
        manifest_dir(),
        "junit",
        &["--show-suppressed", "testdata", "no/such/file.json"],
    );
    assert_valid_junit(&xml);
    let cases = junit_cases(&xml);
    assert!(cases.len() > 100, "{}", cases.len());
    let outcome = |kind: &str| {
        cases
            .iter()
            .filter(|case| case.outcome.as_ref().is_some_and(|o| o.0 == kind))
            .count()
    };
    assert!(outcome("failure") > 100);
    assert!(
        outcome("skipped") > 0,
        "suppressed findings are skipped tests"
    );
    assert_eq!(outcome("error"), 1, "the file that could not be read");
}

#[test]
fn junit_has_a_suite_per_file_and_a_failure_per_finding_from_the_repository_root() {
    let repo = repository();
    let xml = output_in(&repo.path().join("infra"), "junit", &["."]);
    assert_valid_junit(&xml);
    let cases = junit_cases(&xml);
    let passrole = cases
        .iter()
        .find(|case| case.classname == "passrole-unscoped")
        .unwrap();
    assert_eq!(passrole.suite, "infra/iam/ci-user-policy.json");
    assert_eq!(passrole.name, "infra/iam/ci-user-policy.json:14:19");
    let (kind, attributes, text) = passrole.outcome.as_ref().unwrap();
    assert_eq!(kind, "failure");
    assert_eq!(attribute(attributes, "type"), "error");
    assert_eq!(
        attribute(attributes, "message"),
        "`iam:PassRole` allows passing any role to any service"
    );
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "infra/iam/ci-user-policy.json:14:19: error[passrole-unscoped] `iam:PassRole` allows passing any role to any service",
            "help: name the roles that may be passed, and pin the receiving service with an `iam:PassedToService` condition",
            "infra/iam/ci-user-policy.json:13:17: covers `iam:PassRole`",
        ]
    );
}

#[test]
fn junit_of_a_clean_run_is_one_passing_test() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("policy.json"),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}]}"#,
    )
    .unwrap();
    let xml = output_in(dir.path(), "junit", &["."]);
    assert_valid_junit(&xml);
    let cases = junit_cases(&xml);
    assert_eq!(cases.len(), 1, "{xml}");
    assert_eq!(cases[0].name, "no findings");
    let (kind, _, text) = cases[0].outcome.as_ref().unwrap();
    assert_eq!(kind, "system-out");
    assert_eq!(text, "1 files scanned, 1 policy documents analyzed");
}

#[test]
fn junit_escapes_markup_and_writes_controls_visibly() {
    let dir = tempfile::tempdir().unwrap();
    // A statement id with markup, an escape sequence and characters XML 1.0 cannot hold
    // (NUL, U+FFFF), quoted in the invalid-sid message.
    let policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"<a href='x'>&\\u001b[31m\\u0000\u{ffff}\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}";
    std::fs::write(dir.path().join("policy.json"), policy).unwrap();
    let xml = output_in(dir.path(), "junit", &["."]);
    assert!(!xml.contains('\u{1b}') && !xml.contains('\0') && !xml.contains('\u{ffff}'));
    assert_valid_junit(&xml);
    let cases = junit_cases(&xml);
    let sid = cases
        .iter()
        .find(|case| case.classname == "invalid-sid")
        .unwrap();
    let (_, attributes, text) = sid.outcome.as_ref().unwrap();
    let message = attribute(attributes, "message");
    assert!(
        message.contains(r"<a href='x'>&\u{1b}[31m\u{0}\u{ffff}"),
        "{message}"
    );
    assert!(text.contains(message), "{text}");
}

#[test]
fn junit_example_output() {
    insta::assert_snapshot!(
        "junit_example",
        output_in(manifest_dir(), "junit", &["testdata/examples"])
    );
}

// --- SARIF ---------------------------------------------------------------------------------

fn sarif_in(dir: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&output_in(dir, "sarif", args)).unwrap()
}

/// `file:///…/` for a directory, as `%SRCROOT%` names it.
fn directory_uri(dir: &Path) -> String {
    let dir = std::fs::canonicalize(dir).unwrap();
    format!("file://{}/", dir.display())
}

#[test]
fn sarif_uris_are_relative_to_the_repository_root_from_a_subfolder() {
    let validator = json_schema("testdata/sarif/sarif-schema-2.1.0.json");
    let repo = repository();
    // From the repository root, from the policy's folder, and from the folder above it
    // naming the file: one URI, relative to %SRCROOT%.
    for (dir, path) in [
        (repo.path().to_path_buf(), "."),
        (repo.path().join("infra/iam"), "."),
        (repo.path().join("infra"), "iam/ci-user-policy.json"),
    ] {
        let sarif = sarif_in(&dir, &[path]);
        assert_valid(&validator, &sarif);
        let run = &sarif["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            directory_uri(repo.path()),
            "from {}",
            dir.display()
        );
        for result in run["results"].as_array().unwrap() {
            for location in result["locations"]
                .as_array()
                .unwrap()
                .iter()
                .chain(result["relatedLocations"].as_array().into_iter().flatten())
            {
                let artifact = &location["physicalLocation"]["artifactLocation"];
                assert_eq!(artifact["uri"], "infra/iam/ci-user-policy.json");
                assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
            }
        }
    }
    // `--root` names the root instead of the git top level.
    let sarif = sarif_in(&repo.path().join("infra"), &["--root", ".", "."]);
    let run = &sarif["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        directory_uri(&repo.path().join("infra"))
    );
    assert_eq!(
        run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "iam/ci-user-policy.json"
    );
}

#[test]
fn sarif_describes_only_the_rules_that_fired() {
    let text = output_in(manifest_dir(), "sarif", &["testdata/examples"]);
    let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!((rules.len(), results.len()), (3, 3));
    for result in results {
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], result["ruleId"]);
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## Example")
        );
    }
    // Every rule's documentation made 216 KB of this; three rules' is a few KB.
    assert!(text.len() < 30_000, "{} bytes", text.len());
}

#[test]
fn sarif_keeps_1000_related_locations_per_result_with_a_note() {
    // A policy that grants `iam:PassRole` only through its callers' variable: one finding
    // naming each of the 1,005 module calls as a related location.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("child")).unwrap();
    std::fs::write(
        dir.path().join("child/main.tf"),
        "variable \"action\" {}\ndata \"aws_iam_policy_document\" \"this\" {\n  statement {\n    actions   = [var.action]\n    resources = [\"*\"]\n  }\n}\n",
    )
    .unwrap();
    let calls: String = (0..1005)
        .map(|i| {
            format!("module \"m{i}\" {{\n  source = \"./child\"\n  action = \"iam:PassRole\"\n}}\n")
        })
        .collect();
    std::fs::write(dir.path().join("main.tf"), calls).unwrap();
    let (_, stdout, stderr) = support::run_in(dir.path(), &["check", "-f", "sarif", "."]);
    let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_valid(
        &json_schema("testdata/sarif/sarif-schema-2.1.0.json"),
        &sarif,
    );
    let run = &sarif["runs"][0];
    let related = run["results"][0]["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 1000);
    let note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(
        note.starts_with("6 related locations are not in this file"),
        "{note}"
    );
    assert!(stderr.contains(note), "{stderr}");
}
