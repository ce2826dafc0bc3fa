//! GitHub Actions workflow commands, which become annotations on the pull request.

use super::{locate_position, printable};
use crate::base::finding::Severity;
use crate::engine::RunOutput;

pub(super) fn write(run: &RunOutput, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for finding in &run.findings {
        let location = locate_position(&run.sources, finding.primary);
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // The runner decodes `%0A` into a newline of the annotation, which is harmless, but
        // passes other controls (ESC) to whatever shows the log: only the newline before the
        // help is this format's own.
        let mut message = printable(&finding.message).into_owned();
        if let Some(help) = &finding.help {
            message.push_str("\nhelp: ");
            message.push_str(&printable(help));
        }
        writeln!(
            out,
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            escape_property(&printable(&location.path)),
            location.start.line,
            location.end.line,
            location.start.column,
            location.end.column,
            escape_property(&format!("iamlint {}", finding.rule)),
            escape_data(&message)
        )?;
    }
    for error in &run.errors {
        writeln!(
            out,
            "::error file={},title=iamlint::{}",
            escape_property(&printable(&error.path)),
            escape_data(&printable(&error.message))
        )?;
    }
    Ok(())
}

/// Workflow command escaping, as the Actions runner decodes it.
pub(super) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub(super) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
