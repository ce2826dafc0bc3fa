//! The check pipeline: discover and read inputs, extract documents, run the rules on each
//! document and on each input's principals, apply suppressions, and collect findings in an
//! order that does not depend on the thread count. Each step is a call into its layer; what
//! is here is the order, the parallelism, and the limits of one run.

mod options;

pub use crate::input::git_tree::{GitError, Snapshot, repository_of};
pub use options::{CheckOptions, RuleSelection};

use crate::base::finding::{Category, Finding, Findings, Problem, Severity};
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, SourceFile, SourceMap, Span};
use crate::extract::document::{Conditional, PolicyDocument};
use crate::extract::inventory::Inventory;
use crate::extract::suppressions::{self, Suppression};
use crate::extract::terraform;
use crate::input::{
    self, Admitted, Exclude, Input, Loaded, ModuleFile, RunError, Seen, Skipped, is_terraform,
};
use crate::policy;
use crate::rules::{self, Rule, principal};
use crate::suppress::{self, Suppressed};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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
    /// Each input's attached documents and inventory, with `keep_inputs`.
    pub inputs: Vec<GraphInput>,
    pub errors: Vec<RunError>,
    pub skipped: Vec<Skipped>,
    pub files_scanned: usize,
    /// Files the paths held that iamlint would read (by name, less `exclude`), standard
    /// input included, whether or not they could be read: none means nothing was checked.
    pub files_found: usize,
    pub documents_analyzed: usize,
    /// Where the run read: the repository root the CI formats make paths relative to.
    pub(crate) roots: input::Roots,
}

/// What the access graph of one input is built from.
#[derive(Debug, Default)]
pub struct GraphInput {
    /// The file, or the Terraform module's directory, as the run found it.
    pub path: PathBuf,
    pub documents: Vec<PolicyDocument>,
    pub inventory: Inventory,
}

/// The rules a run runs: every enabled rule, and those of them with a principal-wide check,
/// chosen once per run.
struct Enabled<'r> {
    all: Vec<&'r dyn Rule>,
    principal_wide: Vec<&'r dyn Rule>,
    /// The `[rules]` severity of each rule that has one, by `RuleId::index`.
    severities: Arc<[Option<Severity>]>,
    max_findings_per_input: usize,
    max_findings_per_run: usize,
}

impl Enabled<'static> {
    fn new(options: &CheckOptions) -> Self {
        let all: Vec<&dyn Rule> = rules::all()
            .filter(|rule| options.rule_enabled(rule.meta().id))
            .collect();
        let principal_wide = all
            .iter()
            .copied()
            .filter(|rule| rule.checks_principals())
            .collect();
        let limits = &options.config.limits;
        Enabled {
            all,
            principal_wide,
            severities: RuleId::ALL
                .iter()
                .map(|&id| options.config.severity(id))
                .collect(),
            max_findings_per_input: limits.max_findings_kept_per_file,
            max_findings_per_run: limits.max_findings_kept_per_run,
        }
    }
}

impl Enabled<'_> {
    /// Where one input's findings go: bounded by `max-findings-kept-per-file`.
    fn input_findings(&self) -> Findings {
        Findings::new(self.max_findings_per_input, Arc::clone(&self.severities))
    }

    /// Where the run's findings go: bounded by `max-findings-kept-per-run`.
    fn run_findings(&self) -> Findings {
        Findings::new(self.max_findings_per_run, Arc::clone(&self.severities))
    }

    /// An empty result, the start of the run's reduction.
    fn empty_result(&self) -> FileResult {
        FileResult {
            findings: self.run_findings(),
            ..FileResult::default()
        }
    }
}

/// What processing one input produced, merged in input order afterwards.
#[derive(Default)]
struct FileResult {
    /// While the input is processed, bounded per input; once it is done
    /// (`finish_input`), bounded per run.
    findings: Findings,
    suppressions: Vec<Suppression>,
    /// Files whose findings are reported (not siblings read only for references): what
    /// `[[ignore]]` entries are judged on.
    checked: Vec<FileId>,
    /// Statements of the input's documents, with their `Sid`s, for suppressions: collected
    /// when the input has suppression comments or the configuration an `[[ignore]]` by `sid`.
    statements: Vec<(Option<String>, Span)>,
    documents: Vec<PolicyDocument>,
    /// What the access graph needs of the input besides its documents.
    inventory: Inventory,
    inputs: Vec<GraphInput>,
    documents_analyzed: usize,
    scanned: usize,
    errors: Vec<RunError>,
    skipped: Vec<Skipped>,
    /// Module calls whose inputs a child module was analysed with, named as related
    /// locations of its findings (see [`dedup_findings`]).
    callers: Vec<Span>,
    /// Terraform plans read, and the policies of the configuration whose static findings
    /// their findings replace (see [`leave_planned_to_the_plan`]).
    plan_files: Vec<FileId>,
    covered: Vec<terraform::plan::Covered>,
}

impl FileResult {
    /// `self` then `other`, in this order: what the run's reduction does to neighbours.
    fn merge(mut self, other: FileResult) -> FileResult {
        self.findings.append(other.findings);
        self.suppressions.extend(other.suppressions);
        self.checked.extend(other.checked);
        self.statements.extend(other.statements);
        self.documents.extend(other.documents);
        self.inventory.extend(other.inventory);
        self.inputs.extend(other.inputs);
        self.documents_analyzed += other.documents_analyzed;
        self.scanned += other.scanned;
        self.errors.extend(other.errors);
        self.skipped.extend(other.skipped);
        self.callers.extend(other.callers);
        self.plan_files.extend(other.plan_files);
        self.covered.extend(other.covered);
        self
    }
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
    let config = Arc::clone(&options.config);
    let exclude: Exclude = Arc::new(move |path: &Path| config.is_excluded(path));
    let jobs = options.jobs.map(|jobs| jobs.max(1));
    let given = match options.snapshot {
        Some(_) => Vec::new(),
        None => input::Given::all(&options.paths),
    };
    if given.iter().any(input::Given::is_dir) {
        // Before any thread starts: see `files_to_keep_open`.
        input::files_to_keep_open();
    }
    let pool = |jobs: usize| rayon::ThreadPoolBuilder::new().num_threads(jobs).build();
    // Built before the walk, which runs on it: the threads that check the files also find
    // them, and no other thread starts (each thread's allocator heap is fresh memory).
    let many_threads = jobs
        .filter(|&jobs| jobs > 1)
        .and_then(|jobs| pool(jobs).ok());
    // Whether the walk and the findings' sort may use several threads: those of the pool
    // built above, or the global pool when no thread count was asked for.
    let on_many_threads = many_threads.is_some() || jobs.is_none();
    let (inputs, mut errors, skipped) = match &options.snapshot {
        Some(snapshot) => (
            snapshot.inputs(&|path| !exclude(path)),
            Vec::new(),
            Vec::new(),
        ),
        None => on_pool(many_threads.as_ref(), || {
            input::discover(
                given,
                options.stdin_filename.as_deref(),
                options.skip_unrecognized,
                &exclude,
                on_many_threads,
            )
        }),
    };
    output.skipped = skipped;
    let inputs = without_the_runs_own_files(inputs, &options.not_inputs);
    output.files_found = inputs.len();
    let inputs = input::group_terraform(inputs);
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
    let enabled = Enabled::new(options);
    output.roots = match &options.snapshot {
        Some(snapshot) => input::Roots::of_snapshot(Arc::clone(snapshot)),
        None => input::Roots::new(&options.paths, options.root.as_deref()),
    };
    let roots = &output.roots;
    let sources = &output.sources;
    let process = |input: &Input| -> FileResult {
        let loaded = match input {
            Input::File {
                path,
                explicit,
                seen,
            } => input::read_file(
                path,
                *explicit && !options.skip_unrecognized,
                seen.as_ref(),
                options.max_file_size,
                roots,
            ),
            Input::Stdin { name } => match &stdin_text {
                Some(bytes) if bytes.len() as u64 > options.max_file_size => Loaded::Error(
                    input::too_large(name, bytes.len() as u64, options.max_file_size),
                ),
                Some(bytes) => {
                    Loaded::Bytes(name.clone(), bytes.clone(), !options.skip_unrecognized)
                }
                None => Loaded::Nothing,
            },
            Input::Module { dir, files } => {
                let mut result = process_module(dir, files, sources, roots, &enabled, options);
                for kept in &mut result.inputs {
                    kept.path.clone_from(dir);
                }
                return result;
            }
        };
        let mut result = process_loaded(loaded, sources, roots, &enabled, options);
        if let Input::File { path, .. } | Input::Stdin { name: path } = input {
            for kept in &mut result.inputs {
                kept.path.clone_from(path);
            }
        }
        result
    };
    // Merged in input order whatever order the inputs ran in, so that which findings
    // `max-findings-kept-per-run` keeps, and everything else, does not depend on the thread
    // count.
    let in_order = || {
        inputs
            .iter()
            .map(process)
            .fold(enabled.empty_result(), FileResult::merge)
    };
    let sizes = |parallel: bool| sizes_of(&inputs, roots, parallel);
    let result = match jobs {
        // One thread asked for and little to read: the calling thread, with no pool to start.
        // A larger run gets a pool of one thread, which the parallel parts inside an input
        // (a large file's pieces, many principals) then keep to.
        Some(1) => {
            let sizes = sizes(false);
            if is_small(&sizes) {
                in_order()
            } else {
                match pool(1) {
                    Ok(pool) => {
                        pool.install(|| schedule(&inputs, &sizes, &process, &in_order, &enabled))
                    }
                    Err(_) => in_order(),
                }
            }
        }
        Some(_) => match &many_threads {
            Some(pool) => {
                pool.install(|| schedule(&inputs, &sizes(true), &process, &in_order, &enabled))
            }
            None => in_order(),
        },
        None => schedule(&inputs, &sizes(true), &process, &in_order, &enabled),
    };
    let mut statements: HashMap<FileId, Vec<(Option<String>, Span)>> = HashMap::new();
    for (sid, span) in result.statements {
        statements.entry(span.file).or_default().push((sid, span));
    }
    let suppressions = result.suppressions;
    let checked: HashSet<FileId> = result.checked.into_iter().collect();
    output.files_scanned = result.scanned;
    output.documents_analyzed = result.documents_analyzed;
    output.documents = result.documents;
    output.inputs = result.inputs;
    errors.extend(result.errors);
    output.skipped.extend(result.skipped);
    let (findings, left_out) = result.findings.finish();
    output.findings = findings;
    let last_kept = output.findings.last().filter(|_| left_out > 0);
    if let Some(last_kept) = last_kept.filter(|_| options.rule_enabled(RuleId::LimitExceeded)) {
        let limit = enabled.max_findings_per_run;
        output.findings.push(rules::finding_of(Problem::new(
            RuleId::LimitExceeded,
            Span::new(last_kept.primary.file, 0, 0),
            format!(
                "this run found {} findings, more than `max-findings-kept-per-run` ({limit}); \
                 {left_out} of them, the least severe, are not reported",
                limit + left_out
            ),
        )));
    }
    output.errors = errors;
    // Duplicates go first, so a suppressed finding is counted once.
    let sort_on_pool = |output: &mut RunOutput| {
        let (sources, findings) = (&output.sources, &mut output.findings);
        on_pool(many_threads.as_ref(), || {
            sort_findings(sources, findings, on_many_threads);
        });
    };
    sort_on_pool(&mut output);
    let callers: HashSet<Span> = result.callers.into_iter().collect();
    dedup_findings(&output.sources, &mut output.findings, &callers);
    leave_planned_to_the_plan(
        &output.sources,
        &mut output.findings,
        &result.plan_files,
        result.covered,
    );
    // Whether findings were added after the sort above (`suppress::apply` keeps the order of
    // those it leaves, and adds its own at the end).
    let mut added = false;
    if !options.no_suppressions {
        let enabled = |id: RuleId| options.rule_enabled(id);
        let relative = |path: &Path| options.config.relative(path);
        let before = output.findings.len();
        output.suppressed = suppress::apply(
            &output.sources,
            &mut output.findings,
            &suppressions,
            &suppress::Applying {
                ignores: &options.config.ignores,
                relative: &relative,
                config_file: options.config.file.as_ref(),
                enabled: &enabled,
                statements: &statements,
                checked: &checked,
            },
        );
        added = output.findings.len() + output.suppressed.len() > before;
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
    if added {
        sort_on_pool(&mut output);
    }
    output
}

/// `work` on `pool` if there is one, else on the calling thread (and the global pool).
fn on_pool<R: Send>(pool: Option<&rayon::ThreadPool>, work: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Below this many bytes of input a run is done on the calling thread: starting the worker
/// threads (and their allocator heaps) costs more than a few small files take to check.
const SMALL_RUN_BYTES: u64 = 64 * 1024;

/// Runs `process` over the inputs on the current rayon pool, largest first: a long input
/// started last would leave the other threads idle while it finishes (the raw JSON corpus
/// scaled 1.5x on two threads with its 5,000-statement file late). `par_bridge` hands the
/// next input to whichever thread is free, in that order. A small run stays on the calling
/// thread (`in_order`) and starts no pool.
fn schedule(
    inputs: &[Input],
    sizes: &[u64],
    process: &(dyn Fn(&Input) -> FileResult + Sync),
    in_order: &dyn Fn() -> FileResult,
    enabled: &Enabled<'_>,
) -> FileResult {
    if inputs.len() < 2 || is_small(sizes) {
        return in_order();
    }
    let mut largest_first: Vec<usize> = (0..inputs.len()).collect();
    largest_first.sort_by_key(|&index| std::cmp::Reverse(sizes[index]));
    // Each result is put in its input's place: collecting them in the order they finish,
    // then sorting, moved every result (half a kilobyte each) several times.
    let results: Vec<OnceLock<FileResult>> = inputs.iter().map(|_| OnceLock::new()).collect();
    largest_first.into_iter().par_bridge().for_each(|index| {
        // Each index comes once, so its place is empty.
        let _ = results[index].set(process(&inputs[index]));
    });
    // Merged on every thread, each a run of neighbours, and the runs then in order: one
    // thread merging ten thousand results kept the others waiting.
    results
        .into_par_iter()
        .filter_map(OnceLock::into_inner)
        .fold(|| enabled.empty_result(), FileResult::merge)
        .reduce(|| enabled.empty_result(), FileResult::merge)
}

/// Whether inputs of these sizes are too little to be worth starting threads for.
fn is_small(sizes: &[u64]) -> bool {
    sizes.iter().sum::<u64>() < SMALL_RUN_BYTES
}

/// Inputs from which their sizes are asked for on every thread of the pool: a system call
/// each, which for the thousands of files of one directory kept the other threads waiting.
const PARALLEL_SIZES: usize = 256;

/// [`size_of`] each input, on the current pool's threads when `parallel` and there are many.
fn sizes_of(inputs: &[Input], roots: &input::Roots, parallel: bool) -> Vec<u64> {
    if parallel && inputs.len() >= PARALLEL_SIZES {
        inputs
            .par_iter()
            .map(|input| size_of(input, roots))
            .collect()
    } else {
        inputs.iter().map(|input| size_of(input, roots)).collect()
    }
}

/// The bytes an input will read, for scheduling only. A file of a git revision (read from
/// git's objects) and standard input count as large, their sizes known only once read, so
/// that such a run keeps its threads; a file that cannot be inspected counts as empty.
fn size_of(input: &Input, roots: &input::Roots) -> u64 {
    let file_size = |path: &Path, seen: Option<&Seen>| {
        if roots.snapshot().is_some() {
            return SMALL_RUN_BYTES;
        }
        // The size the walk saw, else the link itself: a link out of the repository is not
        // followed, even for a size.
        seen.and_then(|seen| seen.size)
            .unwrap_or_else(|| std::fs::symlink_metadata(path).map_or(0, |m| m.len()))
    };
    match input {
        Input::File { path, seen, .. } => file_size(path, seen.as_ref()),
        Input::Stdin { .. } => SMALL_RUN_BYTES,
        Input::Module { files, .. } => files
            .iter()
            .map(|f| file_size(&f.path, f.seen.as_ref()))
            .sum(),
    }
}

/// The same finding reached twice (a policy file read by a Terraform `file()` call and also
/// found as a raw policy; a local used by two resources; a child module checked on its own
/// and through the modules that call it) is reported once. A child module's finding that
/// its own check gives too is not the callers' doing: that one is kept, without them. One
/// that only callers give is kept once, naming every caller (`callers` are the spans of
/// module calls among related locations). Sorted input keeps duplicates next to each other.
fn dedup_findings(sources: &SourceMap, findings: &mut Vec<Finding>, callers: &HashSet<Span>) {
    let same = |a: &Finding, b: &Finding| {
        a.rule == b.rule
            && a.primary.start == b.primary.start
            && a.primary.end == b.primary.end
            && a.message == b.message
            && (a.primary.file == b.primary.file
                || sources.get(a.primary.file).path() == sources.get(b.primary.file).path())
    };
    let through_caller = |f: &Finding| f.related.iter().any(|l| callers.contains(&l.span));
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings.drain(..) {
        let Some(last) = kept.last_mut().filter(|last| same(last, &finding)) else {
            kept.push(finding);
            continue;
        };
        match (through_caller(last), through_caller(&finding)) {
            (true, false) => *last = finding,
            (true, true) => {
                for label in finding.related {
                    if callers.contains(&label.span) && !last.related.contains(&label) {
                        last.related.push(label);
                    }
                }
            }
            (false, _) => {}
        }
    }
    *findings = kept;
}

/// A plan checked with its configuration: the plan knows the values the static reading
/// could only guess, so for each policy attribute the plan gives a value for, its findings
/// (reported at the attribute) replace those of the static reading of that attribute.
fn leave_planned_to_the_plan(
    sources: &SourceMap,
    findings: &mut Vec<Finding>,
    plan_files: &[FileId],
    covered: Vec<terraform::plan::Covered>,
) {
    if covered.is_empty() {
        return;
    }
    let covered: HashSet<terraform::plan::Covered> = covered.into_iter().collect();
    let from_plan = |f: &Finding| {
        plan_files.contains(&f.primary.file)
            || f.related.iter().any(|l| plan_files.contains(&l.span.file))
    };
    findings.retain(|f| {
        from_plan(f) || !terraform::plan::covers(&covered, f, sources.get(f.primary.file).path())
    });
}

/// `parallel`: many findings are sorted on the current pool.
fn sort_findings(sources: &SourceMap, findings: &mut [Finding], parallel: bool) {
    // Each file's place in path order, found once, from keys that compare as the paths do:
    // comparing paths component by component, at each comparison of findings and then of
    // files, took most of the sort.
    let files: HashSet<FileId> = findings
        .iter()
        .map(|finding| finding.primary.file)
        .collect();
    let key = |file: FileId| (input::path_order_key(sources.get(file).path()), file);
    // On one thread, the keys and the sort were a millisecond or two of a run over thousands
    // of files, while the other threads waited.
    let parallel = parallel && findings.len() >= PARALLEL_FINDINGS_SORT;
    let mut files: Vec<(Vec<u8>, FileId)> = if parallel {
        files.into_par_iter().map(key).collect()
    } else {
        files.into_iter().map(key).collect()
    };
    files.sort_unstable();
    let mut rank: FxHashMap<FileId, usize> =
        FxHashMap::with_capacity_and_hasher(files.len(), Default::default());
    let mut place = 0;
    for (index, (key, file)) in files.iter().enumerate() {
        // Files of the same path (one read twice) sort as one.
        if index > 0 && files[index - 1].0 != *key {
            place = index;
        }
        rank.insert(*file, place);
    }
    // Each finding's key found once, not at each of its comparisons (the message is cloned
    // for the key: that costs less than looking up both files' places at every comparison).
    // Both sorts are stable, so the order is the same on any number of threads.
    let key = |finding: &Finding| {
        let span = finding.primary;
        (
            rank[&span.file],
            span.start,
            finding.rule.as_str(),
            span.end,
            finding.message.clone(),
        )
    };
    if parallel {
        findings.par_sort_by_cached_key(key);
    } else {
        findings.sort_by_cached_key(key);
    }
}

/// Runs with at least this many findings have them sorted on the pool.
const PARALLEL_FINDINGS_SORT: usize = 1024;

/// The inputs a walk found, less the files of the run itself (`CheckOptions::not_inputs`).
/// Only a file of the same name is resolved, so a walk of thousands of files pays nothing.
fn without_the_runs_own_files(inputs: Vec<Input>, not_inputs: &[PathBuf]) -> Vec<Input> {
    let own: Vec<(&std::ffi::OsStr, PathBuf)> = not_inputs
        .iter()
        .filter_map(|path| Some((path.file_name()?, std::fs::canonicalize(path).ok()?)))
        .collect();
    if own.is_empty() {
        return inputs;
    }
    let is_own = |path: &Path| {
        own.iter().any(|(name, resolved)| {
            path.file_name() == Some(*name)
                && std::fs::canonicalize(path).is_ok_and(|p| &p == resolved)
        })
    };
    inputs
        .into_iter()
        .filter(|input| match input {
            Input::File {
                path,
                explicit: false,
                ..
            } => !is_own(path),
            _ => true,
        })
        .collect()
}

fn process_loaded(
    loaded: Loaded,
    sources: &SourceMap,
    roots: &input::Roots,
    rules: &Enabled<'_>,
    options: &CheckOptions,
) -> FileResult {
    let (file, source, intent) = match input::admit(loaded, sources) {
        Admitted::Text(file, source, intent) => (file, source, intent),
        other => return finish_input(not_text(other), rules, options),
    };
    let mut result = FileResult {
        scanned: 1,
        checked: vec![file],
        findings: rules.input_findings(),
        ..FileResult::default()
    };
    scan_suppression_comments(file, &source, options, &mut result);
    let referenced = RefCell::new(vec![file]);
    let read = input::Reader {
        sources,
        max_file_size: options.max_file_size,
        roots,
        read: &referenced,
    };
    let extraction = if is_terraform(source.path()) {
        let dir = source
            .path()
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        terraform::extract_module(&dir, &[(file, Arc::clone(&source))], &read).extraction
    } else {
        crate::extract::extract_file(file, &source, intent, &read)
    };
    let mut planned = extraction.planned;
    if !planned.is_empty() {
        result.plan_files.push(file);
    }
    result.covered.extend(extraction.covered);
    result
        .findings
        .extend(extraction.diagnostics.into_iter().map(rules::finding_of));
    if !options.no_suppressions {
        result.suppressions.extend(extraction.suppressions);
    }
    result.inventory = extraction.inventory;
    let mut documents = extraction.documents;
    cap_documents(&mut documents, options, &mut result.findings);
    let want_statements = options.needs_statement_sids() || !result.suppressions.is_empty();
    check_each(
        documents,
        |_| true,
        rules,
        options,
        &mut result,
        |result, document, found| {
            result.documents_analyzed += 1;
            let found = found.unwrap_or_default();
            if document.conditional.is_empty() {
                result.findings.extend(found);
            } else {
                result
                    .findings
                    .extend(under_conditions(&document.conditional, found));
            }
            if want_statements {
                result.statements.extend(statement_spans(&document));
            }
            // Attached documents also feed the per-principal pass of this input.
            if options.keep_documents || !document.attachments.is_empty() {
                result.documents.push(document);
            } else {
                free_later(document);
            }
        },
    );
    drop(source);
    check_principals(&mut result, sources, rules, options);
    terraform::plan::relocate(result.findings.iter_mut(), &mut planned);
    if !planned.is_empty() && !options.no_suppressions {
        configuration_files(&mut result, file, sources);
    }
    release_unreported(sources, &referenced.into_inner(), &result);
    finish_input(result, rules, options)
}

/// Bytes of text from which a document is freed on one of the pool's threads: a policy of
/// thousands of statements took milliseconds to free, with nothing else left to do.
const FREE_LATER_BYTES: u32 = 256 * 1024;

/// Drops a document that is done with: a large one on the pool, while this thread goes on
/// towards the report (at the end of a run, the process may exit before it is freed).
fn free_later(document: PolicyDocument) {
    let span = document.value.span;
    // As for a large file's pieces: a run of one thread with this much text has a pool of
    // one thread, which this keeps to.
    if span.end.saturating_sub(span.start) >= FREE_LATER_BYTES {
        rayon::spawn(move || drop(document));
    }
}

/// The configuration files a plan's findings moved to (`plan` is the plan's file) are
/// reported on, so `[[ignore]]` entries judge them, and their suppression comments that
/// cover one of those findings hold for it as for the static reading's, also when the
/// configuration is not checked itself.
fn configuration_files(result: &mut FileResult, plan: FileId, sources: &SourceMap) {
    let moved: Vec<(Span, RuleId)> = result
        .findings
        .iter()
        .filter(|f| f.primary.file != plan)
        .map(|f| (f.primary, f.rule))
        .collect();
    let files: BTreeMap<FileId, ()> = moved.iter().map(|(span, _)| (span.file, ())).collect();
    for file in files.into_keys() {
        result.checked.push(file);
        let directives = suppressions::scan_comments(file, &sources.get(file));
        result
            .suppressions
            .extend(directives.suppressions.into_iter().filter(|s| {
                moved.iter().any(|(at, rule)| {
                    *rule == s.rule
                        && at.file == s.scope.file
                        && s.scope.start <= at.start
                        && at.start < s.scope.end
                })
            }));
    }
}

/// The findings of a document with parts present only under a condition: a correctness
/// error inside such a part is one only for some values of the condition (the other branch
/// may be absent, or right), so it is dropped; any other finding there says which condition
/// it needs, at the innermost part holding it.
/// The findings of one document, kept apart from the input's so the caller can change them
/// (label them with a condition or a module call) before they join. The bounds on findings
/// still hold across both: what one document leaves out counts as left out of the input (an
/// upper bound when some of it was in files not reported).
fn check_apart(
    document: &PolicyDocument,
    rules: &Enabled<'_>,
    options: &CheckOptions,
    input: &mut Findings,
) -> Vec<Finding> {
    let checked = check_with_searches(document, rules, options, input.suggestions_left());
    input.set_suggestions_left(checked.searches_left);
    input.left_out(checked.left_out);
    checked.found
}

/// One document checked on its own: its findings, how many more it left out, and the
/// did-you-mean searches it left of those it was given.
struct Checked {
    found: Vec<Finding>,
    left_out: usize,
    searches_left: usize,
}

fn check_with_searches(
    document: &PolicyDocument,
    rules: &Enabled<'_>,
    options: &CheckOptions,
    searches: usize,
) -> Checked {
    let mut findings = rules.input_findings();
    findings.set_suggestions_left(searches);
    rules::check_document(
        document,
        &rules.all,
        &options.config.settings,
        &mut findings,
        options.jobs != Some(1),
    );
    let searches_left = findings.suggestions_left();
    let (found, left_out) = findings.finish();
    Checked {
        found,
        left_out,
        searches_left,
    }
}

/// Documents of one input from which its per-document rules run in parallel (as principals
/// do): for fewer, starting and feeding the threads costs about what it saves. Also how many
/// are checked at once, so that at most this many documents' findings wait to be cut to the
/// input's bound.
const PARALLEL_DOCUMENTS: usize = 64;

/// Checks each document `wanted` accepts and hands it to `take`, in order, with its findings
/// as [`check_apart`] gives them one document after another (`None` for the others).
///
/// Unless one thread was asked for, many documents are checked in parallel, each with every
/// did-you-mean search the input has left. A document that used no more than the documents
/// before it left keeps its findings; one that would have run past them (or used them all)
/// is checked again with what is truly left. So the findings are the same at any thread
/// count, and the second check happens only in files of a thousand unknown names.
fn check_each(
    documents: Vec<PolicyDocument>,
    wanted: impl Fn(&PolicyDocument) -> bool + Sync,
    rules: &Enabled<'_>,
    options: &CheckOptions,
    result: &mut FileResult,
    mut take: impl FnMut(&mut FileResult, PolicyDocument, Option<Vec<Finding>>),
) {
    if options.jobs == Some(1) || documents.len() < PARALLEL_DOCUMENTS {
        for document in documents {
            let found = wanted(&document)
                .then(|| check_apart(&document, rules, options, &mut result.findings));
            take(result, document, found);
        }
        return;
    }
    let mut documents = documents.into_iter();
    loop {
        let batch: Vec<PolicyDocument> = documents.by_ref().take(PARALLEL_DOCUMENTS).collect();
        if batch.is_empty() {
            return;
        }
        let budget = result.findings.suggestions_left();
        let speculative: Vec<Option<Checked>> = batch
            .par_iter()
            .map(|document| {
                wanted(document).then(|| check_with_searches(document, rules, options, budget))
            })
            .collect();
        for (document, checked) in batch.into_iter().zip(speculative) {
            let found = checked.map(|checked| {
                let used = budget - checked.searches_left;
                let remaining = result.findings.suggestions_left();
                if checked.searches_left > 0 && used <= remaining {
                    result.findings.set_suggestions_left(remaining - used);
                    result.findings.left_out(checked.left_out);
                    checked.found
                } else {
                    check_apart(&document, rules, options, &mut result.findings)
                }
            });
            take(result, document, found);
        }
    }
}

fn under_conditions(parts: &[Conditional], found: Vec<Finding>) -> Vec<Finding> {
    found
        .into_iter()
        .filter_map(|finding| {
            let Some(part) = parts
                .iter()
                .filter(|part| part.contains(finding.primary))
                .min_by_key(|part| part.span.len())
            else {
                return Some(finding);
            };
            if finding.category == Category::Correctness {
                return None;
            }
            let branch = if part.when { "true" } else { "false" };
            let message = format!(
                "present only when condition `{}` is {branch}",
                part.condition
            );
            Some(finding.with_related(part.span, message))
        })
        .collect()
}

/// The per-principal pass over the attached documents of one input: a principal's policies
/// all live in one Terraform module or one template, which is one input, so the documents
/// need not outlive it (on a large tree, keeping them all held most of the memory).
fn check_principals(
    result: &mut FileResult,
    sources: &SourceMap,
    rules: &Enabled<'_>,
    options: &CheckOptions,
) {
    let inventory = std::mem::take(&mut result.inventory);
    if (!result.documents.is_empty() || !inventory.is_empty()) && !rules.principal_wide.is_empty() {
        let path_of = |file: FileId| sources.get(file).path().to_path_buf();
        let found = principal::check(
            &result.documents,
            &inventory,
            &path_of,
            &rules.principal_wide,
            options.jobs != Some(1),
        );
        result.findings.extend(found);
    }
    if options.keep_inputs {
        result.inputs.push(GraphInput {
            // Set by the caller, which knows what was read.
            path: PathBuf::new(),
            documents: result
                .documents
                .iter()
                .filter(|d| !d.attachments.is_empty())
                .cloned()
                .collect(),
            inventory,
        });
    }
    if options.keep_documents {
        result.documents.retain(|d| !is_graph_only(d));
    } else {
        result.documents.clear();
    }
}

/// A document of a local child module read through a call that reads none of the call's
/// inputs (`Caller::graph_only`).
fn is_graph_only(document: &PolicyDocument) -> bool {
    document
        .origin
        .caller
        .as_ref()
        .is_some_and(|caller| caller.graph_only)
}

/// Drops the text of the files one input read that nothing reported points into, so a walk
/// over a large tree holds only the files it reports on, not every file it read. An input
/// whose documents are kept (`iamlint documents`) is kept whole.
fn release_unreported(sources: &SourceMap, read: &[FileId], result: &FileResult) {
    if !result.documents.is_empty() {
        return;
    }
    let mut reported: HashSet<FileId> = HashSet::new();
    for finding in result.findings.iter() {
        reported.insert(finding.primary.file);
        reported.extend(finding.related.iter().map(|label| label.span.file));
    }
    for suppression in &result.suppressions {
        reported.insert(suppression.at.file);
        reported.insert(suppression.scope.file);
    }
    for &file in read {
        if reported.contains(&file) {
            // The report locates findings by line: found here, on this input's thread,
            // rather than for every file at the end, on the thread that writes the report.
            sources.get(file).line_starts();
        } else {
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
    roots: &input::Roots,
    rules: &Enabled<'_>,
    options: &CheckOptions,
) -> FileResult {
    let mut result = FileResult {
        findings: rules.input_findings(),
        ..FileResult::default()
    };
    let mut texts = Vec::new();
    let mut requested = HashSet::new();
    for entry in files {
        let loaded = input::read_file(
            &entry.path,
            entry.explicit && !options.skip_unrecognized,
            entry.seen.as_ref(),
            options.max_file_size,
            roots,
        );
        match input::admit(loaded, sources) {
            Admitted::Text(file, source, _) => {
                if entry.requested {
                    requested.insert(file);
                    result.scanned += 1;
                    scan_suppression_comments(file, &source, options, &mut result);
                }
                texts.push((file, source));
            }
            // A sibling read only for references is none of the user's business.
            _ if !entry.requested => {}
            other => {
                let done = not_text(other);
                result.scanned += done.scanned;
                result.findings.append(done.findings);
                result.errors.extend(done.errors);
                result.skipped.extend(done.skipped);
            }
        }
    }
    if texts.is_empty() {
        return finish_input(result, rules, options);
    }
    let referenced = RefCell::new(texts.iter().map(|(file, _)| *file).collect::<Vec<_>>());
    let read = input::Reader {
        sources,
        max_file_size: options.max_file_size,
        roots,
        read: &referenced,
    };
    let extracted = terraform::extract_module(dir, &texts, &read);
    let owners: HashMap<FileId, FileId> = extracted.external.into_iter().collect();
    let reported = |file: FileId| {
        requested.contains(&file) || owners.get(&file).is_some_and(|o| requested.contains(o))
    };
    result.checked.extend(requested.iter().copied());
    for (&file, _) in owners.iter().filter(|&(&file, _)| reported(file)) {
        result.checked.push(file);
        // A child module's comments hold for what its callers find in it too.
        scan_suppression_comments(file, &sources.get(file), options, &mut result);
    }
    let extraction = extracted.extraction;
    result.findings.extend(
        extraction
            .diagnostics
            .into_iter()
            .filter(|d| reported(d.primary.file))
            .map(rules::finding_of),
    );
    if !options.no_suppressions {
        result.suppressions.extend(extraction.suppressions);
    }
    result.inventory = extraction.inventory;
    result.inventory.managed.retain(|m| reported(m.span.file));
    let mut documents = extraction.documents;
    cap_documents(&mut documents, options, &mut result.findings);
    let want_statements = options.needs_statement_sids() || !result.suppressions.is_empty();
    check_each(
        documents,
        |document| !is_graph_only(document),
        rules,
        options,
        &mut result,
        |result, document, found| {
            let Some(found) = found else {
                // A child module's own document: checked when the child is, it only joins
                // the caller's access graph.
                if reported(document.origin.file) && !document.attachments.is_empty() {
                    result.documents.push(document);
                }
                return;
            };
            let found = found.into_iter().filter(|f| reported(f.primary.file));
            match &document.origin.caller {
                Some(caller) => {
                    result.callers.push(caller.span);
                    let own: Option<Arc<str>> = document.origin.own_label().map(Arc::from);
                    result.findings.extend(found.map(|mut finding| {
                        finding.origin.clone_from(&own);
                        finding.with_related(
                            caller.span,
                            "analysed with the inputs of this module call",
                        )
                    }));
                }
                None => result.findings.extend(found),
            }
            if reported(document.origin.file) {
                result.documents_analyzed += 1;
                if want_statements {
                    result.statements.extend(statement_spans(&document));
                }
                // Attached documents also feed the per-principal pass of this input.
                if options.keep_documents || !document.attachments.is_empty() {
                    result.documents.push(document);
                }
            }
        },
    );
    drop((texts, read));
    check_principals(&mut result, sources, rules, options);
    release_unreported(sources, &referenced.into_inner(), &result);
    finish_input(result, rules, options)
}

/// Keeps the first `max-documents-per-file` documents of each file, in source order; the
/// rest of a file gets one `limit-exceeded` finding, at the first document left out.
fn cap_documents(
    documents: &mut Vec<PolicyDocument>,
    options: &CheckOptions,
    findings: &mut Findings,
) {
    let limit = options.config.limits.max_documents_per_file;
    if documents.len() <= limit {
        return;
    }
    let mut kept: HashMap<FileId, usize> = HashMap::new();
    let mut left_out: BTreeMap<FileId, (Span, usize)> = BTreeMap::new();
    documents.retain(|document| {
        // A child's own documents count when the child is checked.
        if is_graph_only(document) {
            return true;
        }
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
        findings.push(rules::finding_of(Problem::new(
            RuleId::LimitExceeded,
            span,
            format!(
                "this file holds {} policy documents, more than `max-documents-per-file` ({limit}); \
                 {count} of them, from this one on, are not checked",
                limit + count
            ),
        )));
    }
}

/// Collects the `# iamlint: ignore[...]` comments of a file the user asked about.
fn scan_suppression_comments(
    file: FileId,
    source: &SourceFile,
    options: &CheckOptions,
    result: &mut FileResult,
) {
    if !options.no_suppressions {
        let directives = suppressions::scan_comments(file, source);
        result.suppressions.extend(directives.suppressions);
        result
            .findings
            .extend(directives.problems.into_iter().map(rules::finding_of));
    }
}

/// The end of one input: findings of rules that do not run are dropped, the rest cut to
/// `max-findings-kept-per-file` with one `limit-exceeded` finding for those left out, and
/// handed on bounded per run.
fn finish_input(mut result: FileResult, rules: &Enabled<'_>, options: &CheckOptions) -> FileResult {
    let enabled = |finding: &Finding| {
        options.rule_enabled(finding.rule)
            && !(options.no_suppressions && finding.rule.is_about_suppressions())
    };
    result.findings.retain(enabled);
    let (kept, left_out) = std::mem::take(&mut result.findings).finish();
    let mut findings = rules.run_findings();
    if let Some(first) = kept.first().filter(|_| left_out > 0) {
        let limit = rules.max_findings_per_input;
        let note = rules::finding_of(Problem::new(
            RuleId::LimitExceeded,
            Span::new(first.primary.file, 0, 0),
            format!(
                "checking this file found {} findings, more than `max-findings-kept-per-file` \
                 ({limit}); {left_out} of them, the least severe, are not reported",
                limit + left_out
            ),
        ));
        if enabled(&note) {
            findings.push(note);
        }
    }
    findings.extend(kept);
    result.findings = findings;
    result
}

/// Every statement of a document: where it is written, and its `Sid` when it has one.
fn statement_spans(document: &PolicyDocument) -> Vec<(Option<String>, Span)> {
    policy::parse(document)
        .statements
        .iter()
        .map(|s| {
            let sid = s.sid.and_then(|sid| sid.as_str()).map(str::to_string);
            (sid, statement_extent(s.value))
        })
        .collect()
}

/// The text a statement is written in: its value's span, stretched to its members written
/// after it in the same file. A JSON or YAML statement's span already holds its members; an
/// `aws_iam_policy_document` `statement` block's is its header, and its arguments (`actions`,
/// `resources`) are the lines below. A value counts only where it is written right after
/// its key (`resources = [...]`): one read from a `local` may be anywhere in the file.
fn statement_extent(statement: &crate::base::value::Value) -> Span {
    /// Bytes between an argument's name and its value: ` = `, with alignment.
    const KEY_TO_VALUE: u32 = 32;
    let mut extent = statement.span;
    if let crate::base::value::ValueKind::Object(members) = &statement.kind {
        for member in members {
            let (key, value) = (member.key_span, member.value.span);
            if key.file != extent.file || key.start < extent.start {
                continue;
            }
            extent.end = extent.end.max(key.end);
            if value.file == key.file
                && value.start >= key.end
                && value.start - key.end <= KEY_TO_VALUE
            {
                extent.end = extent.end.max(value.end);
            }
        }
    }
    extent
}

fn one_finding(problem: Problem) -> Findings {
    let mut findings = Findings::default();
    findings.push(rules::finding_of(problem));
    findings
}

/// A file read but not extracted: nothing, an error, a skip, or one problem (not text).
fn not_text(admitted: Admitted) -> FileResult {
    match admitted {
        Admitted::Text(..) | Admitted::Nothing => FileResult::default(),
        Admitted::NotText(problem) => FileResult {
            scanned: 1,
            findings: one_finding(problem),
            ..FileResult::default()
        },
        Admitted::Error(error) => FileResult {
            errors: vec![error],
            ..FileResult::default()
        },
        Admitted::Unread(problem, skipped) => FileResult {
            findings: one_finding(problem),
            skipped: skipped.into_iter().collect(),
            ..FileResult::default()
        },
    }
}
