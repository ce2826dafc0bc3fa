//! Finding and reading what to check: walking the given paths, recognising candidate files
//! by name, grouping a Terraform module's files, and reading each file within the limits
//! as text into the source map.

mod discover;
mod git_index;
pub mod git_tree;
mod ignore_rules;
mod load;
mod read;

pub(crate) use discover::{
    Exclude, Given, Input, ModuleFile, discover, group_terraform, is_terraform,
    order_key as path_order_key,
};
pub(crate) use load::{
    Admitted, DEFAULT_MAX_FILE_SIZE, Loaded, RunError, Seen, Skipped, admit, read_file, too_large,
};
pub(crate) use read::{Reader, Roots, files_to_keep_open, normalize, read_regular};

use std::path::Path;

/// Whether a file that turned out not to be a policy should be reported or skipped quietly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// The user named the file (or piped it in): anything but a policy is worth a diagnostic.
    Explicit,
    /// Found while walking a tree: other JSON (package.json, tsconfig) is none of our business.
    Discovered,
}

/// Whether a file found while walking may hold policies, judged by its name; its content
/// decides the rest. `.template` is what many CloudFormation repositories use for YAML or
/// JSON templates; `.tf` and `.tf.json` are Terraform; `.tpl` (`.json.tpl`) are the policy
/// templates Terraform reads with `templatefile()`.
pub(crate) fn is_candidate(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            ["json", "yaml", "yml", "template", "tf", "tpl"]
                .iter()
                .any(|known| extension.eq_ignore_ascii_case(known))
        })
}
