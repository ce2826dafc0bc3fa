//! SARIF output against the official SARIF 2.1.0 schema (vendored in testdata/sarif), and the
//! properties GitHub code scanning relies on.

use crate::support;

fn sarif_of(args: &[&str]) -> serde_json::Value {
    let output = support::iamlint()
        .args(["check", "-f", "sarif"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

fn schema() -> jsonschema::Validator {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn output_validates_against_the_official_schema() {
    let validator = schema();
    // Every fixture, plus a path that does not exist (a tool execution notification).
    let sarif = sarif_of(&["testdata", "no/such/file.json"]);
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    // The schema really is enforced: an invalid level or a zero line is rejected.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
    let mut broken = sarif;
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn rules_results_and_fingerprints_are_what_code_scanning_needs() {
    let sarif = sarif_of(&["testdata/examples"]);
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // Only the rules that fired, in the order `iamlint rules` lists them.
    assert_eq!(
        ids,
        [
            "invalid-sid",
            "unknown-condition-operator",
            "passrole-unscoped"
        ]
    );
    for result in run["results"].as_array().unwrap() {
        assert_eq!(
            ids[result["ruleIndex"].as_u64().unwrap() as usize],
            result["ruleId"]
        );
    }
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string());
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## Why is this bad?")
        );
        assert!(rule["helpUri"].as_str().unwrap().ends_with(".md"));
    }
    let passrole = rules
        .iter()
        .find(|r| r["id"] == "passrole-unscoped")
        .unwrap();
    assert_eq!(passrole["properties"]["security-severity"], "8.0");
    assert_eq!(passrole["properties"]["iamlint/group"], "security");
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "passrole-unscoped")
        .unwrap();
    assert_eq!(result["level"], "error");
    assert_eq!(
        ids[result["ruleIndex"].as_u64().unwrap() as usize],
        "passrole-unscoped"
    );
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(14), Some(19))
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "testdata/examples/ci-user-policy.json"
    );
    assert_eq!(
        result["relatedLocations"][0]["message"]["text"],
        "covers `iam:PassRole`"
    );
    // The baseline's 16 hex digits, then the occurrence of the same text.
    let print = result["partialFingerprints"]["iamlint/v2"]
        .as_str()
        .unwrap();
    assert_eq!(print.len(), 18, "{print}");
    assert!(print.ends_with(":1"), "{print}");
}

#[test]
fn fingerprints_survive_lines_moving() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/examples/ci-user-policy.json"),
    )
    .unwrap();
    let path = dir.path().join("policy.json");
    let fingerprints = |text: &str| {
        std::fs::write(&path, text).unwrap();
        let sarif = sarif_of(&[path.to_str().unwrap()]);
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["iamlint/v2"].clone(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints(&original);
    let moved = fingerprints(&original.replacen("{\n", "{\n\n\n\n", 1));
    assert_eq!(before.len(), moved.len());
    for ((fp_before, line_before), (fp_after, line_after)) in before.iter().zip(&moved) {
        assert_eq!(fp_before, fp_after);
        assert_ne!(line_before, line_after);
    }
}
