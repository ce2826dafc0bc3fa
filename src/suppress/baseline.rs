//! Baselines: the findings of a run recorded by fingerprint (SARIF's `partialFingerprints`
//! value before its `:n`), so that later runs report only new ones.

use crate::base::finding::{Finding, fingerprint};
use crate::base::source::{SourceMap, display_path, locate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// Bumped if the file's meaning changes. The fingerprints are those SARIF called
/// `iamlint/v1` and now writes in `iamlint/v2` with an occurrence: they must not change.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    /// Rule, path and message are for the reader of a diff; only the fingerprint is matched.
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    rule: String,
    fingerprint: String,
    message: String,
}

/// Fingerprints of accepted findings, with how many findings share each.
#[derive(Debug, Default)]
pub(crate) struct Baseline {
    counts: HashMap<String, usize>,
}

/// The findings of a run as a baseline file, sorted so that it diffs well.
pub(crate) fn render(sources: &SourceMap, findings: &[Finding]) -> String {
    let mut findings: Vec<Entry> = findings
        .iter()
        .map(|finding| {
            let location = locate(sources, finding.primary);
            Entry {
                fingerprint: fingerprint(finding, &location),
                rule: finding.rule.to_string(),
                message: finding.message.clone(),
                path: location.path,
            }
        })
        .collect();
    findings.sort();
    let file = BaselineFile {
        version: VERSION,
        findings,
    };
    serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
}

impl Baseline {
    pub(crate) fn load(path: &Path) -> Result<Baseline, String> {
        let shown = display_path(path);
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the baseline {shown}: {e}"))?;
        let file: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| format!("{shown} is not an iamlint baseline: {e}"))?;
        if file.version != VERSION {
            return Err(format!(
                "{shown} is a baseline of version {}; this iamlint reads version {VERSION}",
                file.version
            ));
        }
        let mut counts = HashMap::new();
        for entry in file.findings {
            *counts.entry(entry.fingerprint).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// Removes the findings the baseline accepts (each entry accepts one finding) and
    /// returns how many.
    pub(crate) fn apply(&self, sources: &SourceMap, findings: &mut Vec<Finding>) -> usize {
        let mut remaining = self.counts.clone();
        let before = findings.len();
        findings.retain(|finding| {
            let location = locate(sources, finding.primary);
            match remaining.get_mut(&fingerprint(finding, &location)) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    false
                }
                _ => true,
            }
        });
        before - findings.len()
    }
}
