//! What one run checks and how: the paths, the rules selected, the configuration, limits.

use crate::base::rule_id::RuleId;
use crate::config::{Config, RuleSetting};
use crate::input::DEFAULT_MAX_FILE_SIZE;
use crate::input::git_tree::Snapshot;
use crate::rules::{self, Selector};
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
    /// Keep each input's attached documents and inventory (`RunOutput::inputs`), for
    /// `iamlint paths`.
    pub keep_inputs: bool,
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
    /// Files the run itself reads or writes (the baseline): never checked when a walk finds
    /// them, so they are not counted as scanned.
    pub not_inputs: Vec<PathBuf>,
    /// Check this revision of a git repository (`iamlint diff`) instead of `paths`: its
    /// candidate files, read from git's objects, under paths relative to the repository root.
    pub snapshot: Option<Arc<Snapshot>>,
}

impl CheckOptions {
    /// Whether an `[[ignore]]` entry names a `Sid`, so statements' ids must be collected.
    pub(super) fn needs_statement_sids(&self) -> bool {
        !self.no_suppressions && self.config.ignores.iter().any(|i| i.sid.is_some())
    }

    /// Whether a rule runs. `--ignore` (a rule, its group or `all`) turns it off. Without
    /// `--select`, `[rules]` decides (the rule's entry, else its group's, else `all`'s),
    /// else whether its group is on by default. With `--select`, only what it names runs,
    /// less what `[rules]` turns off, unless `--select` names the rule itself.
    pub fn rule_enabled(&self, id: RuleId) -> bool {
        if self.rules.ignores(id) {
            return false;
        }
        let setting = self.config.setting(id);
        if self.rules.select.is_empty() {
            return match setting {
                Some(RuleSetting::Off) => false,
                Some(RuleSetting::On | RuleSetting::Severity(_)) => true,
                None => rules::rule(id).meta().is_default(),
            };
        }
        self.rules.names(id) || (self.rules.selects(id) && setting != Some(RuleSetting::Off))
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
            keep_inputs: false,
            config: Arc::default(),
            no_suppressions: false,
            skip_unrecognized: false,
            root: None,
            not_inputs: Vec::new(),
            snapshot: None,
        }
    }
}

/// Which rules run: `--select` replaces the default set with the rules and groups it
/// names (`all` for every rule), `--ignore` removes from it.
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl RuleSelection {
    /// Whether `--select` names the rule, its group or `all`.
    fn selects(&self, id: RuleId) -> bool {
        matches_any(&self.select, id)
    }

    /// Whether `--select` names the rule itself.
    fn names(&self, id: RuleId) -> bool {
        self.select.iter().any(|name| name == id.as_str())
    }

    /// Whether `--ignore` names the rule, its group or `all`.
    fn ignores(&self, id: RuleId) -> bool {
        matches_any(&self.ignore, id)
    }

    /// Names that are neither rules, groups nor `all`, so a typo in `--select` does not
    /// silently check nothing.
    pub fn unknown_rules(&self) -> Vec<String> {
        self.select
            .iter()
            .chain(&self.ignore)
            .filter(|name| Selector::parse(name).is_none())
            .cloned()
            .collect()
    }
}

fn matches_any(names: &[String], id: RuleId) -> bool {
    names
        .iter()
        .filter_map(|name| Selector::parse(name))
        .any(|selector| selector.matches(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn options(select: &[&str], ignore: &[&str], config: &str) -> CheckOptions {
        let names = |list: &[&str]| list.iter().map(|name| name.to_string()).collect();
        CheckOptions {
            rules: RuleSelection {
                select: names(select),
                ignore: names(ignore),
            },
            config: Arc::new(Config::parse(Path::new("iamlint.toml"), config.into()).unwrap()),
            ..CheckOptions::default()
        }
    }

    fn enabled(options: &CheckOptions) -> Vec<RuleId> {
        RuleId::ALL
            .iter()
            .copied()
            .filter(|&id| options.rule_enabled(id))
            .collect()
    }

    #[test]
    fn a_default_run_checks_the_default_groups() {
        let default = options(&[], &[], "");
        assert!(default.rule_enabled(RuleId::AdminAccess));
        assert!(default.rule_enabled(RuleId::MalformedPolicy));
        assert!(!default.rule_enabled(RuleId::WildcardResource));
        assert!(!default.rule_enabled(RuleId::RedundantAction));
        for id in enabled(&default) {
            assert!(rules::rule(id).meta().is_default(), "{id}");
        }
    }

    #[test]
    fn select_and_ignore_take_groups_and_all() {
        let least = options(&["least-privilege"], &[], "");
        assert!(least.rule_enabled(RuleId::WildcardResource));
        assert!(!least.rule_enabled(RuleId::AdminAccess));
        let all = options(&["all"], &["suggestions"], "");
        assert_eq!(
            enabled(&all).len(),
            RuleId::ALL.len()
                - RuleId::ALL
                    .iter()
                    .filter(
                        |&&id| Selector::Group(crate::base::rule_id::Group::Suggestions)
                            .matches(id)
                    )
                    .count()
        );
        assert!(!all.rule_enabled(RuleId::RedundantAction));
        assert!(enabled(&options(&["all"], &["all"], "")).is_empty());
        assert_eq!(
            RuleSelection {
                select: vec!["least-privilege".into(), "al".into()],
                ignore: vec!["suggestion".into()],
            }
            .unknown_rules(),
            ["al", "suggestion"]
        );
    }

    #[test]
    fn the_configuration_turns_groups_on_and_select_names_win_over_it() {
        let on = options(
            &[],
            &[],
            "[rules]\nleast-privilege = \"on\"\nwildcard-resource = \"off\"\n",
        );
        assert!(on.rule_enabled(RuleId::WriteWithoutConstraints));
        assert!(!on.rule_enabled(RuleId::WildcardResource));
        assert!(on.rule_enabled(RuleId::AdminAccess));
        let severity = options(&[], &[], "[rules]\nredundant-action = \"warning\"\n");
        assert!(severity.rule_enabled(RuleId::RedundantAction));
        let off = "[rules]\nwildcard-resource = \"off\"\n";
        assert!(!options(&["all"], &[], off).rule_enabled(RuleId::WildcardResource));
        assert!(options(&["wildcard-resource"], &[], off).rule_enabled(RuleId::WildcardResource));
    }
}
