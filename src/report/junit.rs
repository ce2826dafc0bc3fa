//! JUnit XML, the test report Jenkins, Azure DevOps, CircleCI and GitLab show: one
//! `<testsuite>` per checked file, one `<testcase>` per finding, failed with the message and
//! where. Per file rather than per rule, because a file is what a reader fixes, and each CI
//! groups the suite's cases under its name (Jenkins by `classname`, which is the rule: both
//! views exist). Checked against the Jenkins xunit plugin's JUnit schema in the tests.

use super::{compact_line, locate_position, printable, repository_path};
use crate::base::finding::Finding;
use crate::engine::RunOutput;
use crate::input::RunError;
use crate::suppress::Suppressed;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// One test case, by reference: its text is made while it is written, so a run with
/// hundreds of thousands of findings is not held a second time as XML.
enum Case<'a> {
    Failure(&'a Finding),
    /// A suppressed finding, with `--show-suppressed`.
    Skipped(&'a Suppressed),
    /// A file that could not be read.
    Error(&'a RunError),
    /// The one case of a clean run.
    Passed,
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of<'c>(cases: impl IntoIterator<Item = &'c Case<'c>>) -> Counts {
        let mut counts = Counts::default();
        for case in cases {
            counts.tests += 1;
            match case {
                Case::Failure(_) => counts.failures += 1,
                Case::Skipped(_) => counts.skipped += 1,
                Case::Error(_) => counts.errors += 1,
                Case::Passed => {}
            }
        }
        counts
    }
}

pub(super) fn write(
    run: &RunOutput,
    show_suppressed: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // By path, so the suites come in path order whatever the kind of their cases.
    let mut suites: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    let path_of =
        |finding: &Finding| repository_path(run, run.sources.get(finding.primary.file).path());
    for finding in &run.findings {
        suites
            .entry(path_of(finding))
            .or_default()
            .push(Case::Failure(finding));
    }
    for suppressed in run.suppressed.iter().filter(|_| show_suppressed) {
        suites
            .entry(path_of(&suppressed.finding))
            .or_default()
            .push(Case::Skipped(suppressed));
    }
    for error in &run.errors {
        let path = repository_path(run, Path::new(&error.path));
        suites.entry(path).or_default().push(Case::Error(error));
    }
    if run.findings.is_empty() && run.errors.is_empty() {
        // CIs treat a report without a test as a broken report: a clean run is one passing
        // test, named the same in every run so that its history is one line.
        suites
            .entry("iamlint".to_string())
            .or_default()
            .push(Case::Passed);
    }
    let total = Counts::of(suites.values().flatten());
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"iamlint\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        total.tests, total.failures, total.errors
    )?;
    for (path, cases) in &suites {
        let path = escape_attribute(&printable(path));
        let counts = Counts::of(cases);
        writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" file=\"{path}\">",
            counts.tests, counts.failures, counts.errors, counts.skipped
        )?;
        for case in cases {
            write_case(run, case, out)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// The compact line, the help and the related locations: the text of a finding's case.
fn details(run: &RunOutput, finding: &Finding, location: &super::Location) -> String {
    let mut details = compact_line(finding, location);
    if let Some(help) = &finding.help {
        let _ = write!(details, "\nhelp: {}", printable(help));
    }
    for label in &finding.related {
        let related = locate_position(&run.sources, label.span);
        let path = repository_path(run, run.sources.get(label.span.file).path());
        let _ = write!(
            details,
            "\n{}:{}:{}: {}",
            printable(&path),
            related.start.line,
            related.start.column,
            printable(&label.message)
        );
    }
    details
}

fn write_case(run: &RunOutput, case: &Case, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    match case {
        Case::Failure(finding) => {
            let location = open_finding_case(run, finding, out)?;
            writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                finding.severity.as_str(),
                escape_attribute(&printable(&finding.message)),
                escape(&details(run, finding, &location))
            )?;
        }
        Case::Skipped(suppressed) => {
            let location = open_finding_case(run, &suppressed.finding, out)?;
            writeln!(
                out,
                "      <skipped message=\"suppressed: {}\">{}</skipped>",
                escape_attribute(&printable(&suppressed.reason)),
                escape(&details(run, &suppressed.finding, &location))
            )?;
        }
        Case::Error(error) => {
            let path = repository_path(run, Path::new(&error.path));
            let path = escape_attribute(&printable(&path));
            let message = escape_attribute(&printable(&error.message));
            writeln!(out, "    <testcase name=\"{path}\" classname=\"io-error\">")?;
            writeln!(
                out,
                "      <error type=\"io-error\" message=\"{message}\">{path}: {message}</error>"
            )?;
        }
        // The passing case of a clean run says what was checked.
        Case::Passed => {
            writeln!(
                out,
                "    <testcase name=\"no findings\" classname=\"iamlint\">"
            )?;
            writeln!(
                out,
                "      <system-out>{} files scanned, {} policy documents analyzed</system-out>",
                run.files_scanned, run.documents_analyzed
            )?;
        }
    }
    writeln!(out, "    </testcase>")
}

/// `<testcase>` of a finding: named `path:line:col` (unique in the file's suite), in the
/// class of its rule. Returns where the finding is.
fn open_finding_case(
    run: &RunOutput,
    finding: &Finding,
    out: &mut dyn std::io::Write,
) -> std::io::Result<super::Location> {
    // Without the span's text (`locate_position`): no fingerprint here.
    let location = super::Location {
        path: repository_path(run, run.sources.get(finding.primary.file).path()),
        ..locate_position(&run.sources, finding.primary)
    };
    writeln!(
        out,
        "    <testcase name=\"{}:{}:{}\" classname=\"{}\">",
        escape_attribute(&printable(&location.path)),
        location.start.line,
        location.start.column,
        finding.rule
    )?;
    Ok(location)
}

/// Text for XML 1.0 content. The text has been through `printable`, so the only control
/// left is the newline between the lines this format writes. XML 1.0 cannot hold U+FFFE and
/// U+FFFF even escaped (nor most C0 controls, which `printable` already wrote as `\u{..}`):
/// they are written the same visible way.
pub(super) fn escape(text: &str) -> String {
    escape_xml(text, false)
}

/// [`escape`] for an attribute value, where a parser would turn a raw newline into a space.
pub(super) fn escape_attribute(text: &str) -> String {
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
