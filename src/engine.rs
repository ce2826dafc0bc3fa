//! The check pipeline: discover files, extract documents, parse policies, run rules, and
//! collect findings in an order that does not depend on the thread count.

use crate::config::{Config, RuleSetting, Settings};
use crate::document::PolicyDocument;
use crate::extract::{Extraction, cloudformation, raw_policy};
use crate::finding::Finding;
use crate::policy;
use crate::rules::{self, Context, RULES, Rule};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::suppress::{self, Suppressed, Suppression};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Files larger than this are not read unless the user raises the limit: no real policy,
/// template or module comes close, and reading one must not cost unbounded memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Bytes sniffed for a NUL to tell binary files from text.
const BINARY_SNIFF_LEN: usize = 8192;

/// Directories never worth walking into, even when not ignored by `.gitignore`.
const SKIPPED_DIRECTORIES: &[&str] = &[".git", ".terraform", "node_modules"];

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
    pub skip_unrecognized: bool,
}

impl CheckOptions {
    /// Whether a rule runs: `--select` and `--ignore` first, then `[rules]` of the
    /// configuration (a rule named by `--select` runs even when the configuration turns it
    /// off).
    pub fn rule_enabled(&self, id: &str) -> bool {
        self.rules.is_enabled(id)
            && (self.rules.select.iter().any(|s| s == id)
                || self.config.rules.get(id) != Some(&RuleSetting::Off))
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
            .filter(|id| rules::find(id).is_none())
            .cloned()
            .collect()
    }
}

/// A file iamlint could not read at all: reported, and the exit code says so.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RunError {
    pub path: String,
    pub message: String,
}

/// A file found while walking that was passed over, with why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct RunOutput {
    pub sources: SourceMap,
    /// Sorted by path, offset and rule id.
    pub findings: Vec<Finding>,
    /// Findings kept out by a suppression, in the same order.
    pub suppressed: Vec<Suppressed>,
    /// How many findings the baseline accepted (set by the caller that applies one).
    pub baselined: usize,
    pub documents: Vec<PolicyDocument>,
    pub errors: Vec<RunError>,
    pub skipped: Vec<Skipped>,
    pub files_scanned: usize,
    pub documents_analyzed: usize,
}

/// One thing to read: a file on disk, or standard input under a name.
#[derive(Clone, Debug)]
enum Input {
    File { path: PathBuf, explicit: bool },
    Stdin { name: PathBuf },
}

/// What processing one input produced, merged in input order afterwards.
#[derive(Default)]
struct FileResult {
    findings: Vec<Finding>,
    suppressions: Vec<Suppression>,
    /// Statement ids and spans, for `[[ignore]]` entries that name a `Sid`.
    sids: Vec<(String, Span)>,
    documents: Vec<PolicyDocument>,
    documents_analyzed: usize,
    scanned: bool,
    error: Option<RunError>,
    skipped: Option<Skipped>,
}

pub fn run(options: &CheckOptions) -> RunOutput {
    let mut output = RunOutput::default();
    let (inputs, mut errors, skipped) = discover(options);
    output.skipped = skipped;
    let stdin_text = if inputs.iter().any(|i| matches!(i, Input::Stdin { .. })) {
        let mut bytes = Vec::new();
        match std::io::stdin()
            .take(options.max_file_size + 1)
            .read_to_end(&mut bytes)
        {
            Ok(_) => Some(bytes),
            Err(error) => {
                errors.push(RunError {
                    path: "-".into(),
                    message: format!("cannot read standard input: {error}"),
                });
                None
            }
        }
    } else {
        None
    };
    let enabled: Vec<&dyn Rule> = RULES
        .iter()
        .copied()
        .filter(|rule| options.rule_enabled(rule.meta().id))
        .collect();
    let sources = &output.sources;
    let process = |input: &Input| -> FileResult {
        let loaded = match input {
            Input::File { path, explicit } => read_file(path, *explicit, options.max_file_size),
            Input::Stdin { name } => match &stdin_text {
                Some(bytes) if bytes.len() as u64 > options.max_file_size => {
                    Loaded::Error(too_large(name, bytes.len() as u64, options.max_file_size))
                }
                Some(bytes) => {
                    Loaded::Bytes(name.clone(), bytes.clone(), !options.skip_unrecognized)
                }
                None => Loaded::Nothing,
            },
        };
        process_loaded(loaded, sources, &enabled, options)
    };
    let results: Vec<FileResult> = match options.jobs {
        Some(jobs) => match rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.max(1))
            .build()
        {
            Ok(pool) => pool.install(|| inputs.par_iter().map(process).collect()),
            Err(_) => inputs.iter().map(process).collect(),
        },
        None => inputs.par_iter().map(process).collect(),
    };
    let mut suppressions = Vec::new();
    let mut sids: HashMap<FileId, Vec<(String, Span)>> = HashMap::new();
    for result in results {
        output.files_scanned += usize::from(result.scanned);
        output.documents_analyzed += result.documents_analyzed;
        output.findings.extend(result.findings);
        suppressions.extend(result.suppressions);
        for (sid, span) in result.sids {
            sids.entry(span.file).or_default().push((sid, span));
        }
        output.documents.extend(result.documents);
        errors.extend(result.error);
        output.skipped.extend(result.skipped);
    }
    output.errors = errors;
    if !options.no_suppressions {
        let enabled = |id: &str| options.rule_enabled(id);
        output.suppressed = suppress::apply(
            &output.sources,
            &mut output.findings,
            &suppressions,
            &suppress::Applying {
                config: &options.config,
                enabled: &enabled,
                sids: &sids,
            },
        );
    }
    for finding in output
        .findings
        .iter_mut()
        .chain(output.suppressed.iter_mut().map(|s| &mut s.finding))
    {
        if let Some(severity) = options.config.severity(finding.rule) {
            finding.severity = severity;
        }
    }
    sort_findings(&output.sources, &mut output.findings);
    output
}

fn sort_findings(sources: &SourceMap, findings: &mut [Finding]) {
    findings.sort_by_cached_key(|finding| {
        let path = sources.get(finding.primary.file).path().to_path_buf();
        (
            path,
            finding.primary.start,
            finding.rule,
            finding.primary.end,
            finding.message.clone(),
        )
    });
}

enum Loaded {
    Bytes(PathBuf, Vec<u8>, bool),
    Error(RunError),
    Skipped(Skipped),
    Nothing,
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn too_large(path: &Path, size: u64, limit: u64) -> RunError {
    RunError {
        path: display(path),
        message: format!(
            "file is {size} bytes, larger than the limit of {limit} bytes (raise it with --max-file-size)"
        ),
    }
}

fn read_file(path: &Path, explicit: bool, max_file_size: u64) -> Loaded {
    let io_error = |error: std::io::Error| {
        Loaded::Error(RunError {
            path: display(path),
            message: format!("cannot read file: {error}"),
        })
    };
    let size = match std::fs::metadata(path) {
        Ok(metadata) => metadata.len(),
        Err(error) => return io_error(error),
    };
    if size > max_file_size {
        return if explicit {
            Loaded::Error(too_large(path, size, max_file_size))
        } else {
            Loaded::Skipped(Skipped {
                path: display(path),
                reason: format!("larger than {max_file_size} bytes"),
            })
        };
    }
    // Read through a bounded reader: the file may grow between the size check and the read.
    let mut bytes = Vec::with_capacity(size as usize);
    let read = std::fs::File::open(path)
        .and_then(|file| file.take(max_file_size + 1).read_to_end(&mut bytes));
    match read {
        Ok(_) if bytes.len() as u64 > max_file_size => {
            Loaded::Error(too_large(path, bytes.len() as u64, max_file_size))
        }
        Ok(_) => Loaded::Bytes(path.to_path_buf(), bytes, explicit),
        Err(error) => io_error(error),
    }
}

fn process_loaded(
    loaded: Loaded,
    sources: &SourceMap,
    rules: &[&dyn Rule],
    options: &CheckOptions,
) -> FileResult {
    let (path, bytes, explicit) = match loaded {
        Loaded::Bytes(path, bytes, explicit) => (path, bytes, explicit),
        Loaded::Error(error) => {
            return FileResult {
                error: Some(error),
                ..FileResult::default()
            };
        }
        Loaded::Skipped(skipped) => {
            return FileResult {
                skipped: Some(skipped),
                ..FileResult::default()
            };
        }
        Loaded::Nothing => return FileResult::default(),
    };
    let intent = if explicit {
        raw_policy::Intent::Explicit
    } else {
        raw_policy::Intent::Discovered
    };
    let binary = bytes[..bytes.len().min(BINARY_SNIFF_LEN)].contains(&0);
    let (text, invalid_utf8_at) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(error.as_bytes()).into_owned(),
                Some(offset),
            )
        }
    };
    if (binary || invalid_utf8_at.is_some()) && intent == raw_policy::Intent::Discovered {
        // Not text: only worth a word when it still looks like it was meant to be a policy.
        if binary || !text.contains("\"Statement\"") {
            return FileResult::default();
        }
    }
    let (file, source) = sources.add(path, text);
    let mut result = FileResult {
        scanned: true,
        ..FileResult::default()
    };
    if !options.no_suppressions {
        let directives = suppress::scan_comments(file, &source);
        result.suppressions = directives.suppressions;
        result.findings.extend(directives.findings);
    }
    if binary || invalid_utf8_at.is_some() {
        let (offset, message) = match invalid_utf8_at {
            _ if binary => (0, "binary file: expected a text policy document"),
            Some(offset) => (offset, "the file is not valid UTF-8"),
            None => (0, "the file is not valid UTF-8"),
        };
        result.findings.push(rules::parse_error::finding(
            crate::source::Span::new(file, offset, offset),
            message,
        ));
        return filter(result, options);
    }
    let extraction = extract(file, &source, intent);
    result.findings.extend(extraction.diagnostics);
    if !options.no_suppressions {
        result.suppressions.extend(extraction.suppressions);
    }
    let want_sids =
        !options.no_suppressions && options.config.ignores.iter().any(|i| i.sid.is_some());
    for document in extraction.documents {
        result.documents_analyzed += 1;
        check_document(
            &document,
            rules,
            &options.config.settings,
            &mut result.findings,
        );
        if want_sids {
            result.sids.extend(statement_sids(&document));
        }
        if options.keep_documents {
            result.documents.push(document);
        }
    }
    filter(result, options)
}

fn filter(mut result: FileResult, options: &CheckOptions) -> FileResult {
    result.findings.retain(|finding| {
        options.rule_enabled(finding.rule)
            && !(options.no_suppressions && rules::SUPPRESSION_RULES.contains(&finding.rule))
    });
    result
}

/// CloudFormation first: it claims YAML and `.template` files, and `.json` files whose content
/// is a template; other JSON is a raw policy.
fn extract(file: FileId, source: &SourceFile, intent: raw_policy::Intent) -> Extraction {
    if let Some(extraction) = cloudformation::extract(file, source, intent) {
        return extraction;
    }
    raw_policy::extract(file, source, intent)
}

/// Parses one document and runs the rules on it.
pub fn check_document(
    document: &PolicyDocument,
    rules: &[&dyn Rule],
    settings: &Settings,
    out: &mut Vec<Finding>,
) {
    let policy = policy::parse(document);
    let cx = Context {
        document,
        policy: &policy,
        settings,
    };
    let origin: Option<Arc<str>> = document.origin.label().map(Arc::from);
    let start = out.len();
    for rule in rules {
        rule.check(&cx, out);
    }
    for finding in &mut out[start..] {
        finding.origin.clone_from(&origin);
    }
}

/// The `Sid` of every statement of a document that has one, with the statement's span.
fn statement_sids(document: &PolicyDocument) -> Vec<(String, Span)> {
    policy::parse(document)
        .statements
        .iter()
        .filter_map(|s| Some((s.sid?.as_str()?.to_string(), s.value.span)))
        .collect()
}

/// Every input under the given paths, sorted, with the paths that do not exist as errors and
/// the files `exclude` skips.
fn discover(options: &CheckOptions) -> (Vec<Input>, Vec<RunError>, Vec<Skipped>) {
    let stdin_filename = options.stdin_filename.as_deref();
    let config = &options.config;
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    let mut walked = BTreeSet::new();
    let excluded = |path: &Path, skipped: &mut Vec<Skipped>| {
        let hit = config.is_excluded(path);
        if hit {
            skipped.push(Skipped {
                path: display(path),
                reason: "excluded by the configuration".into(),
            });
        }
        hit
    };
    for path in &options.paths {
        if path.as_os_str() == "-" {
            let name = PathBuf::from(stdin_filename.unwrap_or("<stdin>"));
            let unrecognized = options.skip_unrecognized
                && stdin_filename.is_some()
                && !crate::extract::is_candidate(&name);
            if stdin_filename.is_none() || !(unrecognized || excluded(&name, &mut skipped)) {
                inputs.push(Input::Stdin { name });
            }
            continue;
        }
        match std::fs::metadata(path) {
            // Excluded paths are skipped even when named: pre-commit and editors name files.
            _ if excluded(path, &mut skipped) => {}
            Ok(metadata) if metadata.is_dir() => walk(path, config, &mut walked, &mut errors),
            Ok(metadata) if metadata.is_file() => {
                if options.skip_unrecognized && !crate::extract::is_candidate(path) {
                    continue;
                }
                inputs.push(Input::File {
                    path: clean(path),
                    explicit: !options.skip_unrecognized,
                });
            }
            // Reading a FIFO or a device could block forever; `-` is the way to pipe input.
            Ok(_) => errors.push(RunError {
                path: display(path),
                message: "not a regular file (use `-` to read standard input)".into(),
            }),
            Err(error) => errors.push(RunError {
                path: display(path),
                message: format!("cannot read path: {error}"),
            }),
        }
    }
    inputs.extend(walked.into_iter().map(|path| Input::File {
        path,
        explicit: false,
    }));
    (inputs, errors, skipped)
}

/// `./a/b.json` is reported as `a/b.json`.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

fn walk(
    root: &Path,
    config: &Arc<Config>,
    found: &mut BTreeSet<PathBuf>,
    errors: &mut Vec<RunError>,
) {
    let config = Arc::clone(config);
    let collected = Mutex::new(Vec::new());
    let walk_errors = Mutex::new(Vec::new());
    ignore::WalkBuilder::new(root)
        .require_git(false)
        .filter_entry(move |entry| {
            let skipped_directory = entry.file_type().is_some_and(|t| t.is_dir())
                && SKIPPED_DIRECTORIES.iter().any(|d| entry.file_name() == *d);
            !skipped_directory && !config.is_excluded(entry.path())
        })
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) => {
                        if entry.file_type().is_some_and(|t| t.is_file())
                            && crate::extract::is_candidate(entry.path())
                        {
                            collected
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .push(clean(entry.path()));
                        }
                    }
                    Err(error) => {
                        walk_errors
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(RunError {
                                path: display(root),
                                message: error.to_string(),
                            })
                    }
                }
                ignore::WalkState::Continue
            })
        });
    found.extend(collected.into_inner().unwrap_or_else(|e| e.into_inner()));
    let mut walk_errors = walk_errors.into_inner().unwrap_or_else(|e| e.into_inner());
    walk_errors.sort_by(|a, b| a.message.cmp(&b.message));
    errors.extend(walk_errors);
}
