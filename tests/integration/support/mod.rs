//! Helpers shared by the integration tests: running the engine on a path and rendering
//! findings in a compact form that shows the underlined source text.

#![allow(dead_code)]

pub mod documents;

use iamlint::engine::{self, CheckOptions, RuleSelection, RunOutput};
use iamlint::report::{compact_line, locate};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Writes `content` to `dir/name`.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), content).unwrap();
}

/// Runs the binary in `dir` without colour: its exit code, standard output and error.
pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = iamlint()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The built binary, run from the repository root, colour decided by the test.
pub fn iamlint() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("iamlint").unwrap();
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    command
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the engine on `paths` (relative to the repository root, or absolute) with only
/// `rules` enabled (every rule, of every group, when empty), with the `iamlint.toml` the CLI would find for them (a
/// rule's fixture directory may hold one).
///
/// The engine is given absolute paths, so the tests do not depend on the process's working
/// directory (and never change it: all integration tests share one process); [`render`]
/// shows them relative to the repository root again.
pub fn check(paths: &[PathBuf], rules: &[&str]) -> RunOutput {
    let paths: Vec<PathBuf> = paths.iter().map(|path| root().join(path)).collect();
    let config = iamlint::config::Config::discover(&paths, None).unwrap();
    engine::run(&CheckOptions {
        paths,
        jobs: Some(1),
        rules: if rules.is_empty() {
            every_rule()
        } else {
            RuleSelection {
                select: rules.iter().map(|r| r.to_string()).collect(),
                ignore: Vec::new(),
            }
        },
        config: std::sync::Arc::new(config),
        ..CheckOptions::default()
    })
}

/// `--select all`: the rules of every group, the opt-in ones too, so that a test sees every
/// finding a fixture gives.
pub fn every_rule() -> RuleSelection {
    RuleSelection {
        select: vec!["all".to_string()],
        ignore: Vec::new(),
    }
}

/// Every finding as `line:col: severity[rule] message`, followed by the source line with the
/// primary span underlined, related labels and help, so an off-by-one span shows in review.
pub fn render(run: &RunOutput) -> String {
    let mut out = String::new();
    for finding in &run.findings {
        let location = locate(&run.sources, finding.primary);
        writeln!(out, "{}", compact_line(finding, &location)).unwrap();
        underline(&mut out, run, finding.primary, '^');
        for label in &finding.related {
            let related = locate(&run.sources, label.span);
            writeln!(
                out,
                "  = related {}:{}:{}: {}",
                related.path, related.start.line, related.start.column, label.message
            )
            .unwrap();
            underline(&mut out, run, label.span, '-');
        }
        if let Some(help) = &finding.help {
            writeln!(out, "  = help: {help}").unwrap();
        }
        if finding.confidence != iamlint::base::finding::Confidence::High {
            writeln!(out, "  = confidence: {}", finding.confidence.as_str()).unwrap();
        }
    }
    for error in &run.errors {
        writeln!(out, "error: {}: {}", error.path, error.message).unwrap();
    }
    // Paths relative to the repository root, wherever the checkout is.
    out.replace(&format!("{}/", root().display()), "")
}

fn underline(out: &mut String, run: &RunOutput, span: iamlint::base::source::Span, mark: char) {
    let file = run.sources.get(span.file);
    let start = file.line_col(span.start as usize);
    let end = file.line_col(span.end as usize);
    let line_text = &file.text()[file.line_range(start.line)];
    let width = if end.line == start.line {
        (end.column - start.column).max(1)
    } else {
        (line_text.chars().count() + 1)
            .saturating_sub(start.column)
            .max(1)
    };
    writeln!(out, "  | {line_text}").unwrap();
    let mut marks = " ".repeat(start.column - 1) + &mark.to_string().repeat(width);
    if end.line > start.line {
        write!(marks, " (to {}:{})", end.line, end.column).unwrap();
    }
    writeln!(out, "  | {marks}").unwrap();
}

pub fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(root()).unwrap_or(path).to_path_buf()
}

/// Asserts `rendered` against the snapshot of `input` (an absolute path to a file or a
/// directory), kept beside it: `<parent>/snapshots/<file name>.snap`, so a fixture and what
/// it gives are reviewed together. A macro, so the snapshot's `source` is the calling test.
macro_rules! assert_snapshot_beside {
    ($input:expr, $rendered:expr) => {{
        let input: &std::path::Path = $input;
        assert!(input.is_absolute(), "{} is not absolute", input.display());
        let name = input.file_name().unwrap().to_str().unwrap();
        insta::with_settings!({
            snapshot_path => input.parent().unwrap().join("snapshots"),
            prepend_module_to_snapshot => false,
            input_file => input,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, $rendered);
        });
    }};
}
pub(crate) use assert_snapshot_beside;

/// Every file of `dir/snapshots/` is the snapshot of one of `inputs` (paths in `dir`): none is
/// left behind by a renamed or removed input.
pub fn assert_no_stale_snapshots(dir: &Path, inputs: &[PathBuf]) {
    let Ok(files) = std::fs::read_dir(dir.join("snapshots")) else {
        return;
    };
    for file in files {
        let name = file.unwrap().file_name().into_string().unwrap();
        let input = name.strip_suffix(".snap").map(|input| dir.join(input));
        assert!(
            input.is_some_and(|input| inputs.contains(&input)),
            "{}/snapshots/{name} is not the snapshot of an input",
            relative(dir).display()
        );
    }
}
