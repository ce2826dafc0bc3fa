//! A Terraform module per path of the pathfinding.cloud catalogue the access graph follows
//! (`testdata/graph/paths/<id>/`, written by `generate.py` there): `<id>/fail` must give a
//! `privilege-escalation` finding naming the id, `<id>/pass` (the near miss) none. The paths
//! left out are listed in the catalogue with why, and have no fixture. For the ids whose
//! resources CloudFormation declares, a template does the same: `<id>/cfn-fail/template.yaml`
//! and `<id>/cfn-pass/template.yaml`.

use crate::support;
use iamlint::rules::graph::catalogue;
use std::path::PathBuf;

/// The `privilege-escalation` messages of `<id>/<case>`, which must hold `file`.
fn findings_in(id: &str, case: &str, file: &str) -> Vec<String> {
    let path = PathBuf::from("testdata/graph/paths").join(id).join(case);
    assert!(
        support::root().join(&path).join(file).is_file(),
        "{id}/{case}/{file} is missing"
    );
    support::check(&[path], &[])
        .findings
        .into_iter()
        .filter(|finding| finding.rule.as_str() == "privilege-escalation")
        .map(|finding| finding.message.to_string())
        .collect()
}

fn findings(id: &str, case: &str) -> Vec<String> {
    findings_in(id, case, "main.tf")
}

#[test]
fn every_followed_catalogue_path_fires_on_its_fixture_and_not_on_its_near_miss() {
    let mut failures = Vec::new();
    for path in catalogue().iter().filter(|p| p.not_in_graph.is_none()) {
        let id = &path.id;
        let fired = findings(id, "fail");
        let named = format!("pathfinding.cloud {id})");
        if !fired.iter().any(|message| message.contains(&named)) {
            failures.push(format!("{id}/fail: {fired:?}"));
        }
        let quiet = findings(id, "pass");
        if !quiet.is_empty() {
            failures.push(format!("{id}/pass: {quiet:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_is_a_followed_catalogue_path() {
    let dir = support::root().join("testdata/graph/paths");
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        if !entry.file_type().unwrap().is_dir() {
            assert_eq!(name, "generate.py", "unexpected file");
            continue;
        }
        let path = catalogue().iter().find(|p| p.id == name);
        assert!(
            path.is_some_and(|p| p.not_in_graph.is_none()),
            "{name} is not a path the graph follows"
        );
    }
}

#[test]
fn the_cloudformation_fixtures_fire_and_their_near_misses_stay_quiet() {
    let dir = support::root().join("testdata/graph/paths");
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("cfn-fail").is_dir())
        .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    assert!(ids.len() >= 10, "only {} templates: {ids:?}", ids.len());
    let mut failures = Vec::new();
    for id in &ids {
        let fired = findings_in(id, "cfn-fail", "template.yaml");
        let named = format!("pathfinding.cloud {id})");
        if !fired.iter().any(|message| message.contains(&named)) {
            failures.push(format!("{id}/cfn-fail: {fired:?}"));
        }
        let quiet = findings_in(id, "cfn-pass", "template.yaml");
        if !quiet.is_empty() {
            failures.push(format!("{id}/cfn-pass: {quiet:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
