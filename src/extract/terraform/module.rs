//! What a reference in a Terraform module can lead to: its locals, resources, data sources
//! and named principals, indexed once per module; shared by the module walk (`mod.rs`) and
//! the lowering of expressions (`lower`).

use super::body::{Attr, Block, Expr};
use crate::base::source::{FileId, SourceFile};
use crate::base::unread::Unread;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Reads what a module refers to into the run's source map: files (`file("policy.json")`)
/// and the directories of local child modules. The run's reader confines both to the
/// repository; [`NoFiles`] reads nothing.
pub trait ReadFiles {
    fn read(&self, path: &Path) -> Result<(FileId, Arc<SourceFile>), Unread>;
    /// The Terraform files of a local module's directory, each then read with `read`.
    fn module_files(&self, dir: &Path) -> Result<Vec<PathBuf>, Unread>;
}

/// A reader of nothing: every file is missing (tests, fuzzing, text held in memory).
#[derive(Debug)]
pub struct NoFiles;

impl ReadFiles for NoFiles {
    fn read(&self, _: &Path) -> Result<(FileId, Arc<SourceFile>), Unread> {
        Err(Unread::Missing)
    }
    fn module_files(&self, _: &Path) -> Result<Vec<PathBuf>, Unread> {
        Err(Unread::Missing)
    }
}

impl ReadFiles for crate::input::Reader<'_> {
    fn read(&self, path: &Path) -> Result<(FileId, Arc<SourceFile>), Unread> {
        crate::input::Reader::read(self, path)
    }
    fn module_files(&self, dir: &Path) -> Result<Vec<PathBuf>, Unread> {
        crate::input::Reader::module_files(self, dir)
    }
}

/// Everything of the module a reference can lead to.
pub(super) struct Module<'a> {
    pub dir: PathBuf,
    pub locals: HashMap<&'a str, &'a Attr<'a>>,
    /// `aws_iam_role.ci`
    pub resources: HashMap<String, &'a Block<'a>>,
    /// `data.aws_iam_policy_document.x`
    pub data: HashMap<String, &'a Block<'a>>,
    /// The literal `name` of roles, users, groups, policies and instance profiles, so a
    /// principal named by string is still recognised as the resource.
    pub names: HashMap<(String, String), String>,
}

/// Types whose literal `name` identifies them in attachments.
const NAMED: &[&str] = &[
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_group",
    "aws_iam_policy",
    "aws_iam_instance_profile",
];

impl<'a> Module<'a> {
    pub(super) fn index(dir: &Path, blocks: &'a [Block<'a>]) -> Self {
        let mut module = Module {
            dir: dir.to_path_buf(),
            locals: HashMap::new(),
            resources: HashMap::new(),
            data: HashMap::new(),
            names: HashMap::new(),
        };
        for block in blocks {
            match (block.ident, block.labels.as_slice()) {
                ("locals", _) => {
                    for attr in &block.attrs {
                        module.locals.insert(attr.name, attr);
                    }
                }
                ("resource", [kind, name]) => {
                    let address = format!("{kind}.{name}");
                    if NAMED.contains(kind)
                        && let Some(Attr {
                            value: Expr::Hcl(hcl_edit::expr::Expression::String(literal), _),
                            ..
                        }) = block.attr("name")
                    {
                        module
                            .names
                            .insert((kind.to_string(), literal.value().clone()), address.clone());
                    }
                    module.resources.insert(address, block);
                }
                ("data", [kind, name]) => {
                    module.data.insert(format!("data.{kind}.{name}"), block);
                }
                _ => {}
            }
        }
        module
    }
}
