//! Walking the given paths (honouring `.gitignore` and the configuration's `exclude`) into
//! inputs: single files, standard input, and Terraform modules read together.

use super::git_index::tracked_files;
use super::ignore_rules::IgnoreRules;
use super::is_candidate;
use super::load::{RunError, Seen, Skipped, display};
use super::read::{files_to_keep_open, open_directory, open_in_directory, repository_root};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Directories never worth walking into, even when not ignored by `.gitignore`: `.git` never,
/// the others unless git tracks files in them (see [`tracked_under`]).
const SKIPPED_DIRECTORIES: &[&str] = &[".git", ".terraform", "node_modules"];

/// Whether a path is excluded by the configuration (shared with the parallel walker).
pub(crate) type Exclude = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// Whether a file is Terraform (`.tf`, `.tf.json`): its directory is one module.
pub(crate) fn is_terraform(path: &Path) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    // Compared in place: this is asked of every file a walk finds.
    let name = name.as_encoded_bytes();
    [b".tf".as_slice(), b".tf.json"].iter().any(|suffix| {
        name.len() >= suffix.len() && name[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    })
}

/// One thing to read: a file on disk, or standard input under a name.
#[derive(Clone, Debug)]
pub(crate) enum Input {
    File {
        path: PathBuf,
        explicit: bool,
        seen: Option<Seen>,
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
pub(crate) struct ModuleFile {
    pub path: PathBuf,
    pub explicit: bool,
    /// Named or walked, rather than a sibling read only to resolve references.
    pub requested: bool,
    pub seen: Option<Seen>,
}

/// Gathers the Terraform files of each directory into one module input. A directory walked
/// brings all its files; a file named alone brings its siblings, read only for references.
pub(crate) fn group_terraform(inputs: Vec<Input>) -> Vec<Input> {
    let mut out = Vec::new();
    let mut modules: BTreeMap<PathBuf, BTreeMap<PathBuf, (bool, Option<Seen>)>> = BTreeMap::new();
    for input in inputs {
        match input {
            Input::File {
                path,
                explicit,
                seen,
            } if is_terraform(&path) => {
                let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
                let member = modules
                    .entry(dir)
                    .or_default()
                    .entry(path)
                    .or_insert((explicit, seen));
                member.0 |= explicit;
            }
            other => out.push(other),
        }
    }
    for (dir, members) in modules {
        let walked = members.values().any(|(explicit, _)| !explicit);
        let mut files: Vec<ModuleFile> = members
            .iter()
            .map(|(path, (explicit, seen))| ModuleFile {
                path: path.clone(),
                explicit: *explicit,
                requested: true,
                seen: seen.clone(),
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
                    is_terraform(path)
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
                seen: None,
            }));
        }
        out.push(Input::Module { dir, files });
    }
    out
}

/// A path the run was given, with what the file system says of it (`None` for `-`, standard
/// input), asked once: the run learns from it whether it walks a directory before it starts
/// its threads, and [`discover`] what to do with the path.
pub(crate) struct Given<'p> {
    path: &'p Path,
    metadata: Option<std::io::Result<std::fs::Metadata>>,
}

impl Given<'_> {
    /// Each of `paths`, looked at.
    pub(crate) fn all(paths: &[PathBuf]) -> Vec<Given<'_>> {
        paths
            .iter()
            .map(|path| Given {
                path,
                metadata: (path.as_os_str() != "-").then(|| std::fs::metadata(path)),
            })
            .collect()
    }

    pub(crate) fn is_dir(&self) -> bool {
        matches!(&self.metadata, Some(Ok(metadata)) if metadata.is_dir())
    }
}

/// Every input under the given paths, sorted, with the paths that do not exist as errors and
/// the files `exclude` skips. Directories are walked on the current rayon pool when
/// `parallel`.
pub(crate) fn discover(
    given: Vec<Given<'_>>,
    stdin_filename: Option<&str>,
    skip_unrecognized: bool,
    exclude: &Exclude,
    parallel: bool,
) -> (Vec<Input>, Vec<RunError>, Vec<Skipped>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let mut skipped = Vec::new();
    let mut walked = Vec::new();
    // Asked when a directory is first walked: a run of named files keeps none open.
    let open_files_left = std::cell::OnceCell::new();
    let excluded = |path: &Path, skipped: &mut Vec<Skipped>| {
        let hit = exclude(path);
        if hit {
            skipped.push(Skipped {
                path: display(path),
                reason: "excluded by the configuration".into(),
            });
        }
        hit
    };
    for Given { path, metadata } in given {
        let Some(metadata) = metadata else {
            let name = PathBuf::from(stdin_filename.unwrap_or("<stdin>"));
            let unrecognized =
                skip_unrecognized && stdin_filename.is_some() && !is_candidate(&name);
            if stdin_filename.is_none() || !(unrecognized || excluded(&name, &mut skipped)) {
                inputs.push(Input::Stdin { name });
            }
            continue;
        };
        match metadata {
            // Excluded paths are skipped even when named: pre-commit and editors name files.
            _ if excluded(path, &mut skipped) => {}
            Ok(metadata) if metadata.is_dir() => {
                let open_files_left =
                    open_files_left.get_or_init(|| AtomicUsize::new(files_to_keep_open()));
                walk(
                    path,
                    exclude,
                    parallel,
                    open_files_left,
                    &mut walked,
                    &mut errors,
                );
            }
            Ok(metadata) if metadata.is_file() => {
                if skip_unrecognized && !is_candidate(path) {
                    continue;
                }
                inputs.push(Input::File {
                    path: clean(path),
                    explicit: true,
                    seen: None,
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
    inputs.extend(
        sorted_unique(walked, |(path, _)| path, parallel)
            .into_iter()
            .map(|(path, seen)| Input::File {
                path,
                explicit: false,
                seen,
            }),
    );
    (inputs, errors, skipped)
}

/// A path's components as one byte string that compares as the components do: each one a
/// tag byte in the order of `Component`'s variants, then its text, and a `0` between them,
/// a byte no path holds, so a component that is a prefix of another sorts first. (Windows
/// prefixes of different kinds, `C:` and `\\?\C:`, compare by their text.)
pub(crate) fn order_key(path: &Path) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut key = Vec::with_capacity(bytes.len() + 8);
    if cfg!(unix) && has_only_normal_components(bytes) {
        // The same key, written byte by byte: splitting into components took most of the
        // time of finding the keys of a large walk.
        let relative = match bytes.strip_prefix(b"/") {
            Some(rest) => {
                key.extend_from_slice(&[2, 0]);
                rest
            }
            None => bytes,
        };
        key.push(5);
        for &byte in relative {
            if byte == b'/' {
                key.extend_from_slice(&[0, 5]);
            } else {
                key.push(byte);
            }
        }
        return key;
    }
    components_key(path, key)
}

/// [`order_key`] by `Path::components`, appended to `key`.
fn components_key(path: &Path, mut key: Vec<u8>) -> Vec<u8> {
    for (index, component) in path.components().enumerate() {
        if index > 0 {
            key.push(0);
        }
        let (tag, text) = match component {
            Component::Prefix(prefix) => (1, prefix.as_os_str()),
            Component::RootDir => (2, OsStr::new("")),
            Component::CurDir => (3, OsStr::new("")),
            Component::ParentDir => (4, OsStr::new("")),
            Component::Normal(name) => (5, name),
        };
        key.push(tag);
        key.extend_from_slice(text.as_encoded_bytes());
    }
    key
}

/// Whether a Unix path, after an optional leading `/`, is only names between single
/// slashes: no `.` or `..` component, no empty one (`a//b`, a trailing `/`), which
/// `Path::components` would drop or tag apart.
fn has_only_normal_components(bytes: &[u8]) -> bool {
    let relative = bytes.strip_prefix(b"/").unwrap_or(bytes);
    !relative.is_empty()
        && relative
            .split(|&byte| byte == b'/')
            .all(|name| !matches!(name, b"" | b"." | b".."))
}

/// `./a/b.json` is reported as `a/b.json`.
fn clean(path: &Path) -> PathBuf {
    path.strip_prefix(".")
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// `items` in the `Path` order of their paths (component by component) without repeats, the
/// first of equal paths kept: what a `BTreeSet` gives, with each path turned into an
/// [`order_key`] once rather than split into components at every comparison (3% of a run
/// over bench's JSON corpus when they were compared as lists of components).
///
/// `parallel`: a walk of many files has its keys found and sorted on the current pool (the
/// other threads were otherwise idle for the two milliseconds this took for ten thousand).
fn sorted_unique<T: Sync>(
    items: Vec<T>,
    path: impl Fn(&T) -> &Path + Sync,
    parallel: bool,
) -> Vec<T> {
    let order: Vec<usize> = {
        let key = |(index, item): (usize, &T)| (order_key(path(item)), index);
        let mut keyed: Vec<(Vec<u8>, usize)>;
        if parallel && items.len() >= PARALLEL_SORT {
            keyed = items.par_iter().enumerate().map(key).collect();
            keyed.par_sort_unstable();
        } else {
            keyed = items.iter().enumerate().map(key).collect();
            keyed.sort_unstable();
        }
        keyed.dedup_by(|later, first| later.0 == first.0);
        keyed.into_iter().map(|(_, index)| index).collect()
    };
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|index| slots[index].take())
        .collect()
}

/// Walks of at least this many files have their paths sorted on every thread.
const PARALLEL_SORT: usize = 1024;

/// Directories with at least this many candidate files have their sizes asked on every
/// thread: a system call each, which for the thousands of files of one flat directory kept
/// the other threads waiting.
const PARALLEL_SIZES_PER_DIRECTORY: usize = 64;

/// One walk of a directory tree: what its directories, read on whichever threads are free,
/// share.
struct Walk<'a> {
    root: &'a Path,
    exclude: &'a Exclude,
    ignore_rules: IgnoreRules,
    found: Mutex<Vec<(PathBuf, Option<Seen>)>>,
    errors: Mutex<Vec<RunError>>,
    /// How many more files may be kept open for the reader.
    open_files_left: &'a AtomicUsize,
}

impl Walk<'_> {
    /// Walks each subdirectory of `dir` as a task of the current rayon pool.
    fn descend<'s>(&'s self, scope: &rayon::Scope<'s>, dir: &Path) {
        for subdirectory in self.read_directory(dir, true) {
            scope.spawn(move |scope| self.descend(scope, &subdirectory));
        }
    }

    /// Records the candidate files of one directory, with their sizes, and returns its
    /// subdirectories to walk. `parallel`: a large directory's sizes are asked on the pool.
    fn read_directory(&self, dir: &Path, parallel: bool) -> Vec<PathBuf> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) => {
                self.error(dir, &error);
                return Vec::new();
            }
        };
        let mut subdirectories = Vec::new();
        let mut files = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    self.error(dir, &error);
                    continue;
                }
            };
            let path = entry.path();
            let file_type = match entry.file_type() {
                Ok(file_type) => file_type,
                Err(error) => {
                    self.error(&path, &error);
                    continue;
                }
            };
            let is_dir = file_type.is_dir();
            if is_dir && SKIPPED_DIRECTORIES.iter().any(|d| entry.file_name() == *d)
                || (self.exclude)(&path)
                || self.ignore_rules.is_ignored(&path, is_dir)
            {
                continue;
            }
            if is_dir {
                subdirectories.push(path);
            } else if (file_type.is_file() || file_type.is_symlink()) && is_candidate(&path) {
                // A symlink is read only if it resolves to a regular file inside the
                // repository (the reader checks), else reported.
                files.push((entry, path, file_type.is_symlink()));
            }
        }
        // A regular file is opened here, by its name in the open directory, and kept open
        // for the reader: its size is asked of the opened file, and it is not looked up
        // again. Past the run's share of open files, and for a symlink, the size of the
        // entry itself (a symlink's own) is asked of the open directory instead.
        let may_keep_any = self.open_files_left.load(Ordering::Relaxed) > 0
            && files.iter().any(|&(_, _, is_symlink)| !is_symlink);
        let directory = may_keep_any.then(|| open_directory(dir)).flatten();
        let seen = |(entry, path, is_symlink): (std::fs::DirEntry, PathBuf, bool)| {
            let opened = directory
                .as_ref()
                .filter(|_| !is_symlink && self.may_keep_open())
                .and_then(|directory| open_in_directory(directory, &entry.file_name()));
            let seen = match opened {
                Some((opened, size)) => Seen {
                    is_symlink,
                    size: Some(size),
                    opened: Some(opened),
                },
                None => Seen {
                    is_symlink,
                    size: entry.metadata().ok().map(|m| m.len()),
                    opened: None,
                },
            };
            (clean(&path), Some(seen))
        };
        let files: Vec<_> = if parallel && files.len() >= PARALLEL_SIZES_PER_DIRECTORY {
            files.into_par_iter().map(seen).collect()
        } else {
            files.into_iter().map(seen).collect()
        };
        lock(&self.found).extend(files);
        subdirectories
    }

    /// Whether one more file may be kept open: see [`files_to_keep_open`].
    fn may_keep_open(&self) -> bool {
        self.open_files_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(1)
            })
            .is_ok()
    }

    fn error(&self, path: &Path, error: &std::io::Error) {
        lock(&self.errors).push(RunError {
            path: display(self.root),
            message: format!("{}: {error}", path.display()),
        });
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Walks `root` into `found`, on the current rayon pool when `parallel` (each directory a
/// task, so that the threads that check the files also find them and no other thread
/// starts), else on the calling thread.
///
/// `open_files_left`: how many more files the walks of this run may keep open for the
/// reader (see [`files_to_keep_open`]), shared by the walks of all the paths given, whose
/// files are read after the last of them.
fn walk(
    root: &Path,
    exclude: &Exclude,
    parallel: bool,
    open_files_left: &AtomicUsize,
    found: &mut Vec<(PathBuf, Option<Seen>)>,
    errors: &mut Vec<RunError>,
) {
    let repository = repository_root(root);
    // The same files on every machine: hidden folders are read (`.deploy/main.tf` deploys
    // too), and neither the user's global excludes file nor `.git/info/exclude`, both
    // local to one machine, is read. The repository's own `.gitignore` and `.ignore` files
    // are, by `IgnoreRules`, which does not follow one that is a symlink to a device.
    let walk = Walk {
        root,
        exclude,
        ignore_rules: IgnoreRules::new(root, &repository),
        found: Mutex::new(Vec::new()),
        errors: Mutex::new(Vec::new()),
        open_files_left,
    };
    if parallel {
        rayon::scope(|scope| walk.descend(scope, root));
    } else {
        let mut pending = vec![root.to_path_buf()];
        while let Some(dir) = pending.pop() {
            pending.extend(walk.read_directory(&dir, false));
        }
    }
    found.extend(walk.found.into_inner().unwrap_or_else(|e| e.into_inner()));
    found.extend(tracked_under(root, &repository, exclude));
    let mut walk_errors = walk.errors.into_inner().unwrap_or_else(|e| e.into_inner());
    walk_errors.sort_by(|a, b| a.message.cmp(&b.message));
    errors.extend(walk_errors);
}

/// The candidate files git tracks under a walked directory, whatever the ignore rules say
/// (they apply only to untracked files), as the walk would name them.
fn tracked_under(walked: &Path, root: &Path, exclude: &Exclude) -> Vec<(PathBuf, Option<Seen>)> {
    let Some(tracked) = tracked_files(root) else {
        return Vec::new();
    };
    let Some(below) = std::fs::canonicalize(walked)
        .ok()
        .and_then(|dir| dir.strip_prefix(root).ok().map(Path::to_path_buf))
    else {
        return Vec::new();
    };
    tracked
        .into_iter()
        .filter_map(|path| {
            let inside = path.strip_prefix(&below).ok()?;
            let path = clean(&walked.join(inside));
            let seen = std::fs::symlink_metadata(&path)
                .ok()
                .filter(|m| !m.is_dir())
                .map(|m| Seen {
                    is_symlink: m.file_type().is_symlink(),
                    // What git tracks is a file or a symlink; anything else in its place
                    // now is left to the reader to report.
                    size: (m.is_file() || m.is_symlink()).then_some(m.len()),
                    opened: None,
                });
            let in_git_dir = inside.components().any(|c| c.as_os_str() == ".git");
            (seen.is_some()
                && !in_git_dir
                && is_candidate(&path)
                && !excluded_or_within(&path, exclude))
            .then_some((path, seen))
        })
        .collect()
}

/// Whether `exclude` matches the path or one of the directories it is in, as the walk would
/// have pruned it.
fn excluded_or_within(path: &Path, exclude: &Exclude) -> bool {
    path.ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .any(|p| exclude(p))
}

#[cfg(test)]
mod tests {
    use super::{PARALLEL_SORT, components_key, order_key, sorted_unique};
    use std::collections::BTreeSet;
    use std::path::PathBuf;
    use std::sync::atomic::AtomicUsize;

    /// What a walk of `dir` finds, nothing excluded; it must meet no error.
    fn walked(
        dir: &std::path::Path,
        parallel: bool,
        open_files_left: &AtomicUsize,
    ) -> Vec<(PathBuf, Option<super::Seen>)> {
        let exclude: super::Exclude = std::sync::Arc::new(|_: &std::path::Path| false);
        let (mut found, mut errors) = (Vec::new(), Vec::new());
        super::walk(
            dir,
            &exclude,
            parallel,
            open_files_left,
            &mut found,
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        found
    }

    #[test]
    fn order_keys_written_byte_by_byte_are_the_components_keys() {
        let paths = [
            "a",
            "a/b.json",
            "/r/z.tf",
            "/",
            ".",
            "./a",
            "a/./b",
            "a/../b",
            "a//b",
            "a/b/",
            ".deploy/main.tf",
            "..a/b..",
            "é/x y",
        ];
        for path in paths {
            let path = std::path::Path::new(path);
            assert_eq!(
                order_key(path),
                components_key(path, Vec::new()),
                "{path:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn order_keys_agree_with_components(path in "(/?)([a.]{0,2}/{0,2}){0,5}") {
            let path = std::path::Path::new(&path);
            proptest::prop_assert_eq!(order_key(path), components_key(path, Vec::new()));
        }
    }

    /// Past the files a run may keep open, shared by the walks of all its paths, a file's
    /// size is asked of its directory and the reader opens it by its path.
    #[cfg(unix)]
    #[test]
    fn files_past_the_share_kept_open_are_not_kept_open() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.json", "b.json", "c.json"] {
            std::fs::write(dir.path().join(name), "{}").unwrap();
        }
        let open_files_left = AtomicUsize::new(1);
        let found = walked(dir.path(), false, &open_files_left);
        let seen: Vec<_> = found
            .iter()
            .map(|(_, seen)| seen.as_ref().unwrap())
            .collect();
        assert_eq!(seen.len(), 3);
        assert_eq!(seen.iter().filter(|seen| seen.opened.is_some()).count(), 1);
        assert!(seen.iter().all(|seen| seen.size == Some(2)));
        assert_eq!(open_files_left.into_inner(), 0);
    }

    /// The walk asks each file's size on its own threads, so that scheduling does not ask
    /// again: a symlink's is the link's own, which is not followed for it.
    #[cfg(unix)]
    #[test]
    fn the_walk_keeps_each_files_own_size() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("policy.json"), "x".repeat(4321)).unwrap();
        let target = dir.path().join("elsewhere.txt");
        std::fs::write(&target, "y".repeat(99_999)).unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join("link.json")).unwrap();
        let open_files_left = AtomicUsize::new(super::files_to_keep_open());
        let found = walked(dir.path(), true, &open_files_left);
        let size = |name: &str| {
            found
                .iter()
                .find(|(path, _)| path.ends_with(name))
                .and_then(|(_, seen)| seen.as_ref().and_then(|seen| seen.size))
        };
        assert_eq!(size("policy.json"), Some(4321));
        let link_length = std::fs::symlink_metadata(dir.path().join("link.json"))
            .unwrap()
            .len();
        assert_eq!(size("link.json"), Some(link_length));
        assert_ne!(link_length, 99_999);
    }

    /// `--jobs 1` walks on the calling thread; any other count on the pool: the same files.
    #[test]
    fn the_walk_finds_the_same_files_on_one_thread_as_on_the_pool() {
        let dir = tempfile::tempdir().unwrap();
        for path in [
            "a/b/c/p.json",
            "a/q.tf",
            "a/b/skip.txt",
            "d/node_modules/m.json",
            "r.yaml",
        ] {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{}").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("r.yaml"), dir.path().join("link.json"))
            .unwrap();
        let found = |parallel: bool| {
            let open_files_left = AtomicUsize::new(super::files_to_keep_open());
            let found = walked(dir.path(), parallel, &open_files_left);
            // Regular files are kept open for the reader (here, far below the limit), a
            // symlink never: it is resolved by its path and confined to the repository.
            for (path, seen) in &found {
                let seen = seen.as_ref().unwrap();
                let kept = cfg!(unix) && !seen.is_symlink;
                assert_eq!(seen.opened.is_some(), kept, "{}", path.display());
                if !seen.is_symlink {
                    assert_eq!(seen.size, Some(2));
                }
            }
            let mut paths: Vec<PathBuf> = found.into_iter().map(|(path, _)| path).collect();
            paths.sort();
            paths
        };
        let mut expected: Vec<PathBuf> = ["a/b/c/p.json", "a/q.tf", "r.yaml"]
            .iter()
            .map(|path| dir.path().join(path))
            .collect();
        if cfg!(unix) {
            expected.push(dir.path().join("link.json"));
            expected.sort();
        }
        assert_eq!(found(false), expected);
        assert_eq!(found(true), expected);
    }

    #[test]
    fn walked_paths_come_in_btree_order_without_repeats() {
        let paths: Vec<PathBuf> = [
            "a-b/x.json",
            "a/b.json",
            "a",
            "a//b.json",
            "/r/z.tf",
            "a/b.json",
            "A/b.json",
            "a/./b.json",
            "b.tf",
            "a-b",
            "../x.json",
            "./a/b.json",
            "-x/y.json",
            ".a/b.json",
            "..a/b.json",
            "/",
            "a/b.json/c",
            "a/b",
        ]
        .into_iter()
        .map(PathBuf::from)
        .collect();
        // Inserted one by one, as the walk's set was filled (`collect` would keep the last of
        // equal paths).
        let mut set = BTreeSet::new();
        set.extend(paths.iter().cloned());
        let expected: Vec<PathBuf> = set.into_iter().collect();
        // Compared as text: `Path` equality would not tell `a/./b.json` from `a/b.json`, of
        // which the set keeps the first inserted.
        let text = |paths: &[PathBuf]| -> Vec<String> {
            paths.iter().map(|p| p.display().to_string()).collect()
        };
        assert_eq!(
            text(&sorted_unique(paths.clone(), PathBuf::as_path, false)),
            text(&expected)
        );
        // Sorted on the pool, as a large walk is: the same order, the same first of equals.
        let many: Vec<PathBuf> = (0..PARALLEL_SORT)
            .flat_map(|n| {
                paths
                    .iter()
                    .map(move |path| path.join(format!("{}", n % 97)))
            })
            .collect();
        assert_eq!(
            text(&sorted_unique(many.clone(), PathBuf::as_path, true)),
            text(&sorted_unique(many, PathBuf::as_path, false))
        );
    }
}
