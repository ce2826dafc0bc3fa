//! What one run checks and how: the paths, the rules selected, the configuration, limits.

use crate::base::rule_id::RuleId;
use crate::config::{Config, RuleSetting};
use crate::input::DEFAULT_MAX_FILE_SIZE;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    /// The name standard input is reported under when a path is `-`.
    pub stdin_filename: Option<String>,
    pub jobs: Option<usize>,
    pub rules: RuleSelection,
    pub max_file_size: u64,
    /// Keep every document in the output (for `iamlint documents`).
    pub keep_documents: bool,
    /// `iamlint.toml`, or the defaults.
    pub config: Arc<Config>,
    /// Ignore every suppression (and report nothing about them).
    pub no_suppressions: bool,
    /// Treat files named on the command line like files found by walking: those that hold
    /// no policy are skipped quietly (what a pre-commit hook or an editor on save wants).
    /// They are still named: a Terraform file's module is read with it.
    pub skip_unrecognized: bool,
    /// The directory files named by the checked code must resolve inside (`--root`); by
    /// default the repository root of each checked path.
    pub root: Option<PathBuf>,
}

impl CheckOptions {
    /// Whether an `[[ignore]]` entry names a `Sid`, so statements' ids must be collected.
    pub(super) fn needs_statement_sids(&self) -> bool {
        !self.no_suppressions && self.config.ignores.iter().any(|i| i.sid.is_some())
    }

    /// Whether a rule runs: `--select` and `--ignore` first, then `[rules]` of the
    /// configuration (a rule named by `--select` runs even when the configuration turns it
    /// off).
    pub fn rule_enabled(&self, id: RuleId) -> bool {
        self.rules.is_enabled(id.as_str())
            && (self.rules.select.iter().any(|s| s == id.as_str())
                || self.config.rules.get(&id) != Some(&RuleSetting::Off))
    }
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            paths: vec![PathBuf::from(".")],
            stdin_filename: None,
            jobs: None,
            rules: RuleSelection::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            keep_documents: false,
            config: Arc::default(),
            no_suppressions: false,
            skip_unrecognized: false,
            root: None,
        }
    }
}

/// Which rules run: `--select` narrows to a list, `--ignore` removes from it.
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl RuleSelection {
    pub fn is_enabled(&self, id: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s == id))
            && !self.ignore.iter().any(|s| s == id)
    }

    /// Names that are not rule ids, so a typo in `--select` does not silently check nothing.
    pub fn unknown_rules(&self) -> Vec<String> {
        self.select
            .iter()
            .chain(&self.ignore)
            .filter(|id| RuleId::from_name(id).is_none())
            .cloned()
            .collect()
    }
}
