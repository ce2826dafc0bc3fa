//! Why a file that the checked code refers to was not read: the repository is untrusted
//! input, so a `file()` call, a module `source` or a walked symlink may point anywhere.
//! Shared by the reader (`input`), which decides, and the extractors, which report it where
//! the code names the file.

/// A file that was not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unread {
    /// Resolves (after symlinks) outside the repository root, shown as the user sees it.
    OutsideRoot {
        root: String,
    },
    /// Inside a `.git` directory: git's own files (a CI checkout's `.git/config` may hold a
    /// token), never policies.
    InGitDirectory,
    /// A FIFO, a device, a socket or a directory: reading one could block or never end.
    NotRegular,
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// Not UTF-8 text (or binary).
    NotText,
    /// Does not exist (it may be written by a build step before `terraform plan`).
    Missing,
    /// Any other error opening or reading it.
    Failed(String),
}

impl Unread {
    /// What a finding says about the file the code calls `written` (never its content, nor
    /// where outside the repository it resolves to).
    pub fn message(&self, written: &str) -> String {
        let not_checked = "not read, so the policy it holds is not checked";
        match self {
            Unread::OutsideRoot { root } => {
                format!("`{written}` is outside the repository (`{root}`): {not_checked}")
            }
            Unread::InGitDirectory => {
                format!("`{written}` is inside a `.git` directory: {not_checked}")
            }
            Unread::NotRegular => {
                format!(
                    "`{written}` is not a regular file (a FIFO, device or directory): {not_checked}"
                )
            }
            Unread::TooLarge { size, limit } => format!(
                "`{written}` is {size} bytes, larger than the limit of {limit} bytes (raise it with --max-file-size): {not_checked}"
            ),
            Unread::NotText => format!("`{written}` is not UTF-8 text: {not_checked}"),
            Unread::Missing => format!("`{written}` does not exist: {not_checked}"),
            Unread::Failed(error) => format!("`{written}` cannot be read ({error}): {not_checked}"),
        }
    }
}
