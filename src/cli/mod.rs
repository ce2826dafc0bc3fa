//! Command-line interface: the commands, their options, and exit codes.

use crate::base::finding::{Confidence, Finding};
use crate::base::rule_id::{Group, RuleId};
use crate::base::suggest::did_you_mean_hint;
use crate::base::text::printable;
use crate::config::{self, Config};
use crate::engine::{self, CheckOptions, RuleSelection, RunOutput};
use crate::report::{self, Format, HumanOptions, display_path, locate};
use crate::rules;
use crate::suppress::baseline::{self, Baseline};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

pub use crate::config::FailOn;

/// `eprintln!` that cannot panic: when standard error is a closed pipe, the message is lost
/// but the run still ends with the exit code its findings call for.
macro_rules! to_stderr {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod actions;
mod diff;
mod managed_policy;
mod output;
mod paths;

use output::write_replacing;

/// Exit codes, as documented in README.md.
pub mod exit {
    pub const OK: i32 = 0;
    pub const FINDINGS: i32 = 1;
    pub const ERROR: i32 = 2;
}

#[derive(Debug, Parser)]
#[command(
    name = "iamlint",
    version = long_version(),
    about = "Static analyzer and linter for AWS IAM policies in Terraform, CloudFormation and JSON"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The command line of this process, parsed.
    ///
    /// `iamlint check ...`, what a hook or CI job runs on every commit, is parsed with a
    /// command that knows only `check`: building every subcommand's arguments cost a run on
    /// one small file 12 to 24 of its 260 to 390 page faults, and 71 k instructions. The
    /// arguments of `check` are the same in both, so what parses gives the same `Cli`;
    /// anything else (help, a mistake) is parsed again with the whole command, which says
    /// what it says for every command.
    pub fn from_command_line() -> Self {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        if args.get(1).is_some_and(|first| first == "check")
            && let Some(cli) = Self::parse_check(&args)
        {
            return cli;
        }
        Self::parse_from(args)
    }

    /// `args` parsed as `iamlint check ...` by a command that has only `check`, or `None`
    /// when that command rejects them.
    fn parse_check(args: &[std::ffi::OsString]) -> Option<Self> {
        use clap::FromArgMatches;
        let matches = Self::command_of_check_alone()
            .try_get_matches_from(args)
            .ok()?;
        Self::from_arg_matches(&matches).ok()
    }

    fn command_of_check_alone() -> clap::Command {
        clap::Command::new("iamlint")
            .subcommand_required(true)
            .subcommand(CheckArgs::augment_args(clap::Command::new("check")))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories for policy problems.
    Check(CheckArgs),
    /// List every rule.
    Rules {
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print a rule's documentation.
    Explain {
        /// The rule id, e.g. `passrole-unscoped`.
        rule: String,
    },
    /// Expand action patterns and show what they grant: access levels, resource types with
    /// ARN formats, condition keys.
    Actions {
        /// Patterns such as `s3:Get*`, `*:Describe*` or `iam:PassRole`.
        #[arg(required = true)]
        patterns: Vec<String>,
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print an AWS managed policy as iamlint embeds it: its document, version and date.
    ManagedPolicy {
        /// The policy's name or ARN, e.g. `AdministratorAccess` or
        /// `arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`.
        policy: String,
        #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print every policy document found, as iamlint analyses it.
    Documents {
        #[command(flatten)]
        input: InputArgs,
        #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print what each principal can reach through the access graph, and how.
    Paths {
        #[command(flatten)]
        input: InputArgs,
        #[arg(short, long, value_enum, default_value_t = paths::PathsFormat::Text)]
        format: paths::PathsFormat,
    },
    /// Report the access a change adds, per principal: `iamlint diff BASE [HEAD]` compares
    /// two git revisions (read from git, nothing is checked out), or two files (two plan
    /// JSON files), on effective permissions.
    Diff(diff::DiffArgs),
    /// Write a commented default `iamlint.toml`.
    Init {
        /// Where to write it.
        #[arg(default_value = config::FILE_NAME)]
        path: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script, e.g. `iamlint completions bash >
    /// ~/.local/share/bash-completion/completions/iamlint`.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), e.g. `iamlint man > ~/.local/share/man/man1/iamlint.1`.
    Man,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files and directories to check; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// The file name to report standard input under.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Number of threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Files larger than this many bytes are not read [default: `max-file-size` of the
    /// configuration's `[limits]`, else 16 MiB].
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_file_size: Option<u64>,
    /// Use this configuration file instead of looking for `iamlint.toml`.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Files the checked code names (`file()`, module `source`, symlinks) are read only
    /// inside this directory [default: the git top level of each path (the nearest
    /// directory above it holding `.git`), else the path itself].
    #[arg(long, value_name = "DIR", value_parser = existing_directory)]
    pub root: Option<PathBuf>,
    /// Exit 0 when the directories given hold no file to check, instead of warning and
    /// exiting 2 (a mistyped CI path must not pass silently).
    #[arg(long)]
    pub allow_empty: bool,
}

/// `--root` must name a directory: a typo must not confine reads to nothing, or to `/`.
fn existing_directory(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    if path.is_dir() {
        Ok(path)
    } else {
        Err(format!("`{text}` is not a directory"))
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this severity [default: `fail-on` of the
    /// configuration, else warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Findings below this confidence never fail the run, whatever their severity; they are
    /// still reported [default: `min-confidence` of the configuration, else medium].
    #[arg(long, value_name = "low|medium|high", value_parser = confidence_level)]
    pub min_confidence: Option<Confidence>,
    /// Run only these rules or groups, `all` for every rule, instead of the default groups
    /// (correctness, security); comma-separated or repeated. `iamlint rules` lists them.
    #[arg(long, value_delimiter = ',', value_name = "RULE|GROUP")]
    pub select: Vec<String>,
    /// Do not run these rules or groups (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "RULE|GROUP")]
    pub ignore: Vec<String>,
    /// Print only the summary line (human format).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Findings the human format shows per file before a "N more" line; 0 shows all
    /// [default: `max-findings-per-file` of the configuration's `[limits]`, else 50].
    #[arg(long, value_name = "N")]
    pub max_findings_per_file: Option<usize>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Also list the findings that suppressions kept out, with their reasons.
    #[arg(long)]
    pub show_suppressed: bool,
    /// Ignore every suppression comment, `Metadata` entry and `[[ignore]]` entry.
    #[arg(long)]
    pub no_suppressions: bool,
    /// Skip named files that hold no policy (package.json, Kubernetes YAML) quietly, as when
    /// walking a directory, instead of reporting them: for pre-commit hooks and editors.
    #[arg(long)]
    pub skip_unrecognized: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the findings of this run in a baseline file instead of reporting them (the run
    /// then exits 0 unless a path could not be read).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
}

pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { format } => list_rules(format),
        Command::Explain { rule } => explain(&rule),
        Command::Documents { input, format } => documents(input, format),
        Command::Actions { patterns, format } => actions(&patterns, format),
        Command::ManagedPolicy { policy, format } => managed_policy(&policy, format),
        Command::Paths { input, format } => paths_command(input, format),
        Command::Diff(args) => diff::run(args),
        Command::Init { path, force } => init(&path, force),
        Command::Completions { shell } => completions(shell),
        Command::Man => man_page(),
    }
}

/// What `--version` prints after the name: the release and the dates of the data it embeds,
/// which say how far behind AWS a finding about an unknown action may be. Embedded data with
/// a date of its own adds an entry to `data`.
pub fn long_version() -> &'static str {
    // build.rs reads the dates of the embedded AWS catalog and managed-policy data.
    concat!(
        env!("CARGO_PKG_VERSION"),
        " (",
        env!("IAMLINT_DATA_DATES"),
        ")"
    )
}

fn completions(shell: clap_complete::Shell) -> i32 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "iamlint", &mut script);
    print_or_pipe(&String::from_utf8_lossy(&script))
}

fn man_page() -> i32 {
    let mut page = Vec::new();
    if let Err(error) = clap_mangen::Man::new(Cli::command()).render(&mut page) {
        to_stderr!("error: cannot render the manual page: {error}");
        return exit::ERROR;
    }
    print_or_pipe(&String::from_utf8_lossy(&page))
}

/// The configuration a run uses: `--config`, none with `--no-config`, else the nearest
/// `iamlint.toml`.
fn load_config(input: &InputArgs) -> Result<Config, config::ConfigErrors> {
    if input.no_config {
        Ok(Config::none())
    } else if let Some(path) = &input.config {
        Config::load(path)
    } else {
        Config::discover(&input.paths, input.stdin_filename.as_deref())
    }
}

/// The run's configuration, or `None` when it cannot be used: then every one of its errors
/// has been printed.
fn config_or_report(input: &InputArgs) -> Option<Config> {
    match load_config(input) {
        Ok(config) => Some(config),
        Err(errors) => {
            for error in &errors.0 {
                to_stderr!("error: {}", printable(&error.to_string()));
            }
            None
        }
    }
}

fn options(
    input: InputArgs,
    config: Config,
    rules: RuleSelection,
    keep_documents: bool,
) -> CheckOptions {
    CheckOptions {
        paths: input.paths,
        stdin_filename: input.stdin_filename,
        jobs: input.jobs,
        rules,
        max_file_size: input.max_file_size.unwrap_or(config.limits.max_file_size),
        keep_documents,
        keep_inputs: false,
        config: Arc::new(config),
        no_suppressions: false,
        skip_unrecognized: false,
        root: input.root,
        not_inputs: Vec::new(),
        snapshot: None,
    }
}

fn check(args: CheckArgs) -> i32 {
    let selection = RuleSelection {
        select: args.select,
        ignore: args.ignore,
    };
    let unknown = selection.unknown_rules();
    if !unknown.is_empty() {
        for id in unknown {
            let hint = did_you_mean_hint(&id, rules::Selector::names());
            to_stderr!("error: unknown rule or group `{id}`{hint}; `iamlint rules` lists them");
        }
        return exit::ERROR;
    }
    let Some(config) = config_or_report(&args.input) else {
        return exit::ERROR;
    };
    let baseline = match &args.baseline {
        Some(path) => match Baseline::load(path) {
            Ok(baseline) => Some(baseline),
            Err(error) => {
                to_stderr!("error: {}", printable(&error.to_string()));
                return exit::ERROR;
            }
        },
        None => None,
    };
    let gate = Gate {
        fail_on: args.fail_on.or(config.fail_on).unwrap_or(FailOn::Warning),
        min_confidence: args
            .min_confidence
            .or(config.min_confidence)
            .unwrap_or(Confidence::Medium),
    };
    let allow_empty = args.input.allow_empty;
    let mut options = options(args.input, config, selection, false);
    options.no_suppressions = args.no_suppressions;
    options.skip_unrecognized = args.skip_unrecognized;
    // The baseline is the run's own file, not code to check, wherever it sits.
    options.not_inputs = [&args.baseline, &args.write_baseline]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    // Not dropped: the process exits after the report, and freeing each file's text and
    // each finding one by one only delays that, on one thread.
    let mut run = std::mem::ManuallyDrop::new(engine::run(&options));
    if !allow_empty && nothing_to_check(&run, &options.paths) {
        return exit::ERROR;
    }
    if options.stdin_filename.is_none() {
        hint_terraform_on_stdin(&run);
    }
    if let Some(path) = &args.write_baseline {
        // The report is not printed: the findings are in the baseline, and a run that
        // records them is not one that judges them.
        let rendered = baseline::render(&run.sources, &run.findings);
        if let Err(error) = write_replacing(path, |out| out.write_all(rendered.as_bytes())) {
            to_stderr!(
                "error: cannot write the baseline {}: {error}",
                display_path(path)
            );
            return exit::ERROR;
        }
        to_stderr!(
            "wrote {} finding(s) to the baseline {} ({})",
            run.findings.len(),
            display_path(path),
            scanned(&run)
        );
        for error in &run.errors {
            to_stderr!(
                "error: {}: {}",
                printable(&error.path),
                printable(&error.message)
            );
        }
        return if run.errors.is_empty() {
            exit::OK
        } else {
            exit::ERROR
        };
    }
    if let Some(baseline) = &baseline {
        let output = &mut *run;
        output.baselined = baseline.apply(&output.sources, &mut output.findings);
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let human = HumanOptions {
        color,
        quiet: args.quiet,
        width: None,
        show_suppressed: args.show_suppressed,
        max_findings_per_file: args
            .max_findings_per_file
            .unwrap_or(options.config.limits.max_findings_per_file),
    };
    let written = match &args.output {
        Some(path) => write_replacing(path, |out| report::write(args.format, &run, &human, out)),
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            report::write(args.format, &run, &human, &mut out).and_then(|()| out.flush())
        }
    };
    if let Err(error) = written {
        // `iamlint check . | head` closes the pipe early: what was not printed still counts,
        // or a `pipefail` gate would pass on findings it never showed.
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            return exit_code(&run, gate);
        }
        to_stderr!("error: cannot write the report: {error}");
        return exit::ERROR;
    }
    if args.output.is_some() && args.format != Format::Human {
        to_stderr!("{}", report::summary_line(&run));
    }
    exit_code(&run, gate)
}

/// Whether the paths given held no file to check, which is then reported: a mistyped CI
/// path (`infra/` for `infrastructure/`), an `exclude` that covers everything, or a directory
/// of files iamlint does not read must not pass as a clean run. Only directories can be
/// empty this way: a file named on the command line, or standard input, is a file checked
/// even when it holds no policy, and a path that does not exist is already an error.
fn nothing_to_check(run: &RunOutput, paths: &[PathBuf]) -> bool {
    let named_a_file = paths
        .iter()
        .any(|path| path.as_os_str() == "-" || path.is_file());
    if run.files_found > 0 || !run.errors.is_empty() || named_a_file {
        return false;
    }
    let named: Vec<String> = paths
        .iter()
        .map(|path| format!("`{}`", printable(&display_path(path))))
        .collect();
    to_stderr!(
        "warning: no file to check in {}: iamlint reads *.tf, *.json, *.yaml, *.yml, \
         *.template and *.tpl files (is the path right? does `exclude` in iamlint.toml cover \
         everything?); --allow-empty makes this run pass",
        named.join(", ")
    );
    true
}

/// Standard input without `--stdin-filename` is read as JSON or YAML: Terraform piped in
/// is a `parse-error` at its first word. Say how to have it read as HCL.
fn hint_terraform_on_stdin(run: &RunOutput) {
    let looks_like_terraform = run.findings.iter().any(|finding| {
        if finding.rule != RuleId::ParseError {
            return false;
        }
        let source = run.sources.get(finding.primary.file);
        source.path() == std::path::Path::new("<stdin>") && starts_like_hcl(source.text())
    });
    if looks_like_terraform {
        to_stderr!(
            "hint: standard input is read as JSON or YAML; for Terraform, name it: \
             `--stdin-filename main.tf`"
        );
    }
}

/// Whether the first word of `text` opens a Terraform block (`resource "aws_iam_role"`,
/// `data`, `module`, ...).
fn starts_like_hcl(text: &str) -> bool {
    const BLOCKS: [&str; 9] = [
        "resource",
        "data",
        "module",
        "locals",
        "variable",
        "provider",
        "terraform",
        "output",
        "import",
    ];
    let first_word = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with(['#', '/']))
        .and_then(|line| line.split([' ', '{', '"']).next())
        .unwrap_or_default();
    BLOCKS.contains(&first_word)
}

/// "3 files scanned", for messages about a run.
fn scanned(run: &RunOutput) -> String {
    format!(
        "{} file{} scanned",
        run.files_scanned,
        if run.files_scanned == 1 { "" } else { "s" }
    )
}

fn init(path: &std::path::Path, force: bool) -> i32 {
    if std::fs::symlink_metadata(path).is_ok() && !force {
        to_stderr!(
            "error: {} already exists (use --force to replace it)",
            display_path(path)
        );
        return exit::ERROR;
    }
    match write_replacing(path, |out| out.write_all(config::default_file().as_bytes())) {
        Ok(()) => {
            to_stderr!("wrote {}", display_path(path));
            exit::OK
        }
        Err(error) => {
            to_stderr!("error: cannot write {}: {error}", display_path(path));
            exit::ERROR
        }
    }
}

/// What makes findings fail a run: their severity, and a confidence floor so that a finding
/// the rule itself is unsure of never fails a build by default.
#[derive(Clone, Copy)]
struct Gate {
    fail_on: FailOn,
    min_confidence: Confidence,
}

fn confidence_level(text: &str) -> Result<Confidence, String> {
    Confidence::parse(text).ok_or_else(|| format!("`{text}` is not low, medium or high"))
}

fn exit_code(run: &RunOutput, gate: Gate) -> i32 {
    let fails = |finding: &Finding| {
        gate.fail_on.fails(finding.severity) && finding.confidence >= gate.min_confidence
    };
    if !run.errors.is_empty() {
        exit::ERROR
    } else if run.findings.iter().any(fails) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

fn list_rules(format: ListFormat) -> i32 {
    let mut out = String::new();
    match format {
        ListFormat::Text => {
            let on_off = |on: bool| if on { "on" } else { "off" };
            let rows: Vec<[String; 5]> = rules::all()
                .map(|rule| {
                    let meta = rule.meta();
                    [
                        meta.id.to_string(),
                        meta.group.to_string(),
                        on_off(meta.is_default()).to_string(),
                        meta.severity.as_str().to_string(),
                        meta.summary.to_string(),
                    ]
                })
                .collect();
            out.push_str(&aligned(
                ["RULE", "GROUP", "DEFAULT", "SEVERITY", "SUMMARY"],
                &rows,
                "",
            ));
            out.push_str(
                "\nGroups (on: checked by default; --select, --ignore and [rules] take group \
                 names, and `all`):\n",
            );
            let groups: Vec<[String; 3]> = Group::ALL
                .iter()
                .map(|group| {
                    [
                        group.to_string(),
                        on_off(group.is_default()).to_string(),
                        group.description().to_string(),
                    ]
                })
                .collect();
            out.push_str(&aligned(["GROUP", "DEFAULT", "DESCRIPTION"], &groups, "  "));
        }
        ListFormat::Json => {
            let list: Vec<_> = rules::all()
                .map(|rule| {
                    let meta = rule.meta();
                    serde_json::json!({
                        "id": meta.id,
                        "group": meta.group,
                        "default": meta.is_default(),
                        "category": meta.category,
                        "severity": meta.severity,
                        "confidence": meta.confidence,
                        "summary": meta.summary,
                        "url": meta.url(),
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&list).unwrap_or_default() + "\n";
        }
    }
    print_or_pipe(&out)
}

/// A table under a header, each column as wide as its widest cell (counted in characters) and
/// the last one left as it is, every line starting with `indent`.
fn aligned<const N: usize>(header: [&str; N], rows: &[[String; N]], indent: &str) -> String {
    let mut widths = header.map(|cell| cell.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header = header.map(str::to_string);
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = indent.to_string();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn explain(id: &str) -> i32 {
    match rules::find(id) {
        Some(rule) => print_or_pipe(&rules::reference_page(rule.meta())),
        None => {
            let hint = did_you_mean_hint(id, RuleId::names());
            to_stderr!("error: unknown rule `{id}`{hint}; `iamlint rules` lists them");
            exit::ERROR
        }
    }
}

fn paths_command(input: InputArgs, format: paths::PathsFormat) -> i32 {
    let config = match load_config(&input) {
        Ok(config) => config,
        Err(error) => {
            to_stderr!("error: {}", printable(&error.to_string()));
            return exit::ERROR;
        }
    };
    let run = engine::run(&paths::options(options(
        input,
        config,
        RuleSelection::default(),
        true,
    )));
    let code = print_or_pipe(&paths::render(&run, format));
    for error in &run.errors {
        to_stderr!(
            "error: {}: {}",
            printable(&error.path),
            printable(&error.message)
        );
    }
    if run.errors.is_empty() {
        code
    } else {
        exit::ERROR
    }
}

fn documents(input: InputArgs, format: ListFormat) -> i32 {
    let Some(config) = config_or_report(&input) else {
        return exit::ERROR;
    };
    let allow_empty = input.allow_empty;
    let options = options(input, config, RuleSelection::default(), true);
    let run = engine::run(&options);
    if !allow_empty && nothing_to_check(&run, &options.paths) {
        return exit::ERROR;
    }
    let entries: Vec<serde_json::Value> = run
        .documents
        .iter()
        .map(|document| {
            let location = locate(&run.sources, document.value.span);
            // The kind the rules saw: for raw JSON, what the content implies.
            let mut kind = serde_json::json!(crate::policy::parse(document).kind);
            if let Some(object) = kind.as_object_mut() {
                object.retain(|_, v| v.as_str().is_none_or(|s| !s.is_empty()));
            }
            serde_json::json!({
                "path": location.path,
                "line": location.start.line,
                "column": location.start.column,
                "origin": document.origin.label().unwrap_or_else(|| {
                    display_path(run.sources.get(document.origin.file).path())
                }),
                "origin_notes": document.origin.notes,
                "kind": kind,
                "attachments": document.attachments,
                "policy": document.value.to_json(),
            })
        })
        .collect();
    let mut out = String::new();
    match format {
        ListFormat::Json => {
            out = serde_json::to_string_pretty(&entries).unwrap_or_default() + "\n";
        }
        ListFormat::Text => {
            for entry in &entries {
                out.push_str(&format!(
                    "# {}:{}:{} {} ({})\n",
                    entry["path"].as_str().unwrap_or_default(),
                    entry["line"],
                    entry["column"],
                    entry["origin"].as_str().unwrap_or_default(),
                    entry["kind"]["kind"].as_str().unwrap_or_default(),
                ));
                for attachment in entry["attachments"].as_array().into_iter().flatten() {
                    out.push_str(&format!(
                        "#   attached to {} {}\n",
                        attachment["principal_kind"].as_str().unwrap_or_default(),
                        attachment["principal"].as_str().unwrap_or_default()
                    ));
                }
                out.push_str(&serde_json::to_string_pretty(&entry["policy"]).unwrap_or_default());
                out.push_str("\n\n");
            }
        }
    }
    let code = print_or_pipe(&out);
    for error in &run.errors {
        to_stderr!(
            "error: {}: {}",
            printable(&error.path),
            printable(&error.message)
        );
    }
    if run.errors.is_empty() {
        code
    } else {
        exit::ERROR
    }
}

fn actions(patterns: &[String], format: ListFormat) -> i32 {
    let expansions = actions::expand(patterns);
    let text = match format {
        ListFormat::Text => actions::to_text(&expansions),
        ListFormat::Json => {
            serde_json::to_string_pretty(&actions::to_json(&expansions)).unwrap_or_default() + "\n"
        }
    };
    let code = print_or_pipe(&text);
    if expansions.iter().any(|e| e.actions.is_empty()) {
        exit::FINDINGS
    } else {
        code
    }
}

fn managed_policy(written: &str, format: ListFormat) -> i32 {
    let policy = match managed_policy::find(written) {
        Ok(policy) => policy,
        Err(message) => {
            to_stderr!("error: {}", printable(&message));
            return exit::ERROR;
        }
    };
    let text = match format {
        ListFormat::Text => managed_policy::to_text(policy),
        ListFormat::Json => {
            serde_json::to_string_pretty(&managed_policy::to_json(policy)).unwrap_or_default()
                + "\n"
        }
    };
    print_or_pipe(&text)
}

/// Prints, treating a closed pipe (`| head`) as success.
fn print_or_pipe(text: &str) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => exit::OK,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(error) => {
            to_stderr!("error: {error}");
            exit::ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    /// The command of `check` alone defines each argument of `check` as the whole command
    /// does, after the whole command's own settings are applied to it.
    #[test]
    fn the_command_of_check_alone_has_the_arguments_of_check() {
        let mut whole = Cli::command();
        whole.build();
        let mut alone = Cli::command_of_check_alone();
        alone.build();
        let arguments = |command: &clap::Command| -> Vec<String> {
            let check = command
                .find_subcommand("check")
                .expect("a check subcommand");
            check
                .get_arguments()
                .map(|arg| format!("{arg:?}"))
                .collect()
        };
        assert_eq!(arguments(&alone), arguments(&whole));
    }

    /// What the command of `check` alone accepts parses to what the whole command parses it
    /// to; what it rejects (help, mistakes) is left to the whole command.
    #[test]
    fn check_parses_the_same_with_the_command_of_check_alone() {
        let lines = [
            "iamlint check",
            "iamlint check . --format json -j 2",
            "iamlint check a.tf b.json -f sarif -o out.sarif --fail-on never -q",
            "iamlint check --select errors,passrole-unscoped --ignore x --min-confidence high",
            "iamlint check --baseline b.json --max-findings-per-file 3 --color never",
            "iamlint check --stdin-filename main.tf --max-file-size 10 --no-config -",
            "iamlint check --show-suppressed --no-suppressions --skip-unrecognized --allow-empty",
            "iamlint check -- --format",
            "iamlint check --help",
            "iamlint check -h",
            "iamlint check --version",
            "iamlint check --frmat json",
            "iamlint check --format nonsense",
            "iamlint check --baseline a --write-baseline b",
            "iamlint check --config c --no-config",
            "iamlint check --max-file-size 0",
            "iamlint check --root /nonexistent-directory",
        ];
        for line in lines {
            let args: Vec<OsString> = line.split(' ').map(OsString::from).collect();
            let whole = Cli::try_parse_from(&args).map(|cli| format!("{cli:?}"));
            match Cli::parse_check(&args) {
                Some(cli) => assert_eq!(
                    format!("{cli:?}"),
                    whole.unwrap_or_else(|error| panic!("{line}: {error}")),
                    "{line}"
                ),
                None => assert!(whole.is_err(), "{line}: rejected by `check` alone only"),
            }
        }
    }
}
