//! Reading one file: regular files only, within the size limit, as UTF-8 text added to the
//! source map; binary and non-UTF-8 files become one problem instead of a crash or garbage.

use super::Intent;
use crate::base::finding::Problem;
use crate::base::rule_id::RuleId;
use crate::base::source::{FileId, SourceFile, SourceMap, Span};
use std::cell::RefCell;
use std::io::Read;
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

/// What reading one file gave.
pub(crate) enum Loaded {
    /// The bytes, and whether the user named the file.
    Bytes(PathBuf, Vec<u8>, bool),
    Error(RunError),
    Skipped(Skipped),
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

pub(crate) fn read_file(path: &Path, explicit: bool, max_file_size: u64) -> Loaded {
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
pub(crate) enum Admitted {
    Text(FileId, Arc<SourceFile>, Intent),
    /// Read, but not text: one problem to report at the file.
    NotText(Problem),
    Error(RunError),
    Skipped(Skipped),
    Nothing,
}

pub(crate) fn admit(loaded: Loaded, sources: &SourceMap) -> Admitted {
    let (path, bytes, explicit) = match loaded {
        Loaded::Bytes(path, bytes, explicit) => (path, bytes, explicit),
        Loaded::Error(error) => return Admitted::Error(error),
        Loaded::Skipped(skipped) => return Admitted::Skipped(skipped),
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

/// Reads the files a Terraform module refers to (`file("policy.json")`), noting each in
/// `read` so its text can be released when nothing points into it.
pub(crate) fn reader<'r>(
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
