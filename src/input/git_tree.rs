//! One revision of a git repository, read from git's objects without checking it out: what
//! `iamlint diff` analyses instead of the file system. The `git` command is run with fixed
//! arguments and no shell (`ls-tree` and `cat-file`, plumbing that runs no configured program
//! such as a filter or a hook), and what it prints is untrusted bytes: a path is taken as
//! written, confined to the tree, and a blob is read only within the size limit.

use super::{Input, is_candidate, is_terraform, normalize};
use crate::base::unread::Unread;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// A symlink pointing at a symlink is followed this many times at most.
const MAX_LINKS: usize = 8;

/// The files of one revision, by path relative to the repository root.
#[derive(Debug)]
pub struct Snapshot {
    /// The repository's working directory, where `git` runs.
    repository: PathBuf,
    /// The commit, as `git rev-parse` resolved it.
    pub commit: String,
    files: BTreeMap<PathBuf, Entry>,
    max_file_size: u64,
}

#[derive(Debug)]
enum Entry {
    /// A regular file: its object id and size, and its bytes once read (candidates are read
    /// in one batch; a file the code names with `file()` when first named).
    Blob {
        object: String,
        size: u64,
        bytes: OnceLock<Option<Vec<u8>>>,
    },
    /// A symlink, with its target as git stores it (a blob's text).
    Symlink { object: String },
    /// A submodule (a commit), not read.
    Other,
}

/// Why a revision could not be read.
#[derive(Debug)]
pub struct GitError(pub String);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The top level of the git repository holding `dir`.
pub fn repository_of(dir: &Path) -> Result<PathBuf, GitError> {
    let out = git(dir, &["rev-parse", "--show-toplevel"], None)?;
    let text =
        String::from_utf8(out).map_err(|_| GitError("git printed a non-UTF-8 path".into()))?;
    Ok(PathBuf::from(text.trim_end_matches(['\n', '\r'])))
}

impl Snapshot {
    /// Reads `revision` of the repository at `repository`: its tree, and the bytes of every
    /// candidate file (by name, as `check` recognises them) and of the `also` files (the
    /// configuration), in one `git cat-file --batch`. Other files are read when the code
    /// names them.
    pub fn read(
        repository: &Path,
        revision: &str,
        max_file_size: u64,
        also: &[&Path],
    ) -> Result<Snapshot, GitError> {
        // A revision is an argument, never an option.
        if revision.starts_with('-') || revision.is_empty() {
            return Err(GitError(format!("`{revision}` is not a revision")));
        }
        let spec = format!("{revision}^{{commit}}");
        let commit = git(
            repository,
            &["rev-parse", "--verify", "--quiet", &spec],
            None,
        )
        .ok()
        .and_then(|out| String::from_utf8(out).ok())
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty() && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| GitError(format!("`{revision}` is not a commit of this repository")))?;
        let listing = git(
            repository,
            &["ls-tree", "-r", "-z", "-l", "--full-tree", &commit],
            None,
        )?;
        let mut snapshot = Snapshot {
            repository: repository.to_path_buf(),
            commit,
            files: parse_tree(&listing),
            max_file_size,
        };
        let batch: Vec<PathBuf> = snapshot
            .files
            .iter()
            .filter(|(path, entry)| {
                matches!(entry, Entry::Blob { size, .. } if *size <= max_file_size)
                    && (is_candidate(path) || also.contains(&path.as_path()))
            })
            .map(|(path, _)| path.clone())
            .collect();
        snapshot.read_batch(&batch)?;
        Ok(snapshot)
    }

    /// The same revision read within another size limit (a revision's own configuration
    /// may set one): files above the first limit are read when first needed.
    pub fn with_limit(mut self, max_file_size: u64) -> Snapshot {
        self.max_file_size = max_file_size;
        self
    }

    /// The inputs of the revision, as a walk of the repository would find them: candidate
    /// files (symlinks included: the reader decides) that `wanted` keeps, in path order.
    pub(crate) fn inputs(&self, wanted: &dyn Fn(&Path) -> bool) -> Vec<Input> {
        self.files
            .iter()
            .filter(|(path, entry)| {
                !matches!(entry, Entry::Other) && is_candidate(path) && wanted(path)
            })
            .map(|(path, _)| Input::File {
                path: path.clone(),
                explicit: false,
                seen: None,
            })
            .collect()
    }

    /// The text of a file of the revision, if it has one that is UTF-8 within the limit.
    pub fn text(&self, path: &Path) -> Option<String> {
        String::from_utf8(self.bytes(path).ok()?).ok()
    }

    /// The bytes of the regular file at `path` (after symlinks inside the tree), within the
    /// size limit.
    pub(crate) fn bytes(&self, path: &Path) -> Result<Vec<u8>, Unread> {
        let path = self.resolve(path)?;
        match self.files.get(&path) {
            Some(Entry::Blob {
                object,
                size,
                bytes,
            }) => {
                if *size > self.max_file_size {
                    return Err(Unread::TooLarge {
                        size: *size,
                        limit: self.max_file_size,
                    });
                }
                bytes
                    .get_or_init(|| self.cat_blob(object, *size))
                    .clone()
                    .ok_or_else(|| Unread::Failed("git cat-file failed".into()))
            }
            Some(_) => Err(Unread::NotRegular),
            None if self.is_directory(&path) => Err(Unread::NotRegular),
            None => Err(Unread::Missing),
        }
    }

    /// The Terraform files directly in `dir` (a local module's directory).
    pub(crate) fn terraform_files(&self, dir: &Path) -> Result<Vec<PathBuf>, Unread> {
        let dir = self.resolve(dir)?;
        if !self.is_directory(&dir) {
            return Err(if self.files.contains_key(&dir) {
                Unread::NotRegular
            } else {
                Unread::Missing
            });
        }
        Ok(self
            .files
            .keys()
            .filter(|path| path.parent() == Some(dir.as_path()) && is_terraform(path))
            .cloned()
            .collect())
    }

    fn is_directory(&self, dir: &Path) -> bool {
        self.files
            .range(dir.to_path_buf()..)
            .next()
            .is_some_and(|(path, _)| path != dir && path.starts_with(dir))
            || dir.as_os_str().is_empty()
    }

    /// `path` inside the tree, after `.`, `..` and symlinks (each followed inside the tree
    /// only: the repository is untrusted, and a link out of it is not read).
    fn resolve(&self, path: &Path) -> Result<PathBuf, Unread> {
        let outside = || Unread::OutsideRoot { root: ".".into() };
        let mut current = inside(path).ok_or_else(outside)?;
        for _ in 0..=MAX_LINKS {
            // A symlinked directory on the way is followed as well.
            let mut resolved = PathBuf::new();
            let mut link_found = None;
            for component in current.components() {
                resolved.push(component);
                if let Some(Entry::Symlink { object }) = self.files.get(&resolved) {
                    link_found = Some((resolved.clone(), object.clone()));
                    break;
                }
            }
            let Some((link, object)) = link_found else {
                if current.components().any(|c| c.as_os_str() == ".git") {
                    return Err(Unread::InGitDirectory);
                }
                return Ok(current);
            };
            let target = self
                .cat_blob(&object, 4096)
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| Unread::Failed("git cat-file failed".into()))?;
            if Path::new(&target).is_absolute() {
                return Err(outside());
            }
            let rest = current.strip_prefix(&link).unwrap_or(Path::new(""));
            let base = link.parent().unwrap_or(Path::new(""));
            current = inside(&base.join(target).join(rest)).ok_or_else(outside)?;
        }
        Err(Unread::NotRegular)
    }

    fn read_batch(&mut self, paths: &[PathBuf]) -> Result<(), GitError> {
        if paths.is_empty() {
            return Ok(());
        }
        let mut request = String::new();
        for path in paths {
            if let Some(Entry::Blob { object, .. }) = self.files.get(path) {
                request.push_str(object);
                request.push('\n');
            }
        }
        let out = git(
            &self.repository,
            &["cat-file", "--batch"],
            Some(request.into_bytes()),
        )?;
        let mut rest = out.as_slice();
        for path in paths {
            let Some(Entry::Blob { size, bytes, .. }) = self.files.get(path) else {
                continue;
            };
            let Some((content, after)) = batch_entry(rest, *size) else {
                return Err(GitError("git cat-file printed an unexpected answer".into()));
            };
            let _ = bytes.set(content.map(<[u8]>::to_vec));
            rest = after;
        }
        Ok(())
    }

    fn cat_blob(&self, object: &str, limit: u64) -> Option<Vec<u8>> {
        let bytes = git(&self.repository, &["cat-file", "blob", object], None).ok()?;
        (bytes.len() as u64 <= limit).then_some(bytes)
    }
}

/// A path relative to the tree, without `.` and `..`; `None` when it leads out.
fn inside(path: &Path) -> Option<PathBuf> {
    let normal = normalize(path);
    normal
        .components()
        .all(|component| matches!(component, Component::Normal(_)))
        .then_some(normal)
}

/// The entries of `git ls-tree -r -z -l`: `<mode> <type> <object> <size>\t<path>\0`.
fn parse_tree(listing: &[u8]) -> BTreeMap<PathBuf, Entry> {
    let mut files = BTreeMap::new();
    for record in listing.split(|&b| b == 0).filter(|r| !r.is_empty()) {
        let Some(tab) = record.iter().position(|&b| b == b'\t') else {
            continue;
        };
        let (Ok(header), Ok(path)) = (
            std::str::from_utf8(&record[..tab]),
            std::str::from_utf8(&record[tab + 1..]),
        ) else {
            continue;
        };
        let fields: Vec<&str> = header.split_whitespace().collect();
        let [mode, kind, object, size] = fields[..] else {
            continue;
        };
        if !object.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let Some(path) = inside(Path::new(path)) else {
            continue;
        };
        let entry = match (mode, kind) {
            ("120000", "blob") => Entry::Symlink {
                object: object.to_string(),
            },
            (_, "blob") => Entry::Blob {
                object: object.to_string(),
                size: size.parse().unwrap_or(u64::MAX),
                bytes: OnceLock::new(),
            },
            _ => Entry::Other,
        };
        files.insert(path, entry);
    }
    files
}

/// One answer of `git cat-file --batch`: `<object> blob <size>\n<content>\n`, the content
/// (`None` for `missing`), and the rest.
fn batch_entry(out: &[u8], expected: u64) -> Option<(Option<&[u8]>, &[u8])> {
    let newline = out.iter().position(|&b| b == b'\n')?;
    let header = std::str::from_utf8(&out[..newline]).ok()?;
    let rest = &out[newline + 1..];
    if header.ends_with(" missing") {
        return Some((None, rest));
    }
    let size: usize = header.rsplit(' ').next()?.parse().ok()?;
    if size as u64 != expected || rest.len() < size + 1 {
        return None;
    }
    Some((Some(&rest[..size]), &rest[size + 1..]))
}

/// Runs `git` in `dir` with fixed arguments, feeding `input`; its standard output, or what
/// it said went wrong.
fn git(dir: &Path, args: &[&str], input: Option<Vec<u8>>) -> Result<Vec<u8>, GitError> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        // Reading only: no lock on the index, no pager, no prompt.
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_PAGER", "cat")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| GitError(format!("cannot run git: {error}")))?;
    // Written from another thread: git answers while it reads, and a full pipe either way
    // would stop both.
    let writer = input.and_then(|bytes| {
        let mut stdin = child.stdin.take()?;
        Some(std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        }))
    });
    let mut stdout = Vec::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_end(&mut stdout);
    }
    let mut stderr = Vec::new();
    if let Some(err) = child.stderr.take() {
        let _ = err.take(4096).read_to_end(&mut stderr);
    }
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    let status = child
        .wait()
        .map_err(|error| GitError(format!("git did not finish: {error}")))?;
    if !status.success() {
        let said = String::from_utf8_lossy(&stderr);
        let said = crate::base::text::printable(said.trim());
        return Err(GitError(format!(
            "`git {}` failed: {said}",
            args.first().copied().unwrap_or_default()
        )));
    }
    Ok(stdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_lead_out_of_the_tree_are_not_inside() {
        assert_eq!(
            inside(Path::new("a/./b/../c.tf")),
            Some(PathBuf::from("a/c.tf"))
        );
        assert_eq!(inside(Path::new("a/../../etc/passwd")), None);
        assert_eq!(inside(Path::new("/etc/passwd")), None);
    }

    #[test]
    fn the_tree_listing_is_read_as_untrusted_bytes() {
        let listing = b"100644 blob 1111111111111111111111111111111111111111      12\tiam.tf\0\
120000 blob 2222222222222222222222222222222222222222       9\tlink.json\0\
160000 commit 3333333333333333333333333333333333333333       -\tsub\0\
100644 blob not-hex 3\tbad.json\0\
100644 blob 4444444444444444444444444444444444444444 3\t../out.json\0garbage";
        let files = parse_tree(listing);
        let names: Vec<&Path> = files.keys().map(PathBuf::as_path).collect();
        assert_eq!(
            names,
            [
                Path::new("iam.tf"),
                Path::new("link.json"),
                Path::new("sub")
            ]
        );
        assert!(matches!(
            files[Path::new("iam.tf")],
            Entry::Blob { size: 12, .. }
        ));
        assert!(matches!(
            files[Path::new("link.json")],
            Entry::Symlink { .. }
        ));
        assert!(matches!(files[Path::new("sub")], Entry::Other));
    }

    #[test]
    fn a_batch_answer_must_have_the_size_listed() {
        let out = b"1111 blob 3\nabc\n2222 missing\n";
        let (first, rest) = batch_entry(out, 3).unwrap();
        assert_eq!(first, Some(&b"abc"[..]));
        let (second, rest) = batch_entry(rest, 5).unwrap();
        assert_eq!(second, None);
        assert!(rest.is_empty());
        assert!(batch_entry(b"1111 blob 4\nabc\n", 4).is_none());
        assert!(batch_entry(b"1111 blob 3\nabc\n", 2).is_none());
    }
}
