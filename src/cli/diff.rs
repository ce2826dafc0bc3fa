//! `iamlint diff BASE [HEAD]`: both revisions read from git's objects (nothing is checked
//! out), or two files on disk (two plan JSON files), each run through the pipeline, and what
//! HEAD adds or removes reported per principal (`crate::diff`).

use super::exit;
use crate::base::text::printable;
use crate::config::Config;
use crate::diff::{self, Diff};
use crate::engine::{self, CheckOptions, RuleSelection, RunOutput, Snapshot};
use crate::report::diff::{DiffFormat, short};
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The revision compared against: a commit, branch or tag (a pull request's base); or a
    /// file (a plan JSON file), compared with the file HEAD names.
    pub base: String,
    /// The revision whose changes are reported [default: HEAD, the commit checked out; the
    /// working tree's uncommitted changes are not read, see --worktree].
    #[arg(default_value = "HEAD", conflicts_with = "worktree")]
    pub head: String,
    /// Compare BASE with the working tree as `check` reads it (uncommitted and untracked
    /// files too, `.gitignore` honoured for untracked ones) instead of a commit.
    #[arg(long)]
    pub worktree: bool,
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with 1 when HEAD adds access (new actions or resources, a condition removed, a
    /// new escalation path, trust or exposure) [default: `fail-on-new-access` of BASE's
    /// iamlint.toml, else off].
    #[arg(long)]
    pub fail_on_new_access: bool,
    /// The git repository (any directory inside it).
    #[arg(long, short = 'C', value_name = "DIR", default_value = ".")]
    pub repository: PathBuf,
    /// Number of threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Files larger than this many bytes are not read [default: `max-file-size` of BASE's
    /// configuration, else 16 MiB].
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_file_size: Option<u64>,
}

pub fn run(args: DiffArgs) -> i32 {
    match compare(&args) {
        Ok((diff, gate)) => {
            let mut text = Vec::new();
            if let Err(error) = crate::report::diff::write(args.format, &diff, &mut text) {
                to_stderr!("error: cannot write the report: {error}");
                return exit::ERROR;
            }
            let written = match &args.output {
                Some(path) => {
                    super::write_replacing(path, |out| out.write_all(&text)).map(|()| exit::OK)
                }
                None => Ok(super::print_or_pipe(&String::from_utf8_lossy(&text))),
            };
            if let Err(error) = written {
                to_stderr!(
                    "error: cannot write the report: {}",
                    printable(&error.to_string())
                );
                return exit::ERROR;
            }
            for error in &diff.errors {
                to_stderr!("error: {}", printable(error));
            }
            if !diff.errors.is_empty() {
                exit::ERROR
            } else if (args.fail_on_new_access || gate) && diff.adds_access() {
                exit::FINDINGS
            } else {
                exit::OK
            }
        }
        Err(error) => {
            to_stderr!("error: {}", printable(&error));
            exit::ERROR
        }
    }
}

/// The comparison, and whether BASE's configuration makes new access fail the run.
fn compare(args: &DiffArgs) -> Result<(Diff, bool), String> {
    let (base_file, head_file) = (Path::new(&args.base), Path::new(&args.head));
    if !args.worktree && base_file.is_file() && head_file.is_file() {
        return compare_files(args, base_file, head_file);
    }
    let repository = engine::repository_of(&args.repository).map_err(|e| e.to_string())?;
    // BASE's configuration applies to both revisions: a change that adds an `exclude`, raises
    // a limit or switches the gate off must not hide the access it adds.
    let (base, config) = revision(args, &repository, &args.base)?;
    let gate = config.fail_on_new_access;
    let base_commit = base.commit.clone();
    let base_run = analyse(args, config.clone(), Some(base), Vec::new());
    let (head_commit, head_run) = if args.worktree {
        // The working tree is read as `check` reads the repository from its root, so that
        // its paths are the revisions' (relative to the root).
        std::env::set_current_dir(&repository)
            .map_err(|e| format!("cannot enter {}: {e}", repository.display()))?;
        let mut config = config;
        config.root = std::path::absolute(".").unwrap_or_default();
        (
            "working tree".to_string(),
            analyse(args, config, None, vec![PathBuf::from(".")]),
        )
    } else {
        let head = snapshot(args, &repository, &args.head, &[])?;
        let commit = head.commit.clone();
        (commit, analyse(args, config, Some(head), Vec::new()))
    };
    let mut errors = Vec::new();
    for (commit, run) in [(&base_commit, &base_run), (&head_commit, &head_run)] {
        errors.extend(
            run.errors
                .iter()
                .map(|e| format!("{} ({}): {}", e.path, short(commit), e.message)),
        );
    }
    Ok((
        Diff {
            changes: diff::compare(&base_run, &head_run, None),
            base: base_commit,
            head: head_commit,
            errors,
        },
        gate,
    ))
}

/// Two files on disk compared (two plan JSON files, two templates, two policies): the base
/// file's principals are read as the head file's, and the configuration is the one `check`
/// would find for the head file.
fn compare_files(args: &DiffArgs, base: &Path, head: &Path) -> Result<(Diff, bool), String> {
    let paths = [base.to_path_buf(), head.to_path_buf()];
    let config = Config::discover(&paths[1..], None).map_err(|errors| errors.to_string())?;
    let gate = config.fail_on_new_access;
    let base_run = analyse(args, config.clone(), None, paths[..1].to_vec());
    let head_run = analyse(args, config, None, paths[1..].to_vec());
    let errors = [&base_run, &head_run]
        .iter()
        .flat_map(|run| run.errors.iter())
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect();
    // The runs name the files as given, normalised; the rename compares the two as one file.
    let (from, to) = (crate::input::normalize(base), crate::input::normalize(head));
    Ok((
        Diff {
            changes: diff::compare(&base_run, &head_run, Some((&from, &to))),
            base: base.display().to_string(),
            head: head.display().to_string(),
            errors,
        },
        gate,
    ))
}

/// A revision's candidate files, and the `also` files.
fn snapshot(
    args: &DiffArgs,
    repository: &Path,
    name: &str,
    also: &[&Path],
) -> Result<Snapshot, String> {
    let limit = args
        .max_file_size
        .unwrap_or(crate::input::DEFAULT_MAX_FILE_SIZE);
    Snapshot::read(repository, name, limit, also).map_err(|e| e.to_string())
}

/// BASE's files and its configuration (its `exclude`, limits and gate apply to both
/// revisions).
fn revision(args: &DiffArgs, repository: &Path, name: &str) -> Result<(Snapshot, Config), String> {
    let config_file = Path::new(crate::config::FILE_NAME);
    let snapshot = snapshot(args, repository, name, &[config_file])?;
    let mut config = match snapshot.text(config_file) {
        Some(text) => Config::parse(Path::new(crate::config::FILE_NAME), text)
            .map_err(|errors| format!("{name}: {errors}"))?,
        None => Config::none(),
    };
    // The revision's paths are relative to the repository root, where its iamlint.toml is;
    // `exclude` resolves them from the working directory.
    config.root = std::path::absolute(".").unwrap_or_default();
    Ok((snapshot, config))
}

/// One revision through the pipeline: a snapshot, or the `paths` on disk.
fn analyse(
    args: &DiffArgs,
    config: Config,
    snapshot: Option<Snapshot>,
    paths: Vec<PathBuf>,
) -> RunOutput {
    let max_file_size = args.max_file_size.unwrap_or(config.limits.max_file_size);
    let snapshot = snapshot.map(|s| Arc::new(s.with_limit(max_file_size)));
    engine::run(&CheckOptions {
        paths,
        jobs: args.jobs,
        // No rule runs: only the documents and the inputs' principals are wanted.
        rules: RuleSelection {
            select: Vec::new(),
            ignore: vec!["all".into()],
        },
        max_file_size,
        keep_documents: true,
        keep_inputs: true,
        config: Arc::new(config),
        no_suppressions: true,
        snapshot,
        ..CheckOptions::default()
    })
}
