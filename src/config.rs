//! `iamlint.toml`: found by walking up from the scanned paths (or named with `--config`),
//! read strictly: an unknown key, rule id or value is an error with a did-you-mean.

use crate::base::finding::{Confidence, Severity};
use crate::base::rule_id::{Group, RuleId};
use crate::base::source::{SourceFile, display_path};
use crate::base::suggest::did_you_mean_hint;
use crate::base::text::printable;
use crate::base::unread::Unread;
use crate::catalog::{ActionSet, Catalog, has_wildcard};
use crate::input::{DEFAULT_MAX_FILE_SIZE, Roots, read_regular};
use crate::policy::well_formed_action;
use crate::rules::{
    self, Selector,
    settings::{CatalogSettings, ForbiddenList, Settings, TrustSettings},
};
use crate::suppress::ConfigIgnore;
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The name looked for in the scanned directory and its parents.
pub const FILE_NAME: &str = "iamlint.toml";

/// The severity at or above which findings fail the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Never fail because of findings (errors reading files still exit 2).
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }

    fn parse(text: &str) -> Option<FailOn> {
        Some(match text {
            "error" => FailOn::Error,
            "warning" => FailOn::Warning,
            "info" => FailOn::Info,
            "never" => FailOn::Never,
            _ => return None,
        })
    }
}

/// What the `[rules]` table says of one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleSetting {
    Off,
    /// On, at its default severity.
    On,
    Severity(Severity),
}

/// The configuration of one run. `Config::default()` is what applies without a file.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file it was read from, with its text (findings about `[[ignore]]` entries point
    /// into it).
    pub file: Option<(PathBuf, String)>,
    /// Absolute directory the file is in: `exclude` and `[[ignore]]` paths are relative to it.
    pub root: PathBuf,
    pub fail_on: Option<FailOn>,
    /// `iamlint diff` exits 1 when the head revision adds access (read from the base
    /// revision's file, so a change cannot turn its own gate off).
    pub fail_on_new_access: bool,
    /// Findings below this confidence never fail the run.
    pub min_confidence: Option<Confidence>,
    /// `[rules]`: each entry names a rule, a group or `all`.
    pub rules: BTreeMap<Selector, RuleSetting>,
    pub exclude: Vec<String>,
    exclude_set: GlobSet,
    /// What rules read: trust allow-lists and forbidden actions.
    pub settings: Settings,
    pub ignores: Vec<ConfigIgnore>,
    pub limits: Limits,
}

/// What one file may cost a run. The nesting depth and the YAML alias budget are fixed
/// (`crate::extract::yaml::Limits`, JSON 512 levels): they protect the stack, and no real
/// policy comes near them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this many bytes are not read (`--max-file-size` overrides it).
    pub max_file_size: u64,
    /// Policy documents checked in one file; the rest get one `limit-exceeded` finding.
    pub max_documents_per_file: usize,
    /// Findings the human format shows for one file before a "N more" line (0: all);
    /// `--max-findings-per-file` overrides it. Other formats always list every finding.
    pub max_findings_per_file: usize,
    /// Findings kept for one file (a Terraform module, with the files it reads) while it is
    /// checked, in every format; past it the most severe are kept and one
    /// `limit-exceeded` finding counts the rest.
    pub max_findings_kept_per_file: usize,
    /// Findings kept for the whole run, the same way.
    pub max_findings_kept_per_run: usize,
}

/// Large enough for any real policy file: the largest AWS managed policy is under 100 KiB,
/// and a generated 5 MB template holds about 11,000 documents. Findings: a real file has a
/// few dozen, the largest real repository seen 12,697 in all; 10,000 per file and 100,000 per
/// run keep the worst case to about 100 MB of findings (some 700 bytes each with the sort
/// and the report) while no real run is cut.
impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            max_documents_per_file: 50_000,
            max_findings_per_file: 50,
            max_findings_kept_per_file: 10_000,
            max_findings_kept_per_run: 100_000,
        }
    }
}

/// A configuration that cannot be used: where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    /// 1-based line and column, when the problem has a place in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = display_path(&self.path);
        match self.position {
            Some((line, column)) => write!(f, "{path}:{line}:{column}: {}", self.message),
            None => write!(f, "{path}: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Every problem of a configuration that cannot be used, in the order of the file: a user
/// fixes them in one go rather than one run per error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

impl From<ConfigError> for ConfigErrors {
    fn from(error: ConfigError) -> Self {
        ConfigErrors(vec![error])
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    fail_on: Option<Spanned<String>>,
    fail_on_new_access: Option<bool>,
    min_confidence: Option<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    trust: RawTrust,
    #[serde(default)]
    forbidden_actions: Vec<Spanned<RawForbidden>>,
    #[serde(default)]
    ignore: Vec<Spanned<RawIgnore>>,
    #[serde(default)]
    limits: RawLimits,
    #[serde(default)]
    catalog: RawCatalog,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCatalog {
    #[serde(default)]
    extra_actions: Vec<Spanned<String>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLimits {
    max_file_size: Option<Spanned<u64>>,
    max_documents_per_file: Option<Spanned<u64>>,
    max_findings_per_file: Option<u64>,
    max_findings_kept_per_file: Option<Spanned<u64>>,
    max_findings_kept_per_run: Option<Spanned<u64>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTrust {
    #[serde(default)]
    allowed_accounts: Vec<Spanned<String>>,
    #[serde(default)]
    allowed_oidc_subjects: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawForbidden {
    actions: Vec<Spanned<String>>,
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawIgnore {
    path: Spanned<String>,
    rule: Spanned<String>,
    sid: Option<String>,
    reason: Option<String>,
}

/// Every key of every table, for did-you-mean on unknown ones: the field names serde's derive
/// gives the `Raw*` structs above (after `rename_all`), so a new option is known here without
/// a second list. A new table needs its struct added to this list; `known_keys_are_the_options`
/// pins the set.
fn known_keys() -> impl Iterator<Item = &'static str> {
    [
        table_keys::<RawConfig>(),
        table_keys::<RawTrust>(),
        table_keys::<RawForbidden>(),
        table_keys::<RawIgnore>(),
        table_keys::<RawLimits>(),
        table_keys::<RawCatalog>(),
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// The keys of one table: a derived `Deserialize` hands its field names to
/// `deserialize_struct` before reading anything, and this deserializer keeps them and stops.
///
/// Written here rather than taken from `serde-aux` (whose `serde_introspect` is the same
/// trick): that crate also brings `serde-value` 0.7 and an old `ordered-float` for these few
/// lines.
fn table_keys<T: serde::de::DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{Error, Visitor, value::Error as Stop};

    struct FieldNames<'a>(&'a mut &'static [&'static str]);

    impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
        type Error = Stop;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Stop> {
            *self.0 = fields;
            Err(Stop::custom("only the field names were wanted"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    let mut fields: &'static [&'static str] = &[];
    // Always an error: the point is what was recorded before it.
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

impl Config {
    /// No configuration file: the defaults, relative to the working directory.
    pub fn none() -> Config {
        Config {
            root: std::path::absolute(".").unwrap_or_default(),
            ..Config::default()
        }
    }

    /// Finds the configuration for a run: the nearest `iamlint.toml` in the directory that
    /// holds all `paths` or one of its parents, stopping at the root of the repository (a
    /// directory with `.git`). Standard input (`-`) counts as `stdin_filename`, or the working
    /// directory.
    pub fn discover(
        paths: &[PathBuf],
        stdin_filename: Option<&str>,
    ) -> Result<Config, ConfigErrors> {
        let Some(path) = find_file(paths, stdin_filename) else {
            return Ok(Config::none());
        };
        // Found in the checked repository, which is untrusted: a symlink out of it is not
        // followed (its error message could show another file's lines).
        if let Err(unread) = Roots::new(std::slice::from_ref(&path), None).confine(&path) {
            return Err(unreadable(&path, &unread).into());
        }
        Config::load(&path)
    }

    /// Reads and checks one configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
        let bytes =
            read_regular(path, MAX_CONFIG_SIZE).map_err(|unread| unreadable(path, &unread))?;
        let text = String::from_utf8(bytes).map_err(|_| unreadable(path, &Unread::NotText))?;
        Config::parse(path, text)
    }

    /// Parses configuration text that was read from `path`: each table in turn, with every
    /// problem of the values reported. A file that is not TOML, or has a key that is not
    /// known or a value of the wrong type, cannot be read further: that one error is all.
    pub fn parse(path: &Path, text: String) -> Result<Config, ConfigErrors> {
        let source = SourceFile::new(path.to_path_buf(), text);
        let at = Locate {
            path,
            source: &source,
            errors: RefCell::default(),
        };
        let raw: RawConfig = toml::from_str(source.text())
            .map_err(|e| at.error(e.span(), explain_toml_error(e.message())))?;
        let fail_on = parse_choice(
            raw.fail_on,
            &at,
            "fail-on",
            FailOn::parse,
            "`error`, `warning`, `info` or `never`",
        );
        let min_confidence = parse_choice(
            raw.min_confidence,
            &at,
            "min-confidence",
            Confidence::parse,
            "`low`, `medium` or `high`",
        );
        let rules = parse_rules(raw.rules, &at);
        let (exclude, exclude_set) = parse_exclude(raw.exclude, &at);
        let trust = parse_trust(raw.trust, &at);
        let forbidden_actions = parse_forbidden_actions(raw.forbidden_actions, &at);
        let ignores = parse_ignores(raw.ignore, &at);
        let limits = parse_limits(&raw.limits, &at);
        let catalog = parse_catalog(raw.catalog, &at);
        let mut errors = at.errors.into_inner();
        if !errors.is_empty() {
            errors.sort_by_key(|error| error.position);
            return Err(ConfigErrors(errors));
        }
        Ok(Config {
            file: Some((path.to_path_buf(), source.text().to_string())),
            root: root_of(path),
            fail_on,
            fail_on_new_access: raw.fail_on_new_access.unwrap_or(false),
            min_confidence,
            rules,
            exclude,
            exclude_set,
            settings: Settings {
                trust,
                forbidden_actions,
                catalog,
            },
            ignores,
            limits,
        })
    }

    /// `path` relative to the configuration's directory, or `None` outside it.
    pub fn relative(&self, path: &Path) -> Option<PathBuf> {
        let absolute = std::path::absolute(path).ok()?;
        absolute
            .strip_prefix(&self.root)
            .ok()
            .map(Path::to_path_buf)
    }

    /// Whether `exclude` covers the path or one of its directories.
    pub fn is_excluded(&self, path: &Path) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let Some(relative) = self.relative(path) else {
            return false;
        };
        relative
            .ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .any(|a| self.exclude_set.is_match(a))
    }

    /// What `[rules]` says of a rule: its own entry, else its group's, else `all`'s.
    pub fn setting(&self, rule: RuleId) -> Option<RuleSetting> {
        let group = rules::rule(rule).meta().group;
        [Selector::Rule(rule), Selector::Group(group), Selector::All]
            .iter()
            .find_map(|selector| self.rules.get(selector).copied())
    }

    /// The severity a rule's findings get, after `[rules]`.
    pub fn severity(&self, rule: RuleId) -> Option<Severity> {
        match self.setting(rule) {
            Some(RuleSetting::Severity(severity)) => Some(severity),
            _ => None,
        }
    }
}

/// Turns a byte span of the file being parsed into the line and column of a `ConfigError`,
/// and collects the errors of the tables, which go on past one.
struct Locate<'a> {
    path: &'a Path,
    source: &'a SourceFile,
    errors: RefCell<Vec<ConfigError>>,
}

impl Locate<'_> {
    /// Records a problem; the value at fault is left out and parsing goes on.
    fn report(&self, span: Option<Range<usize>>, message: String) {
        let error = self.error(span, message);
        self.errors.borrow_mut().push(error);
    }

    fn error(&self, span: Option<Range<usize>>, message: String) -> ConfigError {
        let position = span.map(|span| {
            let at = self.source.line_col(span.start);
            (at.line, at.column)
        });
        ConfigError {
            path: self.path.to_path_buf(),
            position,
            message,
        }
    }
}

/// The absolute directory of the configuration file (`.` for a bare file name).
fn root_of(path: &Path) -> PathBuf {
    path.parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
        .unwrap_or_default()
}

/// A key whose value is one word of a fixed list (`fail-on`, `min-confidence`).
fn parse_choice<T>(
    raw: Option<Spanned<String>>,
    at: &Locate,
    key: &str,
    parse: fn(&str) -> Option<T>,
    expected: &str,
) -> Option<T> {
    let value = raw?;
    let parsed = parse(value.get_ref());
    if parsed.is_none() {
        at.report(
            Some(value.span()),
            format!("`{key}` is `{}`; expected {expected}", value.get_ref()),
        );
    }
    parsed
}

/// `[rules]`: rule ids, group names or `all` to `off`, `on` or a severity.
fn parse_rules(
    raw: BTreeMap<Spanned<String>, Spanned<String>>,
    at: &Locate,
) -> BTreeMap<Selector, RuleSetting> {
    let mut rules = BTreeMap::new();
    for (id, setting) in raw {
        let Some(selector) = Selector::parse(id.get_ref()) else {
            let hint = did_you_mean_hint(id.get_ref(), Selector::names());
            at.report(
                Some(id.span()),
                format!("unknown rule `{}` in [rules]{hint}", id.get_ref()),
            );
            continue;
        };
        let value = match setting.get_ref().as_str() {
            "off" => RuleSetting::Off,
            "on" => RuleSetting::On,
            "error" => RuleSetting::Severity(Severity::Error),
            "warning" => RuleSetting::Severity(Severity::Warning),
            "info" => RuleSetting::Severity(Severity::Info),
            other => {
                at.report(
                    Some(setting.span()),
                    format!(
                        "`{other}` for rule `{}`; expected `off`, `on`, `error`, `warning` or `info`",
                        id.get_ref()
                    ),
                );
                continue;
            }
        };
        rules.insert(selector, value);
    }
    rules
}

/// `exclude`: the patterns as written, and compiled.
fn parse_exclude(raw: Vec<Spanned<String>>, at: &Locate) -> (Vec<String>, GlobSet) {
    let mut excludes = GlobSetBuilder::new();
    let mut patterns = Vec::with_capacity(raw.len());
    for pattern in raw {
        match glob(pattern.get_ref()) {
            Ok(glob) => {
                excludes.add(glob);
                patterns.push(pattern.into_inner());
            }
            Err(e) => at.report(
                Some(pattern.span()),
                format!("invalid glob `{}` in `exclude`: {e}", pattern.get_ref()),
            ),
        }
    }
    let set = excludes.build().unwrap_or_else(|e| {
        at.report(None, format!("invalid `exclude`: {e}"));
        GlobSet::empty()
    });
    (patterns, set)
}

/// `[trust]`: allowed accounts (checked to be account ids) and OIDC subjects.
fn parse_trust(raw: RawTrust, at: &Locate) -> TrustSettings {
    let mut trust = TrustSettings::default();
    for account in raw.allowed_accounts {
        let id = account.get_ref();
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            at.report(
                Some(account.span()),
                format!("`{id}` in `allowed-accounts` is not a 12-digit AWS account id"),
            );
            continue;
        }
        trust.allowed_accounts.push(account.into_inner());
    }
    trust.allowed_oidc_subjects = raw.allowed_oidc_subjects;
    trust
}

/// `[[forbidden-actions]]`: each list's patterns, expanded against the action catalog.
fn parse_forbidden_actions(raw: Vec<Spanned<RawForbidden>>, at: &Locate) -> Vec<ForbiddenList> {
    let mut lists = Vec::with_capacity(raw.len());
    for list in raw {
        // Decoded only when a list needs it: a one-file pre-commit run pays for nothing else.
        let catalog = Catalog::get();
        let span = list.span();
        let list = list.into_inner();
        if list.actions.is_empty() {
            at.report(
                Some(span),
                "a `[[forbidden-actions]]` list has no `actions`".into(),
            );
            continue;
        }
        let mut set = ActionSet::new();
        for pattern in &list.actions {
            let expanded = catalog.expand(pattern.get_ref());
            if expanded.is_empty() {
                let explanation = catalog.explain_no_match(pattern.get_ref());
                at.report(
                    Some(pattern.span()),
                    format!("in `forbidden-actions`: {explanation}"),
                );
            }
            set.union_with(&expanded);
        }
        lists.push(ForbiddenList {
            actions: list.actions.into_iter().map(Spanned::into_inner).collect(),
            reason: list.reason,
            set,
        });
    }
    lists
}

/// `[catalog]`: each extra action must be one action, `service:Action` in the characters IAM
/// allows, without wildcards: a pattern would accept typos along with the new action.
fn parse_catalog(raw: RawCatalog, at: &Locate) -> CatalogSettings {
    let mut catalog = CatalogSettings::default();
    for action in raw.extra_actions {
        let name = action.get_ref();
        if !well_formed_action(name) || has_wildcard(name) {
            at.report(
                Some(action.span()),
                format!(
                    "`{}` in `extra-actions` is not an action: write `service:ActionName` \
                     without wildcards, e.g. `s3:NewAction`",
                    printable(name)
                ),
            );
            continue;
        }
        catalog.extra_actions.push(action.into_inner());
    }
    catalog
}

/// `[[ignore]]`: a known rule, a reason, and a path glob.
fn parse_ignores(raw: Vec<Spanned<RawIgnore>>, at: &Locate) -> Vec<ConfigIgnore> {
    let mut ignores = Vec::with_capacity(raw.len());
    for entry in raw {
        let span = entry.span();
        let entry = entry.into_inner();
        let rule = RuleId::from_name(entry.rule.get_ref());
        if rule.is_none() {
            let hint = did_you_mean_hint(entry.rule.get_ref(), RuleId::names());
            at.report(
                Some(entry.rule.span()),
                format!(
                    "unknown rule `{}` in [[ignore]]{hint}",
                    entry.rule.get_ref()
                ),
            );
        }
        let reason = entry.reason.unwrap_or_default().trim().to_string();
        if reason.is_empty() {
            at.report(
                Some(span.clone()),
                "an [[ignore]] entry needs a `reason`: say why the finding is accepted".into(),
            );
        }
        let matcher = glob(entry.path.get_ref())
            .inspect_err(|e| {
                at.report(
                    Some(entry.path.span()),
                    format!("invalid glob `{}`: {e}", entry.path.get_ref()),
                );
            })
            .ok();
        let (Some(rule), Some(matcher), false) = (rule, matcher, reason.is_empty()) else {
            continue;
        };
        let matcher = matcher.compile_matcher();
        ignores.push(ConfigIgnore {
            path: entry.path.into_inner(),
            matcher,
            rule,
            sid: entry.sid,
            reason,
            span,
        });
    }
    ignores
}

/// `[limits]`, over the defaults.
fn parse_limits(raw: &RawLimits, at: &Locate) -> Limits {
    // A zero is reported and the default kept, so that the other tables are still checked.
    let at_least_one = |value: &Spanned<u64>, key: &str, default: usize| {
        if *value.get_ref() == 0 {
            at.report(Some(value.span()), format!("`{key}` must be at least 1"));
            default
        } else {
            usize::try_from(*value.get_ref()).unwrap_or(usize::MAX)
        }
    };
    let mut limits = Limits::default();
    if let Some(size) = &raw.max_file_size {
        if *size.get_ref() == 0 {
            at.report(
                Some(size.span()),
                "`max-file-size` must be at least 1".into(),
            );
        } else {
            limits.max_file_size = *size.get_ref();
        }
    }
    if let Some(documents) = &raw.max_documents_per_file {
        limits.max_documents_per_file = at_least_one(
            documents,
            "max-documents-per-file",
            limits.max_documents_per_file,
        );
    }
    if let Some(findings) = raw.max_findings_per_file {
        limits.max_findings_per_file = usize::try_from(findings).unwrap_or(usize::MAX);
    }
    if let Some(findings) = &raw.max_findings_kept_per_file {
        limits.max_findings_kept_per_file = at_least_one(
            findings,
            "max-findings-kept-per-file",
            limits.max_findings_kept_per_file,
        );
    }
    if let Some(findings) = &raw.max_findings_kept_per_run {
        limits.max_findings_kept_per_run = at_least_one(
            findings,
            "max-findings-kept-per-run",
            limits.max_findings_kept_per_run,
        );
    }
    limits
}

/// IAM-free globs: `*` stays within a directory, `**` crosses them, as in `.gitignore`.
fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    // `dir/` means the directory, as in `.gitignore`; its files are excluded through it.
    let pattern = pattern.trim_start_matches("./");
    let pattern = if pattern.len() > 1 {
        pattern.trim_end_matches('/')
    } else {
        pattern
    };
    GlobBuilder::new(pattern).literal_separator(true).build()
}

/// serde's "unknown field `x`, expected one of ..." with a did-you-mean.
fn explain_toml_error(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((name, _)) = rest.split_once('`')
    {
        let hint = did_you_mean_hint(name, known_keys());
        return format!(
            "unknown key `{name}`{hint}; `iamlint init` writes every key with comments"
        );
    }
    message.to_string()
}

/// The nearest configuration file above the scanned paths.
/// A configuration file is a few kilobytes; reading one must not cost unbounded memory.
const MAX_CONFIG_SIZE: u64 = 1024 * 1024;

fn unreadable(path: &Path, unread: &Unread) -> ConfigError {
    let why = match unread {
        Unread::OutsideRoot { root } => format!("it leads outside the repository (`{root}`)"),
        Unread::InGitDirectory => "it is inside a `.git` directory".to_string(),
        Unread::NotRegular => "not a regular file".to_string(),
        Unread::TooLarge { size, limit } => {
            format!("{size} bytes, larger than the limit of {limit} bytes")
        }
        Unread::NotText => "not UTF-8 text".to_string(),
        Unread::Missing => std::io::ErrorKind::NotFound.to_string(),
        Unread::Failed(error) => error.clone(),
    };
    ConfigError {
        path: path.to_path_buf(),
        position: None,
        message: format!("cannot read the configuration: {why}"),
    }
}

fn find_file(paths: &[PathBuf], stdin_filename: Option<&str>) -> Option<PathBuf> {
    let cwd = std::path::absolute(".").ok()?;
    let mut common: Option<PathBuf> = None;
    for path in paths {
        let path = if path.as_os_str() == "-" {
            match stdin_filename {
                Some(name) => Path::new(name).to_path_buf(),
                None => cwd.join("-"),
            }
        } else {
            path.clone()
        };
        let absolute = std::path::absolute(&path).unwrap_or(path);
        let dir = if absolute.is_dir() {
            absolute
        } else {
            absolute.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        common = Some(match common {
            None => dir,
            Some(current) => common_ancestor(&current, &dir),
        });
    }
    let start = common.unwrap_or_else(|| cwd.clone());
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            // Shown relative to the working directory when it is below it.
            return Some(
                candidate
                    .strip_prefix(&cwd)
                    .map_or_else(|_| candidate.clone(), Path::to_path_buf),
            );
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

/// The commented default written by `iamlint init`: every key, with its default.
pub fn default_file() -> String {
    let mut out = String::from(
        "# iamlint configuration. iamlint uses the nearest iamlint.toml in the scanned directory\n\
         # or its parents (up to the repository root), or the file given with --config.\n\
         # Every key is optional; an unknown key is an error.\n\
         \n\
         # Exit with 1 when a finding is at or above this severity: error, warning, info, never.\n\
         # --fail-on overrides it.\n\
         # fail-on = \"warning\"\n\
         \n\
         # `iamlint diff` exits with 1 when the head revision adds access; read from the base\n\
         # revision's iamlint.toml, so a change cannot turn its own gate off.\n\
         # --fail-on-new-access turns it on too.\n\
         # fail-on-new-access = false\n\
         \n\
         # Findings below this confidence (low, medium, high) never fail the run; they are\n\
         # still reported. --min-confidence overrides it.\n\
         # min-confidence = \"medium\"\n\
         \n\
         # Paths not checked, relative to this file (`*` within a directory, `**` across them),\n\
         # even when named on the command line (pre-commit and editors name files).\n\
         # exclude = [\"vendor/**\", \"examples/\"]\n\
         \n\
         # Rules and groups of rules: \"off\", \"on\", or a severity (\"error\", \"warning\", \"info\")\n\
         # that turns them on and replaces their default. A rule's own entry wins over its\n\
         # group's, and a group's over `all`'s. --select and --ignore on the command line come\n\
         # on top (`--select all` runs every rule, `--ignore suggestions` a group less).\n\
         [rules]\n",
    );
    for group in Group::ALL {
        out.push_str(&format!(
            "\n# {}: {}.\n# {} = \"{}\"\n",
            group,
            group.description(),
            group,
            if group.is_default() { "on" } else { "off" }
        ));
        for rule in rules::all().filter(|rule| rule.meta().group == group) {
            let meta = rule.meta();
            out.push_str(&format!("# {} = \"{}\"\n", meta.id, meta.severity.as_str()));
        }
    }
    out.push_str(
        "\n\
         # Who roles may trust without a finding from the trust rules.\n\
         [trust]\n\
         # 12-digit account ids of other accounts that may assume roles defined here, or\n\
         # get object access in bucket policies here (s3-cross-account-object-access).\n\
         # allowed-accounts = [\"123456789012\"]\n\
         # OIDC subjects (`token.actions.githubusercontent.com:sub` and the like) that may\n\
         # assume roles; `*` and `?` are wildcards.\n\
         # allowed-oidc-subjects = [\"repo:my-org/my-repo:ref:refs/heads/main\"]\n\
         \n\
         # Actions no Allow statement may grant, checked by the `forbidden-action` rule.\n\
         # Patterns expand against the action catalog (`iamlint actions 'kms:Delete*'`).\n\
         # [[forbidden-actions]]\n\
         # actions = [\"iam:CreateAccessKey\", \"kms:ScheduleKeyDeletion\"]\n\
         # reason = \"long-lived keys and key deletion go through the platform team\"\n\
         \n\
         # Suppress a rule's findings in files matching `path` (the way to suppress in raw JSON,\n\
         # which has no comments), optionally only in the statement with this `Sid`.\n\
         # A reason is required; unused entries are reported by `unused-suppression`.\n\
         # [[ignore]]\n\
         # path = \"policies/break-glass.json\"\n\
         # rule = \"admin-access\"\n\
         # sid = \"BreakGlass\"\n\
         # reason = \"emergency access, reviewed quarterly\"\n\
         \n\
         # What one file may cost a run.\n\
         [limits]\n\
         # Files larger than this many bytes are skipped (--max-file-size overrides it).\n\
         # max-file-size = 16777216\n\
         # Policy documents checked in one file; the rest are reported by `limit-exceeded`.\n\
         # max-documents-per-file = 50000\n\
         # Findings the human format shows per file before a \"N more\" line; 0 shows all\n\
         # (--max-findings-per-file overrides it; other formats list every finding).\n\
         # max-findings-per-file = 50\n\
         # Findings kept per file and per run, in every format; past them the most severe\n\
         # are kept and `limit-exceeded` counts the rest.\n\
         # max-findings-kept-per-file = 10000\n\
         # max-findings-kept-per-run = 100000\n\
         \n\
         # Actions AWS added after the catalog built into this iamlint (`iamlint --version`\n\
         # shows its date): accepted by unknown-action and unknown-service until a release\n\
         # knows them. One `service:ActionName` each, no wildcards.\n\
         [catalog]\n\
         # extra-actions = [\"bedrock:NewAction\"]\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigErrors> {
        Config::parse(Path::new("iamlint.toml"), text.to_string())
    }

    fn error_of(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn the_default_file_parses_and_names_every_rule() {
        let text = default_file();
        let config = parse(&text).unwrap();
        assert!(config.rules.is_empty() && config.ignores.is_empty());
        for id in RuleId::names() {
            assert!(text.contains(&format!("# {id} = ")), "{id} missing");
        }
        // Uncommented, every example is valid too.
        let uncommented: String = text
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") || rest.starts_with("[[") => rest,
                _ => line,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let config = parse(&uncommented).unwrap();
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        assert_eq!(config.ignores.len(), 1);
        assert_eq!(config.settings.forbidden_actions.len(), 1);
        assert_eq!(config.settings.trust.allowed_accounts, ["123456789012"]);
    }

    #[test]
    fn known_keys_are_the_options() {
        let mut keys: Vec<&str> = known_keys().collect();
        keys.sort_unstable();
        keys.dedup();
        // The 17 keys of the hand-written list this replaced; a new option adds itself to
        // `known_keys()` and must be added here, and to `default_file()` (next test).
        let mut expected = vec![
            "fail-on",
            "fail-on-new-access",
            "min-confidence",
            "exclude",
            "rules",
            "trust",
            "forbidden-actions",
            "ignore",
            "allowed-accounts",
            "allowed-oidc-subjects",
            "actions",
            "reason",
            "path",
            "rule",
            "sid",
            "limits",
            "max-file-size",
            "max-documents-per-file",
            "max-findings-per-file",
            "max-findings-kept-per-file",
            "max-findings-kept-per-run",
            "catalog",
            "extra-actions",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected);
    }

    /// The keys `default_file()` shows under each table header (`""` before the first one),
    /// commented out or not.
    fn default_file_sections() -> BTreeMap<String, Vec<String>> {
        let mut sections = BTreeMap::<String, Vec<String>>::new();
        let mut table = String::new();
        sections.insert(table.clone(), Vec::new());
        for line in default_file().lines() {
            let line = line.strip_prefix("# ").unwrap_or(line);
            if let Some(header) = line.strip_prefix('[') {
                table = header.trim_matches(['[', ']']).to_string();
                sections.entry(table.clone()).or_default();
            } else if let Some((key, _)) = line.split_once(" = ")
                && !key.contains(' ')
            {
                sections.get_mut(&table).unwrap().push(key.to_string());
            }
        }
        sections
    }

    #[test]
    fn the_default_file_shows_every_key_in_its_table() {
        let sections = default_file_sections();
        let set = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let sorted = |mut keys: Vec<String>| {
            keys.sort_unstable();
            keys
        };
        // Top level: the plain keys, then one header per table.
        let top: Vec<String> = sections[""]
            .iter()
            .cloned()
            .chain(sections.keys().filter(|k| !k.is_empty()).cloned())
            .collect();
        assert_eq!(sorted(top), sorted(set(table_keys::<RawConfig>())));
        for (table, keys) in [
            ("trust", table_keys::<RawTrust>()),
            ("forbidden-actions", table_keys::<RawForbidden>()),
            ("ignore", table_keys::<RawIgnore>()),
            ("limits", table_keys::<RawLimits>()),
        ] {
            assert_eq!(
                sorted(sections[table].clone()),
                sorted(set(keys)),
                "[{table}]"
            );
        }
        // Every key of the generated list is there, as `key = ` or as a table header.
        let text = default_file();
        for key in known_keys() {
            assert!(
                text.contains(&format!("{key} = "))
                    || text.contains(&format!("[{key}]"))
                    || text.contains(&format!("[[{key}]]")),
                "`{key}` missing from default_file()"
            );
        }
    }

    #[test]
    fn unknown_keys_in_every_table_get_the_same_hint() {
        for (text, expected) in [
            (
                "fial-on = 1\n",
                "1:1: unknown key `fial-on` (did you mean `fail-on`?)",
            ),
            (
                "[trust]\nallowed-acounts = []\n",
                "2:1: unknown key `allowed-acounts` (did you mean `allowed-accounts`?)",
            ),
            (
                "[limits]\nmax-file-sise = 1\n",
                "2:1: unknown key `max-file-sise` (did you mean `max-file-size`?)",
            ),
            (
                "[[ignore]]\npath = \"a\"\nrule = \"admin-access\"\nreson = \"x\"\n",
                "unknown key `reson` (did you mean `reason`?)",
            ),
            (
                "[[forbidden-actions]]\naction = []\n",
                "unknown key `action` (did you mean `actions`?)",
            ),
            (
                "limit = 1\n",
                "1:1: unknown key `limit` (did you mean `limits`?)",
            ),
            (
                "[trust]\nsids = 1\n",
                "2:1: unknown key `sids` (did you mean `sid`?)",
            ),
            (
                "zzzzzzzz = 1\n",
                "1:1: unknown key `zzzzzzzz`; `iamlint init`",
            ),
        ] {
            let message = error_of(text);
            assert!(message.contains(expected), "{text:?}: {message}");
        }
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion() {
        assert_eq!(
            error_of("fial-on = \"error\"\n"),
            "iamlint.toml:1:1: unknown key `fial-on` (did you mean `fail-on`?); `iamlint init` writes every key with comments"
        );
        assert!(error_of("[trust]\nallowed-account = []\n").contains(
            "iamlint.toml:2:1: unknown key `allowed-account` (did you mean `allowed-accounts`?)"
        ),);
        assert_eq!(
            error_of("[rules]\npassrole-unscopd = \"off\"\n"),
            "iamlint.toml:2:1: unknown rule `passrole-unscopd` in [rules] (did you mean `passrole-unscoped`?)"
        );
        assert!(
            error_of("[rules]\nadmin-access = \"of\"\n").starts_with("iamlint.toml:2:16: `of`")
        );
        assert!(error_of("fail-on = \"sometimes\"\n").contains("expected `error`"));
        assert!(error_of("[trust]\nallowed-accounts = [\"12345\"]\n").contains("12-digit"));
        assert!(
            error_of("[[forbidden-actions]]\nactions = [\"iam:CreatAccessKey\"]\n")
                .contains("did you mean")
        );
        assert!(
            error_of("[[ignore]]\npath = \"a.json\"\nrule = \"admin-access\"\n")
                .contains("needs a `reason`")
        );
        assert!(error_of("exclude = 3\n").starts_with("iamlint.toml:1:11:"));
        assert_eq!(
            error_of("[catalog]\nextra-actions = [\"s3:New*\", \"NewAction\", \"s3:Fine\"]\n"),
            "iamlint.toml:2:18: `s3:New*` in `extra-actions` is not an action: write \
             `service:ActionName` without wildcards, e.g. `s3:NewAction`\n\
             iamlint.toml:2:29: `NewAction` in `extra-actions` is not an action: write \
             `service:ActionName` without wildcards, e.g. `s3:NewAction`"
        );
    }

    #[test]
    fn rules_take_groups_and_all_with_the_most_specific_entry_winning() {
        let config = parse(
            "[rules]\nall = \"on\"\nleast-privilege = \"error\"\nwildcard-resource = \"off\"\n",
        )
        .unwrap();
        assert_eq!(
            config.setting(RuleId::WildcardResource),
            Some(RuleSetting::Off)
        );
        assert_eq!(
            config.setting(RuleId::WriteWithoutConstraints),
            Some(RuleSetting::Severity(Severity::Error))
        );
        assert_eq!(
            config.severity(RuleId::DataExfiltration),
            Some(Severity::Error)
        );
        assert_eq!(
            config.setting(RuleId::RedundantAction),
            Some(RuleSetting::On)
        );
        assert_eq!(Config::none().setting(RuleId::AdminAccess), None);
        assert_eq!(
            error_of("[rules]\nleast-privlege = \"on\"\n"),
            "iamlint.toml:2:1: unknown rule `least-privlege` in [rules] (did you mean `least-privilege`?)"
        );
    }

    #[test]
    fn settings_excludes_and_severities() {
        let config = parse(
            "exclude = [\"vendor\", \"**/*.generated.json\"]\n\
             [rules]\nmissing-version = \"off\"\nadmin-access = \"warning\"\n\
             [trust]\nallowed-oidc-subjects = [\"repo:org/*:ref:refs/heads/main\"]\n",
        )
        .unwrap();
        assert_eq!(
            config.setting(RuleId::MissingVersion),
            Some(RuleSetting::Off)
        );
        assert_eq!(
            config.severity(RuleId::AdminAccess),
            Some(Severity::Warning)
        );
        assert!(config.is_excluded(Path::new("vendor/a/b.json")));
        assert!(config.is_excluded(Path::new("x/y.generated.json")));
        assert!(!config.is_excluded(Path::new("policies/vendor.json")));
        let directory = parse("exclude = [\"./examples/\"]\n").unwrap();
        assert!(directory.is_excluded(Path::new("examples/a.json")));
        assert!(!directory.is_excluded(Path::new("src/examples.json")));
        let trust = &config.settings.trust;
        assert!(trust.is_allowed_oidc_subject("repo:org/app:ref:refs/heads/main"));
        assert!(!trust.is_allowed_oidc_subject("repo:org/app:pull_request"));
    }
}
