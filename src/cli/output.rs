//! Writing the files a run produces (`-o`, `--write-baseline`, `init`) so that an interrupted
//! or failed write never leaves a truncated file, and a symbolic link at the path is replaced
//! rather than written through (a committed `report.sarif -> ~/.bashrc` cannot make iamlint
//! overwrite a file outside the repository). A path that is, or leads to, something other than
//! a regular file (`/dev/null`, `/dev/stdout`, a FIFO) is written to, never replaced: renaming
//! over `/dev/null` would turn the machine's null device into a file.

use std::fs::Permissions;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes `path` as a whole: into a temporary file beside it, then renamed over it. The
/// previous file stays intact until the rename, which is atomic on one file system.
pub(super) fn write_replacing(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if leads_to_a_special_file(path) {
        let mut out = BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
        write(&mut out)?;
        return out.flush();
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".iamlint-").suffix(".tmp");
    if let Some(permissions) = permissions_for(path) {
        builder.permissions(permissions);
    }
    let mut temporary = builder.tempfile_in(dir)?;
    {
        let mut out = BufWriter::new(temporary.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// Whether `path`, followed through links, is a device, FIFO or socket.
fn leads_to_a_special_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|metadata| !metadata.is_file() && !metadata.is_dir())
}

/// The permissions of the regular file being replaced, or those a new file usually gets
/// (the temporary file would otherwise keep its private 0600).
fn permissions_for(path: &Path) -> Option<Permissions> {
    match std::fs::symlink_metadata(path) {
        Ok(metadata) if metadata.is_file() => Some(metadata.permissions()),
        _ => new_file_permissions(),
    }
}

#[cfg(unix)]
fn new_file_permissions() -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::write_replacing;

    #[test]
    fn a_write_interrupted_halfway_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        std::fs::write(&path, "old").unwrap();
        let interrupted = write_replacing(&path, |out| {
            out.write_all(b"half of the new")?;
            Err(std::io::Error::other("interrupted"))
        });
        assert!(interrupted.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

        write_replacing(&path, |out| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    /// `-o /dev/null` or a FIFO a CI step reads from: written to, and still what it was.
    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_link_to_one_is_written_to_not_replaced() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("report.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success(), "mkfifo");
        let link = dir.path().join("report.sarif");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        for path in [&fifo, &link] {
            let reader = {
                let fifo = fifo.clone();
                std::thread::spawn(move || {
                    let mut text = String::new();
                    std::fs::File::open(fifo)
                        .unwrap()
                        .read_to_string(&mut text)
                        .unwrap();
                    text
                })
            };
            write_replacing(path, |out| out.write_all(b"findings")).unwrap();
            assert_eq!(reader.join().unwrap(), "findings");
            assert!(std::fs::metadata(path).unwrap().file_type().is_fifo());
        }
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
