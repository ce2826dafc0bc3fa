//! `path:line:col: severity[rule-id] message`, one finding per line, for editors and grep.

use super::{compact_line, locate_position, printable};
use crate::engine::RunOutput;

pub(super) fn write(
    run: &RunOutput,
    show_suppressed: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for finding in &run.findings {
        let location = locate_position(&run.sources, finding.primary);
        writeln!(out, "{}", compact_line(finding, &location))?;
    }
    if show_suppressed {
        // `suppressed` in place of the severity, so editors and grep tell them apart.
        for suppressed in &run.suppressed {
            let finding = &suppressed.finding;
            let location = locate_position(&run.sources, finding.primary);
            writeln!(
                out,
                "{}:{}:{}: suppressed[{}] {} (reason: {})",
                printable(&location.path),
                location.start.line,
                location.start.column,
                finding.rule,
                printable(&finding.message),
                printable(&suppressed.reason)
            )?;
        }
    }
    for error in &run.errors {
        writeln!(
            out,
            "{}:1:1: error[io-error] {}",
            printable(&error.path),
            printable(&error.message)
        )?;
    }
    Ok(())
}
