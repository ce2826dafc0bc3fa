//! Reading one file: regular files only, within the size limit, as UTF-8 text added to the
//! source map; binary and non-UTF-8 files become one problem instead of a crash or garbage.

use super::Intent;
use super::read::{Opened, Roots, read_regular, read_walked_regular};
use crate::base::finding::Problem;
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, SourceFile, SourceMap, Span};
use crate::base::unread::Unread;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Files larger than this are not read unless the user raises the limit: no real policy,
/// template or module comes close, and reading one must not cost unbounded memory.
pub(crate) const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Bytes sniffed for a NUL to tell binary files from text.
const BINARY_SNIFF_LEN: usize = 8192;

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

/// What the walk saw of a file's directory entry (its type, read with the directory, and
/// its size when it was asked for), so that the reader and the scheduler do not ask the file
/// system again: a system call per file.
#[derive(Clone, Debug)]
pub(crate) struct Seen {
    pub is_symlink: bool,
    /// The size of a regular file, or of a symlink itself (the link's own, for scheduling
    /// only); `None` for anything else. A regular file's is the size the reader reads.
    pub size: Option<u64>,
    /// The regular file itself, when the walk kept it open.
    pub opened: Option<Opened>,
}

/// What reading one file gave.
pub(crate) enum Loaded {
    /// The bytes, and whether the user named the file.
    Bytes(PathBuf, Vec<u8>, bool),
    Error(RunError),
    /// Found by walking but not read (outside the repository, not a regular file, too
    /// large): reported at the file, which is why it is not a silent skip.
    Unread(PathBuf, Unread),
    Nothing,
}

pub(super) fn display(path: &Path) -> String {
    path.display().to_string()
}

pub(crate) fn too_large(path: &Path, size: u64, limit: u64) -> RunError {
    RunError {
        path: display(path),
        message: format!(
            "file is {size} bytes, larger than the limit of {limit} bytes (raise it with --max-file-size)"
        ),
    }
}

/// Reads a file named by the user or found by walking. A walked file must resolve inside the
/// repository (it may be a symlink the repository holds); a named one is the user's choice.
/// `seen`: what the walk saw of the file, when it was walked.
pub(crate) fn read_file(
    path: &Path,
    explicit: bool,
    seen: Option<&Seen>,
    max_file_size: u64,
    roots: &Roots,
) -> Loaded {
    if let Some(snapshot) = roots.snapshot() {
        return match snapshot.bytes(path) {
            Ok(bytes) => Loaded::Bytes(path.to_path_buf(), bytes, false),
            Err(Unread::Missing) => Loaded::Nothing,
            Err(unread) => Loaded::Unread(path.to_path_buf(), unread),
        };
    }
    // The walk follows no directory symlink and git stores no path through one, so only a
    // walked file that is itself a symlink can lead out of the repository: the others are
    // not resolved, which on a large tree saves a system call per directory level.
    let is_symlink = || match seen {
        Some(seen) => seen.is_symlink,
        None => std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()),
    };
    let real = if explicit || !is_symlink() {
        path.to_path_buf()
    } else {
        match roots.confine(path) {
            Ok(real) => real,
            Err(Unread::Missing) => return Loaded::Nothing,
            Err(unread) => return Loaded::Unread(path.to_path_buf(), unread),
        }
    };
    let read = match seen {
        Some(Seen {
            is_symlink: false,
            size: Some(size),
            opened,
        }) if !explicit => read_walked_regular(path, *size, max_file_size, opened.as_ref()),
        _ => read_regular(&real, max_file_size),
    };
    match read {
        Ok(bytes) => Loaded::Bytes(path.to_path_buf(), bytes, explicit),
        Err(Unread::TooLarge { size, .. }) if explicit => {
            Loaded::Error(too_large(path, size, max_file_size))
        }
        Err(Unread::NotRegular) if explicit => Loaded::Error(RunError {
            path: display(path),
            message: "not a regular file (use `-` to read standard input)".into(),
        }),
        Err(Unread::Missing) if !explicit => Loaded::Nothing,
        Err(unread) if explicit => Loaded::Error(RunError {
            path: display(path),
            message: match unread {
                Unread::Failed(error) => format!("cannot read file: {error}"),
                // Gone since it was found: the system's words for it.
                _ => match std::fs::metadata(path) {
                    Err(error) => format!("cannot read file: {error}"),
                    Ok(_) => "cannot read file".to_string(),
                },
            },
        }),
        Err(unread) => Loaded::Unread(path.to_path_buf(), unread),
    }
}

/// A file read as text and added to the source map, or what to report instead.
pub(crate) enum Admitted {
    Text(FileId, Arc<SourceFile>, Intent),
    /// Read, but not text: one problem to report at the file.
    NotText(Problem),
    /// Not read: one problem at an empty entry for the file, and the JSON report's skip.
    Unread(Problem, Option<Skipped>),
    Error(RunError),
    Nothing,
}

pub(crate) fn admit(loaded: Loaded, sources: &SourceMap) -> Admitted {
    let (path, bytes, explicit) = match loaded {
        Loaded::Bytes(path, bytes, explicit) => (path, bytes, explicit),
        Loaded::Error(error) => return Admitted::Error(error),
        Loaded::Unread(path, unread) => return admit_unread(path, &unread, sources),
        Loaded::Nothing => return Admitted::Nothing,
    };
    let intent = if explicit {
        Intent::Explicit
    } else {
        Intent::Discovered
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
    if (binary || invalid_utf8_at.is_some()) && intent == Intent::Discovered {
        // Not text: only worth a word when it still looks like it was meant to be a policy.
        if binary || !text.contains("\"Statement\"") {
            return Admitted::Nothing;
        }
    }
    let (file, source) = sources.add(path, text);
    if binary || invalid_utf8_at.is_some() {
        let (offset, message) = match invalid_utf8_at {
            _ if binary => (0, "binary file: expected a text policy document"),
            Some(offset) => (offset, "the file is not valid UTF-8"),
            None => (0, "the file is not valid UTF-8"),
        };
        return Admitted::NotText(Problem::new(
            RuleId::ParseError,
            Span::new(file, offset, offset),
            message,
        ));
    }
    Admitted::Text(file, source, intent)
}

/// A walked file that was not read, as a finding at the file (whose text is left empty: it
/// is never shown): `limit-exceeded` when too large, `unread-file` otherwise.
fn admit_unread(path: PathBuf, unread: &Unread, sources: &SourceMap) -> Admitted {
    let written = display(&path);
    let (file, _) = sources.add(path, String::new());
    let at = Span::new(file, 0, 0);
    match unread {
        Unread::TooLarge { limit, .. } => Admitted::Unread(
            Problem::new(RuleId::LimitExceeded, at, unread.message(&written)),
            Some(Skipped {
                path: written,
                reason: format!("larger than {limit} bytes"),
            }),
        ),
        _ => Admitted::Unread(
            Problem::new(RuleId::UnreadFile, at, unread.message(&written)),
            None,
        ),
    }
}
