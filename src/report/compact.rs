//! `path:line:col: severity[rule-id] message`, one finding per line, for editors and grep.

use super::{display_path, locate_position, printable, write_compact_line};
use crate::base::source::FileId;
use crate::engine::RunOutput;

pub(super) fn write(
    run: &RunOutput,
    show_suppressed: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // Findings come sorted by file: each file's path is made printable once, for the run of
    // its findings, and only where each finding starts is located.
    let mut file: Option<(FileId, String)> = None;
    let mut line = String::new();
    for finding in &run.findings {
        let span = finding.primary;
        let source = run.sources.get(span.file);
        let path = match &mut file {
            Some((id, path)) if *id == span.file => path,
            _ => {
                let path = printable(&display_path(source.path())).into_owned();
                &file.insert((span.file, path)).1
            }
        };
        line.clear();
        let _ = write_compact_line(
            &mut line,
            finding,
            path,
            source.line_col(span.start as usize),
        );
        line.push('\n');
        out.write_all(line.as_bytes())?;
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
