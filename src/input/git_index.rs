//! The files git tracks, read from the index (`.git/index`) without running git: a tracked
//! file is checked whatever `.gitignore` says, since ignore rules only keep untracked files
//! out of a commit, and a pull request can add a tracked file that its own `.gitignore`
//! matches.
//!
//! Written by hand rather than with `gix-index`: that crate brings about 80 crates (a second
//! `syn`, `jiff`, `parking_lot`, …) to read what is here a list of paths. Index versions 2
//! to 4, SHA-1 and SHA-256 repositories; extensions are not needed for the paths. A split
//! index (`core.splitIndex`) keeps most entries in a shared file that is not read: those
//! files are then walked as untracked ones (ignore rules apply).

use super::read::read_regular;
use std::path::{Path, PathBuf};

/// An index larger than this is not read (the largest public repositories' are ~200 MiB).
const MAX_INDEX_SIZE: u64 = 1 << 30;

/// The paths the index of the repository at `root` lists, relative to `root`, or `None` when
/// there is no index it can read.
pub(crate) fn tracked_files(root: &Path) -> Option<Vec<PathBuf>> {
    let git_dir = git_dir(root)?;
    let bytes = read_regular(&git_dir.join("index"), MAX_INDEX_SIZE).ok()?;
    let hash_len = if uses_sha256(&git_dir) { 32 } else { 20 };
    parse(&bytes, hash_len)
}

/// `.git` itself, or where a `.git` file (a worktree, a submodule) points: `gitdir: <path>`.
fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot_git = root.join(".git");
    let metadata = std::fs::symlink_metadata(&dot_git).ok()?;
    if metadata.is_dir() {
        return Some(dot_git);
    }
    let bytes = read_regular(&dot_git, 4096).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let target = text.strip_prefix("gitdir:")?.trim();
    Some(root.join(target))
}

/// Whether `extensions.objectFormat` is `sha256` (the entries' hashes are then 32 bytes).
fn uses_sha256(git_dir: &Path) -> bool {
    // A worktree's configuration is its main repository's.
    let common = read_regular(&git_dir.join("commondir"), 4096)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .map_or_else(|| git_dir.to_path_buf(), |dir| git_dir.join(dir.trim()));
    read_regular(&common.join("config"), 1 << 20)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .is_some_and(|config| {
            config.lines().any(|line| {
                let line: String = line.split_whitespace().collect::<String>().to_lowercase();
                line == "objectformat=sha256"
            })
        })
}

/// The paths of an index file (the format is git's `Documentation/gitformat-index.txt`).
fn parse(bytes: &[u8], hash_len: usize) -> Option<Vec<PathBuf>> {
    let header = bytes.get(..12)?;
    if &header[..4] != b"DIRC" {
        return None;
    }
    let version = u32::from_be_bytes(header[4..8].try_into().ok()?);
    let count = u32::from_be_bytes(header[8..12].try_into().ok()?);
    if !(2..=4).contains(&version) {
        return None;
    }
    // ctime, mtime (8 each), dev, ino, mode, uid, gid, size (4 each), the hash, flags (2).
    let fixed = 40 + hash_len + 2;
    let mut at = 12;
    let mut previous: Vec<u8> = Vec::new();
    let mut paths = Vec::with_capacity(usize::try_from(count).unwrap_or(0).min(1 << 20));
    for _ in 0..count {
        let entry = at;
        let flags = u16::from_be_bytes(bytes.get(at + fixed - 2..at + fixed)?.try_into().ok()?);
        at += fixed;
        // An extended flags word follows when bit 14 is set (versions 3 and 4).
        if flags & 0x4000 != 0 {
            at += 2;
        }
        let path = if version == 4 {
            let (strip, used) = varint(bytes.get(at..)?)?;
            at += used;
            let end = at + bytes.get(at..)?.iter().position(|&b| b == 0)?;
            let keep = previous.len().checked_sub(usize::try_from(strip).ok()?)?;
            let mut path = previous[..keep].to_vec();
            path.extend_from_slice(&bytes[at..end]);
            at = end + 1;
            path
        } else {
            let end = at + bytes.get(at..)?.iter().position(|&b| b == 0)?;
            let path = bytes[at..end].to_vec();
            // NUL padding to a multiple of 8 bytes (at least one NUL).
            at = entry + (end - entry + 8) / 8 * 8;
            path
        };
        paths.push(path_of(&path));
        previous = path;
    }
    Some(paths)
}

/// Git's offset varint of index version 4: 7 bits a byte, each continuation adding one.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        if i > 0 {
            value = value.checked_add(1)?.checked_shl(7)?;
        }
        value |= u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(unix)]
fn path_of(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_of(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).replace('/', "\\"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str) -> Vec<u8> {
        let mut out = vec![0u8; 40 + 20];
        out.extend_from_slice(&u16::try_from(path.len()).unwrap().to_be_bytes());
        out.extend_from_slice(path.as_bytes());
        let len = out.len();
        out.resize((len + 8) / 8 * 8, 0);
        out
    }

    #[test]
    fn version_2_paths() {
        let mut index = b"DIRC".to_vec();
        index.extend_from_slice(&2u32.to_be_bytes());
        index.extend_from_slice(&2u32.to_be_bytes());
        index.extend(entry(".deploy/main.tf"));
        index.extend(entry("a/policy-with-a-long-name.json"));
        let paths = parse(&index, 20).unwrap();
        assert_eq!(
            paths,
            [
                PathBuf::from(".deploy/main.tf"),
                PathBuf::from("a/policy-with-a-long-name.json")
            ]
        );
    }

    #[test]
    fn version_4_prefix_compression() {
        let mut index = b"DIRC".to_vec();
        index.extend_from_slice(&4u32.to_be_bytes());
        index.extend_from_slice(&2u32.to_be_bytes());
        for (strip, suffix) in [(0u8, "infra/a.tf"), (4, "b.tf")] {
            index.extend_from_slice(&[0u8; 60]);
            index.extend_from_slice(&[0, 0]);
            index.push(strip);
            index.extend_from_slice(suffix.as_bytes());
            index.push(0);
        }
        let paths = parse(&index, 20).unwrap();
        assert_eq!(
            paths,
            [PathBuf::from("infra/a.tf"), PathBuf::from("infra/b.tf")]
        );
    }

    #[test]
    fn truncated_or_foreign_files_are_not_indexes() {
        assert!(parse(b"DIRC\0\0\0\x02\0\0\0\x05", 20).is_none());
        assert!(parse(b"not an index", 20).is_none());
    }
}
