//! The repository is untrusted input (issue 20): a CI gate runs iamlint on pull requests
//! from anyone, so what a file holds must not forge the output (a newline that starts a
//! `::error` workflow command, an escape sequence for the terminal), nor make the time or
//! memory of a run grow without bound (a 10 MB line, 12 million findings, a 1 MB name to
//! suggest for). One test per defect, then a property over every text format.

use crate::support::{run_in, write};

use iamlint::engine::{CheckOptions, RunOutput, run_with_stdin};
use iamlint::report::{Format, HumanOptions};
use proptest::prelude::*;
use serde_json::Value;

const FORMATS: [&str; 7] = [
    "human", "compact", "json", "sarif", "github", "gitlab", "junit",
];

/// A character no output may hold as it is: controls other than the newline a format ends
/// its lines with, DEL, C1, the Unicode line separators and the bidirectional overrides.
fn forbidden_in_output(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// A policy whose actions are the given strings (written as JSON strings, so they may hold
/// any character), all on one line.
fn policy_with_actions(actions: &[String]) -> String {
    format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": {}, \"Resource\": \"*\"}}]}}",
        serde_json::to_string(actions).unwrap()
    )
}

/// The lines of `output` that start a workflow command, for a format that is not `github`
/// (none may) or is (only its own: one `::error`/`::warning`/`::notice file=` per line).
fn forged_lines(format: &str, output: &str) -> Vec<String> {
    output
        .lines()
        .filter(|line| {
            let command = line.trim_start().starts_with("::");
            if format == "github" {
                !(line.starts_with("::error file=")
                    || line.starts_with("::warning file=")
                    || line.starts_with("::notice file="))
            } else {
                command
            }
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn control_characters_in_names_and_policy_strings_start_no_ci_command_and_reach_no_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\n::error::x\u{1b}]0;title\u{7}\u{202e}.json";
    let actions = vec![
        "s3:Get\n::error::x".to_string(),
        "s3:Put\u{1b}[2J\u{1b}]8;;http://x\u{7}\r::add-mask::y".to_string(),
        "s3:List\u{9b}31m\u{7f}\u{202e}\u{2066}".to_string(),
    ];
    write(dir.path(), name, policy_with_actions(&actions));
    // The same characters raw in the source, shown in a snippet.
    write(
        dir.path(),
        "raw.json",
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Resource\": \"*\", \
         \"Action\": \"s3:Get\u{1b}[31m\u{7}\u{9b}\u{202e}\r::error::x\"}]}",
    );
    for format in FORMATS {
        let (code, stdout, stderr) =
            run_in(dir.path(), &["check", "--no-config", "-f", format, "."]);
        assert_eq!(code, 1, "{format}: {stderr}");
        assert!(stdout.contains("malformed-policy"), "{format}: {stdout}");
        let bad: Vec<char> = stdout.chars().filter(|&c| forbidden_in_output(c)).collect();
        assert!(bad.is_empty(), "{format}: {bad:?} in\n{stdout}");
        assert_eq!(
            forged_lines(format, &stdout),
            Vec::<String>::new(),
            "{format}"
        );
    }
    // The escapes say what was there.
    let (_, compact, _) = run_in(dir.path(), &["check", "--no-config", "-f", "compact", "."]);
    assert!(
        compact.contains("evil\\n::error::x\\u{1b}]0;title\\u{7}\\u{202e}.json:1:"),
        "{compact}"
    );
    assert!(compact.contains("`s3:Get\\n::error::x`"), "{compact}");
}

/// One line of `count` malformed actions with a non-ASCII character each, so the column of
/// every finding has to be counted in characters far into the line.
fn one_line_policy(count: usize) -> String {
    let actions: Vec<String> = (0..count).map(|i| format!("s3:GetÖbject{i}")).collect();
    policy_with_actions(&actions)
}

#[test]
fn a_long_one_line_policy_is_reported_with_exact_columns_and_short_lines() {
    // 1.3 MB: big enough that a column counted from the line start for each finding, or a
    // snippet of the whole line, shows (this took 144 s at 8.7 MB); the release binary does
    // 10 MB in well under a second (measured in the change that added this test).
    let count = 60_000;
    let text = one_line_policy(count);
    assert!(text.len() > 1_000_000 && !text.contains('\n'));
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "long.json", &text);
    write(
        dir.path(),
        "iamlint.toml",
        "[limits]\nmax-findings-kept-per-file = 100000\n",
    );
    let (_, compact, _) = run_in(dir.path(), &["check", "-f", "compact", "long.json"]);
    let last = format!("\"s3:GetÖbject{}\"", count - 1);
    let byte = text.find(&last).unwrap();
    let column = text[..byte].chars().count() + 1;
    assert!(
        compact.contains(&format!(
            "long.json:1:{column}: error[malformed-policy] `s3:GetÖbject{}` is not a valid action",
            count - 1
        )),
        "no finding at column {column}"
    );
    assert_eq!(compact.matches("[malformed-policy]").count(), count);

    let (_, human, _) = run_in(dir.path(), &["check", "long.json"]);
    assert_eq!(human.matches("[malformed-policy]").count(), 50, "{human}");
    let longest = human
        .lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap();
    assert!(longest < 400, "a line of {longest} characters");
    // The snippet is a window of the line, cut with ellipses, under its real line number.
    assert!(human.contains("1 │ {\"Version\""), "{human}");
    assert!(human.contains("…"), "{human}");
}

#[test]
fn a_megabyte_unknown_service_name_gets_a_short_message_and_no_suggestion_search() {
    let service = "x".repeat(1 << 20);
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "long.json",
        policy_with_actions(&[format!("{service}:GetObject"), format!("s3:{service}")]),
    );
    let (code, compact, _) = run_in(dir.path(), &["check", "--no-config", "-f", "compact", "."]);
    assert_eq!(code, 1);
    assert!(compact.contains("[unknown-service]"), "{compact}");
    assert!(compact.contains("[unknown-action]"), "{compact}");
    for line in compact.lines() {
        assert!(line.len() < 1000, "a line of {} bytes", line.len());
    }
    assert!(
        compact.contains("unknown service prefix `xxxx"),
        "{compact}"
    );
    assert!(compact.contains("x…`"), "{compact}");
}

fn run_text(name: &str, text: &str, config: iamlint::config::Config) -> RunOutput {
    let options = CheckOptions {
        paths: vec!["-".into()],
        stdin_filename: Some(name.to_string()),
        config: std::sync::Arc::new(config),
        rules: crate::support::every_rule(),
        ..Default::default()
    };
    run_with_stdin(&options, text.as_bytes().to_vec())
}

fn report(format: Format, run: &RunOutput) -> String {
    let mut out = Vec::new();
    iamlint::report::write(format, run, &HumanOptions::default(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn config(toml: &str) -> iamlint::config::Config {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "iamlint.toml", toml);
    iamlint::config::Config::discover(&[dir.path().to_path_buf()], None).unwrap()
}

#[test]
fn sarif_keeps_at_most_25000_results_with_a_note_and_unique_fingerprints() {
    // 30,000 findings, in pairs of the same action in two statements: the same rule, file,
    // origin, message and text, which is one fingerprint for the baseline.
    let statement = |i: usize| {
        format!(
            "{{\"Effect\": \"Allow\", \"Action\": [{}], \"Resource\": \"*\"}}",
            (0..15_000)
                .map(|j| format!("\"s3:Nothing{}\"", (j + i) % 15_000))
                .collect::<Vec<_>>()
                .join(",")
        )
    };
    let text = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{},\n{}]}}",
        statement(0),
        statement(0)
    );
    let run = run_text(
        "many.json",
        &text,
        config("[limits]\nmax-findings-kept-per-file = 100000\n"),
    );
    assert_eq!(run.findings.len(), 30_000);
    let sarif: Value = serde_json::from_str(&report(Format::Sarif, &run)).unwrap();
    let sarif_run = &sarif["runs"][0];
    let results = sarif_run["results"].as_array().unwrap();
    assert_eq!(results.len(), 25_000);
    assert_eq!(sarif_run["properties"]["iamlint/resultsLeftOut"], 5_000);
    let note = sarif_run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(
        note.starts_with("5000 of 30000 results are not in this file"),
        "{note}"
    );
    let fingerprints: std::collections::HashSet<&str> = results
        .iter()
        .map(|r| r["partialFingerprints"]["iamlint/v2"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints.len(), results.len(), "fingerprints shared");
}

#[test]
fn findings_past_the_per_file_and_per_run_caps_are_counted_by_limit_exceeded() {
    let dir = tempfile::tempdir().unwrap();
    // `s3:GetObject` 26 times: 26 `data-exfiltration` findings (warnings, on `"*"`) and 25
    // `redundant-action` (info); then 5 misspelt actions (errors), which the cut keeps
    // although they come last.
    let mut actions = vec!["s3:GetObject".to_string(); 26];
    actions.extend(
        [
            "GetObjectt",
            "GetObjet",
            "PutObjet",
            "ListBukcet",
            "DeleteObjet",
        ]
        .map(|typo| format!("s3:{typo}")),
    );
    write(dir.path(), "a.json", policy_with_actions(&actions));
    write(dir.path(), "b.json", policy_with_actions(&actions));
    write(
        dir.path(),
        "iamlint.toml",
        "[limits]\nmax-findings-kept-per-file = 20\nmax-findings-kept-per-run = 30\n",
    );
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let (code, json, stderr) = run_in(
            dir.path(),
            &["check", "-j", jobs, "-f", "json", "--select", "all", "."],
        );
        assert_eq!(code, 1, "{stderr}");
        outputs.push(json);
    }
    assert_eq!(
        outputs[0], outputs[1],
        "the cut depends on the thread count"
    );
    let json: Value = serde_json::from_str(&outputs[0]).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let limits: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"] == "limit-exceeded")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        limits,
        [
            "checking this file found 56 findings, more than `max-findings-kept-per-file` (20); 36 of them, the least severe, are not reported",
            "checking this file found 56 findings, more than `max-findings-kept-per-file` (20); 36 of them, the least severe, are not reported",
            "this run found 42 findings, more than `max-findings-kept-per-run` (30); 12 of them, the least severe, are not reported",
        ],
        "{findings:#?}"
    );
    assert_eq!(findings.len(), 31);
    // Every error was kept: 5 per file.
    let errors = findings
        .iter()
        .filter(|f| f["rule"] == "unknown-action")
        .count();
    assert_eq!(errors, 10);
}

fn text_with_controls() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::char::range('a', 'z'),
            Just('\n'),
            Just('\r'),
            Just('\t'),
            Just('\u{1b}'),
            Just('\u{7}'),
            Just('\u{7f}'),
            Just('\u{85}'),
            Just('\u{9b}'),
            Just('\u{202e}'),
            Just('\u{2066}'),
            Just('\u{2028}'),
            Just(':'),
            Just('é'),
        ],
        0..12,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Whatever control characters a file name, a policy string or the raw source holds,
    /// no text format prints one (other than its own newlines), nor a line that starts a
    /// workflow command other than the `github` format's own.
    #[test]
    fn no_text_format_prints_a_control_character(
        name in text_with_controls(),
        action in text_with_controls(),
        raw in text_with_controls(),
        raw_in_source in proptest::bool::ANY,
    ) {
        let mut text = policy_with_actions(&[format!("s3:{action}"), format!("{action}:x")]);
        if raw_in_source {
            // Raw characters inside a string: invalid JSON, shown in a parse error's snippet.
            text = text.replacen("s3:", &format!("s3:{raw}"), 1);
        }
        let run = run_text(&format!("{name}.json"), &text, iamlint::config::Config::default());
        prop_assert!(!run.findings.is_empty());
        for (format, flag) in [
            (Format::Human, "human"),
            (Format::Compact, "compact"),
            (Format::Json, "json"),
            (Format::Sarif, "sarif"),
            (Format::Github, "github"),
            (Format::Gitlab, "gitlab"),
            (Format::Junit, "junit"),
        ] {
            let output = report(format, &run);
            let bad: Vec<char> = output.chars().filter(|&c| forbidden_in_output(c)).collect();
            prop_assert!(bad.is_empty(), "{}: {:?} in\n{}", flag, bad, output);
            prop_assert_eq!(forged_lines(flag, &output), Vec::<String>::new(), "{}", flag);
            if matches!(format, Format::Json | Format::Sarif | Format::Gitlab) {
                prop_assert!(serde_json::from_str::<Value>(&output).is_ok());
            }
            if format == Format::Junit {
                let mut reader = quick_xml::Reader::from_str(&output);
                loop {
                    match reader.read_event() {
                        Ok(quick_xml::events::Event::Eof) => break,
                        Ok(_) => {}
                        Err(error) => prop_assert!(false, "{}\n{}", error, output),
                    }
                }
            }
        }
    }
}

#[test]
fn configuration_errors_quoting_repository_text_start_no_ci_command() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.json",
        policy_with_actions(&["s3:GetObject".into()]),
    );
    // A TOML key may hold any character: the unknown-key error quotes it on stderr.
    write(
        dir.path(),
        "iamlint.toml",
        "\"x\\n::error::forged\\u001b[2J\" = 1\n",
    );
    let (code, _, stderr) = run_in(dir.path(), &["check", "."]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("x\\n::error::forged\\u{1b}[2J"), "{stderr}");
    assert_eq!(forged_lines("compact", &stderr), Vec::<String>::new());
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
}
