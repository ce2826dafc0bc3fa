//! The rule reference in the top-level `rules/` directory is generated from the rules' doc
//! comments; this test fails when it is stale. `IAMLINT_UPDATE_DOCS=1 cargo test` rewrites it.
//!
//! The `## Example` and `## Use instead` blocks of every rule's documentation are run
//! (`check_examples`, called by one test per rule in `rules.rs`): the Example must make the
//! rule fire, the Use instead must not.

use iamlint::config::Config;
use iamlint::engine::{CheckOptions, run_with_stdin};
use iamlint::rules;
use std::path::Path;
use std::sync::Arc;

/// README's table of rule groups names every rule in the row of its group, and only there.
#[test]
fn readme_lists_every_rule_in_its_group() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for group in iamlint::base::rule_id::Group::ALL {
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| `{group}` |")))
            .unwrap_or_else(|| panic!("README.md has no row for the group `{group}`"));
        for rule in rules::all() {
            let meta = rule.meta();
            assert_eq!(
                row.contains(&format!("`{}`", meta.id)),
                meta.group == group,
                "README.md's row of `{group}` and rule `{}` (of `{}`)",
                meta.id,
                meta.group
            );
        }
    }
}

#[test]
fn rule_reference_is_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let update = std::env::var_os("IAMLINT_UPDATE_DOCS").is_some();
    let mut expected = vec![("README.md".to_string(), rules::reference_index())];
    for rule in rules::all() {
        let meta = rule.meta();
        expected.push((format!("{}.md", meta.id), rules::reference_page(meta)));
    }
    let mut stale = Vec::new();
    for (name, content) in &expected {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(name.clone());
            }
        }
    }
    // Pages of rules that no longer exist are stale too (data files like *.toml are kept).
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().into_string().unwrap_or_default();
        if name.ends_with(".md") && !expected.iter().any(|(known, _)| *known == name) {
            if update {
                std::fs::remove_file(entry.path()).unwrap();
            } else {
                stale.push(name);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "rules/ is stale ({}); run `IAMLINT_UPDATE_DOCS=1 cargo test --test integration rule_docs`",
        stale.join(", ")
    );
}

/// The fenced code blocks of one section (`## Example`, `## Use instead`) of a rule's
/// documentation: `(language, code)`.
fn blocks(docs: &str, section: &str) -> Vec<(String, String)> {
    let Some(start) = docs.find(&format!("## {section}\n")) else {
        return Vec::new();
    };
    let body = &docs[start + section.len() + 4..];
    let body = &body[..body.find("\n## ").unwrap_or(body.len())];
    let mut found = Vec::new();
    let mut lines = body.lines();
    while let Some(line) = lines.next() {
        let Some(language) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let mut code = String::new();
        for line in lines.by_ref() {
            if line.trim_start().starts_with("```") {
                break;
            }
            code.push_str(line);
            code.push('\n');
        }
        found.push((language.trim().to_string(), code));
    }
    found
}

/// The file name a block is checked under, from its fence's language, as if piped to
/// `iamlint check - --stdin-filename NAME`.
fn file_name(language: &str) -> Option<&'static str> {
    match language {
        "json" => Some("policy.json"),
        "hcl" | "terraform" | "tf" => Some("main.tf"),
        "yaml" | "yml" => Some("template.yaml"),
        _ => None,
    }
}

/// A ` ```toml ` block that starts with `# iamlint.toml` is the configuration of the
/// section's run (`forbidden-action` needs a list to report anything).
fn configuration(blocks: &[(String, String)]) -> Option<(&str, &str)> {
    blocks.iter().find_map(|(language, code)| {
        (language == "toml" && code.starts_with("# iamlint.toml"))
            .then_some(("toml", code.as_str()))
    })
}

/// The findings of `rule` when the one policy block of `section` is checked through the engine
/// as the CLI checks standard input, with every rule enabled (`--select all`), and with
/// the section's configuration block (or the Example's) if any.
fn run_section(rule: &str, section: &str) -> Result<(usize, String), String> {
    let docs = rules::find(rule).unwrap().meta().docs_markdown();
    let here = blocks(&docs, section);
    let inputs: Vec<_> = here
        .iter()
        .filter_map(|(language, code)| file_name(language).map(|name| (name, code)))
        .collect();
    let [(name, code)] = inputs[..] else {
        return Err(format!(
            "{rule}: `## {section}` has {} policy blocks (```json, ```hcl or ```yaml), not one",
            inputs.len()
        ));
    };
    let example = blocks(&docs, "Example");
    let config = match configuration(&here).or_else(|| configuration(&example)) {
        Some((_, text)) => Config::parse(Path::new("iamlint.toml"), text.to_string())
            .map_err(|error| format!("{rule}: the configuration of `## {section}`: {error:?}"))?,
        None => Config::none(),
    };
    let mut run = run_with_stdin(
        &CheckOptions {
            paths: vec!["-".into()],
            stdin_filename: Some(name.to_string()),
            jobs: Some(1),
            rules: crate::support::every_rule(),
            config: Arc::new(config),
            ..CheckOptions::default()
        },
        code.as_bytes().to_vec(),
    );
    let all = crate::support::render(&run);
    run.findings.retain(|finding| finding.rule.as_str() == rule);
    let count = run.findings.len();
    Ok((count, format!("{name}:\n{code}\ngives:\n{all}")))
}

/// Runs the `## Example` of `rule`'s documentation, which must make it fire, and the
/// `## Use instead`, which must not (other rules may).
pub fn check_examples(rule: &str) {
    if let Some((_, reason)) = EXEMPT.iter().find(|(id, _)| *id == rule) {
        eprintln!("{rule}: the documentation's examples are not run: {reason}");
        return;
    }
    let (fired, shown) = run_section(rule, "Example").unwrap_or_else(|error| panic!("{error}"));
    assert!(
        fired > 0,
        "the Example of {rule} gives no finding of it: {shown}"
    );
    let (fired, shown) = run_section(rule, "Use instead").unwrap_or_else(|error| panic!("{error}"));
    assert!(
        fired == 0,
        "the Use instead of {rule} gives a finding of it: {shown}"
    );
}

/// Rules whose documentation cannot show them in one block, and why.
const EXEMPT: &[(&str, &str)] = &[
    (
        "limit-exceeded",
        "it needs a file beyond the default limits (more than 50,000 documents, or a \
         `Fn::ForEach` expanding to more than 200,000 nodes): the Example describes such a file \
         and the Use instead is only the configuration that raises the limit",
    ),
    (
        "policy-too-large",
        "it needs a policy of thousands of characters: the Example describes one, and the \
         fixtures in testdata/rules/policy-too-large/ show it",
    ),
];

#[test]
fn exemptions_name_rules() {
    for (id, _) in EXEMPT {
        assert!(rules::find(id).is_some(), "{id} is not a rule");
    }
}
