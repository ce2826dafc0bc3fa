//! `path:line:col: severity[rule-id] message`, one finding per line, for editors and grep.

use super::{compact_line, locate};
use crate::engine::RunOutput;

pub fn write(run: &RunOutput, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    for finding in &run.findings {
        let location = locate(&run.sources, finding.primary);
        writeln!(out, "{}", compact_line(finding, &location))?;
    }
    for error in &run.errors {
        writeln!(out, "{}:1:1: error[io-error] {}", error.path, error.message)?;
    }
    Ok(())
}
