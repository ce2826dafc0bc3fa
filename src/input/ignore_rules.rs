//! `.gitignore` and `.ignore` files, read through the one reader rather than by the walker:
//! a repository can commit `.gitignore` as a symlink to `/dev/zero` or `/dev/stdin`, which
//! the walker's own reading would follow until memory ran out, or block on.
//!
//! Git's order: the files of every directory from the repository root down to the entry's
//! own directory apply, a deeper one over a shallower one, and in one directory `.ignore`
//! over `.gitignore` (ripgrep's convention, which iamlint has always honoured). A directory
//! that is ignored is not walked, so an entry is only matched against its own path.

use super::read::read_regular;
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// An ignore file larger than this is not read (they are a few hundred bytes).
const MAX_IGNORE_FILE_SIZE: u64 = 1024 * 1024;

const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore"];

pub(crate) struct IgnoreRules {
    /// The repository root (or the walked directory outside git), absolute: no ignore file
    /// above it applies.
    top: PathBuf,
    /// The walked directory as given, and as an absolute path, to turn walked paths into
    /// absolute ones.
    walked: PathBuf,
    walked_absolute: PathBuf,
    /// The rules of each directory seen, `None` when it has no ignore file.
    by_directory: Mutex<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
    /// The rules that apply to the entries of each walked directory, deepest first, by the
    /// directory's path as the walker names it. Keyed by its bytes: `Path`'s own hash and
    /// comparisons go component by component, and this is asked once per walked entry.
    by_walked_directory: RwLock<FxHashMap<OsString, RuleStack>>,
}

/// Ignore rules of a directory and its ancestors up to the top, deepest first.
type RuleStack = Arc<[Arc<Gitignore>]>;

impl IgnoreRules {
    pub(crate) fn new(walked: &Path, top: &Path) -> IgnoreRules {
        IgnoreRules {
            top: top.to_path_buf(),
            walked: walked.to_path_buf(),
            walked_absolute: std::fs::canonicalize(walked).unwrap_or_else(|_| walked.into()),
            by_directory: Mutex::new(HashMap::new()),
            by_walked_directory: RwLock::new(FxHashMap::default()),
        }
    }

    /// Whether a walked path (as the walker names it) is ignored.
    pub(crate) fn is_ignored(&self, path: &Path, is_dir: bool) -> bool {
        let Some(parent) = path.parent() else {
            return false;
        };
        let stack = self.rules_of_walked_directory(parent);
        if stack.is_empty() {
            return false;
        }
        let Ok(below) = path.strip_prefix(&self.walked) else {
            return false;
        };
        let absolute = self.walked_absolute.join(below);
        // The deepest directory with a verdict decides.
        for rules in stack.iter() {
            match rules.matched(&absolute, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }

    /// The rules that apply to the entries of `walked_dir` (as the walker names it): those
    /// of its directory and every ancestor up to the top, deepest first.
    fn rules_of_walked_directory(&self, walked_dir: &Path) -> RuleStack {
        // Read under a shared lock: every entry of a directory asks, from every walk thread.
        if let Some(stack) = self
            .by_walked_directory
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(walked_dir.as_os_str())
        {
            return Arc::clone(stack);
        }
        let mut stack = Vec::new();
        if let Ok(below) = walked_dir.strip_prefix(&self.walked) {
            let absolute = self.walked_absolute.join(below);
            for dir in absolute.ancestors() {
                stack.extend(self.rules_of(dir));
                if dir == self.top || !dir.starts_with(&self.top) {
                    break;
                }
            }
        }
        let stack: RuleStack = stack.into();
        self.by_walked_directory
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(walked_dir.as_os_str().to_owned(), Arc::clone(&stack));
        stack
    }

    fn rules_of(&self, dir: &Path) -> Option<Arc<Gitignore>> {
        let mut cache = self.by_directory.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(dir.to_path_buf())
            .or_insert_with(|| read_rules(dir))
            .clone()
    }
}

/// The rules of one directory's ignore files. Only regular files are read (a symlinked
/// ignore file is left out: fewer files ignored is the safe side), and a line that is not a
/// valid pattern is skipped, as git skips it.
fn read_rules(dir: &Path) -> Option<Arc<Gitignore>> {
    let mut builder = GitignoreBuilder::new(dir);
    let mut any = false;
    for name in IGNORE_FILES {
        let path = dir.join(name);
        let is_regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
        if !is_regular {
            continue;
        }
        let Ok(bytes) = read_regular(&path, MAX_IGNORE_FILE_SIZE) else {
            continue;
        };
        for line in String::from_utf8_lossy(&bytes).lines() {
            any |= builder.add_line(Some(path.clone()), line).is_ok();
        }
    }
    if !any {
        return None;
    }
    builder.build().ok().map(Arc::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deeper_files_and_negations_decide() {
        let temp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(temp.path()).unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join(".gitignore"), "*.json\nbuild/\n").unwrap();
        std::fs::write(root.join("a/.gitignore"), "!keep.json\n").unwrap();
        let rules = IgnoreRules::new(&root, &root);
        assert!(rules.is_ignored(&root.join("x.json"), false));
        assert!(rules.is_ignored(&root.join("a/b/x.json"), false));
        assert!(!rules.is_ignored(&root.join("a/keep.json"), false));
        assert!(rules.is_ignored(&root.join("a/build"), true));
        assert!(!rules.is_ignored(&root.join("a/main.tf"), false));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_ignore_file_is_not_read() {
        let temp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(temp.path()).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join(".gitignore")).unwrap();
        let rules = IgnoreRules::new(&root, &root);
        assert!(!rules.is_ignored(&root.join("x.json"), false));
    }
}
