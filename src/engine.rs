//! The check pipeline: discover files, extract documents, parse policies, run rules, and
//! collect findings in an order that does not depend on the thread count.

use crate::config::{Config, RuleSetting, Settings};
use crate::document::PolicyDocument;
use crate::extract::{Extraction, cloudformation, raw_policy, terraform};
use crate::finding::Finding;
use crate::policy;
use crate::principal;
use crate::rules::{self, Context, RULES, Rule};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::suppress::{self, Suppressed, Suppression};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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
    /// They are still named: a Terraform file's module is read with it.
    pub skip_unrecognized: bool,
}

impl CheckOptions {
    /// Whether an `[[ignore]]` entry names a `Sid`, so statements' ids must be collected.
    fn needs_statement_sids(&self) -> bool {
        !self.no_suppressions && self.config.ignores.iter().any(|i| i.sid.is_some())
    }

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
    File {
        path: PathBuf,
        explicit: bool,
    },
    Stdin {
        name: PathBuf,
    },
    /// The Terraform files of one directory, read together so references resolve across
    /// them; findings are reported only in the files asked for.
    Module {
        dir: PathBuf,
        files: Vec<ModuleFile>,
    },
}

#[derive(Clone, Debug)]
struct ModuleFile {
    path: PathBuf,
    explicit: bool,
    /// Named or walked, rather than a sibling read only to resolve references.
    requested: bool,
}

/// What processing one input produced, merged in input order afterwards.
#[derive(Default)]
struct FileResult {
    findings: Vec<Finding>,
    suppressions: Vec<Suppression>,
    /// Files whose findings are reported (not siblings read only for references): what
    /// `[[ignore]]` entries are judged on.
    checked: Vec<FileId>,
    /// Statement ids and spans, for `[[ignore]]` entries that name a `Sid`.
    sids: Vec<(String, Span)>,
    documents: Vec<PolicyDocument>,
    documents_analyzed: usize,
    scanned: usize,
    errors: Vec<RunError>,
    skipped: Vec<Skipped>,
}

pub fn run(options: &CheckOptions) -> RunOutput {
    run_reading_stdin(options, None)
}

/// A run whose `-` path reads the given bytes instead of standard input: the whole pipeline
/// on text held in memory (what the fuzz targets drive).
pub fn run_with_stdin(options: &CheckOptions, stdin: Vec<u8>) -> RunOutput {
    run_reading_stdin(options, Some(stdin))
}

fn run_reading_stdin(options: &CheckOptions, given_stdin: Option<Vec<u8>>) -> RunOutput {
    let mut output = RunOutput::default();
    let (inputs, mut errors, skipped) = discover(options);
    output.skipped = skipped;
    let inputs = group_terraform(inputs);
    let stdin_text = if !inputs.iter().any(|i| matches!(i, Input::Stdin { .. })) {
        None
    } else if given_stdin.is_some() {
        given_stdin
    } else {
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
    };
    let enabled: Vec<&dyn Rule> = RULES
        .iter()
        .copied()
        .filter(|rule| options.rule_enabled(rule.meta().id))
        .collect();
    let sources = &output.sources;
    let process = |input: &Input| -> FileResult {
        let loaded = match input {
            Input::File { path, explicit } => read_file(
                path,
                *explicit && !options.skip_unrecognized,
                options.max_file_size,
            ),
            Input::Stdin { name } => match &stdin_text {
                Some(bytes) if bytes.len() as u64 > options.max_file_size => {
                    Loaded::Error(too_large(name, bytes.len() as u64, options.max_file_size))
                }
                Some(bytes) => {
                    Loaded::Bytes(name.clone(), bytes.clone(), !options.skip_unrecognized)
                }
                None => Loaded::Nothing,
            },
            Input::Module { dir, files } => {
                return process_module(dir, files, sources, &enabled, options);
            }
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
    let mut checked = HashSet::new();
    let mut sids: HashMap<FileId, Vec<(String, Span)>> = HashMap::new();
    for result in results {
        output.files_scanned += result.scanned;
        output.documents_analyzed += result.documents_analyzed;
        output.findings.extend(result.findings);
        suppressions.extend(result.suppressions);
        checked.extend(result.checked);
        for (sid, span) in result.sids {
            sids.entry(span.file).or_default().push((sid, span));
        }
        output.documents.extend(result.documents);
        errors.extend(result.errors);
        output.skipped.extend(result.skipped);
    }
    output.errors = errors;
    // Duplicates go first, so a suppressed finding is counted once.
    sort_findings(&output.sources, &mut output.findings);
    dedup_findings(&output.sources, &mut output.findings);
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
                checked: &checked,
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
    // Findings about suppressions were added at the end.
    sort_findings(&output.sources, &mut output.findings);
    output
}

/// The same finding reached twice (a policy file read by a Terraform `file()` call and also
/// found as a raw policy; a local used by two resources) is reported once.
fn dedup_findings(sources: &SourceMap, findings: &mut Vec<Finding>) {
    findings.dedup_by(|a, b| {
        a.rule == b.rule
            && a.primary.start == b.primary.start
            && a.primary.end == b.primary.end
            && a.message == b.message
            && (a.primary.file == b.primary.file
                || sources.get(a.primary.file).path() == sources.get(b.primary.file).path())
    });
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

/// A file read as text and added to the source map, or what to report instead.
enum Admitted {
    Text(FileId, Arc<SourceFile>, raw_policy::Intent),
    Done(FileResult),
}

fn admit(loaded: Loaded, sources: &SourceMap) -> Admitted {
    let (path, bytes, explicit) = match loaded {
        Loaded::Bytes(path, bytes, explicit) => (path, bytes, explicit),
        Loaded::Error(error) => {
            return Admitted::Done(FileResult {
                errors: vec![error],
                ..FileResult::default()
            });
        }
        Loaded::Skipped(skipped) => {
            return Admitted::Done(FileResult {
                skipped: vec![skipped],
                ..FileResult::default()
            });
        }
        Loaded::Nothing => return Admitted::Done(FileResult::default()),
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
            return Admitted::Done(FileResult::default());
        }
    }
    let (file, source) = sources.add(path, text);
    if binary || invalid_utf8_at.is_some() {
        let (offset, message) = match invalid_utf8_at {
            _ if binary => (0, "binary file: expected a text policy document"),
            Some(offset) => (offset, "the file is not valid UTF-8"),
            None => (0, "the file is not valid UTF-8"),
        };
        return Admitted::Done(FileResult {
            scanned: 1,
            findings: vec![rules::parse_error::finding(
                crate::source::Span::new(file, offset, offset),
                message,
            )],
            ..FileResult::default()
        });
    }
    Admitted::Text(file, source, intent)
}

/// Reads the files a Terraform module refers to (`file("policy.json")`), noting each in
/// `read` so its text can be released when nothing points into it.
fn reader<'r>(
    sources: &'r SourceMap,
    max_file_size: u64,
    read: &'r RefCell<Vec<FileId>>,
) -> impl Fn(&Path) -> Option<(FileId, Arc<SourceFile>)> + 'r {
    move |path| match read_file(path, false, max_file_size) {
        Loaded::Bytes(path, bytes, _) => {
            let text = String::from_utf8(bytes).ok()?;
            let added = sources.add(path, text);
            read.borrow_mut().push(added.0);
            Some(added)
        }
        _ => None,
    }
}

fn process_loaded(
    loaded: Loaded,
    sources: &SourceMap,
    rules: &[&dyn Rule],
    options: &CheckOptions,
) -> FileResult {
    let (file, source, intent) = match admit(loaded, sources) {
        Admitted::Text(file, source, intent) => (file, source, intent),
        Admitted::Done(result) => return filter(result, options),
    };
    let mut result = FileResult {
        scanned: 1,
        checked: vec![file],
        ..FileResult::default()
    };
    scan_suppression_comments(file, &source, options, &mut result);
    let referenced = RefCell::new(vec![file]);
    let extraction = if terraform::is_terraform(source.path()) {
        let dir = source
            .path()
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let read = reader(sources, options.max_file_size, &referenced);
        terraform::extract_module(&dir, &[(file, Arc::clone(&source))], &read).extraction
    } else {
        extract(file, &source, intent)
    };
    result.findings.extend(extraction.diagnostics);
    if !options.no_suppressions {
        result.suppressions.extend(extraction.suppressions);
    }
    let mut documents = extraction.documents;
    cap_documents(&mut documents, options, &mut result.findings);
    let want_sids = options.needs_statement_sids();
    for document in documents {
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
        // Attached documents also feed the per-principal pass of this input.
        if options.keep_documents || !document.attachments.is_empty() {
            result.documents.push(document);
        }
    }
    drop(source);
    check_principals(&mut result, sources, options);
    release_unreported(sources, &referenced.into_inner(), &result);
    filter(result, options)
}

/// The per-principal pass over the attached documents of one input: a principal's policies
/// all live in one Terraform module or one template, which is one input, so the documents
/// need not outlive it (on a large tree, keeping them all held most of the memory).
fn check_principals(result: &mut FileResult, sources: &SourceMap, options: &CheckOptions) {
    if !result.documents.is_empty() && principal::RULES.iter().any(|id| options.rule_enabled(id)) {
        let path_of = |d: &PolicyDocument| sources.get(d.origin.file).path().to_path_buf();
        let found = principal::check(&result.documents, &path_of, &|id| options.rule_enabled(id));
        result.findings.extend(found);
    }
    if !options.keep_documents {
        result.documents.clear();
    }
}

/// Drops the text of the files one input read that nothing reported points into, so a walk
/// over a large tree holds only the files it reports on, not every file it read. An input
/// whose documents are kept (`iamlint documents`) is kept whole.
fn release_unreported(sources: &SourceMap, read: &[FileId], result: &FileResult) {
    if !result.documents.is_empty() {
        return;
    }
    let mut reported: HashSet<FileId> = HashSet::new();
    for finding in &result.findings {
        reported.insert(finding.primary.file);
        reported.extend(finding.related.iter().map(|label| label.span.file));
    }
    for suppression in &result.suppressions {
        reported.insert(suppression.at.file);
        reported.insert(suppression.scope.file);
    }
    for &file in read {
        if !reported.contains(&file) {
            sources.release(file);
        }
    }
}

/// One Terraform module: its files are extracted together, and only findings in files that
/// were asked for (or in files they read with `file()`) are kept.
fn process_module(
    dir: &Path,
    files: &[ModuleFile],
    sources: &SourceMap,
    rules: &[&dyn Rule],
    options: &CheckOptions,
) -> FileResult {
    let mut result = FileResult::default();
    let mut texts = Vec::new();
    let mut requested = HashSet::new();
    for entry in files {
        let loaded = read_file(
            &entry.path,
            entry.explicit && !options.skip_unrecognized,
            options.max_file_size,
        );
        match admit(loaded, sources) {
            Admitted::Text(file, source, _) => {
                if entry.requested {
                    requested.insert(file);
                    result.scanned += 1;
                    scan_suppression_comments(file, &source, options, &mut result);
                }
                texts.push((file, source));
            }
            // A sibling read only for references is none of the user's business.
            Admitted::Done(_) if !entry.requested => {}
            Admitted::Done(done) => {
                result.scanned += done.scanned;
                result.findings.extend(done.findings);
                result.errors.extend(done.errors);
                result.skipped.extend(done.skipped);
            }
        }
    }
    if texts.is_empty() {
        return filter(result, options);
    }
    let referenced = RefCell::new(texts.iter().map(|(file, _)| *file).collect::<Vec<_>>());
    let read = reader(sources, options.max_file_size, &referenced);
    let extracted = terraform::extract_module(dir, &texts, &read);
    let owners: HashMap<FileId, FileId> = extracted.external.into_iter().collect();
    let reported = |file: FileId| {
        requested.contains(&file) || owners.get(&file).is_some_and(|o| requested.contains(o))
    };
    result.checked.extend(requested.iter().copied());
    result
        .checked
        .extend(owners.keys().copied().filter(|&file| reported(file)));
    let extraction = extracted.extraction;
    result.findings.extend(
        extraction
            .diagnostics
            .into_iter()
            .filter(|d| reported(d.primary.file)),
    );
    if !options.no_suppressions {
        result.suppressions.extend(extraction.suppressions);
    }
    let mut documents = extraction.documents;
    cap_documents(&mut documents, options, &mut result.findings);
    let want_sids = options.needs_statement_sids();
    let mut findings = Vec::new();
    for document in documents {
        findings.clear();
        check_document(&document, rules, &options.config.settings, &mut findings);
        result
            .findings
            .extend(findings.drain(..).filter(|f| reported(f.primary.file)));
        if reported(document.origin.file) {
            result.documents_analyzed += 1;
            if want_sids {
                result.sids.extend(statement_sids(&document));
            }
            // Attached documents also feed the per-principal pass of this input.
            if options.keep_documents || !document.attachments.is_empty() {
                result.documents.push(document);
            }
        }
    }
    drop((texts, read));
    check_principals(&mut result, sources, options);
    release_unreported(sources, &referenced.into_inner(), &result);
    filter(result, options)
}

/// Keeps the first `max-documents-per-file` documents of each file, in source order; the
/// rest of a file gets one `limit-exceeded` finding, at the first document left out.
fn cap_documents(
    documents: &mut Vec<PolicyDocument>,
    options: &CheckOptions,
    findings: &mut Vec<Finding>,
) {
    let limit = options.config.limits.max_documents_per_file;
    if documents.len() <= limit {
        return;
    }
    let mut kept: HashMap<FileId, usize> = HashMap::new();
    let mut left_out: BTreeMap<FileId, (Span, usize)> = BTreeMap::new();
    documents.retain(|document| {
        let count = kept.entry(document.origin.file).or_default();
        if *count < limit {
            *count += 1;
            return true;
        }
        left_out
            .entry(document.origin.file)
            .or_insert((document.value.span, 0))
            .1 += 1;
        false
    });
    for (span, count) in left_out.into_values() {
        findings.push(rules::limit_exceeded::finding(
            span,
            format!(
                "this file holds {} policy documents, more than `max-documents-per-file` ({limit}); \
                 {count} of them, from this one on, are not checked",
                limit + count
            ),
        ));
    }
}

/// Gathers the Terraform files of each directory into one module input. A directory walked
/// brings all its files; a file named alone brings its siblings, read only for references.
fn group_terraform(inputs: Vec<Input>) -> Vec<Input> {
    let mut out = Vec::new();
    let mut modules: BTreeMap<PathBuf, BTreeMap<PathBuf, bool>> = BTreeMap::new();
    for input in inputs {
        match input {
            Input::File { path, explicit } if terraform::is_terraform(&path) => {
                let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
                *modules
                    .entry(dir)
                    .or_default()
                    .entry(path)
                    .or_insert(explicit) |= explicit;
            }
            other => out.push(other),
        }
    }
    for (dir, members) in modules {
        let walked = members.values().any(|explicit| !explicit);
        let mut files: Vec<ModuleFile> = members
            .iter()
            .map(|(path, explicit)| ModuleFile {
                path: path.clone(),
                explicit: *explicit,
                requested: true,
            })
            .collect();
        if !walked {
            let listed = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir.as_path()
            };
            let mut siblings: Vec<PathBuf> = std::fs::read_dir(listed)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
                .map(|entry| dir.join(entry.file_name()))
                .filter(|path| {
                    terraform::is_terraform(path)
                        && !members.contains_key(path)
                        && !path
                            .file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with('.'))
                })
                .collect();
            siblings.sort();
            files.extend(siblings.into_iter().map(|path| ModuleFile {
                path,
                explicit: false,
                requested: false,
            }));
        }
        out.push(Input::Module { dir, files });
    }
    out
}

/// Collects the `# iamlint: ignore[...]` comments of a file the user asked about.
fn scan_suppression_comments(
    file: FileId,
    source: &SourceFile,
    options: &CheckOptions,
    result: &mut FileResult,
) {
    if !options.no_suppressions {
        let directives = suppress::scan_comments(file, source);
        result.suppressions.extend(directives.suppressions);
        result.findings.extend(directives.findings);
    }
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
    let cx = Context::new(document, &policy, settings, rules);
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
                    explicit: true,
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
