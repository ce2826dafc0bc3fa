//! JUnit XML, the test report Jenkins, Azure DevOps, CircleCI and GitLab show: one
//! `<testsuite>` per checked file, one `<testcase>` per finding, failed with the message and
//! where. Per file rather than per rule, because a file is what a reader fixes, and each CI
//! groups the suite's cases under its name (Jenkins by `classname`, which is the rule: both
//! views exist). Checked against the Jenkins xunit plugin's JUnit schema in the tests.

use super::{compact_line, locate_in_repository, locate_position, printable, repository_path};
use crate::base::finding::{Finding, Severity};
use crate::base::source::Location;
use crate::engine::RunOutput;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

enum Outcome {
    /// The one case of a clean run.
    Passed,
    Failure {
        severity: Severity,
        message: String,
    },
    /// A suppressed finding, with `--show-suppressed`.
    Skipped {
        message: String,
    },
    /// A file that could not be read.
    Error {
        message: String,
    },
}

struct Case {
    name: String,
    classname: String,
    outcome: Outcome,
    /// The full text: the compact line, help and related locations.
    details: String,
}

pub(super) fn write(
    run: &RunOutput,
    show_suppressed: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // By path, so the suites come in path order whatever the kind of their cases.
    let mut suites: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    for finding in &run.findings {
        let location = locate_in_repository(run, finding.primary);
        let case = finding_case(
            run,
            finding,
            &location,
            Outcome::Failure {
                severity: finding.severity,
                message: printable(&finding.message).into_owned(),
            },
        );
        suites.entry(location.path).or_default().push(case);
    }
    for suppressed in run.suppressed.iter().filter(|_| show_suppressed) {
        let finding = &suppressed.finding;
        let location = locate_in_repository(run, finding.primary);
        let outcome = Outcome::Skipped {
            message: format!("suppressed: {}", printable(&suppressed.reason)),
        };
        let case = finding_case(run, finding, &location, outcome);
        suites.entry(location.path).or_default().push(case);
    }
    for error in &run.errors {
        let path = repository_path(run, Path::new(&error.path));
        let message = printable(&error.message).into_owned();
        suites.entry(path.clone()).or_default().push(Case {
            name: printable(&path).into_owned(),
            classname: "io-error".to_string(),
            details: format!("{}: {message}", printable(&path)),
            outcome: Outcome::Error { message },
        });
    }
    if run.findings.is_empty() && run.errors.is_empty() {
        // CIs treat a report without a test as a broken report: a clean run is one passing
        // test, named the same in every run so that its history is one line.
        suites.entry("iamlint".to_string()).or_default().push(Case {
            name: "no findings".to_string(),
            classname: "iamlint".to_string(),
            details: format!(
                "{} files scanned, {} policy documents analyzed",
                run.files_scanned, run.documents_analyzed
            ),
            outcome: Outcome::Passed,
        });
    }
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let count = |cases: &[Case], wanted: fn(&Outcome) -> bool| {
        cases.iter().filter(|case| wanted(&case.outcome)).count()
    };
    let is_failure = |o: &Outcome| matches!(o, Outcome::Failure { .. });
    let is_error = |o: &Outcome| matches!(o, Outcome::Error { .. });
    let all: Vec<&Case> = suites.values().flatten().collect();
    let _ = writeln!(
        xml,
        "<testsuites name=\"iamlint\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        all.len(),
        all.iter().filter(|case| is_failure(&case.outcome)).count(),
        all.iter().filter(|case| is_error(&case.outcome)).count(),
    );
    for (path, cases) in &suites {
        let path = escape_attribute(&printable(path));
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" file=\"{path}\">",
            cases.len(),
            count(cases, is_failure),
            count(cases, is_error),
            count(cases, |o| matches!(o, Outcome::Skipped { .. })),
        );
        for case in cases {
            write_case(&mut xml, case);
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    out.write_all(xml.as_bytes())
}

fn finding_case(run: &RunOutput, finding: &Finding, location: &Location, outcome: Outcome) -> Case {
    let mut details = compact_line(finding, location);
    if let Some(help) = &finding.help {
        let _ = write!(details, "\nhelp: {}", printable(help));
    }
    for label in &finding.related {
        let related = locate_position(&run.sources, label.span);
        let _ = write!(
            details,
            "\n{}:{}:{}: {}",
            printable(&repository_path(
                run,
                run.sources.get(label.span.file).path()
            )),
            related.start.line,
            related.start.column,
            printable(&label.message)
        );
    }
    Case {
        name: format!(
            "{}:{}:{}",
            printable(&location.path),
            location.start.line,
            location.start.column
        ),
        classname: finding.rule.as_str().to_string(),
        outcome,
        details,
    }
}

fn write_case(xml: &mut String, case: &Case) {
    let _ = write!(
        xml,
        "    <testcase name=\"{}\" classname=\"{}\">",
        escape_attribute(&case.name),
        escape_attribute(&case.classname)
    );
    let details = escape(&case.details);
    let _ = match &case.outcome {
        Outcome::Failure { severity, message } => write!(
            xml,
            "\n      <failure type=\"{}\" message=\"{}\">{details}</failure>\n    ",
            severity.as_str(),
            escape_attribute(message)
        ),
        Outcome::Error { message } => write!(
            xml,
            "\n      <error type=\"io-error\" message=\"{}\">{details}</error>\n    ",
            escape_attribute(message)
        ),
        // The passing case of a clean run says what was checked.
        Outcome::Passed => write!(xml, "\n      <system-out>{details}</system-out>\n    "),
        Outcome::Skipped { message } => write!(
            xml,
            "\n      <skipped message=\"{}\">{details}</skipped>\n    ",
            escape_attribute(message)
        ),
    };
    xml.push_str("</testcase>\n");
}

/// Text for XML 1.0 content. The text has been through `printable`, so the only control
/// left is the newline between the lines this format writes. XML 1.0 cannot hold U+FFFE and
/// U+FFFF even escaped (nor most C0 controls, which `printable` already wrote as `\u{..}`):
/// they are written the same visible way.
fn escape(text: &str) -> String {
    escape_xml(text, false)
}

/// [`escape`] for an attribute value, where a parser would turn a raw newline into a space.
fn escape_attribute(text: &str) -> String {
    escape_xml(text, true)
}

fn escape_xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\n' => out.push('\n'),
            '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_attribute};

    #[test]
    fn escape_leaves_only_characters_xml_1_0_holds() {
        assert_eq!(
            escape_attribute("a<b>&\"'\nc"),
            "a&lt;b&gt;&amp;&quot;&apos;&#10;c"
        );
        assert_eq!(escape("a\nb"), "a\nb");
        assert_eq!(
            escape("\u{1b}[31m\u{0}\u{fffe}"),
            "\\u{1b}[31m\\u{0}\\u{fffe}"
        );
    }
}
