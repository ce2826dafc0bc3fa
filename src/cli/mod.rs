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
use clap::{Args, Parser, Subcommand, ValueEnum};
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
    version,
    about = "Static analyzer and linter for AWS IAM policies in Terraform, CloudFormation and JSON"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories for policy problems.
    Check(CheckArgs),
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
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
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print every policy document found, as iamlint analyses it.
    Documents {
        #[command(flatten)]
        input: InputArgs,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print what each principal can reach through the access graph, and how.
    Paths {
        #[command(flatten)]
        input: InputArgs,
        #[arg(long, value_enum, default_value_t = paths::PathsFormat::Text)]
        format: paths::PathsFormat,
    },
    /// Write a commented default `iamlint.toml`.
    Init {
        /// Where to write it.
        #[arg(default_value = config::FILE_NAME)]
        path: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
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
    /// Record the findings of this run in a baseline file (the run then exits 0 unless a
    /// path could not be read).
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
        Command::Paths { input, format } => paths_command(input, format),
        Command::Init { path, force } => init(&path, force),
    }
}

/// The configuration a run uses: `--config`, none with `--no-config`, else the nearest
/// `iamlint.toml`.
fn load_config(input: &InputArgs) -> Result<Config, config::ConfigError> {
    if input.no_config {
        Ok(Config::none())
    } else if let Some(path) = &input.config {
        Config::load(path)
    } else {
        Config::discover(&input.paths, input.stdin_filename.as_deref())
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
    let config = match load_config(&args.input) {
        Ok(config) => config,
        Err(error) => {
            to_stderr!("error: {}", printable(&error.to_string()));
            return exit::ERROR;
        }
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
    let mut options = options(args.input, config, selection, false);
    options.no_suppressions = args.no_suppressions;
    options.skip_unrecognized = args.skip_unrecognized;
    let mut run = engine::run(&options);
    if let Some(path) = &args.write_baseline {
        let rendered = baseline::render(&run.sources, &run.findings);
        if let Err(error) = write_replacing(path, |out| out.write_all(rendered.as_bytes())) {
            to_stderr!(
                "error: cannot write the baseline {}: {error}",
                display_path(path)
            );
            return exit::ERROR;
        }
        to_stderr!(
            "wrote {} finding(s) to the baseline {}",
            run.findings.len(),
            display_path(path)
        );
    }
    if let Some(baseline) = &baseline {
        run.baselined = baseline.apply(&run.sources, &mut run.findings);
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
    if args.write_baseline.is_some() {
        return if run.errors.is_empty() {
            exit::OK
        } else {
            exit::ERROR
        };
    }
    exit_code(&run, gate)
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
            for rule in rules::all() {
                let meta = rule.meta();
                out.push_str(&format!(
                    "{:<39} {:<15} {:<3} {:<8} {}\n",
                    meta.id,
                    meta.group,
                    if meta.is_default() { "on" } else { "off" },
                    meta.severity.as_str(),
                    meta.summary
                ));
            }
            out.push_str(
                "\nGroups (on: checked by default; --select, --ignore and [rules] take group \
                 names, and `all`):\n",
            );
            for group in Group::ALL {
                out.push_str(&format!(
                    "  {:<15} {:<3} {}\n",
                    group,
                    if group.is_default() { "on" } else { "off" },
                    group.description()
                ));
            }
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
    let config = match load_config(&input) {
        Ok(config) => config,
        Err(error) => {
            to_stderr!("error: {}", printable(&error.to_string()));
            return exit::ERROR;
        }
    };
    let run = engine::run(&options(input, config, RuleSelection::default(), true));
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
