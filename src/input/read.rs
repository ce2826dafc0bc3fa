//! Every read of a file goes through here: the repository is untrusted input (a CI gate runs
//! on pull requests), so a path it names must resolve inside the repository root, and what is
//! opened must be a regular file within the size limit, checked on the opened descriptor so
//! that a file swapped for a FIFO after the walk cannot block the run (or, for a file the
//! walk saw to be regular, opened so that nothing else in its place can be read or block:
//! [`read_walked_regular`]).

use super::git_tree::Snapshot;
use crate::base::source::{FileId, SourceFile, SourceMap};
use crate::base::unread::Unread;
use std::cell::RefCell;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The bytes of a regular file of at most `limit` bytes.
pub(crate) fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Unread> {
    let file = open_without_blocking(path).map_err(|error| unread_of(&error))?;
    let metadata = file.metadata().map_err(|error| unread_of(&error))?;
    if !metadata.is_file() {
        return Err(Unread::NotRegular);
    }
    if metadata.len() > limit {
        return Err(Unread::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    read_to_size(file, metadata.len(), limit)
}

/// The bytes of a file the walk found to be a regular file of `size` bytes, at most `limit`,
/// without asking the opened descriptor again (a system call per file of a large tree, a
/// sixth of the system time of bench's raw JSON corpus). What the walk saw is what is read:
/// `O_NOFOLLOW` fails the open if a symlink was put in the file's place since, `O_NONBLOCK`
/// keeps anything else put there (a FIFO) from blocking, and no more than `size` bytes are
/// read, as [`read_regular`] reads a file that grows meanwhile.
/// A file the walk kept open (`opened`) is read as it is.
pub(crate) fn read_walked_regular(
    path: &Path,
    size: u64,
    limit: u64,
    opened: Option<&Opened>,
) -> Result<Vec<u8>, Unread> {
    if cfg!(not(unix)) {
        return read_regular(path, limit);
    }
    if size > limit {
        return Err(Unread::TooLarge { size, limit });
    }
    let file = match opened.and_then(Opened::take) {
        Some(file) => file,
        None => open_walked(path).map_err(|error| unread_of(&error))?,
    };
    read_to_size(file, size, limit)
}

/// The bytes of `file`, whose size is `size`, no more than `limit` (each caller has checked
/// `size` against it, before or after the open). The size checked is the size read, so no
/// read is spent finding the end (a system call per file); a file that grows meanwhile is
/// read as it was. One that reports no size (`/proc` files) is read to its end, bounded.
fn read_to_size(file: File, size: u64, limit: u64) -> Result<Vec<u8>, Unread> {
    let bound = match size {
        0 => limit + 1,
        size => size,
    };
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(bound)
        .read_to_end(&mut bytes)
        .map_err(|error| unread_of(&error))?;
    if bytes.len() as u64 > limit {
        return Err(Unread::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// A walked file that the walk opened and found to be a regular file, kept open for the
/// reader: it is then read without being looked up again by its path (on a tree of many
/// small files, the walk's `statx` of each file and the reader's lookup of its whole path
/// were about a tenth of the run's time). The reader takes it, so it is closed once read.
#[derive(Clone, Debug)]
pub(crate) struct Opened(Arc<Mutex<Option<File>>>);

impl Opened {
    fn take(&self) -> Option<File> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

/// How many walked files may be kept open between the walk and the reading, all together:
/// a tree of more files has the rest looked up again by path, as before. Each open file
/// costs the kernel a few hundred bytes.
#[cfg(unix)]
const MOST_KEPT_OPEN: u64 = 16_384;

/// Descriptors left for everything else a run opens (the files a Terraform `file()` call
/// reads, git's index, the report).
#[cfg(unix)]
const SPARE_DESCRIPTORS: u64 = 512;

/// How many walked files this run may keep open; call it before the run starts its threads,
/// when it walks a directory. The soft limit on open files is raised towards the hard one
/// first, as far as that number needs (Go programs raise it at start the same way): many
/// systems set a soft limit of 1,024 under a hard one of hundreds of thousands.
#[cfg(unix)]
pub(crate) fn files_to_keep_open() -> usize {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    static KEPT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *KEPT.get_or_init(|| {
        let wanted = MOST_KEPT_OPEN + SPARE_DESCRIPTORS;
        let limit = getrlimit(Resource::Nofile);
        let mut current = limit.current.unwrap_or(u64::MAX);
        if current < wanted {
            let raised = limit.maximum.map_or(wanted, |maximum| maximum.min(wanted));
            let new = Rlimit {
                current: Some(raised),
                maximum: limit.maximum,
            };
            if raised > current && setrlimit(Resource::Nofile, new).is_ok() {
                current = raised;
            }
        }
        let kept = current
            .saturating_sub(SPARE_DESCRIPTORS)
            .min(MOST_KEPT_OPEN);
        // The kernel grows a process's table of descriptors as files are opened, and growing
        // it while other threads run waits until each of them has passed a quiescent point:
        // 4 to 20 ms each time, six times on the way to ten thousand files. It is grown here
        // once, to the highest descriptor the run may use, by a duplicate opened that high.
        let highest = kept + SPARE_DESCRIPTORS - 1;
        if let Ok(highest) = i32::try_from(highest) {
            drop(rustix::io::fcntl_dupfd_cloexec(std::io::stderr(), highest));
        }
        usize::try_from(kept).unwrap_or(0)
    })
}

#[cfg(not(unix))]
pub(crate) fn files_to_keep_open() -> usize {
    0
}

/// A directory opened for [`open_in_directory`].
#[cfg(unix)]
pub(crate) type OpenDirectory = std::os::fd::OwnedFd;
#[cfg(not(unix))]
pub(crate) type OpenDirectory = std::convert::Infallible;

/// The directory at `path`, opened to open its files by name.
#[cfg(unix)]
pub(crate) fn open_directory(path: &Path) -> Option<OpenDirectory> {
    use rustix::fs::{Mode, OFlags, open};
    open(
        path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()
}

#[cfg(not(unix))]
pub(crate) fn open_directory(_path: &Path) -> Option<OpenDirectory> {
    None
}

/// The file `name` of `directory`, opened as [`open_walked`] opens a path, with its size,
/// when it is a regular file; `None` when it cannot be opened or is anything else (put in
/// the place of the file the walk listed since), for the caller to look at it by its path.
#[cfg(unix)]
pub(crate) fn open_in_directory(
    directory: &OpenDirectory,
    name: &std::ffi::OsStr,
) -> Option<(Opened, u64)> {
    use rustix::fs::{FileType, OFlags, fstat};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY;
    let file = openat_without_access_time(directory, name, flags | OFlags::CLOEXEC).ok()?;
    let status = fstat(&file).ok()?;
    if FileType::from_raw_mode(status.st_mode) != FileType::RegularFile {
        return None;
    }
    let size = u64::try_from(status.st_size).ok()?;
    Some((Opened(Arc::new(Mutex::new(Some(File::from(file))))), size))
}

/// Reading a file marks its access time unless it is opened `O_NOATIME`, which only its
/// owner may do: a linter has no business marking every file of a tree read, and the kernel's
/// check of that time was a percent of a run over many small files. After one refusal (the
/// files are someone else's), the run stops asking.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn openat_without_access_time(
    directory: &OpenDirectory,
    name: &std::ffi::OsStr,
    flags: rustix::fs::OFlags,
) -> rustix::io::Result<std::os::fd::OwnedFd> {
    use rustix::fs::{Mode, OFlags, openat};
    use std::sync::atomic::{AtomicBool, Ordering};
    static REFUSED: AtomicBool = AtomicBool::new(false);
    if !REFUSED.load(Ordering::Relaxed) {
        match openat(directory, name, flags | OFlags::NOATIME, Mode::empty()) {
            Err(rustix::io::Errno::PERM) => REFUSED.store(true, Ordering::Relaxed),
            opened => return opened,
        }
    }
    openat(directory, name, flags, Mode::empty())
}

#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
fn openat_without_access_time(
    directory: &OpenDirectory,
    name: &std::ffi::OsStr,
    flags: rustix::fs::OFlags,
) -> rustix::io::Result<std::os::fd::OwnedFd> {
    rustix::fs::openat(directory, name, flags, rustix::fs::Mode::empty())
}

#[cfg(not(unix))]
pub(crate) fn open_in_directory(
    _directory: &OpenDirectory,
    _name: &std::ffi::OsStr,
) -> Option<(Opened, u64)> {
    None
}

/// [`open_without_blocking`], and not through a symlink in the last component.
#[cfg(unix)]
fn open_walked(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_walked(path: &Path) -> std::io::Result<File> {
    open_without_blocking(path)
}

fn unread_of(error: &std::io::Error) -> Unread {
    match error.kind() {
        std::io::ErrorKind::NotFound => Unread::Missing,
        _ => Unread::Failed(error.to_string()),
    }
}

/// Opening a FIFO for reading waits for a writer unless `O_NONBLOCK` is set; `O_NOCTTY`
/// keeps a terminal device from becoming the process's controlling terminal.
#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// The directories a run may read in: the repository root of each path it checks.
#[derive(Clone, Debug, Default)]
pub(crate) struct Roots {
    roots: Vec<Root>,
    /// The working directory, read once: relative paths the code names are resolved from it.
    cwd: PathBuf,
    /// A revision read from git (`iamlint diff`): every read is from its tree instead.
    snapshot: Option<Arc<Snapshot>>,
}

#[derive(Clone, Debug)]
struct Root {
    /// After symlinks: what a resolved path is compared with.
    canonical: PathBuf,
    /// Absolute but not resolved: what a path that does not exist is compared with.
    absolute: PathBuf,
    /// As the user sees it: relative to the working directory when it can be.
    shown: String,
}

impl Roots {
    /// The root given by `--root`, else the repository root of each checked path (`-`, standard
    /// input, reads relative to the working directory).
    pub(crate) fn new(paths: &[PathBuf], given: Option<&Path>) -> Roots {
        let dirs: Vec<PathBuf> = match given {
            Some(root) => vec![root.to_path_buf()],
            None => paths
                .iter()
                .map(|path| {
                    let path = if path.as_os_str() == "-" {
                        Path::new(".")
                    } else {
                        path.as_path()
                    };
                    repository_root(path)
                })
                .collect(),
        };
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut roots: Vec<Root> = Vec::new();
        for dir in dirs {
            let absolute = normalize(&cwd.join(&dir));
            let canonical = std::fs::canonicalize(&absolute).unwrap_or_else(|_| absolute.clone());
            if roots.iter().any(|r| r.canonical == canonical) {
                continue;
            }
            let shown = shown_from(&cwd, &absolute);
            roots.push(Root {
                canonical,
                absolute,
                shown,
            });
        }
        Roots {
            roots,
            cwd,
            snapshot: None,
        }
    }

    /// Reads from a revision's tree instead of the file system; paths are relative to the
    /// repository root.
    pub(crate) fn of_snapshot(snapshot: Arc<Snapshot>) -> Roots {
        Roots {
            roots: Vec::new(),
            cwd: PathBuf::new(),
            snapshot: Some(snapshot),
        }
    }

    pub(crate) fn snapshot(&self) -> Option<&Snapshot> {
        self.snapshot.as_deref()
    }

    /// The resolved path when `path` (after symlinks) is inside a root; a path outside gets
    /// the same answer whether it exists or not, so nothing is learnt about the machine.
    pub(crate) fn confine(&self, path: &Path) -> Result<PathBuf, Unread> {
        let absolute = normalize(&self.cwd.join(path));
        let outside = || Unread::OutsideRoot {
            root: self
                .roots
                .first()
                .map_or_else(|| ".".to_string(), |r| r.shown.clone()),
        };
        let lexically_inside = self
            .roots
            .iter()
            .any(|r| absolute.starts_with(&r.absolute) || absolute.starts_with(&r.canonical));
        match std::fs::canonicalize(&absolute) {
            Ok(real) if in_git_directory(&real, &self.roots) => Err(Unread::InGitDirectory),
            Ok(real) if self.roots.iter().any(|r| real.starts_with(&r.canonical)) => Ok(real),
            Ok(_) => Err(outside()),
            Err(_) if !lexically_inside => Err(outside()),
            Err(error) => Err(unread_of(&error)),
        }
    }

    /// The first root as an absolute path: the repository the report's paths are relative
    /// to (SARIF's `%SRCROOT%`, GitLab's `location.path`). `None` before a run has roots.
    pub(crate) fn repository(&self) -> Option<&Path> {
        self.roots.first().map(|root| root.canonical.as_path())
    }

    /// `path` (as the run named it, relative to the working directory) relative to
    /// [`Roots::repository`], `/`-separated; `None` when it is outside, or is standard input.
    pub(crate) fn repository_relative(&self, path: &Path) -> Option<String> {
        let root = self.roots.first()?;
        if path.as_os_str() == "-" {
            return None;
        }
        let absolute = normalize(&self.cwd.join(path));
        let below = absolute
            .strip_prefix(&root.absolute)
            .or_else(|_| absolute.strip_prefix(&root.canonical))
            .map(Path::to_path_buf)
            .or_else(|_| {
                // A path through a symlink to the repository (a checkout reached by a link).
                let real = std::fs::canonicalize(&absolute).map_err(|_| ())?;
                real.strip_prefix(&root.canonical)
                    .map(Path::to_path_buf)
                    .map_err(|_| ())
            })
            .ok()?;
        let parts: Vec<String> = below
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }
}

/// Whether a resolved path inside a root is in a `.git` directory of the repository.
fn in_git_directory(real: &Path, roots: &[Root]) -> bool {
    roots
        .iter()
        .filter_map(|root| real.strip_prefix(&root.canonical).ok())
        .any(|inside| inside.components().any(|c| c.as_os_str() == ".git"))
}

/// The nearest directory at or above `scanned` holding `.git` (a directory, or a file in a
/// worktree or submodule), else `scanned` itself (its directory when it is a file). Git is
/// not run: the checked repository's configuration must not run anything.
pub(crate) fn repository_root(scanned: &Path) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = normalize(&cwd.join(scanned));
    // A file's directory, before symlinks: a link in the repository must not move the root
    // to where it leads.
    let dir = if absolute.is_dir() {
        absolute
    } else {
        absolute
            .parent()
            .map_or_else(|| absolute.clone(), Path::to_path_buf)
    };
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    dir.ancestors()
        .find(|ancestor| std::fs::symlink_metadata(ancestor.join(".git")).is_ok())
        .map_or(dir.clone(), Path::to_path_buf)
}

/// `a/./b/../c` as `a/c`, without looking at the disk; a relative path keeps the `..` that
/// lead above where it starts (`../x`), an absolute one stops at the root.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                Some(Component::ParentDir | Component::CurDir) | None => out.push(".."),
            },
            other => out.push(other),
        }
    }
    out
}

/// A root as the user sees it: `.`, `infra`, `../..`, or absolute when unrelated to the
/// working directory.
fn shown_from(cwd: &Path, root: &Path) -> String {
    if let Ok(below) = root.strip_prefix(cwd) {
        return if below.as_os_str().is_empty() {
            ".".into()
        } else {
            below.display().to_string()
        };
    }
    if let Ok(above) = cwd.strip_prefix(root) {
        let ups = above.components().count();
        return vec![".."; ups].join("/");
    }
    root.display().to_string()
}

/// Reads the files a Terraform module refers to (`file("policy.json")`, a local module's
/// directory) inside the roots, noting each in `read` so its text can be released when
/// nothing points into it.
pub(crate) struct Reader<'r> {
    pub sources: &'r SourceMap,
    pub max_file_size: u64,
    pub roots: &'r Roots,
    pub read: &'r RefCell<Vec<FileId>>,
}

impl Reader<'_> {
    /// Reads `path`, named in the source map without `.` and `..` (after confinement, so a
    /// `..` cannot lead out): a child module reached through `examples/x/../../modules/y` is
    /// `modules/y`, the same file its own walk finds.
    pub(crate) fn read(&self, path: &Path) -> Result<(FileId, Arc<SourceFile>), Unread> {
        let bytes = match self.roots.snapshot() {
            Some(snapshot) => snapshot.bytes(path)?,
            None => read_regular(&self.roots.confine(path)?, self.max_file_size)?,
        };
        let text = String::from_utf8(bytes).map_err(|_| Unread::NotText)?;
        let added = self.sources.add(normalize(path), text);
        self.read.borrow_mut().push(added.0);
        Ok(added)
    }

    /// The Terraform files of a local module's directory (each still read through
    /// [`Reader::read`]), or why the directory is not read.
    pub(crate) fn module_files(&self, dir: &Path) -> Result<Vec<PathBuf>, Unread> {
        if let Some(snapshot) = self.roots.snapshot() {
            return snapshot.terraform_files(dir);
        }
        let real = self.roots.confine(dir)?;
        if !real.is_dir() {
            return Err(Unread::NotRegular);
        }
        let entries = std::fs::read_dir(&real).map_err(|error| unread_of(&error))?;
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .filter(|entry| {
                entry
                    .file_type()
                    .is_ok_and(|t| t.is_file() || t.is_symlink())
            })
            .map(|entry| dir.join(entry.file_name()))
            .filter(|path| super::is_terraform(path))
            .collect();
        paths.sort();
        Ok(paths)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        let made = std::process::Command::new("mkfifo").arg(path).status();
        assert!(made.is_ok_and(|status| status.success()), "mkfifo");
    }

    #[test]
    fn normalize_resolves_dots_without_the_disk() {
        assert_eq!(
            normalize(Path::new("/r/a/./b/../c")),
            PathBuf::from("/r/a/c")
        );
        assert_eq!(normalize(Path::new("/r/../../etc")), PathBuf::from("/etc"));
        assert_eq!(
            normalize(Path::new("wrappers/t/../../modules/t/main.tf")),
            PathBuf::from("modules/t/main.tf")
        );
        assert_eq!(
            normalize(Path::new("./../a/../../b")),
            PathBuf::from("../../b")
        );
    }

    #[test]
    fn roots_are_shown_relative_to_the_working_directory() {
        let shown = |cwd: &str, root: &str| shown_from(Path::new(cwd), Path::new(root));
        assert_eq!(shown("/w/repo", "/w/repo"), ".");
        assert_eq!(shown("/w", "/w/repo"), "repo");
        assert_eq!(shown("/w/repo/infra/prod", "/w/repo"), "../..");
        assert_eq!(shown("/elsewhere", "/w/repo"), "/w/repo");
    }

    /// What a walked file swapped for a FIFO after the walk meets: the open does not wait
    /// for a writer, and the opened descriptor is not a regular file.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_opened_without_blocking_and_not_read() {
        let temp = tempfile::tempdir().unwrap();
        let fifo = temp.path().join("policy.json");
        mkfifo(&fifo);
        assert_eq!(read_regular(&fifo, 1024), Err(Unread::NotRegular));
        assert_eq!(read_regular(temp.path(), 1024), Err(Unread::NotRegular));
        let file = temp.path().join("big.json");
        std::fs::write(&file, "x".repeat(2000)).unwrap();
        assert_eq!(
            read_regular(&file, 1024),
            Err(Unread::TooLarge {
                size: 2000,
                limit: 1024
            })
        );
    }

    /// A file the walk opened in its directory is read from that descriptor, once, whatever
    /// is put at its path since; anything but a regular file is not kept open.
    #[cfg(unix)]
    #[test]
    fn a_file_kept_open_by_the_walk_is_read_from_its_descriptor() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("policy.json");
        std::fs::write(&path, "{}").unwrap();
        let directory = open_directory(temp.path()).unwrap();
        let (opened, size) = open_in_directory(&directory, "policy.json".as_ref()).unwrap();
        assert_eq!(size, 2);
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, "replaced").unwrap();
        assert_eq!(
            read_walked_regular(&path, size, 1024, Some(&opened)),
            Ok(b"{}".to_vec())
        );
        assert!(opened.take().is_none());
        // Once taken, the path is opened again: it is too large now, as the walk's size said.
        assert_eq!(
            read_walked_regular(&path, 2000, 1024, Some(&opened)),
            Err(Unread::TooLarge {
                size: 2000,
                limit: 1024
            })
        );
        std::fs::create_dir(temp.path().join("dir.json")).unwrap();
        std::os::unix::fs::symlink(&path, temp.path().join("link.json")).unwrap();
        let fifo = temp.path().join("fifo.json");
        mkfifo(&fifo);
        for name in ["dir.json", "link.json", "fifo.json", "gone.json"] {
            assert!(
                open_in_directory(&directory, name.as_ref()).is_none(),
                "{name}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_files_kept_open_leave_descriptors_spare() {
        let kept = files_to_keep_open() as u64;
        assert!(kept <= MOST_KEPT_OPEN);
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        let current = limit.current.unwrap_or(u64::MAX);
        assert!(kept == 0 || kept + SPARE_DESCRIPTORS <= current);
    }

    /// What a file the walk saw as regular meets if something else is put in its place before
    /// it is read: a FIFO is opened and read without waiting for a writer, a symlink is not
    /// followed, and no more than the limit is read.
    #[cfg(unix)]
    #[test]
    fn a_walked_file_replaced_since_is_not_followed_and_does_not_block() {
        let temp = tempfile::tempdir().unwrap();
        let fifo = temp.path().join("policy.json");
        mkfifo(&fifo);
        assert_eq!(read_walked_regular(&fifo, 20, 1024, None), Ok(Vec::new()));
        let outside = temp.path().join("outside.txt");
        std::fs::write(&outside, "secret").unwrap();
        let link = temp.path().join("link.json");
        std::os::unix::fs::symlink(&outside, &link).unwrap();
        assert!(matches!(
            read_walked_regular(&link, 20, 1024, None),
            Err(Unread::Failed(_))
        ));
        let file = temp.path().join("big.json");
        std::fs::write(&file, "x".repeat(2000)).unwrap();
        let too_large = Err(Unread::TooLarge {
            size: 2000,
            limit: 1024,
        });
        assert_eq!(read_walked_regular(&file, 2000, 1024, None), too_large);
        // Grown past the limit since the walk saw it empty: read up to the limit and one more.
        assert_eq!(
            read_walked_regular(&file, 0, 1024, None),
            Err(Unread::TooLarge {
                size: 1025,
                limit: 1024
            })
        );
        assert_eq!(
            read_walked_regular(&file, 5, 1024, None),
            Ok(b"xxxxx".to_vec())
        );
    }

    #[test]
    fn git_s_own_files_are_not_read() {
        let temp = tempfile::tempdir().unwrap();
        let dir = std::fs::canonicalize(temp.path()).unwrap();
        std::fs::create_dir_all(dir.join(".git")).unwrap();
        std::fs::write(dir.join(".git/config"), "[http]\n").unwrap();
        let roots = Roots::new(std::slice::from_ref(&dir), None);
        assert_eq!(
            roots.confine(&dir.join("sub/../.git/config")),
            Err(Unread::InGitDirectory)
        );
    }

    #[test]
    fn a_path_outside_gets_the_same_answer_whether_it_exists_or_not() {
        let temp = tempfile::tempdir().unwrap();
        let dir = std::fs::canonicalize(temp.path()).unwrap();
        let roots = Roots::new(std::slice::from_ref(&dir), Some(&dir));
        let outside = |path: &str| roots.confine(Path::new(path));
        assert!(matches!(outside("/"), Err(Unread::OutsideRoot { .. })));
        assert!(matches!(
            outside("/no/such/file/anywhere.json"),
            Err(Unread::OutsideRoot { .. })
        ));
        assert_eq!(
            roots.confine(&dir.join("missing.json")),
            Err(Unread::Missing)
        );
    }
}
